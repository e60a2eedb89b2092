package dev.spool.futures;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The machinery behind a {@link ThreadPool}: admission, the queue, the worker count, shutdown and termination. Two
 * subclasses decide what a worker is: {@link PlatformEngine} (long-lived platform threads that take tasks from the
 * queue) and {@link VirtualEngine} (one virtual thread per task).
 *
 * <h2>The control word</h2>
 * One {@code long}, changed only by CAS, holds everything a decision needs, so that no decision can race another:
 * <pre>
 *   bits 60..62  run state: SHUTDOWN, STOP (shutdownNow), BROKEN (an initializer failed)
 *   bits 36..59  count: workers alive (platform), or tasks holding a run slot (virtual)
 *   bits  0..35  balance + 2^35: idle workers minus tasks admitted to the queue and not yet taken
 * </pre>
 * A submit reads the word once and, in one CAS, either hands the task to an idle worker (balance &gt; 0: balance - 1),
 * starts a worker for it (count &lt; maxWorkers: count + 1, the task goes to the new worker directly), or queues it
 * to wait (balance - 1, if fewer than {@code queueCapacity} tasks wait). So {@code -balance} is exactly the number of
 * tasks waiting with no worker for them, the number the queue capacity limits. A platform worker adds 1 to the
 * balance when it becomes idle (before it publishes the result of its last task, so a caller who saw that result
 * and submits again finds it idle), and taking a task from the queue does not change the balance: it pairs an idle
 * worker with an admitted task. An idle worker may leave (keep-alive, shrink, shutdown) only with balance &gt; 0, that
 * is when no admitted task counts on it; that one rule is why no task can be stranded in the queue with nobody to
 * run it, whatever the interleaving of submits and retirements. A virtual engine has no idle workers, so its balance
 * is never positive: a task that finds every slot taken waits, and a task that ends passes its slot to a waiting one.
 *
 * <h2>Shutdown</h2>
 * Setting SHUTDOWN in the word closes admission atomically: a submit whose CAS succeeded before it is accepted and a
 * later one is rejected. An admitted task may reach the queue just after shutdown; the submit sees that when it reads
 * the word after its offer and tries to cancel its own task as a rejection, while a cancelling shutdown's sweep may
 * try to cancel the same task. The future's own CAS out of pending decides: exactly one of them wins, so a task is
 * either rejected (the submit throws) or accepted and then cancelled (the submit returns, and {@code shutdownNow}
 * lists it), never both. The engine is terminated when the count drops to zero with SHUTDOWN set, seen by exactly one
 * thread: the one whose CAS made that happen.
 */
abstract class PoolEngine extends PaddedFields.Engine implements TaskWatch.Watched {
    static final long SHUTDOWN = 1L << 60;
    static final long STOP = 1L << 61;
    static final long BROKEN = 1L << 62;
    static final long STATE_MASK = SHUTDOWN | STOP | BROKEN;
    static final int COUNT_SHIFT = 36;
    static final long ONE_WORKER = 1L << COUNT_SHIFT;
    /** The most workers (platform) or tasks running at once (virtual) an engine can count. */
    static final int MAX_COUNT = (1 << 24) - 1;
    private static final long BALANCE_MASK = ONE_WORKER - 1;
    private static final long BIAS = 1L << 35;

    static final String BROKEN_MESSAGE = "A thread initializer failed, the thread pool is not usable anymore";
    static final System.Logger LOG = System.getLogger("dev.spool.futures");

    final String name;
    final TaskStatistics statistics;
    final TaskQueue queue = new TaskQueue();
    final ThreadFactory threadFactory;
    /** Null when there is none. */
    final Runnable initializer;
    final RejectionPolicy rejectionPolicy;
    /** The run-timeout and queue-timeout, or null when the pool has neither; set before any task is submitted. */
    TaskTimeouts timeouts;
    private final CountDownLatch terminated = new CountDownLatch(1);

    volatile int maxWorkers;
    volatile int queueCapacity;
    /** shutdownNow was called: tasks that still start do so interrupted. */
    volatile boolean stopping;
    private volatile Throwable brokenBy;
    /**
     * Set once, by a shutdown or a break, before the state bits: a submit re-checks this after its offer instead of the
     * control word, a cache line the workers write all the time, while this one is written once.
     */
    private volatile boolean closed;

    PoolEngine(String name, TaskStatistics statistics, ThreadFactory threadFactory, Runnable initializer,
               RejectionPolicy rejectionPolicy, int maxWorkers, int queueCapacity) {
        super(BIAS); // the control word, on a cache line of its own: see PaddedFields
        this.name = name;
        this.statistics = statistics;
        this.threadFactory = threadFactory;
        this.initializer = initializer;
        this.rejectionPolicy = rejectionPolicy;
        this.maxWorkers = maxWorkers;
        this.queueCapacity = queueCapacity;
    }

    // ------------------------------------------------------------------------------------ the control word

    static int count(long c) {
        return (int) ((c >>> COUNT_SHIFT) & MAX_COUNT);
    }

    static long balance(long c) {
        return (c & BALANCE_MASK) - BIAS;
    }

    final long ctl() {
        return (long) CTL.getVolatile(this);
    }

    /** @return the witness value: equal to {@code expected} if the exchange happened */
    final long exchange(long expected, long next) {
        return (long) CTL.compareAndExchange(this, expected, next);
    }

    /** @return the value before the addition */
    final long add(long delta) {
        return (long) CTL.getAndAdd(this, delta);
    }

    /**
     * The thread that runs a task, as the engine sees it (a platform worker, a virtual thread started for the task, or
     * the submitter under caller-runs): what it does between the task's work and the publication of its outcome, and
     * the statistics recorder it lends the task.
     */
    interface TaskRunner {
        /** @return true if the thread has left the count and must end once the outcome is published */
        boolean beforeOutcome();

        /** @return the running thread's own statistics recorder, or null if it has none */
        default TaskStatistics.Recorder recorder() {
            return null;
        }

        /**
         * @return the start stamp for the task about to start, if the thread has one (the end stamp of the task it
         *         ran just before, see {@link #endedUnwatched}); 0 to read the clock
         */
        default long startStamp() {
            return 0L;
        }

        /**
         * The task this thread ran ended at {@code endStamp}, and nothing ran after the stamp but the completion's own
         * writes: no thread woken, no callback, no task listener, no task decorator's wrapper. A thread that takes its
         * next task at once may start it at this stamp, and save a clock read.
         */
        default void endedUnwatched(long endStamp) {
        }
    }

    /**
     * What one live thread of the pool runs now: a platform worker's current task, or the task a virtual thread was
     * started for. Read by other threads (endpoints, the watch), never on a task's path.
     */
    interface Slot {
        /** @return the task the thread runs or is about to run, or null; check {@link PoolTask#running()} */
        PoolTask<?> task();
    }

    /** The submitting thread runs the task (CALLER_RUNS): nothing to do, no interrupt to clear. */
    static final TaskRunner CALLER = () -> false;

    /** A thread started for this one task (virtual mode): nothing to do, and no interrupt of an earlier task. */
    static final TaskRunner FRESH_THREAD = () -> false;

    // ------------------------------------------------------------------------------------ what a mode decides

    /** Starts a worker for {@code first}; the count already includes it. Throws if no thread could be started. */
    abstract void start(PoolTask<?> first);

    /** Takes one task out of the queue on behalf of the pool (not a worker), fixing the balance; null if none. */
    abstract PoolTask<?> removeWaiting();

    /** Wakes idle workers so they see a shutdown, a break or a smaller maxWorkers (platform: a pill). */
    abstract void wakeIdle();

    /**
     * Gives a task that an idle worker's token was taken for straight to an idle worker that spins for one, without
     * the queue. @return false if no worker spins now: the caller queues the task
     */
    boolean handToSpinner(PoolTask<?> task) {
        return false;
    }

    /**
     * Calls {@code action} with each live thread of the pool (a platform worker, or a virtual thread running a task)
     * and what it runs: for names, interrupts, and the running tasks that endpoints and the run-timeout watch read. A
     * thread that starts or ends meanwhile may be missed; none is given twice.
     */
    abstract void forEachThread(BiConsumer<Thread, Slot> action);

    /** @return whether {@code thread} is a live thread of this pool */
    abstract boolean isPoolThread(Thread thread);

    /** maxWorkers changed: start workers for waiting tasks, or let extra ones leave. */
    abstract void maxWorkersChanged(int previous);

    /** Starts the workers a prestarted pool keeps from the start. */
    void prestart() {
    }

    // ------------------------------------------------------------------------------------ admission

    /**
     * Hands a new task to the pool: to an idle worker, to a new worker, or to the queue; a full queue applies the
     * rejection policy.
     *
     * @throws RejectedExecutionException shut down, broken, or full under ABORT; the task is then cancelled and
     *                                    counted as rejected
     */
    final void execute(PoolTask<?> task) {
        long c = ctl();
        for (;;) {
            if ((c & STATE_MASK) != 0) {
                throw rejected(task, c);
            }
            long b = balance(c);
            int n = count(c);
            int max = maxWorkers;
            long w;
            if (b > 0 || (n >= max && -b < queueCapacity)) { // to an idle worker, or to wait for one
                if ((w = exchange(c, c - 1)) == c) {
                    enqueue(task, b > 0);
                    return;
                }
            } else if (n < max) {
                if ((w = exchange(c, c + ONE_WORKER)) == c) {
                    startCounted(task);
                    return;
                }
            } else {
                if (full(task, c)) {
                    return;
                }
                w = ctl();
            }
            c = w;
        }
    }

    /**
     * Queues an admitted task. If a shutdown came between the admission and the offer, the task's one outcome goes to
     * whichever thread cancels it first: this submit (it is rejected: the submit throws and the task is counted
     * rejected) or the shutdown's sweep (it was accepted, then cancelled: the submit returns its future and
     * {@code shutdownNow} hands its work back). A worker may also have started it: it then runs. A task handed to a
     * spinning worker ({@code toIdle}: an idle worker's token was taken for it) is in no queue the sweep could see: it
     * is the submit's or that worker's, as if the worker had taken it out of the queue.
     */
    private void enqueue(PoolTask<?> task, boolean toIdle) {
        if (!toIdle || !handToSpinner(task)) {
            queue.offer(task);
        }
        long c;
        if (closed && ((c = ctl()) & STATE_MASK) != 0) {
            wakeIdle();
            if (task.cancel(TaskOutcome.REJECTED)) {
                throw rejectedException(c);
            }
        }
    }

    /** Starts a worker the count already includes; if no thread can be started, undoes the count and rejects. */
    private void startCounted(PoolTask<?> task) {
        try {
            start(task);
        } catch (Throwable failure) {
            terminatedIfLast(add(-ONE_WORKER) - ONE_WORKER);
            task.cancel(TaskOutcome.REJECTED);
            LOG.log(System.Logger.Level.ERROR, "thread pool " + name + " could not start a thread", failure);
            throw new RejectedExecutionException("thread pool " + name + " could not start a thread", failure);
        }
    }

    /** The queue is full: applies the policy. @return true if the task is dealt with, false to try admission again */
    private boolean full(PoolTask<?> task, long c) {
        switch (rejectionPolicy) {
            case ABORT -> {
                task.cancel(TaskOutcome.REJECTED);
                throw new RejectedExecutionException("thread pool " + name + " is full: " + (-balance(c))
                        + " tasks wait, the queue capacity is " + queueCapacity);
            }
            case DISCARD -> {
                task.cancelUnstarted(TaskOutcome.REJECTED);
                return true;
            }
            case CALLER_RUNS -> {
                runTask(task, CALLER);
                return true;
            }
            case DISCARD_OLDEST -> {
                if (balance(c) >= 0) { // nothing waits (capacity 0): the new task is the oldest
                    task.cancelUnstarted(TaskOutcome.REJECTED);
                    return true;
                }
                PoolTask<?> oldest = removeWaiting();
                if (oldest != null) {
                    oldest.cancelUnstarted(TaskOutcome.REJECTED);
                } else {
                    Thread.onSpinWait(); // an admitted task is still on its way into the queue
                }
                if (isShutdown()) {
                    wakeIdle(); // removeWaiting may have dropped the pill of a shutdown that came meanwhile
                }
                return false;
            }
        }
        throw new AssertionError(rejectionPolicy);
    }

    private RejectedExecutionException rejected(PoolTask<?> task, long c) {
        task.cancel(TaskOutcome.REJECTED);
        return rejectedException(c);
    }

    final RejectedExecutionException rejectedException(long c) {
        if ((c & BROKEN) != 0) {
            return brokenException();
        }
        return new RejectedExecutionException("cannot schedule new tasks after shutdown: thread pool " + name);
    }

    final BrokenThreadPoolException brokenException() {
        return new BrokenThreadPoolException(BROKEN_MESSAGE, brokenBy);
    }

    // ------------------------------------------------------------------------------------ running a task

    /** Runs one task in the calling thread, inside its task decorator's wrapper if it has one; see {@link #run}. */
    final boolean runTask(PoolTask<?> task, TaskRunner taskRunner) {
        TaskDecoration decoration = task.decoration;
        return decoration == null ? run(task, taskRunner) : decoration.runWrapped(taskRunner);
    }

    /**
     * Runs one task in the calling thread: a worker's, or the submitter's under CALLER_RUNS ({@link #CALLER}).
     *
     * @return true if the worker left the count ({@link TaskRunner#beforeOutcome()}) and must end
     */
    final boolean run(PoolTask<?> task, TaskRunner taskRunner) {
        if (taskRunner != CALLER) {
            if (stopping) {
                Thread.currentThread().interrupt();
            } else if (taskRunner != FRESH_THREAD) {
                Thread.interrupted(); // an interrupt meant for an earlier task, or for waking an idle worker
            }
            if (brokenBy != null) { // taken from the queue just as the pool broke
                boolean leave = taskRunner.beforeOutcome();
                task.fail(brokenException());
                return leave;
            }
        }
        TaskTimeouts timeouts = this.timeouts;
        if (timeouts != null) {
            timeouts.beforeStart(task);
        }
        task.recorder = taskRunner.recorder();
        task.runner = Thread.currentThread();
        if (!task.setRunningOrNotifyCancel(taskRunner.startStamp())) {
            return taskRunner.beforeOutcome();
        }
        if (timeouts != null) {
            timeouts.started(task);
        }
        Object value = null;
        Throwable failure = null;
        try {
            value = task.call();
        } catch (Throwable t) {
            failure = t;
        }
        boolean leave = taskRunner.beforeOutcome();
        if (failure == null) {
            long endStamp = task.succeed(value);
            if (endStamp != 0L && task.decoration == null && !statistics.hasListeners()) {
                taskRunner.endedUnwatched(endStamp);
            }
        } else if (task.fail(failure) && task.reportsUncaught()) { // not if cancel(true) dropped the failure
            Thread self = Thread.currentThread();
            try {
                self.getUncaughtExceptionHandler().uncaughtException(self, failure);
            } catch (Throwable ignored) {
                // a failing handler must not take the worker down
            }
        }
        return leave;
    }

    /**
     * Runs the initializer in a new worker thread. On failure the pool breaks, {@code first} fails too.
     *
     * @return true if the worker may go on
     */
    final boolean initialize(PoolTask<?> first) {
        if (initializer == null) {
            return true;
        }
        try {
            initializer.run();
            return true;
        } catch (Throwable failure) {
            breakPool(failure);
            if (first != null) {
                first.fail(brokenException());
            }
            return false;
        }
    }

    // ------------------------------------------------------------------------------------ shutdown, break, end

    /**
     * Closes admission. With {@code cancelFutures} the waiting tasks are cancelled; with {@code now} running ones are
     * interrupted too.
     *
     * @return with {@code now}, the work of the tasks that were cancelled and never started (for shutdownNow)
     */
    final List<Runnable> shutdown(boolean cancelFutures, boolean now) {
        if (now) {
            stopping = true;
        }
        closed = true;
        long before = (long) CTL.getAndBitwiseOr(this, SHUTDOWN | (now ? STOP : 0L));
        List<Runnable> never = new ArrayList<>();
        if (cancelFutures || now) {
            for (PoolTask<?> task; (task = removeWaiting()) != null; ) {
                if (now) { // shutdownNow hands the work back to the caller, as the JDK does: it is not cancelled
                    Runnable work = task.work();
                    if (task.cancel(TaskOutcome.CANCELLED) && work != null) {
                        never.add(work);
                    }
                } else {
                    task.cancelUnstarted(TaskOutcome.CANCELLED);
                }
            }
        }
        wakeIdle();
        if (count(before) == 0) {
            terminated.countDown();
        }
        if (now) {
            forEachThread((thread, slot) -> thread.interrupt());
        }
        return never;
    }

    /** An initializer failed: the pool breaks for good, every waiting task fails with its own exception. */
    final void breakPool(Throwable cause) {
        synchronized (this) { // once: the first failure is the cause
            if (brokenBy != null) {
                return;
            }
            brokenBy = cause;
        }
        LOG.log(System.Logger.Level.ERROR, "thread pool " + name + ": " + BROKEN_MESSAGE, cause);
        closed = true;
        long before = (long) CTL.getAndBitwiseOr(this, SHUTDOWN | BROKEN);
        for (PoolTask<?> task; (task = removeWaiting()) != null; ) {
            task.fail(brokenException());
        }
        wakeIdle();
        if (count(before) == 0) {
            terminated.countDown();
        }
    }

    final void terminatedIfLast(long after) {
        if (count(after) == 0 && (after & STATE_MASK) != 0) {
            terminated.countDown();
        }
    }

    // ------------------------------------------------------------------------------------ reading

    final boolean isShutdown() {
        return (ctl() & STATE_MASK) != 0;
    }

    final boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    final boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    final ExecutorState state() {
        long c = ctl();
        return (c & BROKEN) != 0 ? ExecutorState.BROKEN
                : (c & SHUTDOWN) != 0 ? ExecutorState.SHUTDOWN
                : ExecutorState.RUNNING;
    }

    final int poolSize() {
        return count(ctl());
    }

    /**
     * The CPUs this pool's running tasks take now, for {@link dev.spool.internal.SpinPolicy}: workers alive minus idle
     * ones (platform), or run slots taken (virtual), from one value of the control word.
     */
    final int busyForSpin() {
        long c = ctl();
        long b = balance(c);
        // Tasks waiting with no worker: every worker is busy and more work is runnable, so nobody should spin.
        return b < 0 ? Integer.MAX_VALUE : (int) Math.max(0L, count(c) - b);
    }

    /**
     * The tasks waiting with no worker for them, read from one value of the control word: exact at that instant, and
     * so never above the queue capacity in force when the last of them was admitted (a capacity lowered since keeps the
     * tasks already waiting), never below zero. A task handed to an idle or a new worker is not waiting.
     */
    final int waiting() {
        long b = balance(ctl());
        return b < 0 ? (int) Math.min(-b, Integer.MAX_VALUE) : 0;
    }

    final List<String> threadNames() {
        List<String> names = new ArrayList<>();
        forEachThread((thread, slot) -> names.add(workerName(thread)));
        names.sort(null);
        return names;
    }

    /** @return a thread's name, or {@code #<id>} for an unnamed virtual thread, as thread dumps show it */
    static String workerName(Thread thread) {
        String name = thread.getName();
        return name.isEmpty() ? "#" + thread.threadId() : name;
    }

    // ------------------------------------------------------------------------------------ running tasks, timeouts

    /**
     * The tasks running now, by worker name. A task that starts or ends during the read may be missed; none is shown
     * twice or after it ended.
     */
    final List<RunningTask> runningTasks(boolean withStacks) {
        long now = System.nanoTime();
        TaskTimeouts t = timeouts;
        List<RunningTask> running = new ArrayList<>();
        forEachThread((thread, slot) -> {
            PoolTask<?> task = slot.task();
            long started;
            if (task == null || (started = task.startedNanos()) == 0L || !task.running()) {
                return;
            }
            long ran = Math.max(0L, now - started);
            StackTraceElement[] stack = withStacks ? thread.getStackTrace() : new StackTraceElement[0];
            if (withStacks && !task.running()) {
                return; // ended while its stack was taken: that stack is of whatever the worker does next
            }
            running.add(new RunningTask(workerName(thread), task.description(), RunningTask.instantOf(started),
                    Duration.ofNanos(ran), t != null && t.ranTooLong(started, now), List.of(stack)));
        });
        running.sort(Comparator.comparing(RunningTask::worker));
        return running;
    }

    /** @return the run-timeout and queue-timeout statistics, the hung count read now */
    final TimeoutStats timeoutStats() {
        TaskTimeouts t = timeouts;
        if (t == null) {
            return TimeoutStats.NONE;
        }
        int[] hung = {0};
        if (t.runNanos > 0) {
            long now = System.nanoTime();
            forEachThread((thread, slot) -> {
                PoolTask<?> task = slot.task();
                long started;
                if (task != null && (started = task.startedNanos()) != 0L && task.running()
                        && t.ranTooLong(started, now)) {
                    hung[0]++;
                }
            });
        }
        return t.stats(hung[0]);
    }

    /**
     * The watch's look at this pool ({@link TaskWatch}): a task that has just run past the run-timeout is reported
     * once; with {@code cancelOnQueueTimeout}, queued tasks that waited past the queue-timeout are cancelled (the queue
     * is in submit order, so the look stops at the first one that has not).
     */
    @Override
    public final String watchedName() {
        return "thread pool " + name;
    }

    @Override
    public final boolean watchEnded() {
        return isTerminated();
    }

    @Override
    public final long tickNanos() {
        return timeouts.tickNanos();
    }

    @Override
    public final void scanTimeouts(long now) {
        TaskTimeouts t = timeouts;
        if (t.runNanos > 0) {
            forEachThread((thread, slot) -> {
                PoolTask<?> task = slot.task();
                long started;
                if (task != null && !task.reportedHung && (started = task.startedNanos()) != 0L && task.running()
                        && t.ranTooLong(started, now)) {
                    task.reportedHung = true;
                    t.crossed(name, task, thread, workerName(thread), now - started);
                }
            });
        }
        if (t.cancelOnQueueTimeout) {
            for (PoolTask<?> task : queue) {
                if (!t.waitedTooLong(task.submittedNanos(), now)) {
                    break;
                }
                if (task.engine() != null) { // not a pill
                    t.cancelLate(task);
                }
            }
        }
    }

    private static final VarHandle CTL;

    static {
        try {
            CTL = MethodHandles.lookup().findVarHandle(PaddedFields.ControlWord.class, "ctl", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
