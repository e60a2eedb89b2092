package dev.spool.futures;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A {@link Callable} that is also {@link Serializable}, so a lambda or method reference written against it can
 * travel to a {@link ProcessPool} worker. Prefer a method reference to a static method, or a record, to a lambda
 * that captures state: everything it captures must be serializable too.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface SerializableCallable<T> extends Callable<T>, Serializable {
}
