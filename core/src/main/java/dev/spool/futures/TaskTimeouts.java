package dev.spool.futures;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

import dev.spool.internal.Timeouts;

/**
 * The run-timeout and queue-timeout of one {@link ThreadPool} or {@link ProcessPool}, what they caught, and the scan
 * that {@link TaskWatch} makes of the pool a few times per timeout.
 *
 * <p>Nothing here is on a task's path unless a queue-timeout is set, and then only one clock read when a task starts
 * (to cancel it before it runs) or none (to count it, from the start stamp the task has anyway). Hung tasks are found
 * by the watch's thread, which reads each worker's current task and its start stamp: the workers do no more than
 * publish which task they run (a process pool's manager and links publish which task each worker process runs).
 */
final class TaskTimeouts {
    private static final System.Logger LOG = System.getLogger("dev.spool.futures");

    /** 0 when off. */
    final long runNanos;
    final boolean cancelOnRunTimeout;
    /** 0 when off. */
    final long queueNanos;
    final boolean cancelOnQueueTimeout;
    private final LongAdder runTimeouts = new LongAdder();
    private final LongAdder queueTimeouts = new LongAdder();

    private TaskTimeouts(Duration run, boolean cancelOnRunTimeout, Duration queue, boolean cancelOnQueueTimeout) {
        this.runNanos = run == null ? 0L : Timeouts.nanos(run);
        this.cancelOnRunTimeout = cancelOnRunTimeout;
        this.queueNanos = queue == null ? 0L : Timeouts.nanos(queue);
        this.cancelOnQueueTimeout = cancelOnQueueTimeout;
    }

    /** @return the pool's timeouts, or null when it has neither (so the engine skips them with one null check) */
    static TaskTimeouts of(Duration run, boolean cancelOnRunTimeout, Duration queue, boolean cancelOnQueueTimeout) {
        return run == null && queue == null ? null
                : new TaskTimeouts(run, cancelOnRunTimeout, queue, cancelOnQueueTimeout);
    }

    /** How often the watch looks at the pool: a quarter of the shorter timeout, between 10 ms and 1 s. */
    long tickNanos() {
        long shortest = Math.min(runNanos > 0 ? runNanos : Long.MAX_VALUE, queueNanos > 0 ? queueNanos : Long.MAX_VALUE);
        return Math.max(10_000_000L, Math.min(1_000_000_000L, shortest / 4));
    }

    /**
     * A worker is about to start {@code task}: with {@code cancelOnQueueTimeout}, cancels it if it waited too long
     * (the worker then skips it as it skips any cancelled task).
     */
    void beforeStart(TaskFuture<?> task) {
        if (cancelOnQueueTimeout && System.nanoTime() - task.submittedNanos() > queueNanos) {
            cancelLate(task);
        }
    }

    /** The task has started: counts it if it waited past the queue-timeout (and the pool does not cancel such tasks). */
    void started(TaskFuture<?> task) {
        if (queueNanos > 0 && !cancelOnQueueTimeout && task.startedNanos() - task.submittedNanos() > queueNanos) {
            queueTimeouts.increment();
        }
    }

    /** Cancels a task that waited past the queue-timeout; counts it if this call cancelled it. */
    void cancelLate(TaskFuture<?> task) {
        if (task.cancel(TaskOutcome.CANCELLED)) {
            queueTimeouts.increment();
        }
    }

    /** @return true if a task submitted at {@code submittedNanos} has waited past the queue-timeout at {@code now} */
    boolean waitedTooLong(long submittedNanos, long now) {
        return queueNanos > 0 && now - submittedNanos > queueNanos;
    }

    /** @return true if a task started at {@code startedNanos} has run past the run-timeout at {@code now} */
    boolean ranTooLong(long startedNanos, long now) {
        return runNanos > 0 && now - startedNanos > runNanos;
    }

    /**
     * A task crossed the run-timeout (the watch calls this once per task): counts it, logs it with the worker's stack,
     * and cancels it if the pool is set to.
     */
    void crossed(String pool, PoolTask<?> task, Thread worker, String workerName, long ranNanos) {
        WorkerStack stack = new WorkerStack(workerName, worker.getStackTrace());
        LOG.log(System.Logger.Level.WARNING, "thread pool " + pool + ": task " + task.description() + " on "
                + workerName + " has run for " + Durations.text(ranNanos) + ", past its run-timeout of "
                + Durations.text(runNanos) + (cancelOnRunTimeout ? "; cancelling it (interrupt-on-run-timeout)" : ""),
                stack);
        runTimeouts.increment(); // after the log line, so whoever sees the count can find the line
        if (cancelOnRunTimeout) {
            task.cancel(true);
        }
    }

    /**
     * A process pool's task crossed the run-timeout (the watch calls this once per task): counts it and logs it. No
     * stack (the task runs in another JVM), and no interrupt: a task in a worker process ends only with its process.
     */
    void crossedInProcess(String pool, String description, String workerName, long pid, long ranNanos) {
        LOG.log(System.Logger.Level.WARNING, "process pool " + pool + ": task " + description + " on " + workerName
                + " (pid " + pid + ") has run for " + Durations.text(ranNanos) + ", past its run-timeout of "
                + Durations.text(runNanos) + "; it cannot be interrupted in its worker process:"
                + " terminateWorkers() or killWorkers() ends it, with the pool's workers");
        runTimeouts.increment(); // after the log line, as in crossed
    }

    /** @param hung tasks running past the run-timeout now @return the statistics */
    TimeoutStats stats(int hung) {
        return new TimeoutStats(runNanos > 0 ? Duration.ofNanos(runNanos) : null,
                queueNanos > 0 ? Duration.ofNanos(queueNanos) : null, hung, runTimeouts.sum(), queueTimeouts.sum());
    }

    /** The stack of a worker whose task hung, carried by the log record (not an error of Spool's). */
    static final class WorkerStack extends Throwable {
        WorkerStack(String worker, StackTraceElement[] stack) {
            super("stack of " + worker, null, false, true);
            setStackTrace(stack);
        }
    }

    /** Durations as people read them in a log line. */
    static final class Durations {
        private Durations() {
        }

        static String text(long nanos) {
            if (nanos >= 1_000_000_000L) {
                return String.format(java.util.Locale.ROOT, "%.2f s", nanos / 1e9);
            }
            return String.format(java.util.Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
    }
}
