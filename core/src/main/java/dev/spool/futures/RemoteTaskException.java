package dev.spool.futures;

/**
 * A {@link ProcessPool} task threw an exception that could not travel back to this JVM as itself: its class is not
 * serializable, one of the objects it holds is not, or this JVM refused or could not find its class (see the pool's
 * serialization filter). This exception stands in for it, as Python's {@code _RemoteTraceback} does: it carries the
 * remote exception's class name, message and stack trace text, and its {@link #getStackTrace()} and
 * {@link #getCause()} mirror the remote ones (causes that could not cross are themselves
 * {@code RemoteTaskException}s).
 *
 * <p>Exceptions that can cross arrive as themselves, with the stack trace they had in the worker.
 */
public class RemoteTaskException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String remoteClassName;
    private final String remoteMessage;
    private final String remoteStackTrace;

    /**
     * @param remoteClassName  the class of the exception in the worker, e.g. {@code com.acme.ParseException}
     * @param remoteMessage    its message, may be null
     * @param remoteStackTrace its stack trace as {@link Throwable#printStackTrace()} printed it in the worker,
     *                         causes included
     */
    public RemoteTaskException(String remoteClassName, String remoteMessage, String remoteStackTrace) {
        super(remoteMessage == null ? remoteClassName : remoteClassName + ": " + remoteMessage);
        this.remoteClassName = remoteClassName;
        this.remoteMessage = remoteMessage;
        this.remoteStackTrace = remoteStackTrace == null ? "" : remoteStackTrace;
    }

    /** @return the fully qualified class name of the exception the task threw */
    public String remoteClassName() {
        return remoteClassName;
    }

    /** @return the message of the exception the task threw, or null if it had none */
    public String remoteMessage() {
        return remoteMessage;
    }

    /** @return the worker's {@code printStackTrace()} text of the exception the task threw, causes included */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }
}
