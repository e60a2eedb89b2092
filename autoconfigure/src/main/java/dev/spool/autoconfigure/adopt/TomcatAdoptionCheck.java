package dev.spool.autoconfigure.adopt;

import java.util.List;

import dev.spool.autoconfigure.InvalidSpoolConfigurationException;
import dev.spool.autoconfigure.InvalidSpoolConfigurationException.Problem;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.BeansException;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.util.ClassUtils;

/**
 * Checks {@code spool.adopt.tomcat} once the context is refreshed, after the web server has started its connectors:
 * <ul>
 *   <li>the request pool was adopted: nothing to say;</li>
 *   <li>the context started a web server, but no Tomcat whose pool Spool adopted (another server, or Tomcat missing
 *       from the class path): start-up stops, naming the key, since the pool the key asks for would go unseen;</li>
 *   <li>the context started no web server at all (a test in Boot's mock web environment, or
 *       {@code spring.main.web-application-type=none}): one INFO line. The same {@code application.yml} serves the
 *       application and its tests, and a test without a server has no request pool to miss.</li>
 * </ul>
 * It has no Tomcat type of its own, so that it is there even when Tomcat is not.
 */
final class TomcatAdoptionCheck implements ApplicationListener<ContextRefreshedEvent>, ApplicationContextAware {

    private static final Log LOG = LogFactory.getLog(TomcatAdoptionCheck.class);
    private static final boolean WEB_SERVER_PRESENT = ClassUtils.isPresent(
            "org.springframework.boot.web.server.context.WebServerApplicationContext",
            TomcatAdoptionCheck.class.getClassLoader());

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
        if (event.getApplicationContext() != this.context || this.started) {
            return;
        }
        if (!WEB_SERVER_PRESENT || !WebServers.started(this.context)) {
            LOG.info(AdoptedPool.TOMCAT.key() + " is true, but this context started no web server (a test in a mock web"
                    + " environment, or a run without one): there is no request pool to adopt");
            return;
        }
        throw new InvalidSpoolConfigurationException(List.of(new Problem(AdoptedPool.TOMCAT.key(),
                "is true, but the web server this application started is not an embedded Tomcat whose request pool"
                        + " Spool could adopt",
                "run the application on Tomcat (spring-boot-starter-tomcat, Boot's default server), or remove the"
                        + " key")));
    }

    /** Loaded only when Boot's web-server module is on the class path. */
    private static final class WebServers {
        static boolean started(ApplicationContext context) {
            return context instanceof WebServerApplicationContext server && server.getWebServer() != null;
        }
    }
}
