package dev.spool.futures;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.spool.process.ProcessEngine;

/**
 * What a {@link ProcessPool}'s workers run now, and its run-timeout and queue-timeout: the running tasks of
 * {@link ProcessPool#runningTasks(boolean)} and {@link ProcessPool#workers()}, {@link ProcessPool#timeoutStats()},
 * and, when the pool has a timeout, the look that {@link TaskWatch} takes a few times per timeout.
 *
 * <p>It only reads what the engine publishes (each worker's running job and the stamp of when the worker began on
 * it), so the pool's manager and link threads do nothing more for it, with or without timeouts; the one cost on a
 * task's path is {@code cancelOnQueueTimeout}'s queue of the tasks not yet started, for the watch to cancel them. It
 * holds no reference to the pool, so an abandoned pool can still be collected (the watch holds this until the engine
 * has terminated).
 */
final class ProcessTasks implements TaskWatch.Watched {
    private final String pool;
    private final ProcessEngine engine;
    /** The pool's timeouts, or null when it has neither. */
    final TaskTimeouts timeouts;
    /**
     * Tasks handed to the engine, in submit order, until the watch sees they have started or ended, or cancels them
     * for waiting past the queue-timeout; null unless {@code cancelOnQueueTimeout}.
     */
    private final ConcurrentLinkedQueue<ProcessTaskFuture<?>> waiting;

    ProcessTasks(String pool, ProcessEngine engine, TaskTimeouts timeouts) {
        this.pool = pool;
        this.engine = engine;
        this.timeouts = timeouts;
        this.waiting = timeouts != null && timeouts.cancelOnQueueTimeout ? new ConcurrentLinkedQueue<>() : null;
    }

    /** The engine has taken {@code future}: with {@code cancelOnQueueTimeout}, the watch keeps an eye on it. */
    void offered(ProcessTaskFuture<?> future) {
        if (waiting != null) {
            waiting.add(future);
        }
    }

    /** @return the tasks the workers run now, sorted by worker name; never a stack (they run in other JVMs) */
    List<RunningTask> runningTasks() {
        long now = System.nanoTime();
        List<RunningTask> running = new ArrayList<>();
        for (ProcessEngine.WorkerView view : engine.workers()) {
            RunningTask task = running(view, now);
            if (task != null) {
                running.add(task);
            }
        }
        running.sort(Comparator.comparing(RunningTask::worker));
        return running;
    }

    /** @return the live workers, each with the task it runs */
    List<WorkerInfo> workers() {
        long now = System.nanoTime();
        List<WorkerInfo> infos = new ArrayList<>();
        for (ProcessEngine.WorkerView view : engine.workers()) {
            infos.add(ProcessWorkerEvents.info(view, running(view, now)));
        }
        return infos;
    }

    private RunningTask running(ProcessEngine.WorkerView view, long now) {
        if (view.task() == null) {
            return null;
        }
        long started = view.taskStartedNanos();
        long ran = Math.max(0L, now - started);
        TaskTimeouts t = timeouts;
        return new RunningTask(view.name(), view.task().description(), RunningTask.instantOf(started), Duration.ofNanos(ran),
                t != null && t.ranTooLong(started, now), List.of());
    }

    /** @return the timeouts and what they caught, the hung count read now */
    TimeoutStats timeoutStats() {
        TaskTimeouts t = timeouts;
        if (t == null) {
            return TimeoutStats.NONE;
        }
        int hung = 0;
        if (t.runNanos > 0) {
            long now = System.nanoTime();
            for (ProcessEngine.WorkerView view : engine.workers()) {
                if (view.task() != null && t.ranTooLong(view.taskStartedNanos(), now)) {
                    hung++;
                }
            }
        }
        return t.stats(hung);
    }

    // ------------------------------------------------------------------------------------------------ the watch

    @Override
    public String watchedName() {
        return "process pool " + pool;
    }

    @Override
    public boolean watchEnded() {
        return engine.terminated();
    }

    @Override
    public long tickNanos() {
        return timeouts.tickNanos();
    }

    /**
     * Reports once each task that has run past the run-timeout; with {@code cancelOnQueueTimeout}, cancels the
     * tasks not yet sent to a worker that waited past the queue-timeout (the queue is in submit order, so the look
     * stops at the first one that has not), and forgets those that have started or ended.
     */
    @Override
    public void scanTimeouts(long now) {
        TaskTimeouts t = timeouts;
        if (t.runNanos > 0) {
            for (ProcessEngine.WorkerView view : engine.workers()) {
                long started = view.taskStartedNanos();
                if (view.task() instanceof ProcessTaskFuture<?> task && !task.reportedHung
                        && t.ranTooLong(started, now)) {
                    task.reportedHung = true;
                    t.crossedInProcess(pool, task.description(), view.name(), view.pid(), now - started);
                }
            }
        }
        if (waiting != null) {
            for (ProcessTaskFuture<?> task; (task = waiting.peek()) != null; waiting.poll()) {
                if (!task.done() && !task.running()) {
                    if (!t.waitedTooLong(task.submittedNanos(), now)) {
                        break;
                    }
                    t.cancelLate(task); // the manager skips it when it reaches it, as any cancelled task
                }
            }
        }
    }
}
