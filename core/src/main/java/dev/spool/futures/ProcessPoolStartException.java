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
    private final String setting;

    /**
     * @param poolName the pool's name
     * @param setting  the setting that decides how workers start, as messages name it (for example
     *                 {@code spool.executors.cpu.jvm-options (ProcessPool.Builder.jvmOptions)})
     * @param message  why its workers did not start, and what to do
     * @param cause    the underlying failure, may be null
     */
    public ProcessPoolStartException(String poolName, String setting, String message, Throwable cause) {
        super(message, cause);
        this.poolName = poolName;
        this.setting = setting;
    }

    /** @return the name of the pool whose workers did not start */
    public String poolName() {
        return poolName;
    }

    /** @return the setting to look at: the worker JVM options (or the custom command, when one is set) */
    public String setting() {
        return setting;
    }
}
