package dev.spool.futures;

/**
 * The worker JVMs of a {@link ProcessPool} could not start: thrown by {@link ProcessPool#awaitReady}. The message
 * quotes what the worker JVM printed (for example {@code Unrecognized VM option 'NoSuchOption'}) and names the
 * setting to fix ({@code spool.executors.<name>.jvm-options} when the pool came from configuration). The pool is
 * broken: as any {@link BrokenProcessPoolException}, its {@code submit} throws from then on.
 */
public class ProcessPoolStartException extends BrokenProcessPoolException {
    private static final long serialVersionUID = 1L;
    private final String poolName;

    /**
     * @param poolName the pool's name
     * @param message  why its workers did not start, and what to do
     * @param cause    the underlying failure, may be null
     */
    public ProcessPoolStartException(String poolName, String message, Throwable cause) {
        super(message, cause);
        this.poolName = poolName;
    }

    /** @return the name of the pool whose workers did not start */
    public String poolName() {
        return poolName;
    }
}
