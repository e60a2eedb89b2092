package dev.spool.futures;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import dev.spool.internal.SpinPolicy;
import dev.spool.internal.Timeouts;

/**
 * The result of a task that runs elsewhere: Python's {@code concurrent.futures.Future}, and a
 * {@link java.util.concurrent.Future}.
 *
 * <h2>States</h2>
 * A future is {@linkplain FutureState#PENDING pending} until an executor starts it
 * ({@link #setRunningOrNotifyCancel()}), then {@linkplain FutureState#RUNNING running} until the executor
 * sets its outcome ({@link #setResult}, {@link #setException}); it is then {@linkplain FutureState#FINISHED
 * finished}. Only a pending future can be cancelled, as in Python; the JDK's {@link #cancel(boolean) cancel(true)}
 * also cancels, and interrupts, a task running in a pool thread. Once done, a future never changes its outcome.
 *
 * <h2>Waiting</h2>
 * {@link #result()} and {@link #exception()} wait for as long as it takes; the overloads that take a
 * {@link Duration} wait at most that long and throw {@link FutureTimeoutException} when it passes; a duration of
 * zero or less never blocks. These Python-named waits do not throw {@link InterruptedException}: like
 * {@link CompletableFuture#join()}, an interrupt does not end the wait, and the thread's interrupt status is set
 * again when the method returns. Use the JDK's {@link #get()} for an interruptible wait.
 *
 * <h2>Callbacks</h2>
 * {@link #addDoneCallback} callbacks run once, in the order they were added, in the thread that completes or
 * cancels the future, or at once in the caller's thread if the future is already done. A callback that throws is
 * logged (logger {@code dev.spool.futures}) and counted ({@link Futures#callbackFailures()}); the exception never
 * reaches the thread that completed the future.
 *
 * <h2>For executor writers and tests</h2>
 * The public no-arg constructor makes a pending future; {@link #setRunningOrNotifyCancel()}, {@link #setResult}
 * and {@link #setException} drive it, as Python's executors do. Each future records {@link System#nanoTime()}
 * stamps when it is created (submitted), started and ended, read by executor statistics.
 *
 * @param <T> the result type
 */
public class TaskFuture<T> implements Future<T> {

    /*
     * Internal state codes. FutureState is the public view of them.
     *
     *   PENDING ─▶ RUNNING                                         setRunningOrNotifyCancel()
     *   PENDING ─▶ COMPLETING ─▶ SUCCEEDED|FAILED                   setResult / setException
     *   RUNNING ─▶ COMPLETING_RAN ─▶ SUCCEEDED|FAILED               setResult / setException
     *   PENDING ─▶ COMPLETING ─▶ CANCELLED ─▶ CANCELLED_AND_NOTIFIED cancel(), setRunningOrNotifyCancel()
     *   RUNNING ─▶ COMPLETING_RAN ─▶ CANCELLED_AND_NOTIFIED            cancel(true) of a task a pool thread runs
     *
     * Every state >= CANCELLED is done and only CANCELLED ─▶ CANCELLED_AND_NOTIFIED happens after it.
     * The two COMPLETING states are the short window in which the one thread that won the transition writes
     * the outcome and the end stamp and lets the executor account for the task (onEnd), so that by the time
     * any thread sees the future done, the executor's statistics already include it. Readers treat them as
     * not done. There are two so that the ending thread knows for sure whether the task ran (`ran`): a start
     * stamp alone could not say, because a losing setRunningOrNotifyCancel() may write it late.
     *
     * Threads waiting for the outcome, done-callbacks and internal listeners (Futures.wait, asCompleted,
     * toCompletableFuture) share one Treiber stack of Nodes at `head`. Completion publishes the final state with
     * a release store and, only if the stack is not empty, detaches it (getAndSet null), wakes the threads and
     * runs listeners and callbacks oldest first: a task nobody waits on costs no node and no atomic operation
     * there. As in FutureTask, the CAS into COMPLETING orders this against a push: a thread that pushed a node
     * and then sees the future still pending knows the completer will find its node; one that sees it done (or
     * completing) drains the stack itself (afterPush), and the getAndSet hands each node to exactly one drainer.
     */
    private static final int PENDING = 0;
    private static final int RUNNING = 1;
    private static final int COMPLETING = 2;
    private static final int COMPLETING_RAN = 3;
    private static final int CANCELLED = 4;
    private static final int CANCELLED_AND_NOTIFIED = 5;
    private static final int SUCCEEDED = 6;
    private static final int FAILED = 7;

    private static final System.Logger LOG = System.getLogger("dev.spool.futures");
    static final LongAdder CALLBACK_FAILURES = new LongAdder();

    private volatile int state;
    /** The result (SUCCEEDED) or the Throwable (FAILED); written in COMPLETING, read after the state. */
    private Object outcome;
    private volatile Node head;
    private volatile CompletableFuture<T> completable;

    private final long submittedNanos;
    /** Written before the CAS that starts the task, so the CAS publishes it; read only if the task ran. */
    private long startedNanos;
    private long endedNanos;
    /** Whether the task ran; written in the COMPLETING window, so published with the final state. */
    private boolean ran;

    /** Makes a {@linkplain FutureState#PENDING pending} future, stamped as submitted now. */
    public TaskFuture() {
        this.submittedNanos = System.nanoTime();
    }

    // ------------------------------------------------------------------------------------------ state queries

    /** @return the Python state of this future; a future being completed right now reads as running */
    public FutureState futureState() {
        return switch (state) {
            case PENDING, COMPLETING -> FutureState.PENDING;
            case CANCELLED -> FutureState.CANCELLED;
            case CANCELLED_AND_NOTIFIED -> FutureState.CANCELLED_AND_NOTIFIED;
            case SUCCEEDED, FAILED -> FutureState.FINISHED;
            default -> FutureState.RUNNING;
        };
    }

    /** @return true if the future was cancelled (in either cancelled state) */
    public boolean cancelled() {
        int s = state;
        return s == CANCELLED || s == CANCELLED_AND_NOTIFIED;
    }

    /** @return true while a worker runs the task (not before it starts, not once it is done) */
    public boolean running() {
        int s = state;
        return s == RUNNING || s == COMPLETING_RAN;
    }

    /** @return true once the future finished or was cancelled */
    public boolean done() {
        return state >= CANCELLED;
    }

    /** Same as {@link #done()}. */
    @Override
    public boolean isDone() {
        return state >= CANCELLED;
    }

    /** Same as {@link #cancelled()}. */
    @Override
    public boolean isCancelled() {
        return cancelled();
    }

    /** @return the JDK view of the state: pending and running futures are both {@link Future.State#RUNNING} */
    @Override
    public Future.State state() {
        return switch (state) {
            case SUCCEEDED -> Future.State.SUCCESS;
            case FAILED -> Future.State.FAILED;
            case CANCELLED, CANCELLED_AND_NOTIFIED -> Future.State.CANCELLED;
            default -> Future.State.RUNNING;
        };
    }

    /** @return {@link System#nanoTime()} when the future was created, that is when its task was submitted */
    public long submittedNanos() {
        return submittedNanos;
    }

    /** @return {@link System#nanoTime()} when a worker started the task, or 0 if it never started */
    public long startedNanos() {
        int s = state;
        return s == RUNNING || s == COMPLETING_RAN || (s >= CANCELLED && ran) ? startedNanos : 0L;
    }

    /** @return {@link System#nanoTime()} when the future became done (or is becoming done), or 0 before that */
    public long endedNanos() {
        return state >= COMPLETING ? endedNanos : 0L; // COMPLETING: so a TaskListener sees it while the future ends
    }

    // ------------------------------------------------------------------------------------------ transitions

    /**
     * Python's {@code cancel()}: cancels the future if it is still pending. A running or finished future is not
     * affected: Python never interrupts a running task.
     *
     * @return true if the future is now cancelled (also when it already was), false if it is running or finished
     */
    public boolean cancel() {
        return cancel(TaskOutcome.CANCELLED) || cancelled();
    }

    /**
     * The JDK's {@link Future#cancel(boolean)}. {@code cancel(false)} is {@link #cancel()}: only a pending future can
     * be cancelled. {@code cancel(true)} also cancels a future whose task is running in a {@link ThreadPool}, as
     * {@link java.util.concurrent.FutureTask} does: the future is cancelled at once (done, and every waiter wakes with a
     * {@link CancellationException}), the thread that runs the task is interrupted, and whatever the task later
     * returns or throws is dropped. Code written against {@code java.util.concurrent} (time limiters,
     * {@code invokeAny}, Spring's and resilience4j's timeouts) stops unwanted work this way. A future with no pool
     * thread behind it (a bare {@code TaskFuture}, or a task running in another process) is not affected while it runs.
     *
     * @return true if the future is now cancelled (also when it already was), false if it finished, or is running
     *         and was not cancelled
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return mayInterruptIfRunning ? cancelInterrupting() : cancel();
    }

    /**
     * Cancels a pending future; an executor passes {@link TaskOutcome#REJECTED} for a task it dropped.
     *
     * @return true only if this call cancelled the future: of several threads that race to cancel it (a submit that
     *         lost a race with shutdown, the shutdown's sweep, a user's cancel), exactly one owns the outcome
     */
    boolean cancel(TaskOutcome why) {
        for (;;) {
            int s = state;
            if (s == PENDING) {
                if (STATE.compareAndSet(this, PENDING, COMPLETING)) {
                    complete(null, CANCELLED, why, false);
                    return true;
                }
            } else if (s == COMPLETING) { // ending right now, maybe by another cancel(): see how it ends
                Thread.onSpinWait();
            } else {
                return false;
            }
        }
    }

    /** {@code cancel(true)}: a pending future is cancelled, a running one too if a pool thread runs it. */
    private boolean cancelInterrupting() {
        for (;;) {
            int s = state;
            if (s != RUNNING) {
                if (s == COMPLETING_RAN) { // its task is ending right now: see how
                    Thread.onSpinWait();
                    continue;
                }
                return cancel();
            }
            Thread runner = runner();
            if (runner == null) {
                return false; // nobody here to interrupt: Python's rule holds
            }
            if (STATE.compareAndSet(this, RUNNING, COMPLETING_RAN)) {
                // Interrupted inside the COMPLETING_RAN window: the runner, whose own completion waits for that window
                // to close, cannot move on to another task before the interrupt has reached it, so the interrupt
                // only ever hits this task (the pool clears a stale one before the next task starts).
                runner.interrupt();
                complete(null, CANCELLED_AND_NOTIFIED, TaskOutcome.CANCELLED, true);
                return true;
            }
        }
    }

    /**
     * Hook for executors: the thread running this future's task, which {@code cancel(true)} interrupts, or null if
     * there is none to interrupt (the default). Read only while the future is running.
     */
    Thread runner() {
        return null;
    }

    /**
     * Called by an executor when a worker is about to run the task: moves a pending future to running and
     * returns true, or acknowledges a cancelled one (now {@link FutureState#CANCELLED_AND_NOTIFIED}) and returns
     * false, in which case the task must not run.
     *
     * @return true if the task should run, false if the future was cancelled
     * @throws InvalidStateException if the future is running or finished, or already acknowledged as cancelled
     */
    public boolean setRunningOrNotifyCancel() {
        return setRunningOrNotifyCancel(0L);
    }

    /**
     * {@link #setRunningOrNotifyCancel()} with a start stamp the caller read already: a pool worker that takes its next
     * task straight after ending one passes that one's end stamp (see {@link #trySetResultUnwatched}), and saves a
     * clock read. A stamp before the submit stamp (the task came after it) counts as the submit stamp, so that the
     * queue wait is never negative.
     *
     * @param startStamp a {@link System#nanoTime()} reading, or 0 to read the clock now
     */
    final boolean setRunningOrNotifyCancel(long startStamp) {
        for (;;) {
            int s = state;
            if (s == PENDING) {
                // published by the CAS below
                startedNanos = startStamp == 0L ? System.nanoTime()
                        : startStamp - submittedNanos < 0L ? submittedNanos : startStamp;
                if (STATE.compareAndSet(this, PENDING, RUNNING)) {
                    onStart();
                    return true;
                }
            } else if (s == CANCELLED) {
                if (STATE.compareAndSet(this, CANCELLED, CANCELLED_AND_NOTIFIED)) {
                    return false;
                }
            } else if (s == COMPLETING) { // ending while pending: see whether it ends cancelled
                Thread.onSpinWait();
            } else {
                String message = "Future in unexpected state: " + futureState() + ": " + this;
                LOG.log(System.Logger.Level.ERROR, message);
                throw new InvalidStateException(message);
            }
        }
    }

    /**
     * Completes the future with a result. Allowed while pending or running.
     *
     * @param result the task's result, may be null
     * @throws InvalidStateException if the future is already done (finished or cancelled)
     */
    public void setResult(T result) {
        if (tryComplete(result, SUCCEEDED) == LOST) {
            throw alreadyDone();
        }
    }

    /**
     * Completes the future with the exception its task threw. Allowed while pending or running.
     *
     * @param exception what the task threw, not null
     * @throws InvalidStateException if the future is already done (finished or cancelled)
     */
    public void setException(Throwable exception) {
        Objects.requireNonNull(exception, "exception");
        if (tryComplete(exception, FAILED) == LOST) {
            throw alreadyDone();
        }
    }

    /** Like {@link #setResult} but returns false instead of throwing when the future is already done. */
    boolean trySetResult(T result) {
        return tryComplete(result, SUCCEEDED) != LOST;
    }

    /**
     * Like {@link #trySetResult}, for a pool worker that may take the end stamp as the start stamp of the task it takes
     * next: nothing but this method's own few writes then runs between the stamp and the next task's start.
     *
     * @return the end stamp if this call ended the future and the end woke no thread and ran no callback; else 0
     */
    final long trySetResultUnwatched(T result) {
        return tryComplete(result, SUCCEEDED) == ENDED_UNWATCHED ? endedNanos : 0L;
    }

    /** Like {@link #setException} but returns false instead of throwing when the future is already done. */
    boolean trySetException(Throwable exception) {
        return tryComplete(Objects.requireNonNull(exception, "exception"), FAILED) != LOST;
    }

    /** What {@link #tryComplete} did: the future was done already, this call ended it, or ended it unwatched. */
    private static final int LOST = 0;
    private static final int ENDED = 1;
    private static final int ENDED_UNWATCHED = 2;

    /** @return {@link #LOST}, {@link #ENDED}, or {@link #ENDED_UNWATCHED} if the end woke nobody and ran nothing */
    private int tryComplete(Object value, int finalState) {
        for (;;) {
            int s = state;
            if (s == PENDING || s == RUNNING) {
                boolean started = s == RUNNING;
                if (STATE.compareAndSet(this, s, started ? COMPLETING_RAN : COMPLETING)) {
                    return complete(value, finalState, finalState == SUCCEEDED ? TaskOutcome.SUCCESS : TaskOutcome.FAILURE,
                            started) ? ENDED_UNWATCHED : ENDED;
                }
            } else if (s == COMPLETING || s == COMPLETING_RAN) {
                Thread.onSpinWait();
            } else {
                return LOST;
            }
        }
    }

    /**
     * Runs in the one thread that moved the future to COMPLETING.
     *
     * @return true if the end woke no thread and ran no callback
     */
    private boolean complete(Object value, int finalState, TaskOutcome why, boolean started) {
        outcome = value;
        ran = started;
        endedNanos = System.nanoTime();
        boolean unwatched = false;
        try {
            onEnd(why, started);
        } finally {
            STATE.setRelease(this, finalState); // publishes outcome and stamps; ordered by the COMPLETING CAS
            unwatched = finishCompletion();
        }
        return unwatched;
    }

    private InvalidStateException alreadyDone() {
        String name = switch (state) {
            case CANCELLED -> "CANCELLED";
            case CANCELLED_AND_NOTIFIED -> "CANCELLED_AND_NOTIFIED";
            default -> "FINISHED";
        };
        return new InvalidStateException(name + ": " + this);
    }

    /**
     * Hook for executors: the task has just started (after {@link #setRunningOrNotifyCancel()} moved the future to
     * running), in the worker's thread. Must be quick and must not throw.
     */
    void onStart() {
    }

    /**
     * Hook for executors: the future is about to become done with this outcome, in the thread that ends it, and
     * before any other thread can see it done; {@code started} says whether {@link #onStart()} ran before. Must be
     * quick and must not throw.
     */
    void onEnd(TaskOutcome outcome, boolean started) {
    }

    // ------------------------------------------------------------------------------------------ outcome

    /**
     * Waits for the task and returns its result.
     *
     * @return the result
     * @throws CancellationException if the future was cancelled
     * @throws TaskFailedException   if the task threw; its cause is the task's exception
     */
    public T result() {
        int s = state;
        if (s < CANCELLED) {
            s = awaitUninterruptibly(false, 0L);
        }
        return report(s);
    }

    /**
     * Waits at most {@code timeout} for the task and returns its result. A timeout of zero or less does not wait.
     *
     * @param timeout how long to wait
     * @return the result
     * @throws FutureTimeoutException if the future is not done in time
     * @throws CancellationException  if the future was cancelled
     * @throws TaskFailedException    if the task threw; its cause is the task's exception
     */
    public T result(Duration timeout) {
        int s = state;
        if (s < CANCELLED) {
            s = awaitUninterruptibly(true, Timeouts.nanos(timeout));
            if (s < CANCELLED) {
                throw timedOut(timeout);
            }
        }
        return report(s);
    }

    /**
     * Waits for the task and returns the exception it threw.
     *
     * @return the task's exception, or null if it returned normally
     * @throws CancellationException if the future was cancelled
     */
    public Throwable exception() {
        int s = state;
        if (s < CANCELLED) {
            s = awaitUninterruptibly(false, 0L);
        }
        return reportException(s);
    }

    /**
     * Waits at most {@code timeout} for the task and returns the exception it threw. A timeout of zero or less
     * does not wait.
     *
     * @param timeout how long to wait
     * @return the task's exception, or null if it returned normally
     * @throws FutureTimeoutException if the future is not done in time
     * @throws CancellationException  if the future was cancelled
     */
    public Throwable exception(Duration timeout) {
        int s = state;
        if (s < CANCELLED) {
            s = awaitUninterruptibly(true, Timeouts.nanos(timeout));
            if (s < CANCELLED) {
                throw timedOut(timeout);
            }
        }
        return reportException(s);
    }

    /**
     * JDK form of {@link #result()}: waits, and can be interrupted.
     *
     * @throws ExecutionException    if the task threw; its cause is the task's exception
     * @throws CancellationException if the future was cancelled
     * @throws InterruptedException  if the thread was interrupted while waiting
     */
    @Override
    public T get() throws InterruptedException, ExecutionException {
        int s = state;
        if (s < CANCELLED) {
            s = await(true, false, 0L);
        }
        return reportChecked(s);
    }

    /**
     * JDK form of {@link #result(Duration)}: waits at most the given time, and can be interrupted.
     *
     * @throws TimeoutException      if the future is not done in time
     * @throws ExecutionException    if the task threw; its cause is the task's exception
     * @throws CancellationException if the future was cancelled
     * @throws InterruptedException  if the thread was interrupted while waiting
     */
    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        Objects.requireNonNull(unit, "unit");
        int s = state;
        if (s < CANCELLED) {
            s = await(true, true, unit.toNanos(timeout));
            if (s < CANCELLED) {
                throw new TimeoutException("not done after "
                        + Timeouts.format(Duration.ofNanos(unit.toNanos(timeout))) + ": " + this);
            }
        }
        return reportChecked(s);
    }

    /**
     * @return the result of a future that succeeded
     * @throws IllegalStateException if the future is not done, failed or was cancelled
     */
    @Override
    @SuppressWarnings("unchecked")
    public T resultNow() {
        if (state != SUCCEEDED) {
            throw new IllegalStateException("Task has not succeeded: " + this);
        }
        return (T) outcome;
    }

    /**
     * @return the exception of a future that failed
     * @throws IllegalStateException if the future is not done, succeeded or was cancelled
     */
    @Override
    public Throwable exceptionNow() {
        if (state != FAILED) {
            throw new IllegalStateException("Task has not failed: " + this);
        }
        return (Throwable) outcome;
    }

    @SuppressWarnings("unchecked")
    private T report(int s) {
        if (s == SUCCEEDED) {
            return (T) outcome;
        }
        if (s == FAILED) {
            throw new TaskFailedException((Throwable) outcome);
        }
        throw new CancellationException("cancelled: " + this);
    }

    private Throwable reportException(int s) {
        if (s == SUCCEEDED) {
            return null;
        }
        if (s == FAILED) {
            return (Throwable) outcome;
        }
        throw new CancellationException("cancelled: " + this);
    }

    @SuppressWarnings("unchecked")
    private T reportChecked(int s) throws ExecutionException {
        if (s == SUCCEEDED) {
            return (T) outcome;
        }
        if (s == FAILED) {
            throw new ExecutionException((Throwable) outcome);
        }
        throw new CancellationException("cancelled: " + this);
    }

    private FutureTimeoutException timedOut(Duration timeout) {
        return new FutureTimeoutException("not done after " + Timeouts.format(timeout) + ": " + this);
    }

    // ------------------------------------------------------------------------------------------ waiting

    private int awaitUninterruptibly(boolean timed, long nanos) {
        try {
            return await(false, timed, nanos);
        } catch (InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * Waits until done, or until {@code nanos} pass when timed. Returns the state seen last.
     * Not interruptible: an interrupt is remembered and restored on return.
     */
    private int await(boolean interruptible, boolean timed, long nanos) throws InterruptedException {
        long deadline = timed ? deadlineAfter(nanos) : 0L;
        boolean interrupted = false;
        Node node = null;
        boolean queued = false;
        if (state < COMPLETING && !(interruptible && Thread.currentThread().isInterrupted())) {
            spinForOutcome(timed, deadline);
        }
        try {
            for (;;) {
                int s = state;
                if (s >= CANCELLED) {
                    if (node != null) {
                        node.thread = null;
                    }
                    return s;
                }
                if (s >= COMPLETING) {
                    Thread.yield(); // the outcome is being written; it will not take long
                    continue;
                }
                if (Thread.interrupted()) {
                    if (interruptible) {
                        if (queued) {
                            removeNode(node);
                        }
                        throw new InterruptedException();
                    }
                    interrupted = true;
                }
                long remaining = 0L;
                if (timed) {
                    remaining = deadline - System.nanoTime();
                    if (remaining <= 0L) {
                        if (queued) {
                            removeNode(node);
                        }
                        return state;
                    }
                }
                if (node == null) {
                    node = new Node(Thread.currentThread());
                } else if (!queued) {
                    push(node);
                    queued = true; // the loop looks at the state again before parking
                } else if (timed) {
                    LockSupport.parkNanos(this, remaining);
                } else {
                    LockSupport.park(this);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A short task is often done within a few microseconds: spins for it, while {@link SpinPolicy} allows, so that
     * neither a park nor a wake-up is paid for. Returns when the outcome is (being) written, the spin is used up, an
     * interrupt comes, or the deadline passes.
     */
    private void spinForOutcome(boolean timed, long deadline) {
        if (!SpinPolicy.tryBeginAfterHandOff(busyForSpin())) {
            return;
        }
        try {
            Thread self = Thread.currentThread();
            for (int i = SpinPolicy.TASK_SPINS; i > 0 && state < COMPLETING; i--) {
                Thread.onSpinWait();
                if ((i & 63) == 0 && (self.isInterrupted() || timed && deadline - System.nanoTime() <= 0L)) {
                    return;
                }
            }
        } finally {
            SpinPolicy.end();
        }
    }

    /**
     * Hook for executors: how many CPUs the threads that will complete this future take now, for
     * {@link SpinPolicy#tryBegin}. A bare future is completed by one other thread.
     */
    int busyForSpin() {
        return 1;
    }

    /**
     * The {@link System#nanoTime()} deadline {@code nanos} from now; zero or less is now. Callers compare it with
     * {@code deadline - System.nanoTime()}, which stays right across the wrap of nanoTime, so no saturation is needed.
     */
    static long deadlineAfter(long nanos) {
        return System.nanoTime() + Math.max(0L, nanos);
    }

    // ------------------------------------------------------------------------------------------ callbacks

    /**
     * Adds a callback that runs once when the future is done (finished or cancelled), with this future as its
     * argument. If the future is already done, the callback runs now, in the calling thread. Callbacks run in the
     * order they were added; one that throws is logged and counted and does not stop the others.
     *
     * @param fn the callback
     */
    public void addDoneCallback(Consumer<? super TaskFuture<T>> fn) {
        Objects.requireNonNull(fn, "fn");
        Node node = new Node(fn, false);
        if (state >= CANCELLED) {
            runCallback(node);
            return;
        }
        push(node);
        afterPush();
    }

    /**
     * Internal listener, for Futures and executors: like a done callback, but removable. Returns the handle to
     * remove it with, or null when the future was already done and the listener has run in this thread.
     */
    Node addListener(Consumer<? super TaskFuture<T>> fn) {
        Node node = new Node(fn, true);
        if (state >= CANCELLED) {
            runCallback(node);
            return null;
        }
        push(node);
        afterPush();
        return node;
    }

    /** Removes a listener added by {@link #addListener}; a no-op if it has run or was removed. */
    void removeListener(Node node) {
        if (node != null) {
            node.removed = true;
            removeNode(node);
        }
    }

    /** @return the live waiters, callbacks and listeners of a future not yet done (for tests: nothing may leak) */
    int pendingNodes() {
        int n = 0;
        for (Node q = head; q != null; q = q.next) {
            if (q.live()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Returns a {@link CompletableFuture} that completes when this future does, with the same outcome (a failure
     * completes it exceptionally with the task's exception; cancellation cancels it). Cancelling the returned
     * future cancels this one if it is still pending. Completing it by hand does not affect this future. The same
     * instance is returned on every call.
     *
     * @return a completable view of this future
     */
    @SuppressWarnings("unchecked")
    public CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> view = completable;
        if (view != null) {
            return view;
        }
        view = new LinkedCompletableFuture<>(this);
        if (!COMPLETABLE.compareAndSet(this, null, view)) {
            return completable;
        }
        LinkedCompletableFuture<T> target = (LinkedCompletableFuture<T>) view;
        addListener(f -> target.mirror());
        return view;
    }

    /** Completes {@code target} with this future's outcome; this future must be done. */
    @SuppressWarnings("unchecked")
    private void completeFromOutcome(CompletableFuture<T> target) {
        int s = state;
        if (s == SUCCEEDED) {
            target.complete((T) outcome);
        } else if (s == FAILED) {
            target.completeExceptionally((Throwable) outcome);
        } else {
            target.completeExceptionally(new CancellationException("cancelled: " + this));
        }
    }

    /** A CompletableFuture whose cancel() also cancels the TaskFuture it mirrors. */
    private static final class LinkedCompletableFuture<T> extends CompletableFuture<T> {
        private final TaskFuture<T> source;

        LinkedCompletableFuture(TaskFuture<T> source) {
            this.source = source;
        }

        /** Copies the source's outcome; called once the source is done (by its listener, or by cancel). */
        void mirror() {
            source.completeFromOutcome(this);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (source.cancel() || source.done()) {
                // The source may have finished with a result a moment ago and its listener not have run yet:
                // the view then takes the source's outcome, not a cancellation it never had.
                mirror();
                return isCancelled();
            }
            return false; // running: like the TaskFuture itself, it cannot be cancelled any more
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();
        }
    }

    // ------------------------------------------------------------------------------------------ the stack

    /** A waiting thread (thread != null) or a callback/listener (action != null). */
    static final class Node {
        volatile Thread thread;
        final Consumer<Object> action;
        final boolean listener;
        volatile boolean removed;
        volatile Node next;

        Node(Thread thread) {
            this.thread = thread;
            this.action = null;
            this.listener = false;
        }

        @SuppressWarnings("unchecked")
        Node(Consumer<?> action, boolean listener) {
            this.action = (Consumer<Object>) action;
            this.listener = listener;
        }

        boolean live() {
            return action == null ? thread != null : !removed;
        }
    }

    private void push(Node node) {
        Node h;
        do {
            h = head;
            node.next = h;
        } while (!HEAD.compareAndSet(this, h, node));
    }

    /**
     * After a callback or listener was pushed: if the future is done or being completed, its completer may have
     * looked at the stack before the push, so drain it here (once the outcome is there).
     */
    private void afterPush() {
        for (;;) {
            int s = state;
            if (s < COMPLETING) {
                return; // the completer's CAS comes later: it will find the node
            }
            if (s >= CANCELLED) {
                finishCompletion();
                return;
            }
            Thread.onSpinWait(); // the outcome is being written
        }
    }

    /** Unlinks dead nodes (timed-out waiters, removed listeners), as FutureTask.removeWaiter does. */
    private void removeNode(Node node) {
        node.thread = null;
        retry:
        for (;;) {
            Node pred = null;
            for (Node q = head, s; q != null; q = s) {
                s = q.next;
                if (q.live()) {
                    pred = q;
                } else if (pred != null) {
                    pred.next = s;
                    if (!pred.live()) {
                        continue retry;
                    }
                } else if (!HEAD.compareAndSet(this, q, s)) {
                    continue retry;
                }
            }
            return;
        }
    }

    /** Detaches the stack, wakes the waiting threads, then runs listeners and callbacks oldest first. */
    /** @return true if there was nothing to do: no thread to wake, no callback or listener to run */
    private boolean finishCompletion() {
        if (head == null) {
            return true; // nobody waits: no atomic operation
        }
        Node h = (Node) HEAD.getAndSet(this, null);
        if (h == null) {
            return true;
        }
        // The detached list is only read from here on (a concurrent removeNode may still unlink dead nodes
        // in it, which never hides a live one).
        int actions = 0;
        for (Node q = h; q != null; q = q.next) {
            Thread t = q.thread;
            if (t != null) {
                q.thread = null;
                LockSupport.unpark(t);
            } else if (q.action != null) {
                actions++;
            }
        }
        if (actions == 0) {
            return false;
        }
        Node[] inOrder = new Node[actions];
        int i = actions;
        for (Node q = h; q != null && i > 0; q = q.next) {
            if (q.action != null) {
                inOrder[--i] = q;
            }
        }
        for (int k = i; k < actions; k++) {
            if (inOrder[k] != null) {
                runCallback(inOrder[k]);
            }
        }
        return false;
    }

    private void runCallback(Node node) {
        if (node.removed) {
            return;
        }
        try {
            node.action.accept(this);
        } catch (Throwable failure) {
            CALLBACK_FAILURES.increment();
            LOG.log(System.Logger.Level.ERROR, "exception calling callback for " + this, failure);
        }
    }

    // ------------------------------------------------------------------------------------------ text

    /**
     * Shows the state as Python's {@code repr} does: {@code TaskFuture@1b6d3586[state=pending]},
     * {@code [state=running]}, {@code [state=cancelled]}, {@code [state=finished returned Integer]},
     * {@code [state=finished raised IOException]}.
     */
    @Override
    public String toString() {
        String shown = switch (state) {
            case PENDING, COMPLETING -> "pending";
            case CANCELLED, CANCELLED_AND_NOTIFIED -> "cancelled";
            case SUCCEEDED -> "finished returned " + (outcome == null ? "null" : outcome.getClass().getSimpleName());
            case FAILED -> "finished raised " + outcome.getClass().getSimpleName();
            default -> "running";
        };
        return getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(this))
                + "[state=" + shown + "]";
    }

    private static final VarHandle STATE;
    private static final VarHandle HEAD;
    private static final VarHandle COMPLETABLE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(TaskFuture.class, "state", int.class);
            HEAD = lookup.findVarHandle(TaskFuture.class, "head", Node.class);
            COMPLETABLE = lookup.findVarHandle(TaskFuture.class, "completable", CompletableFuture.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
