package dev.spool.autoconfigure.actuate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.spool.futures.ManagedExecutor;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * The Spool executors and primitives that exist in a context now, by bean name: what the endpoints and the health
 * indicator show. It covers the beans {@code spool.*} configures and the application's own beans of Spool types
 * alike, in the order their definitions were registered.
 *
 * <p>Only singletons that have been created are returned: looking up a lazy bean would create it (a process pool
 * with {@code prestart} would start its worker JVMs because a health probe ran), and a prototype has no instance to
 * show. A lazy bean appears once the application first uses it.
 */
final class LiveSpoolBeans {

    private final ConfigurableListableBeanFactory beanFactory;

    LiveSpoolBeans(ConfigurableListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    /** @return the executors: thread, virtual and process pools, and any other {@link ManagedExecutor} bean */
    Map<String, ManagedExecutor> executors() {
        return of(ManagedExecutor.class);
    }

    /**
     * @param type a Spool type, or a supertype of several (the starter's locks are {@code java.util.concurrent.locks.Lock}s)
     * @param <T>  that type
     * @return bean name to bean, for every created singleton of that type
     */
    <T> Map<String, T> of(Class<T> type) {
        Map<String, T> beans = new LinkedHashMap<>();
        for (String name : this.beanFactory.getBeanNamesForType(type, false, false)) {
            if (this.beanFactory.containsSingleton(name)) {
                beans.put(name, this.beanFactory.getBean(name, type));
            }
        }
        return Collections.unmodifiableMap(beans);
    }

    /**
     * @param name a bean name
     * @param type the type it must have
     * @param <T>  that type
     * @return the bean, or null if there is no created singleton of that name and type
     */
    <T> @Nullable T find(String name, Class<T> type) {
        return of(type).get(name);
    }
}
