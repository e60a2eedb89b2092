package dev.spool.autoconfigure;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.spool.futures.ManagedExecutor;
import dev.spool.threading.Barrier;
import dev.spool.threading.Condition;
import dev.spool.threading.Event;
import dev.spool.threading.Semaphore;
import org.springframework.beans.factory.BeanFactory;

/**
 * The executors and primitives that {@code spool.*} names, by kind: what meters, endpoints and health read to find
 * every Spool bean. A name appears under the kind that configured it, in configuration order. The bean under a name
 * is the one the context holds: Spool's own, or the application's bean of the same name (for which Spool backed off)
 * when it is of the kind's type; a bean of another type is left out.
 *
 * <p>Asking for a kind creates its beans if they are lazy and not created yet. The maps returned are new on every
 * call and unmodifiable.
 */
public final class SpoolBeans {

    /** A kind of Spool bean, with the type its beans have. */
    public enum Kind {
        /** {@code spool.executors}: {@link ManagedExecutor} ({@code ThreadPool} or {@code ProcessPool}). */
        EXECUTOR(ManagedExecutor.class),
        /** {@code spool.locks}: {@link java.util.concurrent.locks.Lock} ({@code Lock} or {@code RLock}). */
        LOCK(java.util.concurrent.locks.Lock.class),
        /** {@code spool.semaphores}: {@link Semaphore} (or {@code BoundedSemaphore}). */
        SEMAPHORE(Semaphore.class),
        /** {@code spool.events}: {@link Event}. */
        EVENT(Event.class),
        /** {@code spool.barriers}: {@link Barrier}. */
        BARRIER(Barrier.class),
        /** {@code spool.conditions}: {@link Condition}. */
        CONDITION(Condition.class);

        private final Class<?> type;

        Kind(Class<?> type) {
            this.type = type;
        }

        /** @return the type every bean of this kind has */
        public Class<?> type() {
            return this.type;
        }
    }

    private final BeanFactory beanFactory;
    private final Map<Kind, List<String>> names;

    SpoolBeans(BeanFactory beanFactory, Map<Kind, List<String>> names) {
        this.beanFactory = beanFactory;
        Map<Kind, List<String>> copy = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            copy.put(kind, List.copyOf(names.getOrDefault(kind, List.of())));
        }
        this.names = Collections.unmodifiableMap(copy);
    }

    /**
     * @param kind a kind
     * @return the names {@code spool.*} configures for it, in configuration order
     */
    public List<String> names(Kind kind) {
        return this.names.get(kind);
    }

    /**
     * @param kind a kind
     * @return name to bean, for each name of the kind whose bean has the kind's type
     */
    public Map<String, Object> beans(Kind kind) {
        return beans(kind, Object.class);
    }

    /** @return the executors by name: {@code ThreadPool} and {@code ProcessPool} beans */
    public Map<String, ManagedExecutor> executors() {
        return beans(Kind.EXECUTOR, ManagedExecutor.class);
    }

    /** @return the locks by name: {@code Lock} and {@code RLock} beans */
    public Map<String, java.util.concurrent.locks.Lock> locks() {
        return beans(Kind.LOCK, java.util.concurrent.locks.Lock.class);
    }

    /** @return the semaphores by name: {@code Semaphore} and {@code BoundedSemaphore} beans */
    public Map<String, Semaphore> semaphores() {
        return beans(Kind.SEMAPHORE, Semaphore.class);
    }

    /** @return the events by name */
    public Map<String, Event> events() {
        return beans(Kind.EVENT, Event.class);
    }

    /** @return the barriers by name */
    public Map<String, Barrier> barriers() {
        return beans(Kind.BARRIER, Barrier.class);
    }

    /** @return the conditions by name */
    public Map<String, Condition> conditions() {
        return beans(Kind.CONDITION, Condition.class);
    }

    private <T> Map<String, T> beans(Kind kind, Class<T> type) {
        Map<String, T> beans = new LinkedHashMap<>();
        for (String name : this.names.get(kind)) {
            if (this.beanFactory.containsBean(name) && this.beanFactory.isTypeMatch(name, kind.type())) {
                beans.put(name, this.beanFactory.getBean(name, type));
            }
        }
        return Collections.unmodifiableMap(beans);
    }

    @Override
    public String toString() {
        return "SpoolBeans" + this.names;
    }
}
