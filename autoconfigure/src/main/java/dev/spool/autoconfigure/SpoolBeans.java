package dev.spool.autoconfigure;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.spool.futures.AdoptedExecutor;
import dev.spool.futures.ManagedExecutor;
import dev.spool.futures.ObservedExecutor;
import dev.spool.threading.Barrier;
import dev.spool.threading.Condition;
import dev.spool.threading.Event;
import dev.spool.threading.Semaphore;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Where the Spool beans of a context are, by {@link SpoolKind}: the one lookup that meters, endpoints and health read.
 * It has two views.
 *
 * <ul>
 *   <li><b>Configured</b> ({@link #names}, {@link #beans}, {@link #executors()} and the other per-kind methods): the
 *       names {@code spool.*} configures, under the kind that configured them, in configuration order. The bean under
 *       a name is the one the context holds: Spool's own, or the application's bean of the same name (for which Spool
 *       backed off) when it is of the kind's type; a bean of another type is left out. Asking for a kind creates its
 *       beans if they are lazy and not created yet.</li>
 *   <li><b>Live</b> ({@link #live}, {@link #find}): every singleton of the kind's Spool classes that has been created,
 *       configured by {@code spool.*} or the application's own, in the order their definitions were registered. A
 *       lazy bean is left out until the application first uses it: looking it up would create it (a process pool
 *       with {@code prestart} would start its worker JVMs because a health probe ran), and a prototype has no
 *       instance to show.</li>
 * </ul>
 * The maps returned are new on every call and unmodifiable.
 */
public final class SpoolBeans {

    private final ConfigurableListableBeanFactory beanFactory;
    private final Map<SpoolKind, List<String>> names;

    SpoolBeans(ConfigurableListableBeanFactory beanFactory, Map<SpoolKind, List<String>> names) {
        this.beanFactory = beanFactory;
        Map<SpoolKind, List<String>> copy = new EnumMap<>(SpoolKind.class);
        for (SpoolKind kind : SpoolKind.values()) {
            copy.put(kind, List.copyOf(names.getOrDefault(kind, List.of())));
        }
        this.names = Collections.unmodifiableMap(copy);
    }

    /**
     * The lookup of a context: its {@code SpoolBeans} bean, or, in a context without Spool's auto-configuration, one
     * that knows no configured names and sees the live beans all the same.
     *
     * @param beanFactory the context's bean factory
     * @return the lookup
     */
    public static SpoolBeans of(ConfigurableListableBeanFactory beanFactory) {
        return beanFactory.getBeanProvider(SpoolBeans.class)
                .getIfAvailable(() -> new SpoolBeans(beanFactory, Map.of()));
    }

    // ---------------------------------------------------------------------------------------------- configured

    /**
     * @param kind a kind
     * @return the names {@code spool.*} configures for it, in configuration order
     */
    public List<String> names(SpoolKind kind) {
        return this.names.get(kind);
    }

    /**
     * @param kind a kind
     * @return name to bean, for each name of the kind whose bean has the kind's type
     */
    public Map<String, Object> beans(SpoolKind kind) {
        return beans(kind, Object.class);
    }

    /** @return the executors by name: {@code ThreadPool} and {@code ProcessPool} beans */
    public Map<String, ManagedExecutor> executors() {
        return beans(SpoolKind.EXECUTOR, ManagedExecutor.class);
    }

    /** @return the locks by name: {@code Lock} and {@code RLock} beans */
    public Map<String, java.util.concurrent.locks.Lock> locks() {
        return beans(SpoolKind.LOCK, java.util.concurrent.locks.Lock.class);
    }

    /** @return the semaphores by name: {@code Semaphore} and {@code BoundedSemaphore} beans */
    public Map<String, Semaphore> semaphores() {
        return beans(SpoolKind.SEMAPHORE, Semaphore.class);
    }

    /** @return the events by name */
    public Map<String, Event> events() {
        return beans(SpoolKind.EVENT, Event.class);
    }

    /** @return the barriers by name */
    public Map<String, Barrier> barriers() {
        return beans(SpoolKind.BARRIER, Barrier.class);
    }

    /** @return the conditions by name */
    public Map<String, Condition> conditions() {
        return beans(SpoolKind.CONDITION, Condition.class);
    }

    private <T> Map<String, T> beans(SpoolKind kind, Class<T> type) {
        Map<String, T> beans = new LinkedHashMap<>();
        for (String name : this.names.get(kind)) {
            if (this.beanFactory.containsBean(name) && this.beanFactory.isTypeMatch(name, kind.type())) {
                beans.put(name, this.beanFactory.getBean(name, type));
            }
        }
        return Collections.unmodifiableMap(beans);
    }

    // ---------------------------------------------------------------------------------------------------- live

    /**
     * @param kind a kind
     * @return bean name to bean, for every created singleton of one of the kind's {@link SpoolKind#spoolTypes() Spool
     * classes} (so a {@code java.util.concurrent} lock that is not Spool's is not a {@link SpoolKind#LOCK})
     */
    public Map<String, Object> live(SpoolKind kind) {
        return live(kind, Object.class);
    }

    /**
     * @param kind a kind
     * @param as   a type every Spool class of the kind has
     * @param <T>  that type
     * @return as {@link #live(SpoolKind)}, typed
     */
    public <T> Map<String, T> live(SpoolKind kind, Class<T> as) {
        Map<String, T> beans = new LinkedHashMap<>();
        for (String name : this.beanFactory.getBeanNamesForType(kind.type(), false, false)) {
            if (this.beanFactory.containsSingleton(name)) {
                Object bean = this.beanFactory.getBean(name);
                if (kind.isSpool(bean)) {
                    beans.put(name, as.cast(bean));
                }
            }
        }
        return Collections.unmodifiableMap(beans);
    }

    /**
     * @param kind a kind
     * @param name a bean name
     * @param as   a type every Spool class of the kind has
     * @param <T>  that type
     * @return the live bean of that kind and name, null if there is none
     */
    public <T> @Nullable T find(SpoolKind kind, String name, Class<T> as) {
        return live(kind, as).get(name);
    }

    /**
     * Every executor the context observes: the {@linkplain #live live} Spool executors by bean name, then the pools
     * Spool adopted ({@code spool.adopt.*}: {@link AdoptedExecutor} singletons) by their {@link AdoptedExecutor#name()
     * name}. What meters, the {@code executors} endpoint, health and alerts read.
     *
     * @return name to executor
     */
    public Map<String, ObservedExecutor> observedExecutors() {
        Map<String, ObservedExecutor> executors = new LinkedHashMap<>(live(SpoolKind.EXECUTOR, ObservedExecutor.class));
        for (String name : this.beanFactory.getBeanNamesForType(AdoptedExecutor.class, false, false)) {
            if (this.beanFactory.containsSingleton(name)) {
                AdoptedExecutor adopted = this.beanFactory.getBean(name, AdoptedExecutor.class);
                executors.putIfAbsent(adopted.name(), adopted); // a start-up check keeps the names apart
            }
        }
        return Collections.unmodifiableMap(executors);
    }

    /**
     * @param name an executor's name, as {@link #observedExecutors()} keys it
     * @return that executor, null if there is none
     */
    public @Nullable ObservedExecutor findObserved(String name) {
        return observedExecutors().get(name);
    }

    @Override
    public String toString() {
        return "SpoolBeans" + this.names;
    }
}
