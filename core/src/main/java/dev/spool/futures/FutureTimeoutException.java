package dev.spool.futures;

/**
 * A wait on a future (or on a group of futures) ran out of time: Python's {@code TimeoutError}.
 *
 * <p>Thrown by {@link TaskFuture#result(java.time.Duration)}, {@link TaskFuture#exception(java.time.Duration)},
 * by the iterator of {@link Futures#asCompleted} once its overall deadline has passed (the message then says
 * {@code "k (of n) futures unfinished"}), and by the stream of {@link ManagedExecutor#map} at the item whose
 * result was not ready in time. The task itself is not affected by the timeout.
 */
public class FutureTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what timed out */
    public FutureTimeoutException(String message) {
        super(message);
    }
}
