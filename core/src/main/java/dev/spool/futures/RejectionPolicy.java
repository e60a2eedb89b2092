package dev.spool.futures;

/**
 * What a {@link ThreadPool} with a bounded queue does with a task that finds the queue full.
 * Whatever the policy, the task is counted once, and no caller waits forever on its future.
 */
public enum RejectionPolicy {
    /** {@code submit} throws {@link java.util.concurrent.RejectedExecutionException}; counted as rejected. */
    ABORT,
    /** The submitting thread runs the task itself before {@code submit} returns (back-pressure). */
    CALLER_RUNS,
    /** The new task is dropped: its future is returned already cancelled; counted as rejected. */
    DISCARD,
    /** The oldest queued task is dropped (its future ends cancelled, counted as rejected) and the new one queued. */
    DISCARD_OLDEST
}
