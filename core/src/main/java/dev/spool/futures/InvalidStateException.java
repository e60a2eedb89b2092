package dev.spool.futures;

/**
 * An operation found a {@link TaskFuture} in a state that does not allow it: Python's {@code InvalidStateError}.
 *
 * <p>{@link TaskFuture#setResult} and {@link TaskFuture#setException} throw it when the future is already done
 * (finished or cancelled); {@link TaskFuture#setRunningOrNotifyCancel()} throws it when the future is neither
 * pending nor cancelled. The message starts with the state, as Python's does: {@code "FINISHED: TaskFuture@…"}.
 */
public class InvalidStateException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message the state and the future */
    public InvalidStateException(String message) {
        super(message);
    }
}
