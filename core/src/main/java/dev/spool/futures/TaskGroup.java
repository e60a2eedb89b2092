package dev.spool.futures;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import dev.spool.internal.Timeouts;

/**
 * Tasks that succeed or fail together: Python's {@code asyncio.TaskGroup}, on Spool's executors and futures.
 *
 * <pre>{@code
 * try (var group = TaskGroup.on(pool, "checkout")) {
 *     TaskFuture<Price> price = group.submit(() -> prices.quote(sku));
 *     TaskFuture<Stock> stock = group.submit(() -> inventory.check(sku));
 *     group.join();                                  // waits for both; throws if either failed
 *     return new Offer(price.resultNow(), stock.resultNow());
 * }
 * }</pre>
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>{@link #submit} schedules a task on the group's pool and returns its {@link TaskFuture}.</li>
 *   <li>The first task that fails shuts the group down: its other tasks are cancelled at once. One that has not
 *       started is cancelled and never starts; one that runs is interrupted and ends as its body decides: cancelled
 *       if it stops with an interruption ({@link InterruptedException}, or an exception caused by one), with its own
 *       result or failure otherwise (asyncio's rule: cancelling requests that a task stop).</li>
 *   <li>{@link #join()} waits until every task has ended, after a failure too: ended means its body has left, not
 *       only that its future is done, so a cancelled task that takes time to stop is waited for. It then throws every
 *       failure together in one {@link TaskGroupException} (a cancelled task is no failure).</li>
 *   <li>With a {@linkplain Builder#timeout timeout} for the whole group, counted from opening, the group shuts down
 *       when it passes and {@code join()} throws {@link TaskGroupTimeoutException} (a
 *       {@link FutureTimeoutException}), with the failures if there were any.</li>
 *   <li>Tasks may submit more tasks to their group, also while the owner waits in {@code join()}.</li>
 *   <li>{@link #cancel()} shuts the group down without a failure: {@code join()} then returns normally.</li>
 * </ul>
 *
 * <h2>The owner, and try-with-resources</h2>
 * The thread that opens the group owns it: only it may {@code join()} and {@code close()} (others get
 * {@link WrongThreadException}); any thread may {@code submit}. Java's {@link AutoCloseable#close()} cannot see an
 * exception leaving the block, while asyncio's {@code __aexit__} can. So, as with the JDK's
 * {@code StructuredTaskScope}, the block ends with {@code join()}, and {@code close()} handles every other way out:
 * it cancels what has not ended, waits for it, and throws (suppressed onto the exception that left the block, if
 * one did) the group's {@link TaskGroupException} when tasks failed, or an {@link IllegalStateException} saying
 * {@code join()} was not called. An exception from the block therefore cancels the tasks, and every failure stays
 * reachable: the block's exception, and in its {@link Throwable#getSuppressed()} the tasks' ones.
 * {@link #run(ManagedExecutor, Body)} takes the block as a lambda and throws one {@link TaskGroupException} with the
 * tasks' failures and the block's, exactly as asyncio does.
 *
 * <p>Once the group is shutting down, {@code submit} refuses: in the owner it first waits for the tasks, as
 * {@code join()} does, and throws the group's exception (so a block that is still submitting when a task fails ends
 * with every failure in one exception); in any other thread it throws {@link CancellationException} at once (an
 * {@link IllegalStateException}), which a task of the group may let escape: it counts as cancelled, not as a new
 * failure. After {@code join()} or {@code close()}, {@code submit} throws {@link IllegalStateException}.
 *
 * <h2>Nesting</h2>
 * A group opened inside a task of another group, or in another group's block, is that group's child: when the
 * parent shuts down, the child is cancelled too. A child in the parent's block then ends, in its {@code join()},
 * with the parent's exception (it waits for the parent's tasks first), so the failure that started it all is what
 * leaves both blocks; a child inside a task ends with {@link CancellationException}, and that task counts as
 * cancelled.
 *
 * <h2>Interruption</h2>
 * An interrupt of the owner while it waits in {@code join()} cancels the group (asyncio: the parent task is
 * cancelled): the tasks are cancelled and waited for, then {@code join()} throws {@link CancellationException}, or
 * the {@link TaskGroupException} if tasks had failed, with the interrupt status set again. {@code close()} waits on
 * through an interrupt and sets the status again, as the JDK's {@code ExecutorService.close()} does. The owner
 * itself is never interrupted by the group.
 *
 * <h2>Pools, and the deadlock to avoid</h2>
 * When the owner is itself a worker of the group's {@link ThreadPool} (a group opened inside one of its tasks), its
 * {@code join()} runs the group's tasks that are still queued itself, so a saturated pool cannot deadlock on its own
 * nested groups. Tasks that wait for each other still need threads at once: as in Python ("deadlocks can occur when
 * the callable associated with a Future waits on the results of another Future"), a pool smaller than the number of
 * tasks blocked at the same time waits forever; size it for that, or give the group a timeout. On a
 * {@link ProcessPool} the tasks must be serializable ({@code group.submit((SerializableCallable<Integer>) () -> …)}),
 * and a task already running in a worker process cannot be interrupted, so it is waited for.
 *
 * <h2>Meters</h2>
 * Every group adds, when it ends, to the {@link TaskGroupStatistics} of its name in its {@link TaskGroups} registry
 * ({@link TaskGroups#global()} unless the builder says otherwise); groups without a name to
 * {@value TaskGroups#UNNAMED}. {@code dev.spool.metrics.TaskGroupMetrics} makes them meters:
 * {@code spool.taskgroup.duration}, {@code spool.taskgroup.tasks}, {@code spool.taskgroup.active}.
 */
public final class TaskGroup implements AutoCloseable {

    /**
     * The block of {@link #run(ManagedExecutor, Body)}: submits the group's tasks.
     *
     * @param <R> what the block returns
     */
    @FunctionalInterface
    public interface Body<R> {
        /**
         * @param group the open group
         * @return what {@code run} returns once every task has ended without a failure
         * @throws Exception anything; it cancels the group and joins its {@link TaskGroupException}
         */
        R run(TaskGroup group) throws Exception;
    }

    /** Why a group shuts down; the first reason wins. */
    private enum Reason {
        FAILURE("a task failed"),
        BODY("its block threw"),
        TIMEOUT("its timeout passed"),
        CANCELLED("cancel() was called"),
        INTERRUPTED("the thread waiting in join() was interrupted"),
        PARENT("its parent group is shutting down"),
        ABANDONED("its block ended without join()");

        final String text;

        Reason(String text) {
            this.text = text;
        }
    }

    /** The group whose block or task the current thread is in: the parent of a group it opens. */
    private static final ThreadLocal<TaskGroup> INNERMOST = new ThreadLocal<>();
    private static final int FAILURES_IN_MESSAGE = 3;

    private final ManagedExecutor pool;
    private final String name;
    private final String label;
    private final TaskGroupStatistics statistics;
    private final Thread owner;
    private final Duration timeout;
    /** A process pool: tasks go to it as they are (they must be serializable), and their futures are the pool's. */
    private final boolean remote;
    /** The owner is a worker of the pool: its join() runs queued tasks itself rather than block a worker. */
    private final boolean helps;
    private final TaskGroup parent;
    private final TaskGroup previous;
    private final long openedNanos;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the last task ends, and (for a helping owner) when a task is submitted. */
    private final Condition changed = lock.newCondition();
    /** Tasks not yet ended, to cancel them. Guarded by {@link #lock}. */
    private final Set<TaskFuture<?>> live = new LinkedHashSet<>();
    /** Tasks a helping owner may run, oldest first. Guarded by {@link #lock}. */
    private final ArrayDeque<GroupTask<?>> queued = new ArrayDeque<>();
    /** Failures in the order they happened. Guarded by {@link #lock}. */
    private final List<Throwable> failures = new ArrayList<>();
    /** Guarded by {@link #lock}. */
    private final List<TaskGroup> children = new ArrayList<>();
    /** Tasks submitted and not yet ended; the group is done when it is 0. Guarded by {@link #lock}. */
    private int running;
    /** Guarded by {@link #lock}. */
    private int submitted;
    private int succeeded;
    private int failed;
    private int cancelled;
    private int rejected;
    private boolean bodyFailed;
    /** Null while the group is healthy. Written under {@link #lock}. */
    private volatile Reason shutdown;
    /** Written under {@link #lock}. */
    private volatile boolean finished;
    /** What join() throws once the group has finished; owner only. */
    private RuntimeException thrown;
    /** The CancellationException the owner's submit threw after cancel(); owner only. */
    private RuntimeException refusal;
    private volatile ScheduledFuture<?> timer;

    private TaskGroup(Builder builder) {
        this.pool = builder.pool;
        this.name = builder.name;
        this.label = "TaskGroup[" + name + "]";
        this.statistics = builder.registry.statistics(name);
        this.owner = Thread.currentThread();
        this.timeout = builder.timeout;
        this.remote = pool.type() == ExecutorType.PROCESS;
        this.helps = !remote && pool instanceof ThreadPool threads && threads.runsIn(owner);
        this.previous = INNERMOST.get();
        this.parent = previous != null && !previous.finished ? previous : null;
        this.openedNanos = System.nanoTime();
        statistics.groupOpened();
        INNERMOST.set(this);
        if (parent != null) {
            parent.adopt(this);
        }
        if (timeout != null) {
            long nanos = Timeouts.nanos(timeout);
            if (nanos < Timeouts.FOREVER) {
                timer = Deadlines.TIMER.schedule(() -> abort(Reason.TIMEOUT), nanos, TimeUnit.NANOSECONDS);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ opening

    /**
     * Opens an unnamed group (counted under {@value TaskGroups#UNNAMED}) on {@code pool}, owned by the calling thread.
     *
     * @param pool where the tasks run
     * @return the open group
     */
    public static TaskGroup on(ManagedExecutor pool) {
        return builder(pool).open();
    }

    /**
     * Opens a group named {@code name}: the {@code name} tag of its meters, and the name its messages show.
     *
     * @param pool where the tasks run
     * @param name a fixed name (never one built from data: each name has its own meters)
     * @return the open group
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public static TaskGroup on(ManagedExecutor pool, String name) {
        return builder(pool).name(name).open();
    }

    /**
     * Opens a named group that shuts down when {@code timeout} has passed since now.
     *
     * @param pool    where the tasks run
     * @param name    a fixed name
     * @param timeout for the whole group; zero or less has passed already, a huge one never passes
     * @return the open group
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public static TaskGroup on(ManagedExecutor pool, String name, Duration timeout) {
        return builder(pool).name(name).timeout(timeout).open();
    }

    /**
     * Runs {@code body} in an unnamed group and waits for its tasks: asyncio's {@code async with TaskGroup()}, where
     * an exception from the block joins the tasks' ones. See {@link Builder#run}.
     *
     * @param pool where the tasks run
     * @param body submits the tasks
     * @param <R>  what the body returns
     * @return what the body returned, once every task ended well
     */
    public static <R> R run(ManagedExecutor pool, Body<R> body) {
        return builder(pool).run(body);
    }

    /**
     * @param pool where the tasks run
     * @return a builder for a group with a name, a timeout or a registry of its own
     */
    public static Builder builder(ManagedExecutor pool) {
        return new Builder(pool);
    }

    // ------------------------------------------------------------------------------------------ submitting

    /**
     * Schedules {@code task} on the group's pool.
     *
     * @param task the work; on a {@link ProcessPool}, a serializable one
     * @param <T>  its result type
     * @return its future
     * @throws RejectedExecutionException if the pool refuses it (the group goes on; the task counts as rejected)
     * @throws TaskGroupException         in the owner, once the group is shutting down after a failure (after
     *                                    waiting for its tasks, as {@link #join()}); likewise
     *                                    {@link TaskGroupTimeoutException} after its timeout
     * @throws CancellationException      in another thread once the group is shutting down; in the owner after
     *                                    {@link #cancel()}
     * @throws IllegalStateException      after {@link #join()} or {@link #close()}
     */
    public <T> TaskFuture<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        if (remote) {
            return submitRemote(p -> p.submit(task));
        }
        return submitLocal(new GroupTask<>(this, task));
    }

    /**
     * Schedules {@code task} on the group's pool; its future's result is null. Otherwise as {@link #submit(Callable)}.
     *
     * @param task the work; on a {@link ProcessPool}, a serializable one
     * @return its future
     */
    public TaskFuture<?> submit(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (remote) {
            return submitRemote(p -> p.submit(task, null));
        }
        return submitLocal(new GroupTask<>(this, Executors.callable(task)));
    }

    private <T> TaskFuture<T> submitLocal(GroupTask<T> task) {
        admit(task);
        task.addListener(done -> taskDone(task));
        TaskFuture<?> inPool;
        try {
            inPool = pool.submit((Callable<Object>) task::runInPool);
        } catch (RuntimeException refused) {
            task.cancel(TaskOutcome.REJECTED);
            throw refused;
        }
        task.inPool = inPool;
        // The pool may drop the task without running it (a DISCARD policy, shutdownNow, shutdown with cancelFutures):
        // then nobody would ever end it, and join() would wait forever.
        inPool.addListener(copy -> {
            if (task.unclaimed()) {
                task.cancel(TaskOutcome.REJECTED);
            }
        });
        if (task.cancelled() && task.startedNanos() == 0L) {
            inPool.cancel(); // cancelled before the pool had it: drop the pool's copy too
        }
        return task;
    }

    private <T> TaskFuture<T> submitRemote(Function<ManagedExecutor, TaskFuture<T>> send) {
        admit(null);
        TaskFuture<T> future;
        try {
            future = send.apply(pool);
        } catch (RuntimeException refused) {
            statistics.taskEnded(TaskOutcome.REJECTED);
            lock.lock();
            try {
                rejected++;
            } finally {
                lock.unlock();
            }
            ended(null);
            throw refused;
        }
        boolean cancelNow;
        lock.lock();
        try {
            if (!future.isDone()) {
                live.add(future);
            }
            cancelNow = shutdown != null;
        } finally {
            lock.unlock();
        }
        future.addListener(done -> remoteTaskDone(done));
        if (cancelNow) {
            future.cancel(true);
        }
        return future;
    }

    /** Counts a task in, or refuses it. {@code task} is null for a remote one (its future comes later). */
    private void admit(GroupTask<?> task) {
        Reason refusedBy;
        lock.lock();
        try {
            if (finished) {
                throw new IllegalStateException(label + " is finished: submit() after join() or close(); open a new"
                        + " TaskGroup for more tasks");
            }
            refusedBy = shutdown;
            if (refusedBy == null) {
                running++;
                submitted++;
                if (task != null) {
                    live.add(task);
                    if (helps) {
                        queued.add(task);
                        changed.signalAll();
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (refusedBy != null) {
            throw refuse(refusedBy);
        }
    }

    private RuntimeException refuse(Reason reason) {
        if (actsAsOwner()) {
            awaitTasks(true);
            RuntimeException outcome = finish(false);
            if (outcome != null) {
                return outcome;
            }
            refusal = new CancellationException(label + " was cancelled (" + reason.text + "): submit() refused");
            return refusal;
        }
        return new CancellationException(label + " is shutting down (" + reason.text + "): submit() refused");
    }

    // ------------------------------------------------------------------------------------------ ending

    /**
     * Waits until every task of the group has ended (its body has left), then reports: returns if none failed, throws
     * otherwise. Tasks may still be submitted while it waits, by the group's tasks. Call it at the end of the block;
     * afterwards {@link #close()} does nothing. A second call reports the same again.
     *
     * @throws TaskGroupException        if tasks failed: every failure, in the order they happened
     * @throws TaskGroupTimeoutException if the group's timeout passed first (with the failures, if any)
     * @throws CancellationException     if the owner was interrupted while it waited (the interrupt status is set
     *                                   again), or the group was cancelled with its parent
     * @throws WrongThreadException      if the calling thread is not the one that opened the group
     * @throws IllegalStateException     if called from one of the group's own tasks
     */
    public void join() {
        checkOwner("join()");
        RuntimeException outcome;
        if (finished) {
            outcome = thrown;
        } else {
            awaitTasks(true);
            outcome = finish(false);
        }
        if (outcome != null) {
            throw outcome;
        }
    }

    /**
     * Ends the group if {@link #join()} has not: cancels every task that has not ended, waits until they have, and
     * reports. In try-with-resources this runs when the block was left without {@code join()}: by an exception (whose
     * suppressed exceptions then hold what this throws), a {@code return} or a {@code break}. An interrupt does not end
     * the wait; the interrupt status is set again.
     *
     * @throws TaskGroupException        if tasks failed
     * @throws TaskGroupTimeoutException if the timeout had passed
     * @throws IllegalStateException     if tasks were submitted and {@code join()} was never called: they have been
     *                                   cancelled (end the block with {@code group.join()})
     * @throws WrongThreadException      if the calling thread is not the one that opened the group
     */
    @Override
    public void close() {
        checkOwner("close()");
        if (finished) {
            return;
        }
        abort(Reason.ABANDONED);
        awaitTasks(false);
        RuntimeException outcome = finish(true);
        if (outcome != null) {
            throw outcome;
        }
    }

    /**
     * Shuts the group down without a failure (asyncio 3.15's {@code TaskGroup.cancel()}): cancels every task, as a
     * failure would; {@link #join()} then waits for them and returns normally (or throws if tasks failed anyway).
     * From any thread; a no-op once the group is shutting down or has ended.
     */
    public void cancel() {
        abort(Reason.CANCELLED);
    }

    /** @return the group's name ({@value TaskGroups#UNNAMED} for an unnamed one) */
    public String name() {
        return name;
    }

    /** @return the failures so far, in the order they happened */
    public List<Throwable> failures() {
        lock.lock();
        try {
            return List.copyOf(failures);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------ machinery

    /** Shuts the group down for {@code reason} unless it is already: queued tasks first, then running ones. */
    private void abort(Reason reason) {
        List<TaskFuture<?>> tasks;
        List<TaskGroup> kids;
        lock.lock();
        try {
            if (shutdown != null || finished) {
                return;
            }
            shutdown = reason;
            tasks = new ArrayList<>(live);
            kids = new ArrayList<>(children);
            queued.clear();
        } finally {
            lock.unlock();
        }
        cancelTimer();
        // Queued tasks first: a worker that a running task's end frees must not start one of them.
        for (TaskFuture<?> task : tasks) {
            if (!(task instanceof GroupTask<?> mine)) {
                task.cancel(true); // a process pool's: cancelled if pending, left alone if running in a worker
            } else if (mine.unclaimed()) {
                mine.cancelForGroup();
            }
        }
        for (TaskFuture<?> task : tasks) {
            if (task instanceof GroupTask<?> mine) {
                mine.cancelForGroup();
            }
        }
        for (TaskGroup kid : kids) {
            kid.abort(Reason.PARENT);
        }
    }

    /** A local task's future is done (in the thread that completed it). */
    private void taskDone(GroupTask<?> task) {
        TaskOutcome how = task.outcome();
        count(how, how == TaskOutcome.FAILURE ? task.exceptionNow() : null);
        if (task.cancelled() && task.endUnstarted()) {
            ended(task);
        }
    }

    /** A process pool's future is done: its task has ended (a running one cannot be cancelled from here). */
    private void remoteTaskDone(TaskFuture<?> future) {
        TaskOutcome how = switch (future.state()) {
            case SUCCESS -> TaskOutcome.SUCCESS;
            case FAILED -> TaskOutcome.FAILURE;
            default -> TaskOutcome.CANCELLED;
        };
        count(how, how == TaskOutcome.FAILURE ? future.exceptionNow() : null);
        ended(future);
    }

    private void count(TaskOutcome how, Throwable failure) {
        statistics.taskEnded(how);
        boolean first = false;
        lock.lock();
        try {
            switch (how) {
                case SUCCESS -> succeeded++;
                case FAILURE -> {
                    failed++;
                    failures.add(failure);
                    first = shutdown == null && !finished;
                }
                case CANCELLED -> cancelled++;
                case REJECTED -> rejected++;
            }
        } finally {
            lock.unlock();
        }
        if (first) {
            abort(Reason.FAILURE);
        }
    }

    /** @return true once the group is shutting down (or has ended after doing so) */
    boolean shuttingDown() {
        return shutdown != null;
    }

    /** A task has ended: its body has left, or it never started. Called once per task. */
    void taskEnded(GroupTask<?> task) {
        ended(task);
    }

    private void ended(TaskFuture<?> task) {
        lock.lock();
        try {
            if (task != null) {
                live.remove(task);
            }
            if (--running == 0) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no task is left. A helping owner runs queued tasks meanwhile. With {@code interruptCancels}, an
     * interrupt shuts the group down (once); either way the wait goes on and the interrupt status is set again at
     * the end.
     */
    private void awaitTasks(boolean interruptCancels) {
        boolean interrupted = false;
        boolean helped = false;
        lock.lock();
        try {
            while (running > 0) {
                if (Thread.interrupted()) { // before helping: a task run here must not take the owner's interrupt
                    interrupted = true;
                    abortUnlocked(interruptCancels);
                    continue;
                }
                GroupTask<?> next = helps ? nextQueued() : null;
                if (next != null) {
                    lock.unlock();
                    try {
                        next.runInstead();
                    } finally {
                        lock.lock();
                    }
                    helped = true;
                    continue;
                }
                try {
                    changed.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                    abortUnlocked(interruptCancels);
                }
            }
            if (helped && Thread.interrupted()) { // came while the last task ran here: an interrupt of the wait
                interrupted = true;
                abortUnlocked(interruptCancels);
            }
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** abort(INTERRUPTED) from inside awaitTasks, which holds the lock; abort cancels outside it. */
    private void abortUnlocked(boolean interruptCancels) {
        if (interruptCancels && shutdown == null) {
            lock.unlock();
            try {
                abort(Reason.INTERRUPTED);
            } finally {
                lock.lock();
            }
        }
    }

    private GroupTask<?> nextQueued() {
        for (GroupTask<?> task; (task = queued.poll()) != null; ) {
            if (task.unclaimed()) {
                return task;
            }
        }
        return null;
    }

    /**
     * Ends the group, in the owner, once no task is left: counts it and decides what {@code join()} throws.
     *
     * @param closing {@code close()} rather than {@code join()} or a refused {@code submit()}
     * @return what to throw, or null
     */
    private RuntimeException finish(boolean closing) {
        Reason reason;
        List<Throwable> fs;
        lock.lock();
        try {
            if (finished) {
                return thrown;
            }
            finished = true;
            reason = shutdown;
            fs = List.copyOf(failures);
        } finally {
            lock.unlock();
        }
        cancelTimer();
        if (parent != null) {
            parent.release(this);
        }
        if (INNERMOST.get() == this) {
            if (previous == null) {
                INNERMOST.remove();
            } else {
                INNERMOST.set(previous);
            }
        }
        statistics.groupEnded(outcome(reason, fs), System.nanoTime() - openedNanos);
        RuntimeException outcome = exception(reason, fs, closing);
        thrown = outcome;
        return outcome;
    }

    private TaskGroupOutcome outcome(Reason reason, List<Throwable> fs) {
        if (!fs.isEmpty()) {
            return reason == Reason.TIMEOUT ? TaskGroupOutcome.TIMEOUT : TaskGroupOutcome.FAILURE;
        }
        if (reason == null || reason == Reason.ABANDONED && submitted == 0) {
            return TaskGroupOutcome.SUCCESS;
        }
        return reason == Reason.TIMEOUT ? TaskGroupOutcome.TIMEOUT : TaskGroupOutcome.CANCELLED;
    }

    private RuntimeException exception(Reason reason, List<Throwable> fs, boolean closing) {
        if (!fs.isEmpty()) {
            return reason == Reason.TIMEOUT ? new TaskGroupTimeoutException(timedOut(fs), fs)
                    : new TaskGroupException(failedWith(fs, reason), fs);
        }
        if (reason == null) {
            return null;
        }
        return switch (reason) {
            case TIMEOUT -> new TaskGroupTimeoutException(timedOut(fs), fs);
            case INTERRUPTED -> new CancellationException(label + " was cancelled: the thread waiting in join() was"
                    + " interrupted (" + tally() + ")");
            case PARENT -> withParent(closing);
            case ABANDONED -> submitted == 0 ? null : new IllegalStateException(label + " closed without join(): its"
                    + " block ended early (an exception, a return or a break) or join() is missing, so the group"
                    + " cancelled what had not ended (" + tally() + "). End the block with group.join() to wait for"
                    + " the tasks");
            case CANCELLED, FAILURE, BODY -> null;
        };
    }

    /**
     * A group cancelled with its parent: in the parent's block (same owner), the parent's own outcome, after waiting for
     * the parent's tasks, so that the failure that shut the parent down is what leaves both blocks.
     */
    private RuntimeException withParent(boolean closing) {
        if (parent.owner == Thread.currentThread() && !parent.finished && !GroupTask.runningIn(parent)) {
            parent.awaitTasks(true);
            RuntimeException outcome = parent.finish(false);
            if (outcome != null) {
                return outcome;
            }
        }
        return closing ? null
                : new CancellationException(label + " was cancelled with its parent " + parent.label + " (" + tally()
                + ")");
    }

    private void adopt(TaskGroup child) {
        boolean shuttingDown;
        lock.lock();
        try {
            if (finished) {
                return;
            }
            shuttingDown = shutdown != null;
            if (!shuttingDown) {
                children.add(child);
            }
        } finally {
            lock.unlock();
        }
        if (shuttingDown) {
            child.abort(Reason.PARENT);
        }
    }

    private void release(TaskGroup child) {
        lock.lock();
        try {
            children.remove(child);
        } finally {
            lock.unlock();
        }
    }

    private void cancelTimer() {
        ScheduledFuture<?> pending = timer;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    /**
     * Ends the group of {@link Builder#run} after its body threw: the body's exception cancels the tasks and, once
     * they have ended, joins their failures (last, as asyncio appends it).
     *
     * @return what run throws; null if it returns null (the body stopped at the refusal that cancel() causes)
     */
    private RuntimeException afterBody(Throwable failure) {
        if (finished) { // the body's own submit() or join() ended the group
            if (failure == thrown || failure == refusal) {
                return failure == refusal ? null : thrown;
            }
            if (failure instanceof RuntimeException unchecked) {
                return unchecked;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            return new TaskGroupException(label + "'s block failed after the group had ended: " + failure,
                    List.of(failure));
        }
        if (failure instanceof VirtualMachineError fatal) { // Python's KeyboardInterrupt/SystemExit: propagated as is
            abort(Reason.BODY);
            awaitTasks(true);
            RuntimeException tasks = finish(false);
            if (tasks != null) {
                fatal.addSuppressed(tasks);
            }
            throw fatal;
        }
        if (failure instanceof InterruptedException) { // the body's own wait was interrupted: asyncio's cancellation
            abort(Reason.INTERRUPTED);
            awaitTasks(true);
            Thread.currentThread().interrupt();
            return finish(false);
        }
        if (failure instanceof CancellationException cancellation) {
            abort(Reason.CANCELLED);
            awaitTasks(true);
            RuntimeException outcome = finish(false);
            return outcome != null ? outcome : cancellation;
        }
        abort(Reason.BODY);
        awaitTasks(true);
        lock.lock();
        try {
            failures.add(failure);
            bodyFailed = true;
        } finally {
            lock.unlock();
        }
        return finish(false);
    }

    private boolean actsAsOwner() {
        return Thread.currentThread() == owner && !GroupTask.runningIn(this);
    }

    private void checkOwner(String method) {
        if (Thread.currentThread() != owner) {
            throw new WrongThreadException(label + " was opened by thread \"" + owner.getName() + "\": call " + method
                    + " in that thread (other threads, the group's tasks among them, may only submit)");
        }
        if (GroupTask.runningIn(this)) {
            throw new IllegalStateException(label + ": " + method + " called from one of its own tasks would wait"
                    + " for itself");
        }
    }

    /** Marks the thread as inside a task of {@code group}; returns what to restore. */
    static TaskGroup enterTask(TaskGroup group) {
        TaskGroup outer = INNERMOST.get();
        INNERMOST.set(group);
        return outer;
    }

    static void leaveTask(TaskGroup outer) {
        if (outer == null) {
            INNERMOST.remove();
        } else {
            INNERMOST.set(outer);
        }
    }

    // ------------------------------------------------------------------------------------------ text

    private String failedWith(List<Throwable> fs, Reason reason) {
        return label + " failed with " + fs.size() + (fs.size() == 1 ? " exception: " : " exceptions: ") + firstFew(fs)
                + " (" + tally() + (bodyFailed ? "; and its block threw" : "") + ")"
                + (reason == Reason.ABANDONED ? "; its block ended without join()" : "");
    }

    private String timedOut(List<Throwable> fs) {
        return label + " not done within its timeout of " + Timeouts.format(timeout) + " (" + tally() + ")"
                + (fs.isEmpty() ? "" : "; " + fs.size() + (fs.size() == 1 ? " exception: " : " exceptions: ")
                + firstFew(fs));
    }

    private static String firstFew(List<Throwable> fs) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(FAILURES_IN_MESSAGE, fs.size()); i++) {
            Throwable t = fs.get(i);
            text.append(i == 0 ? "" : "; ").append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
        }
        if (fs.size() > FAILURES_IN_MESSAGE) {
            text.append("; and ").append(fs.size() - FAILURES_IN_MESSAGE).append(" more");
        }
        return text.toString();
    }

    /** {@code "5 tasks: 1 succeeded, 3 failed, 1 cancelled"}. */
    private String tally() {
        lock.lock();
        try {
            StringBuilder text = new StringBuilder().append(submitted).append(submitted == 1 ? " task" : " tasks");
            String sep = ": ";
            int[] counts = {succeeded, failed, cancelled, rejected};
            String[] words = {" succeeded", " failed", " cancelled", " rejected"};
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    text.append(sep).append(counts[i]).append(words[i]);
                    sep = ", ";
                }
            }
            return text.toString();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code TaskGroup[name=checkout, pool=io, running=2, failures=1, shutting down: a task failed]}; the state is
     * {@code open}, {@code shutting down: <why>} or {@code finished}.
     */
    @Override
    public String toString() {
        lock.lock();
        try {
            String state = finished ? "finished" : shutdown != null ? "shutting down: " + shutdown.text : "open";
            return "TaskGroup[name=" + name + ", pool=" + pool.name() + ", running=" + running + ", failures="
                    + failures.size() + ", " + state + "]";
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------ builder

    /** Opens a {@link TaskGroup} with a name, a timeout or a statistics registry of its own. */
    public static final class Builder {
        private final ManagedExecutor pool;
        private String name = TaskGroups.UNNAMED;
        private Duration timeout;
        private TaskGroups registry = TaskGroups.global();

        private Builder(ManagedExecutor pool) {
            this.pool = Objects.requireNonNull(pool, "pool");
        }

        /**
         * @param name a fixed name: the {@code name} tag of the group's meters and the name its messages show (default
         *             {@value TaskGroups#UNNAMED})
         * @return this builder
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name: leave it unset (or use TaskGroup.on(pool)) for an unnamed group");
            if (name.isBlank()) {
                throw new IllegalArgumentException("TaskGroup name must not be blank: give a fixed name such as"
                        + " \"checkout\" (the 'name' tag of the spool.taskgroup.* meters), or none for \""
                        + TaskGroups.UNNAMED + "\"");
            }
            this.name = name;
            return this;
        }

        /**
         * @param timeout for the whole group, from opening: when it passes, the group shuts down and {@code join()}
         *                throws {@link TaskGroupTimeoutException}. Zero or less has passed already; a huge one never
         *                does (Spool's time rule)
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout: leave it unset for a group without one");
            return this;
        }

        /**
         * @param registry where the group's statistics go (default {@link TaskGroups#global()})
         * @return this builder
         */
        public Builder statistics(TaskGroups registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** @return the open group, owned by the calling thread */
        public TaskGroup open() {
            return new TaskGroup(this);
        }

        /**
         * Opens the group, runs {@code body} in the calling thread and waits for the tasks, as
         * {@code async with TaskGroup() as group:} does. If the body throws, the tasks are cancelled and waited for,
         * and one {@link TaskGroupException} carries the tasks' failures and then the body's exception, even when no
         * task failed (asyncio's rule); except that a {@link VirtualMachineError} is rethrown as it is (the failures
         * suppressed onto it), an {@link InterruptedException} becomes a {@link CancellationException} with the
         * interrupt status set (or the {@code TaskGroupException} if tasks failed), and a body stopped by the refusal
         * of {@code submit} after {@link TaskGroup#cancel()} makes {@code run} return null.
         *
         * <pre>{@code
         * List<TaskFuture<Page>> pages = TaskGroup.builder(pool).name("crawl").run(group ->
         *         urls.stream().map(url -> group.submit(() -> fetch(url))).toList());
         * }</pre>
         *
         * @param body submits the tasks; what it returns is returned once every task ended well
         * @param <R>  what the body returns
         * @return what the body returned
         * @throws TaskGroupException        if tasks failed or the body threw
         * @throws TaskGroupTimeoutException if the timeout passed
         */
        public <R> R run(Body<R> body) {
            Objects.requireNonNull(body, "body");
            TaskGroup group = open();
            R result;
            try {
                result = body.run(group);
            } catch (Throwable failure) {
                RuntimeException outcome = group.afterBody(failure);
                if (outcome == null) {
                    return null;
                }
                throw outcome;
            }
            group.join();
            return result;
        }
    }

    /** The one daemon thread that shuts groups down when their timeout passes. */
    private static final class Deadlines {
        static final ScheduledThreadPoolExecutor TIMER = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, "spool-taskgroup-timeouts");
                thread.setDaemon(true);
                return thread;
            });
            timer.setRemoveOnCancelPolicy(true); // a group that ended in time leaves nothing in the queue
            return timer;
        }
    }
}
