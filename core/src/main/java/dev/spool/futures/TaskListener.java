package dev.spool.futures;

/**
 * Told about every task an executor ends, for instance to feed latency timers
 * ({@code dev.spool.metrics} installs one).
 *
 * <p>{@link #taskEnded} runs once per task, in the thread that ends it (usually the worker), after the future's
 * outcome and end stamp are recorded and before any caller can see the future done. The future's
 * {@link TaskFuture#submittedNanos()}, {@link TaskFuture#startedNanos()} (0 if it never started) and
 * {@link TaskFuture#endedNanos()} are set. It sits on every task's path: keep it short, never block, never call
 * back into the executor. An exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface TaskListener {
    /**
     * @param future  the task's future, ending now
     * @param outcome how it ended
     */
    void taskEnded(TaskFuture<?> future, TaskOutcome outcome);
}
