package dev.spool.futures;

/**
 * What a {@link ThreadPool} with a bounded queue does with a task that finds the queue full.
 * Whatever the policy, the task is counted once, and no caller waits forever on its future.
 *
 * <p>{@code execute(Runnable)} returns no future, so under {@link #DISCARD} and {@link #DISCARD_OLDEST} a task it
 * handed in is dropped with nobody told, as with the JDK's {@code DiscardPolicy}. If that {@code Runnable} is itself
 * a {@link java.util.concurrent.Future} (a {@code FutureTask}, as adapters such as Spring's {@code TaskExecutorAdapter}
 * make), it is cancelled. But {@code CompletableFuture.supplyAsync(..., pool)}, and Spring {@code @Async} methods
 * that return a {@code CompletableFuture} (Spring runs them through {@code execute}), hide their future where the
 * pool cannot reach it: a dropped one never completes. Give pools behind them {@link #ABORT} or {@link #CALLER_RUNS}.
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
