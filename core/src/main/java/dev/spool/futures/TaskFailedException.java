package dev.spool.futures;

/**
 * The task behind a future ended with an exception; {@link #getCause()} is exactly that exception, the
 * object {@link TaskFuture#exception()} returns.
 *
 * <p>Python re-raises the task's own exception from {@code result()}; Java cannot re-throw a checked exception
 * unchanged, so {@link TaskFuture#result()} wraps it in this unchecked exception instead (a new instance per
 * call, so its stack trace shows where the caller waited). The JDK method {@link TaskFuture#get()} throws an
 * {@link java.util.concurrent.ExecutionException} with the same cause.
 */
public class TaskFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param cause the task's exception, never null */
    public TaskFailedException(Throwable cause) {
        super("task failed: " + cause, cause);
    }
}
