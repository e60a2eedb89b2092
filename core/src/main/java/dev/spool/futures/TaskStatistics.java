package dev.spool.futures;

import java.util.Arrays;
import java.util.Objects;

import dev.spool.internal.StripedCounter;
import dev.spool.stats.DurationHistogram;

/**
 * The counters, levels and latencies of one executor, kept by its futures as they start and end (see
 * {@link ExecutorFuture}), so every executor counts the same way.
 *
 * <p>A task is queued from the moment it is submitted until it starts or ends without starting; it is active from
 * start to end. Every update is a {@link StripedCounter} bump or a {@link DurationHistogram} record (no locks, no
 * allocation), made before the future reports done, so a caller that has seen its futures done reads statistics
 * that include them. The three histograms (queue wait, execution, latency) are what endpoints read percentiles from
 * and what the metrics layer feeds Micrometer timers with, off the task's path.
 *
 * <p>The two levels are not kept apart: each would cost two more contended updates per task on every executor's hot
 * path. They follow from counts the histograms keep anyway: a task that started has a queue wait, one that ran to its
 * end an execution time, and every task that ended a latency. So {@code active = started - ranToEnd} and
 * {@code queued = submitted - started - (ended - ranToEnd)}. The counts are read one after the other while tasks
 * move, earliest stage first (submitted, then started, then ran to end, then ended): each count read later can only
 * have grown, so each level read is at most what it was at the instant of its first read, never more, and never
 * below zero (it is clamped). So a level never shows a task twice, nor more tasks than could be there at once; a
 * task that moves during the read may be missed. A thread pool also bounds its queue level by its control word (see
 * {@link PoolEngine#waiting()}), exact at one instant and never above the capacity.
 */
final class TaskStatistics {
    private static final System.Logger LOG = System.getLogger("dev.spool.futures");
    private static final TaskListener[] NO_LISTENERS = {};

    private static final TaskOutcome[] OUTCOMES = TaskOutcome.values();

    private final StripedCounter submitted = new StripedCounter();
    private final DurationHistogram queueWait = new DurationHistogram();
    private final DurationHistogram execution = new DurationHistogram();
    /** Submit-to-done per outcome; their counts are also the completed/failed/cancelled/rejected counters. */
    private final DurationHistogram[] latency = new DurationHistogram[OUTCOMES.length];

    TaskStatistics() {
        for (int i = 0; i < latency.length; i++) {
            latency[i] = new DurationHistogram();
        }
    }
    private volatile TaskListener[] listeners = NO_LISTENERS;

    /** A task was handed to the executor; it counts as queued until it starts or ends. */
    void taskSubmitted() {
        submitted.increment();
    }

    /**
     * The task started; {@code recorder} is the starting thread's own recorder, or null.
     */
    void taskStarted(TaskFuture<?> future, Recorder recorder) {
        long wait = future.startedNanos() - future.submittedNanos();
        if (recorder != null && recorder.owner == Thread.currentThread()) {
            recorder.queueWait.record(wait);
        } else {
            queueWait.record(wait);
        }
    }

    /**
     * The task ended; {@code recorder} is the ending thread's own recorder, or null.
     */
    void taskEnded(TaskFuture<?> future, TaskOutcome outcome, boolean started, Recorder recorder) {
        long ended = future.endedNanos();
        if (recorder != null && recorder.owner == Thread.currentThread()) {
            if (started) {
                recorder.execution.record(ended - future.startedNanos());
            }
            recorder.latency[outcome.ordinal()].record(ended - future.submittedNanos());
        } else {
            if (started) {
                execution.record(ended - future.startedNanos());
            }
            latency[outcome.ordinal()].record(ended - future.submittedNanos());
        }
        TaskListener[] current = listeners;
        for (TaskListener listener : current) {
            try {
                listener.taskEnded(future, outcome);
            } catch (Throwable failure) {
                LOG.log(System.Logger.Level.WARNING, "task listener " + listener + " failed", failure);
            }
        }
    }

    /**
     * A recorder for the calling thread, a long-lived worker: its tasks' durations go into the histograms with plain
     * writes instead of contended atomic ones. Close it when the worker ends.
     */
    Recorder newRecorder() {
        return new Recorder();
    }

    /** One worker thread's share of the histograms (see {@link DurationHistogram.Recorder}). */
    final class Recorder implements AutoCloseable {
        private final Thread owner = Thread.currentThread();
        private final DurationHistogram.Recorder queueWait = TaskStatistics.this.queueWait.newRecorder();
        private final DurationHistogram.Recorder execution = TaskStatistics.this.execution.newRecorder();
        private final DurationHistogram.Recorder[] latency = new DurationHistogram.Recorder[OUTCOMES.length];

        private Recorder() {
            for (int i = 0; i < latency.length; i++) {
                latency[i] = TaskStatistics.this.latency[i].newRecorder();
            }
        }

        @Override
        public void close() {
            queueWait.close();
            execution.close();
            for (DurationHistogram.Recorder byOutcome : latency) {
                byOutcome.close();
            }
        }
    }

    /** @return true if a {@link TaskListener} hears of the tasks' ends */
    boolean hasListeners() {
        return listeners.length != 0;
    }

    synchronized void addListener(TaskListener listener) {
        Objects.requireNonNull(listener, "listener");
        TaskListener[] grown = Arrays.copyOf(listeners, listeners.length + 1);
        grown[grown.length - 1] = listener;
        listeners = grown;
    }

    synchronized void removeListener(TaskListener listener) {
        TaskListener[] current = listeners;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == listener) {
                TaskListener[] shrunk = new TaskListener[current.length - 1];
                System.arraycopy(current, 0, shrunk, 0, i);
                System.arraycopy(current, i + 1, shrunk, i, current.length - i - 1);
                listeners = shrunk;
                return;
            }
        }
    }

    /** @return tasks queued now (submitted, not yet started or ended) */
    int queued() {
        return levels()[0];
    }

    /** @return tasks running now */
    int active() {
        return levels()[1];
    }

    /** Queued and active, read earliest stage first: see the class description for why that bounds them. */
    private int[] levels() {
        long submittedSoFar = submitted.sum();
        long started = queueWait.count();
        long ranToEnd = execution.count();
        long ended = 0;
        for (DurationHistogram byOutcome : latency) {
            ended += byOutcome.count();
        }
        return new int[] {clamp(submittedSoFar - started - (ended - ranToEnd)), clamp(started - ranToEnd)};
    }

    /**
     * A snapshot; the executor supplies what only it knows.
     *
     * @param state         its life-cycle state
     * @param maxWorkers    its worker limit
     * @param poolSize      workers alive now
     * @param queueCapacity its queue's limit
     */
    ExecutorStats snapshot(ExecutorState state, int maxWorkers, int poolSize, int queueCapacity) {
        return snapshot(state, maxWorkers, poolSize, -1, queueCapacity);
    }

    /**
     * A snapshot with a bound on the queue that the executor read itself.
     *
     * @param waiting the tasks in its queue as the executor counts them at one instant (cancelled ones that are still
     *                in it included), or -1 if it has no such count; the queue level reported is the smaller of this
     *                and the level derived from the counts, so it is bounded by the queue and drops a cancelled task
     *                at once
     */
    ExecutorStats snapshot(ExecutorState state, int maxWorkers, int poolSize, int waiting, int queueCapacity) {
        int[] levels = levels();
        int queued = waiting >= 0 ? Math.min(waiting, levels[0]) : levels[0];
        return new ExecutorStats(state, maxWorkers, poolSize, levels[1], queued,
                queueCapacity,
                submitted.sum(), ended(TaskOutcome.SUCCESS), ended(TaskOutcome.FAILURE),
                ended(TaskOutcome.CANCELLED), ended(TaskOutcome.REJECTED),
                latencyOf(queueWait), latencyOf(execution), allLatencies());
    }

    /** @return submit-to-start durations of the tasks that started */
    DurationHistogram queueWaitHistogram() {
        return queueWait;
    }

    /** @return start-to-end durations of the tasks that ran */
    DurationHistogram executionHistogram() {
        return execution;
    }

    /** @return submit-to-done durations of the tasks that ended with this outcome */
    DurationHistogram latencyHistogram(TaskOutcome outcome) {
        return latency[outcome.ordinal()];
    }

    private long ended(TaskOutcome outcome) {
        return latency[outcome.ordinal()].count();
    }

    private static ExecutorStats.Latency latencyOf(DurationHistogram histogram) {
        return new ExecutorStats.Latency(histogram.count(), histogram.totalNanos(), histogram.maxNanos());
    }

    private ExecutorStats.Latency allLatencies() {
        long count = 0;
        long total = 0;
        long max = 0;
        for (DurationHistogram byOutcome : latency) {
            count += byOutcome.count();
            total += byOutcome.totalNanos();
            max = Math.max(max, byOutcome.maxNanos());
        }
        return new ExecutorStats.Latency(count, total, max);
    }

    /** A level read from counts that moved meanwhile can come out below zero; never report that. */
    private static int clamp(long level) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, level));
    }
}
