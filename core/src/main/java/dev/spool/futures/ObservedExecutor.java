package dev.spool.futures;

import java.util.List;

import dev.spool.stats.DurationHistogram;

/**
 * The read side of an executor: what meters, the {@code executors} endpoint, health and alerts read. A
 * {@link ManagedExecutor} (Spool's own pools) is one; an {@link AdoptedExecutor} (a pool Spool observes but does not
 * run, such as Spring Boot's {@code applicationTaskExecutor}) is the other, so both are observed by the same code.
 *
 * <p>Every method is a cheap read that never blocks the executor.
 */
public interface ObservedExecutor {

    /** @return the executor's name: its bean name in Spring, the {@code name} tag of its meters */
    String name();

    /** @return thread, virtual or process: the {@code type} tag of its meters */
    ExecutorType type();

    /** @return a snapshot of the executor's statistics */
    ExecutorStats stats();

    /**
     * The live distribution of queue waits (submit to start) of every task that started, since the executor was
     * built. The same object on every call; it keeps growing and is never reset. Read it (counts, snapshots,
     * percentiles); do not record into it: only the executor does.
     *
     * @return the executor's own histogram
     */
    DurationHistogram queueWaitHistogram();

    /**
     * The live distribution of execution times (start to end) of every task that ran, since the executor was built.
     * Same rules as {@link #queueWaitHistogram()}.
     *
     * @return the executor's own histogram
     */
    DurationHistogram executionHistogram();

    /**
     * The live distribution of latencies (submit to done: what a caller waiting on the future sees) of the tasks
     * that ended with {@code outcome}, since the executor was built; its count is the number of such tasks. Merge
     * the four snapshots ({@link DurationHistogram.Snapshot#plus}) for every task. Same rules as
     * {@link #queueWaitHistogram()}.
     *
     * @param outcome success, failure, cancelled or rejected
     * @return the executor's own histogram for that outcome
     */
    DurationHistogram latencyHistogram(TaskOutcome outcome);

    /**
     * The tasks running now, sorted by worker: which worker, what task, since when, whether past the run-timeout.
     * Reading it costs the pool nothing but the read. An executor that cannot tell returns an empty list.
     *
     * @param withStacks also take each worker thread's stack (a thread dump of those threads: use it on demand, not
     *                   on every scrape); process pools have no stacks to give
     * @return the running tasks
     */
    default List<RunningTask> runningTasks(boolean withStacks) {
        return List.of();
    }

    /** @return the run-timeout and queue-timeout, and what they caught; {@link TimeoutStats#NONE} without them */
    default TimeoutStats timeoutStats() {
        return TimeoutStats.NONE;
    }
}
