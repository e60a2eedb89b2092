package dev.spool.futures;

/**
 * A snapshot of an executor's counters, levels and latencies, as {@link ManagedExecutor#stats()} returns it. Meters
 * and actuator endpoints read these numbers; nothing here is reset.
 *
 * <p>Every submitted task ends up in exactly one of completed, failed, cancelled or rejected, so at any quiet moment
 * (nothing being submitted, started or ended right then):
 * {@code submitted == completed + failed + cancelled + rejected + queued + active}.
 * Counters are read one by one while tasks run, so a snapshot taken under load can be off by the tasks that moved
 * while it was taken. The two levels stay true bounds all the same: {@code queued} and {@code active} are never below
 * zero and never above what was there at one instant of the read, so {@code queued} never exceeds the queue capacity
 * and {@code active} never exceeds the workers that could be running (a {@code CALLER_RUNS} task running in its
 * submitter's thread counts as active too).
 *
 * @param state         running, shut down or broken
 * @param maxWorkers    the worker limit ({@link Integer#MAX_VALUE} for an unlimited virtual pool)
 * @param poolSize      workers alive now (threads, or worker processes)
 * @param active        tasks running now (a task cancelled with {@code cancel(true)} stops counting at once)
 * @param queued        tasks accepted and waiting with no worker for them (a thread pool bounds it by its control
 *                      word, exact at one instant)
 * @param queueCapacity the queue's limit ({@link Integer#MAX_VALUE} when unbounded)
 * @param submitted     every task handed to {@code submit}/{@code execute}/{@code map}, rejected ones included
 * @param completed     tasks that returned normally
 * @param failed        tasks that threw, or were failed by a broken pool
 * @param cancelled     tasks cancelled before they started, or while running with {@code cancel(true)}
 * @param rejected      tasks the pool refused or dropped (see {@link RejectionPolicy})
 * @param queueWait     submit to start, over the tasks that started
 * @param execution     start to end, over the tasks that ran
 * @param latency       submit to done, over every task that ended: what a caller waiting on the future sees
 */
public record ExecutorStats(
        ExecutorState state,
        int maxWorkers,
        int poolSize,
        int active,
        int queued,
        int queueCapacity,
        long submitted,
        long completed,
        long failed,
        long cancelled,
        long rejected,
        Latency queueWait,
        Latency execution,
        Latency latency) {

    /** @return tasks that ran to an end, normally or not: what Micrometer's {@code executor.completed} counts */
    public long finished() {
        return completed + failed;
    }

    /** @return free queue slots ({@code queueCapacity - queued}) */
    public int queueRemaining() {
        return queueCapacity == Integer.MAX_VALUE ? Integer.MAX_VALUE : Math.max(0, queueCapacity - queued);
    }

    /**
     * Count, sum and maximum of one kind of duration, in nanoseconds, since the executor was built.
     *
     * @param count      how many durations were recorded
     * @param totalNanos their sum
     * @param maxNanos   the longest one
     */
    public record Latency(long count, long totalNanos, long maxNanos) {
        /** No durations recorded. */
        public static final Latency NONE = new Latency(0, 0, 0);

        /** @return the mean duration in nanoseconds, 0 when none was recorded */
        public double meanNanos() {
            return count == 0 ? 0.0 : (double) totalNanos / count;
        }
    }
}
