package dev.spool.futures;

/**
 * A {@link ProcessPool} broke because a worker JVM died or could not be trusted: Python's
 * {@code BrokenProcessPool}. The message names the worker's pid, its exit code or signal and the last lines it
 * wrote to stderr.
 */
public class BrokenProcessPoolException extends BrokenExecutorException {
    private static final long serialVersionUID = 1L;

    /** @param message what happened to which worker */
    public BrokenProcessPoolException(String message) {
        super(message);
    }

    /**
     * @param message what happened to which worker
     * @param cause   the underlying failure, may be null
     */
    public BrokenProcessPoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
