package dev.spool.futures;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * An executor with Python's {@code concurrent.futures.Executor} behaviour, a name and live statistics: the common
 * type of {@link ThreadPool} and {@link ProcessPool}.
 *
 * <h2>Submitting</h2>
 * {@code submit} returns a {@link TaskFuture}. After {@code shutdown} it throws {@link RejectedExecutionException};
 * once the executor is broken it throws {@link BrokenExecutorException} (also a {@code RejectedExecutionException}).
 *
 * <h2>Shutting down</h2>
 * {@link #shutdown(boolean, boolean)} is Python's {@code shutdown(wait, cancel_futures)}: new work is rejected;
 * with {@code cancelFutures} the queued tasks are cancelled, otherwise they still run; running tasks always run to
 * their end; with {@code wait} the call returns when every worker has ended. It may be called any number of times.
 * The JDK's {@link #shutdown()} is {@code shutdown(false, false)}, {@link #close()} is {@code shutdown(true, false)}
 * (so try-with-resources behaves like Python's {@code with executor:}), and {@link #shutdownNow()} cancels every
 * queued future, interrupts running tasks and returns the tasks that never started.
 *
 * <h2>Observing</h2>
 * The read side ({@link #stats()}, the histograms, {@link #runningTasks(boolean)}) is {@link ObservedExecutor}'s.
 * {@link #stats()} is a cheap snapshot of counters, levels and latencies; {@link #addTaskListener} sees every task
 * end. Neither slows down the executor when nobody looks.
 */
public interface ManagedExecutor extends ExecutorService, ObservedExecutor {

    /**
     * Schedules {@code task} and returns its future.
     *
     * @throws RejectedExecutionException if the executor is shut down, broken, or its queue is full under
     *                                    {@link RejectionPolicy#ABORT}
     */
    @Override
    <T> TaskFuture<T> submit(Callable<T> task);

    /**
     * Schedules {@code task}; its future's result is null.
     *
     * @throws RejectedExecutionException as {@link #submit(Callable)}
     */
    @Override
    TaskFuture<?> submit(Runnable task);

    /**
     * Schedules {@code task}; its future's result is {@code result}.
     *
     * @throws RejectedExecutionException as {@link #submit(Callable)}
     */
    @Override
    <T> TaskFuture<T> submit(Runnable task, T result);

    /**
     * Python's {@code map(fn, items)}: submits {@code fn(item)} for every item now and returns the results, lazily
     * and in input order. The stream throws {@link TaskFailedException} at the first item whose task threw, and
     * cancels the items after it; closing the stream cancels whatever has not run yet.
     *
     * @param fn    applied to each item
     * @param items the input, read once
     * @param <T>   the item type
     * @param <R>   the result type
     * @return the results, in input order
     * @throws RejectedExecutionException if the executor does not accept the tasks
     */
    default <T, R> Stream<R> map(Function<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return map(fn, items, MapOptions.defaults());
    }

    /**
     * Python's {@code map(fn, items, timeout=, chunksize=, buffersize=)}. Without a buffer size every item is
     * submitted when {@code map} is called; with one, at most that many tasks are in flight and input is pulled as
     * results are read. A timeout is one deadline for the whole stream, counted from this call: the first result
     * not ready by then throws {@link FutureTimeoutException} and cancels the rest.
     *
     * @param fn      applied to each item
     * @param items   the input, read once
     * @param options timeout, chunk size, buffer size
     * @param <T>     the item type
     * @param <R>     the result type
     * @return the results, in input order
     * @throws RejectedExecutionException if the executor does not accept the tasks
     */
    <T, R> Stream<R> map(Function<? super T, ? extends R> fn, Iterable<? extends T> items, MapOptions options);

    /**
     * {@link #map(Function, Iterable)} over a function that may throw a checked exception (a lambda passed to
     * {@code map} lands here): the stream throws {@link TaskFailedException} whose cause is exactly what it threw.
     *
     * @param fn    applied to each item
     * @param items the input, read once
     * @param <T>   the item type
     * @param <R>   the result type
     * @return the results, in input order
     * @throws RejectedExecutionException if the executor does not accept the tasks
     */
    default <T, R> Stream<R> map(CheckedFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return map((Function<? super T, ? extends R>) fn, items, MapOptions.defaults());
    }

    /**
     * {@link #map(Function, Iterable, MapOptions)} over a function that may throw a checked exception.
     *
     * @param fn      applied to each item
     * @param items   the input, read once
     * @param options timeout, chunk size, buffer size
     * @param <T>     the item type
     * @param <R>     the result type
     * @return the results, in input order
     * @throws RejectedExecutionException if the executor does not accept the tasks
     */
    default <T, R> Stream<R> map(CheckedFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
                                 MapOptions options) {
        return map((Function<? super T, ? extends R>) fn, items, options);
    }

    /**
     * Runs every task and waits for all of them. This JDK-named method keeps the JDK's contract: the executor
     * cancels with {@link Future#cancel(boolean) cancel(true)}, which interrupts a task running in a
     * {@link ThreadPool}.
     *
     * @return the tasks' futures (each a {@link TaskFuture}), in the order of {@code tasks}, all done
     * @throws InterruptedException       if interrupted while waiting; every task not done is cancelled with
     *                                    {@code cancel(true)}
     * @throws RejectedExecutionException if a task is refused; the ones already submitted are cancelled
     */
    @Override
    default <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        return Invocations.invokeAll(this, tasks, false, 0L);
    }

    /**
     * Runs every task and waits for all of them, at most {@code timeout}, as the JDK's contract says: when the time is
     * up every task not done is cancelled with {@link Future#cancel(boolean) cancel(true)}, so on a {@link ThreadPool}
     * every future returned is done (a running task is interrupted and its future cancelled). A task already running in
     * a {@link ProcessPool} worker cannot be interrupted from this JVM: its future is returned not done.
     *
     * @return the tasks' futures (each a {@link TaskFuture}), in the order of {@code tasks}
     * @throws InterruptedException       if interrupted while waiting; every task not done is cancelled
     * @throws RejectedExecutionException if a task is refused; the ones already submitted are cancelled
     */
    @Override
    default <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = TaskFuture.deadlineAfter(Objects.requireNonNull(unit, "unit").toNanos(timeout));
        return Invocations.invokeAll(this, tasks, true, deadline);
    }

    /**
     * Runs the tasks and returns the result of one that succeeded; every other task is cancelled with
     * {@link Future#cancel(boolean) cancel(true)}, so losers running in a {@link ThreadPool} are interrupted.
     *
     * @throws ExecutionException         if every task failed or was cancelled: the last failure is the cause
     * @throws InterruptedException       if interrupted while waiting; the tasks not started are cancelled
     * @throws IllegalArgumentException   if {@code tasks} is empty
     * @throws RejectedExecutionException if a task is refused; the ones already submitted are cancelled
     */
    @Override
    default <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return Invocations.invokeAny(this, tasks, false, 0L);
        } catch (TimeoutException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * As {@link #invokeAny(Collection)}, waiting at most {@code timeout}.
     *
     * @throws TimeoutException if no task succeeded in time; every task is then cancelled with {@code cancel(true)}
     */
    @Override
    default <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = TaskFuture.deadlineAfter(Objects.requireNonNull(unit, "unit").toNanos(timeout));
        return Invocations.invokeAny(this, tasks, true, deadline);
    }

    /**
     * Python's {@code shutdown(wait, cancel_futures)}; see the class description.
     *
     * @param wait          wait until every worker has ended
     * @param cancelFutures cancel the tasks that have not started
     */
    void shutdown(boolean wait, boolean cancelFutures);

    /** {@code shutdown(false, false)}: no new tasks; queued and running ones still run. */
    @Override
    default void shutdown() {
        shutdown(false, false);
    }

    /**
     * {@code shutdown(true, false)}: no new tasks, and wait for the queued and running ones. As with the JDK's
     * {@code close()}, an interrupt while waiting calls {@link #shutdownNow()} and the wait goes on; the interrupt
     * status is set again on return.
     */
    @Override
    void close();

    /**
     * {@link #submit(Callable)}, with a name for the task that {@link #runningTasks(boolean)}, the endpoint and the
     * run-timeout's log line show instead of the task's class. An executor that keeps no names ignores it.
     *
     * @param name what the task is, for people, not null
     * @param task what to run, not null
     * @param <T>  the result type
     * @return its future
     */
    default <T> TaskFuture<T> submit(String name, Callable<T> task) {
        Objects.requireNonNull(name, "name");
        return submit(task);
    }

    /**
     * {@link #submit(Runnable)}, with a name for the task; see {@link #submit(String, Callable)}.
     *
     * @param name what the task is, for people, not null
     * @param task what to run, not null
     * @return its future
     */
    default TaskFuture<?> submit(String name, Runnable task) {
        Objects.requireNonNull(name, "name");
        return submit(task);
    }

    /** @param listener told about every task this executor ends, from now on */
    void addTaskListener(TaskListener listener);

    /** @param listener a listener added before; a no-op if it is not there */
    void removeTaskListener(TaskListener listener);
}
