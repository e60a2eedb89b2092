package dev.spool.futures;

import java.util.List;

import dev.spool.process.Job;

/**
 * The future of one {@link ProcessPool} task, and the {@link Job} its pool's engine moves along: it holds the
 * caller's task until it starts (for {@code shutdownNow}), turns the engine's "broken" into a
 * {@link BrokenProcessPoolException}, and keeps the executor's statistics as an {@link ExecutorFuture}.
 *
 * @param <T> the result type
 */
final class ProcessTaskFuture<T> extends ExecutorFuture<T> implements Job {
    private Runnable task;
    private final boolean fixed;
    private final T fixedResult;
    /**
     * What the task is: the name the submitter gave (a String), or the class of what it submitted (never the task
     * itself, which the pool does not keep once it has gone out); null for a future that never runs.
     */
    private final Object what;
    /** The pool's run-timeout and queue-timeout, or null when it has neither. */
    private final TaskTimeouts timeouts;
    /** The run-timeout watch has reported this task as hung; touched only by the watch's thread. */
    boolean reportedHung;
    /** For a map chunk that failed at an item: the results of the items before it. */
    private volatile List<Object> partial;

    /**
     * @param task        the caller's task, as shutdownNow returns it
     * @param fixed       whether the result is {@code fixedResult} rather than what the worker sends
     * @param fixedResult the result of a {@code submit(Runnable, T)}
     * @param what        the task's name (a String) or the class that describes it ({@link #description()})
     * @param timeouts    the pool's timeouts, or null
     */
    ProcessTaskFuture(TaskStatistics statistics, Runnable task, boolean fixed, T fixedResult, Object what,
                      TaskTimeouts timeouts) {
        super(statistics);
        this.task = task;
        this.fixed = fixed;
        this.fixedResult = fixedResult;
        this.what = what;
        this.timeouts = timeouts;
    }

    /**
     * Called by the manager when a worker can take the task: with a queue-timeout, a task that waited too long is
     * counted, or cancelled instead of sent ({@code cancelOnQueueTimeout}), as in a thread pool.
     */
    @Override
    public boolean start() {
        if (done() && !cancelled()) {
            return false; // completed by hand (setResult is public): nothing to run
        }
        TaskTimeouts t = timeouts;
        if (t != null) {
            t.beforeStart(this);
        }
        boolean run;
        try {
            run = setRunningOrNotifyCancel();
        } catch (InvalidStateException completedMeanwhile) {
            return false;
        }
        if (run) {
            task = null; // the pool keeps no reference to a task that has gone out
            if (t != null) {
                t.started(this);
            }
        }
        return run;
    }

    @Override
    public String description() {
        Object w = what;
        if (w instanceof String name) {
            return name;
        }
        return w instanceof Class<?> type ? RunningTask.describeClass(type) : "(unknown)";
    }

    @Override
    @SuppressWarnings("unchecked")
    public void finish(Object value, Throwable error) {
        if (error == null) {
            trySetResult(fixed ? fixedResult : (T) value);
        } else {
            if (value instanceof List<?> list && !list.isEmpty()) {
                partial = (List<Object>) list;
            }
            trySetException(error);
        }
    }

    @Override
    public void broken(String message, Throwable cause) {
        trySetException(cause == null ? new BrokenProcessPoolException(message)
                : new BrokenProcessPoolException(message, cause));
    }

    @Override
    public boolean cancelPending() {
        if (done()) {
            return false;
        }
        return cancel(TaskOutcome.CANCELLED); // true only for the call that cancelled: one owner per outcome
    }

    @Override
    public Runnable task() {
        Runnable original = task;
        task = null;
        return original;
    }

    /** @return for a map chunk that failed at an item, the results before it; else null */
    List<Object> partial() {
        return partial;
    }
}
