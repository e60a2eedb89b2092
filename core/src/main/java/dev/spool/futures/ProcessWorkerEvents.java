package dev.spool.futures;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

import dev.spool.process.ProcessEngine;
import dev.spool.stats.DurationHistogram;

/**
 * Counts a {@link ProcessPool}'s worker starts and exits and times their start-up, then tells the pool's
 * {@link ProcessPool.WorkerListener}s: the engine's worker events, translated into the pool's public words
 * ({@link ProcessPool.StartReason}, {@link ProcessPool.ExitCause}, {@link WorkerInfo}). Called on the engine's
 * manager thread; holds no reference to the pool, so an abandoned pool can still be collected.
 */
final class ProcessWorkerEvents implements ProcessEngine.Events {
    private static final System.Logger LOG = System.getLogger("dev.spool.futures");

    private final String pool;
    private final Map<ProcessPool.StartReason, LongAdder> started = new EnumMap<>(ProcessPool.StartReason.class);
    private final Map<ProcessPool.ExitCause, LongAdder> exited = new EnumMap<>(ProcessPool.ExitCause.class);
    private final DurationHistogram startup = new DurationHistogram();
    private final List<ProcessPool.WorkerListener> listeners = new CopyOnWriteArrayList<>();

    ProcessWorkerEvents(String pool, List<ProcessPool.WorkerListener> initial) {
        this.pool = pool;
        for (ProcessPool.StartReason reason : ProcessPool.StartReason.values()) {
            started.put(reason, new LongAdder());
        }
        for (ProcessPool.ExitCause cause : ProcessPool.ExitCause.values()) {
            exited.put(cause, new LongAdder());
        }
        listeners.addAll(initial);
    }

    void add(ProcessPool.WorkerListener listener) {
        listeners.add(listener);
    }

    void remove(ProcessPool.WorkerListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void started(ProcessEngine.WorkerView view, ProcessEngine.StartReason engineReason, long startupNanos) {
        WorkerInfo worker = info(view);
        ProcessPool.StartReason reason = switch (engineReason) {
            case INITIAL -> ProcessPool.StartReason.INITIAL;
            case RECYCLE -> ProcessPool.StartReason.RECYCLE;
        };
        started.get(reason).increment();
        startup.record(startupNanos);
        Duration took = Duration.ofNanos(startupNanos);
        for (ProcessPool.WorkerListener listener : listeners) {
            try {
                listener.workerStarted(worker, reason, took);
            } catch (RuntimeException | Error failure) {
                LOG.log(System.Logger.Level.WARNING, "worker listener " + listener + " of pool '" + pool + "' failed", failure);
            }
        }
    }

    @Override
    public void exited(ProcessEngine.WorkerView view, ProcessEngine.ExitCause engineCause, int exitCode) {
        WorkerInfo worker = info(view);
        ProcessPool.ExitCause cause = switch (engineCause) {
            case RECYCLED -> ProcessPool.ExitCause.RECYCLED;
            case SHUTDOWN -> ProcessPool.ExitCause.SHUTDOWN;
            case CRASHED -> ProcessPool.ExitCause.CRASHED;
            case KILLED -> ProcessPool.ExitCause.KILLED;
            case INIT_FAILED -> ProcessPool.ExitCause.INIT_FAILED;
        };
        exited.get(cause).increment();
        for (ProcessPool.WorkerListener listener : listeners) {
            try {
                listener.workerExited(worker, cause, exitCode);
            } catch (RuntimeException | Error failure) {
                LOG.log(System.Logger.Level.WARNING, "worker listener " + listener + " of pool '" + pool + "' failed", failure);
            }
        }
    }

    ProcessPool.WorkerStatistics snapshot() {
        Map<ProcessPool.StartReason, Long> starts = new EnumMap<>(ProcessPool.StartReason.class);
        started.forEach((reason, count) -> starts.put(reason, count.sum()));
        Map<ProcessPool.ExitCause, Long> exits = new EnumMap<>(ProcessPool.ExitCause.class);
        exited.forEach((cause, count) -> exits.put(cause, count.sum()));
        return new ProcessPool.WorkerStatistics(starts, exits, startup.snapshot());
    }

    /** A worker as the listeners see it: without a task (none runs when a worker becomes ready or has exited). */
    static WorkerInfo info(ProcessEngine.WorkerView view) {
        return info(view, null);
    }

    /** A worker as {@link ProcessPool#workers()} shows it, with the task it runs ({@code null} for none). */
    static WorkerInfo info(ProcessEngine.WorkerView view, RunningTask task) {
        WorkerInfo.State state = switch (view.state()) {
            case STARTING -> WorkerInfo.State.STARTING;
            case IDLE -> WorkerInfo.State.IDLE;
            case BUSY -> WorkerInfo.State.BUSY;
            case RETIRING -> WorkerInfo.State.RETIRING;
        };
        return new WorkerInfo(view.name(), view.pid(), view.tasksRun(), view.startedAt(), state, task);
    }
}
