package dev.spool.autoconfigure.metrics;

import java.util.ArrayList;
import java.util.List;

import dev.spool.autoconfigure.SpoolBeans;
import dev.spool.autoconfigure.SpoolKind;
import dev.spool.futures.AdoptedExecutor;
import dev.spool.metrics.SpoolMetrics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Binds every Spool executor and primitive the context holds to the application's {@code MeterRegistry}, through the
 * {@link SpoolMetrics} bean: the ones {@code spool.*} configures, the application's own beans of Spool types, lazy
 * beans when they are first created, and beans of a prototype or custom scope as each instance is made. What counts
 * as a Spool bean is what {@link SpoolKind} lists, and the pools Spool adopts ({@link AdoptedExecutor} beans); the
 * meters of each are core's.
 *
 * <p>Like Boot's own {@code MeterRegistryPostProcessor}, it binds nothing while the context is still creating its
 * singletons: it remembers the Spool beans initialized until then and binds them once every singleton exists. Binding
 * earlier would create the {@code MeterRegistry} (and whatever it depends on) from inside the creation of an
 * unrelated bean, where a cycle or a half-configured registry is possible. After that point each new Spool bean is
 * bound as soon as it is initialized. Beans created before this post-processor was registered (a Spool bean that
 * another post-processor needs) never pass through it, so the singletons that exist at the end of start-up are
 * looked up as well.
 *
 * <p>Binding is idempotent and meters follow the source's name (see {@code TimerFeed}), so a bean seen twice is
 * bound once. Meters leave the registry when their source is garbage-collected; nothing is unbound at shutdown, so the
 * registry's last publication still sees them.
 */
public final class SpoolMeterBindingPostProcessor implements BeanPostProcessor, SmartInitializingSingleton,
        BeanFactoryAware {

    private static final Log logger = LogFactory.getLog(SpoolMeterBindingPostProcessor.class);

    private final ObjectProvider<SpoolMetrics> metrics;
    private final Object monitor = new Object();
    /** Spool beans initialized before the singletons were all created. Guarded by {@link #monitor}. */
    private @Nullable List<Object> deferred = new ArrayList<>();
    private @Nullable ConfigurableListableBeanFactory beanFactory;

    /**
     * Makes the post-processor; it binds nothing until the context's singletons exist.
     *
     * @param metrics the binder to use, resolved only when the first binding happens
     */
    public SpoolMeterBindingPostProcessor(ObjectProvider<SpoolMetrics> metrics) {
        this.metrics = metrics;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        // what SpoolMetrics#bind accepts; a bean of another type is left alone
        if (SpoolKind.of(bean) != null || bean instanceof AdoptedExecutor) {
            synchronized (this.monitor) {
                if (this.deferred != null) {
                    this.deferred.add(bean);
                    return bean;
                }
            }
            bind(bean, beanName);
        }
        return bean;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<Object> beans;
        synchronized (this.monitor) {
            beans = this.deferred != null ? this.deferred : List.of();
            this.deferred = null;
        }
        for (Object bean : beans) {
            bind(bean, null);
        }
        if (this.beanFactory != null) {
            SpoolBeans spoolBeans = SpoolBeans.of(this.beanFactory);
            for (SpoolKind kind : SpoolKind.values()) {
                // Only singletons that exist already: looking a lazy one up would create it.
                spoolBeans.live(kind).forEach((name, bean) -> bind(bean, name));
            }
            spoolBeans.observedExecutors().forEach((name, executor) -> bind(executor, name)); // adopted pools
        }
    }

    private void bind(Object bean, @Nullable String beanName) {
        try {
            this.metrics.getObject().bind(bean);
        } catch (IllegalStateException closed) {
            // The context is closing and the replay has stopped: a lazy bean created now needs no meters.
            logger.debug("Spool did not bind the meters of " + (beanName != null ? "bean '" + beanName + "'" : bean)
                    + ": " + closed.getMessage());
        }
    }
}
