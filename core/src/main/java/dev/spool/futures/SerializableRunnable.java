package dev.spool.futures;

import java.io.Serializable;

/** A {@link Runnable} that is also {@link Serializable}: a {@link ProcessPool} task or worker initializer. */
@FunctionalInterface
public interface SerializableRunnable extends Runnable, Serializable {
}
