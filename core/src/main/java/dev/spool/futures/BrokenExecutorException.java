package dev.spool.futures;

import java.util.concurrent.RejectedExecutionException;

/**
 * The executor is broken and will not run anything again: Python's {@code BrokenExecutor}.
 *
 * <p>A pool breaks when a worker cannot be trusted any more (a thread initializer failed, a worker process died).
 * Every future that was pending or running then fails with a new instance of this exception (one per future, so
 * stack traces do not pile up), and every later {@code submit} throws it. It extends
 * {@link RejectedExecutionException} so that code written against {@link java.util.concurrent.ExecutorService}
 * treats it as a rejection.
 */
public class BrokenExecutorException extends RejectedExecutionException {
    private static final long serialVersionUID = 1L;

    /** @param message why the executor broke */
    public BrokenExecutorException(String message) {
        super(message);
    }

    /**
     * @param message why the executor broke
     * @param cause   what broke it (an initializer's exception, a worker's exit), may be null
     */
    public BrokenExecutorException(String message, Throwable cause) {
        super(message, cause);
    }
}
