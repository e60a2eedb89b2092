package dev.spool.futures;

import java.util.concurrent.Callable;

/**
 * The future of a task submitted to a {@link ThreadPool}, and at the same time the queue element that carries the
 * task's work to a worker, so that a submit allocates this object and, if the task waits, one queue node.
 *
 * @param <T> the result type
 */
final class PoolTask<T> extends ExecutorFuture<T> implements PoolEngine.Slot {
    /** A {@link Callable} or a {@link Runnable}; dropped when the task starts, so the pool keeps no reference to it. */
    private Object work;
    private final T runnableResult;
    /** {@code execute(Runnable)}: a failure also goes to the running thread's uncaught-exception handler. */
    private final boolean reportsUncaught;
    /** Set at submit when the pool has a task decorator: the task's thread runs the decorator's wrapper. */
    TaskDecoration decoration;
    /**
     * The thread that runs the task, for {@code cancel(true)}: written by that thread before the CAS that starts the
     * task, so every thread that sees the future running sees it. A virtual thread clears it when it is done with the
     * task (see {@link VirtualThreadRegistry#remove}), so that the future does not keep a dead thread.
     */
    Thread runner;
    /** Where a virtual-thread pool's {@link VirtualThreadRegistry} lists this task; touched only by its thread. */
    int registrySlot;

    /** The pool's engine, for {@link #busyForSpin()}; null for the engine's own pill. */
    private final PoolEngine engine;
    /** The name the submitter gave, or null: then the work's class describes the task. */
    String name;
    /** The run-timeout watch has reported this task as hung; touched only by the watch's thread. */
    boolean reportedHung;

    PoolTask(PoolEngine engine, TaskStatistics statistics, Callable<T> work) {
        super(statistics);
        this.engine = engine;
        this.work = work;
        this.runnableResult = null;
        this.reportsUncaught = false;
    }

    PoolTask(PoolEngine engine, TaskStatistics statistics, Runnable work, T result, boolean reportsUncaught) {
        super(statistics);
        this.engine = engine;
        this.work = work;
        this.runnableResult = result;
        this.reportsUncaught = reportsUncaught;
    }

    /**
     * Runs the work in the calling thread; the future must be running. Only one thread ever calls it. The work stays
     * referenced while it runs (its thread's stack holds it anyway), so that {@link #description()} can name it.
     */
    Object call() throws Exception {
        Object w = work;
        try {
            if (w instanceof Callable<?> callable) {
                return callable.call();
            }
            ((Runnable) w).run();
            return runnableResult;
        } finally {
            work = null;
        }
    }

    /** @return what the task is, for people: the submitter's name for it, or its work's class */
    String description() {
        String n = name;
        return n != null ? n : RunningTask.describe(work);
    }

    /** A virtual thread's slot is the one task it was started for. */
    @Override
    public PoolTask<?> task() {
        return this;
    }

    PoolEngine engine() {
        return engine;
    }

    /** @return the end stamp if the end woke no thread and ran no callback (see {@link #trySetResultUnwatched}), else 0 */
    @SuppressWarnings("unchecked")
    long succeed(Object value) {
        return trySetResultUnwatched((T) value);
    }

    /** @return false if the future was already done (cancelled with {@code cancel(true)} while it ran) */
    boolean fail(Throwable failure) {
        return trySetException(failure);
    }

    @Override
    Thread runner() {
        return runner;
    }

    @Override
    int busyForSpin() {
        return engine.busyForSpin();
    }

    /**
     * Cancels a task the pool drops without running it (a discard policy, or {@code shutdown} with
     * {@code cancelFutures}). A {@code Runnable} handed to {@code execute} may itself be a future, a {@code FutureTask}
     * made by an adapter such as Spring's {@code TaskExecutorAdapter}: that one is cancelled too, so whoever waits on it
     * hears of the drop instead of waiting forever. Call it only while the task has not started.
     *
     * @return true if this call cancelled the task
     */
    boolean cancelUnstarted(TaskOutcome outcome) {
        Object w = work;
        if (!cancel(outcome)) {
            return false;
        }
        if (w instanceof java.util.concurrent.Future<?> inner) {
            inner.cancel(false);
        }
        return true;
    }

    boolean reportsUncaught() {
        return reportsUncaught;
    }

    /**
     * The work as the {@link java.util.concurrent.ExecutorService#shutdownNow()} contract returns it: the submitted
     * {@code Runnable} itself, or a {@code Runnable} that calls the submitted {@code Callable}. Null if the task has
     * started. Call it before cancelling the future, by the one thread that took it out of the queue.
     */
    Runnable work() {
        Object w = work;
        if (w instanceof Runnable runnable) {
            return runnable;
        }
        if (w instanceof Callable<?> callable) {
            return new CallableRunnable(callable);
        }
        return null;
    }

    /** A never-started {@code Callable} handed back by shutdownNow; {@link #callable()} gives the original. */
    record CallableRunnable(Callable<?> callable) implements Runnable {
        @Override
        public void run() {
            try {
                callable.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new TaskFailedException(e);
            }
        }
    }
}
