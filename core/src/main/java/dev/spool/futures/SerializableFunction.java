package dev.spool.futures;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@link Function} that is also {@link Serializable}: what {@link ProcessPool#map} sends to its workers. It is a
 * {@link CheckedFunction} that throws no checked exception, so that a lambda passed to {@code ProcessPool.map} has
 * one most specific target (this type) among {@code map}'s overloads.
 *
 * @param <T> the input type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends CheckedFunction<T, R>, Serializable {

    @Override
    R apply(T t);

    /** {@link #apply}: this function throws no checked exception. */
    @Override
    default R applyChecked(T t) {
        return apply(t);
    }
}
