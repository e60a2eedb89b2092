package dev.spool.futures;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The JDK 25 half of {@link ScopedValues}, in {@code META-INF/versions/25} of spool-core's multi-release jar: a
 * task decorator that reads, in the submitting thread, the value each declared {@link ScopedValue} is bound to, and
 * binds the same values around the task in the thread that runs it ({@link ScopedValue#where}, then
 * {@link ScopedValue.Carrier#run}). A pool thread does not inherit scoped values (only a
 * {@code StructuredTaskScope}'s forks do), so this is what makes them follow a task.
 */
final class ScopedValueCarrier {
    /**
     * @return whether this class can carry bindings: this one can. A method, not a constant: javac would copy
     * a constant into {@link ScopedValues}, which is compiled against the JDK 21 half
     */
    static boolean supported() {
        return true;
    }

    private ScopedValueCarrier() {
    }

    /**
     * @throws IllegalArgumentException if there is none, or one is not a {@link ScopedValue}
     * @throws NullPointerException     if one is null
     */
    static UnaryOperator<Runnable> of(Object[] scopedValues) {
        Objects.requireNonNull(scopedValues, "scopedValues");
        if (scopedValues.length == 0) {
            throw new IllegalArgumentException("name at least one ScopedValue to carry");
        }
        ScopedValue<?>[] keys = new ScopedValue<?>[scopedValues.length];
        for (int i = 0; i < scopedValues.length; i++) {
            Object value = Objects.requireNonNull(scopedValues[i], "scopedValues[" + i + "]");
            if (!(value instanceof ScopedValue<?> key)) {
                throw new IllegalArgumentException("scopedValues[" + i + "] is a " + value.getClass().getName()
                        + ", not a java.lang.ScopedValue: pass the ScopedValue objects themselves (the static final"
                        + " fields the application binds with ScopedValue.where)");
            }
            keys[i] = key;
        }
        return task -> wrap(keys, task);
    }

    /** In the submitting thread: the bindings it has now, to be bound again around the task. */
    private static Runnable wrap(ScopedValue<?>[] keys, Runnable task) {
        ScopedValue.Carrier bindings = null;
        for (ScopedValue<?> key : keys) {
            if (key.isBound()) { // one not bound at submit stays unbound: a pool thread has no binding of its own
                bindings = bind(bindings, key);
            }
        }
        if (bindings == null) {
            return task;
        }
        ScopedValue.Carrier carrier = bindings;
        return () -> carrier.run(task);
    }

    private static <T> ScopedValue.Carrier bind(ScopedValue.Carrier bindings, ScopedValue<T> key) {
        T value = key.get();
        return bindings == null ? ScopedValue.where(key, value) : bindings.where(key, value);
    }
}
