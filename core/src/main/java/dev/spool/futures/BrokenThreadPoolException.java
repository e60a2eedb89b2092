package dev.spool.futures;

/**
 * A {@link ThreadPool} broke because a worker's initializer threw: Python's {@code BrokenThreadPool}.
 * The initializer's exception is the cause.
 */
public class BrokenThreadPoolException extends BrokenExecutorException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message why the pool broke
     * @param cause   the initializer's exception
     */
    public BrokenThreadPoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
