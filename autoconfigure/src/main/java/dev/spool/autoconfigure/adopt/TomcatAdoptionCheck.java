package dev.spool.autoconfigure.adopt;

import java.util.List;

import dev.spool.autoconfigure.InvalidSpoolConfigurationException;
import dev.spool.autoconfigure.InvalidSpoolConfigurationException.Problem;
import org.springframework.beans.BeansException;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Stops start-up when {@code spool.adopt.tomcat} is true and the context started no Tomcat whose pool Spool adopted:
 * a non-web application, another server, or Tomcat missing from the class path. It has no Tomcat type of its own, so
 * that it is there even when Tomcat is not. The check runs when the context is refreshed, after the web server has
 * started its connectors.
 */
final class TomcatAdoptionCheck implements ApplicationListener<ContextRefreshedEvent>, ApplicationContextAware {

    private volatile boolean started;
    private ApplicationContext context;

    /** Told by the adoption when a connector has made its pool. */
    void started() {
        this.started = true;
    }

    @Override
    public void setApplicationContext(ApplicationContext context) throws BeansException {
        this.context = context;
    }

    @Override
    public void onApplicationEvent(ContextRefreshedEvent event) {
        // a child context's refresh (a management server) reaches this listener too: only this context's counts
        if (event.getApplicationContext() == this.context && !this.started) {
            throw new InvalidSpoolConfigurationException(List.of(new Problem(AdoptedPool.TOMCAT.key(),
                    "is true, but this application started no embedded Tomcat whose request pool Spool could adopt",
                    "run the application as a web application on Tomcat (spring-boot-starter-tomcat, Boot's"
                            + " default server), or remove the key")));
        }
    }
}
