package dev.spool.futures;

import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.ClosedByInterruptException;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;

/**
 * A task of a {@link TaskGroup} on an in-JVM executor: the future the group hands out; the pool runs
 * {@link #runInPool()}. Its future is completed by whichever thread runs the body (a pool worker, the submitting thread under
 * {@code CALLER_RUNS}, or the group's owner helping in {@code join()}), so the group can tell when a body has really
 * left: {@code cancel(true)} makes a future done at once, while the body may still run.
 *
 * <h2>The phase</h2>
 * <pre>
 *   NEW ──claim──▶ CLAIMED ──runner known──▶ RUNNING ──body left──▶ ENDED
 *    │                                          └──group cancels──▶ INTERRUPTING ──▶ INTERRUPTED ──body left──▶ ENDED
 *    └──cancelled before anyone claimed it (the done listener)──▶ ENDED
 * </pre>
 * Exactly one thread moves the phase to ENDED, and that thread tells the group the task has ended. The group's own
 * cancellation of a running task ({@link #cancelForGroup()}) only interrupts it, as {@code asyncio} only requests a
 * cancellation: the task's outcome is what its body does next. The interrupt is delivered in the INTERRUPTING window,
 * which the runner waits out before it leaves, so it always lands inside this task and the runner clears it then
 * (the thread goes on to other work: a pool's next task, or the owner's {@code join()}).
 */
final class GroupTask<T> extends TaskFuture<T> {
    private static final int NEW = 0;
    private static final int CLAIMED = 1;
    private static final int RUNNING = 2;
    private static final int INTERRUPTING = 3;
    private static final int INTERRUPTED = 4;
    private static final int ENDED = 5;

    /** The group task the current thread is running, for an interrupt that belongs to an enclosing task. */
    private static final ThreadLocal<GroupTask<?>> CURRENT = new ThreadLocal<>();

    private final TaskGroup group;
    /** Dropped once the body starts (or the task ends unstarted), so nothing keeps its captures alive. */
    private Callable<T> work;
    private volatile int phase;
    private volatile Thread runner;
    /** How the future ended, from {@link #onEnd}: published with the final state. */
    private volatile TaskOutcome outcome;
    /** The pool's future of {@link #call()}; null until the pool's submit has returned. */
    volatile TaskFuture<?> inPool;

    GroupTask(TaskGroup group, Callable<T> work) {
        this.group = group;
        this.work = work;
    }

    /** @return true if the calling thread is running a task of {@code group} (whose join() would wait for itself) */
    static boolean runningIn(TaskGroup group) {
        GroupTask<?> current = CURRENT.get();
        return current != null && current.group == group;
    }

    TaskOutcome outcome() {
        return outcome;
    }

    @Override
    void onEnd(TaskOutcome how, boolean started) {
        outcome = how;
    }

    /** For {@code cancel(true)} (the caller's, or the runner's own in {@link #endCancelled()}). */
    @Override
    Thread runner() {
        return runner;
    }

    /** @return true if no thread has claimed the task yet: the group's owner may run it itself */
    boolean unclaimed() {
        return phase == NEW;
    }

    /**
     * The done listener's half of an unstarted cancellation: if nobody claimed the task, it never will, so it ends here.
     *
     * @return true if this call ended the task (the caller tells the group)
     */
    boolean endUnstarted() {
        if (!PHASE.compareAndSet(this, NEW, ENDED)) {
            return false;
        }
        work = null;
        TaskFuture<?> pooled = inPool;
        if (pooled != null) {
            pooled.cancel(); // drop it from the queue; if a worker took it already, runInPool() finds it ENDED
        }
        return true;
    }

    /**
     * What the pool runs (as a {@code Callable} of its own, not this future: a pool that drops a task cancels a
     * {@code Future} it was handed, and this one must end as rejected). A failure is rethrown so that the pool's
     * statistics count it as the group does.
     */
    Object runInPool() throws Exception {
        if (!claim()) {
            return null; // the group's owner ran it, or it was cancelled before it started
        }
        Throwable failure = run();
        if (failure != null) {
            throw GroupTask.<Exception>sneaky(failure);
        }
        if (cancelled() && startedNanos() != 0L) {
            TaskFuture<?> pooled = inPool;
            if (pooled != null) {
                pooled.cancel(true); // cancelled in the pool's statistics too; its interrupt lands here, in this call
                Thread.interrupted();
            }
        }
        return null;
    }

    /**
     * Runs the body in the calling thread instead of the pool (the group's owner, waiting in {@code join()} on a worker
     * of the same pool), if no thread has claimed it yet: the pool's copy is dropped from its queue.
     */
    void runInstead() {
        if (claim()) {
            TaskFuture<?> pooled = inPool;
            if (pooled != null) {
                pooled.cancel();
            }
            run();
        }
    }

    /** @return true if the calling thread now owns the task's one run */
    private boolean claim() {
        if (!PHASE.compareAndSet(this, NEW, CLAIMED)) {
            return false;
        }
        runner = Thread.currentThread();
        phase = RUNNING; // publishes the runner to cancelForGroup
        return true;
    }

    /**
     * Runs the claimed body in the calling thread and ends the task.
     *
     * @return what the body threw if the task failed with it; null otherwise (success, or cancelled)
     */
    private Throwable run() {
        Thread self = Thread.currentThread();
        GroupTask<?> outer = CURRENT.get();
        CURRENT.set(this);
        TaskGroup outerGroup = TaskGroup.enterTask(group);
        Throwable failure = null;
        try {
            if (setRunningOrNotifyCancel()) {
                Callable<T> body = work;
                work = null;
                try {
                    T value = body.call();
                    trySetResult(value);
                } catch (Throwable thrown) {
                    if (isInterruption(thrown) && (phase != RUNNING || group.shuttingDown()
                            || outer != null && outer.stopRequested())) {
                        // Asked to stop (by its group, or through the task this thread runs it in), and it did:
                        // asyncio's cancelled task, not a failure.
                        endCancelled();
                    } else if (trySetException(thrown)) {
                        failure = thrown;
                    }
                }
            }
        } finally {
            work = null;
            leave(self, outer);
            TaskGroup.leaveTask(outerGroup);
            group.taskEnded(this);
        }
        return failure;
    }

    /** The runner's way out: waits out an interrupt in flight and clears every interrupt that was this task's. */
    private void leave(Thread self, GroupTask<?> outer) {
        boolean ours = cancelled() && startedNanos() != 0L; // cancel(true) while it ran, by a caller or endCancelled
        if (!PHASE.compareAndSet(this, RUNNING, ENDED)) {
            while (phase == INTERRUPTING) {
                Thread.onSpinWait();
            }
            phase = ENDED;
            ours = true;
        }
        if (ours) {
            // Clearing can also swallow an unrelated interrupt that arrived in the same moment; the enclosing task's
            // cancellation, the one that matters here, is restored just below.
            Thread.interrupted();
            if (outer != null && outer.stopRequested()) {
                self.interrupt(); // the task this thread runs around this one is being cancelled: keep that interrupt
            }
        }
        runner = null;
        if (outer == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(outer);
        }
    }

    private boolean stopRequested() {
        int p = phase;
        return p == INTERRUPTING || p == INTERRUPTED || cancelled();
    }

    /** Cancels this running task from its own thread: {@code cancel(true)} interrupts the runner, here itself. */
    private void endCancelled() {
        super.cancel(true);
    }

    /**
     * The group's cancellation, as {@code asyncio} does it: an unstarted task is cancelled and never starts; a running
     * one is interrupted and ends as its body decides (cancelled if it stops with an interruption).
     */
    void cancelForGroup() {
        for (;;) {
            int p = phase;
            if (p == NEW) {
                if (cancel()) {
                    return; // pending: the done listener ends it (endUnstarted), or its claimer finds it cancelled
                }
                Thread.onSpinWait(); // just claimed: the future is about to run
            } else if (p == CLAIMED) {
                Thread.onSpinWait(); // its runner is being published
            } else if (p == RUNNING) {
                if (PHASE.compareAndSet(this, RUNNING, INTERRUPTING)) {
                    Thread target = runner;
                    if (target != null) {
                        target.interrupt();
                    }
                    phase = INTERRUPTED;
                    return;
                }
            } else {
                return;
            }
        }
    }

    /**
     * Whether {@code failure} is a task's way of stopping because it was interrupted: an {@link InterruptedException},
     * {@link InterruptedIOException}, {@link ClosedByInterruptException} or {@link CancellationException}, itself or
     * as a cause (Java code often wraps an {@code InterruptedException} in an unchecked exception).
     */
    static boolean isInterruption(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 16; depth++) {
            if (t instanceof InterruptedException || t instanceof InterruptedIOException
                    || t instanceof ClosedByInterruptException || t instanceof CancellationException) {
                return true;
            }
            t = t.getCause();
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    static <X extends Throwable> X sneaky(Throwable failure) throws X {
        throw (X) failure;
    }

    private static final VarHandle PHASE;

    static {
        try {
            PHASE = MethodHandles.lookup().findVarHandle(GroupTask.class, "phase", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
