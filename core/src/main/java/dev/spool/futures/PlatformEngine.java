package dev.spool.futures;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiConsumer;

import dev.spool.internal.SpinPolicy;

/**
 * Platform-thread mode of a {@link ThreadPool}: up to {@code maxWorkers} long-lived worker threads, started on
 * demand (or all at once with prestart), each taking tasks from the queue until it has been idle for the keep-alive
 * time, the pool shrinks below it, or the pool shuts down.
 *
 * <p>An idle worker is woken to look at the control word by a {@link #PILL} in the queue: shutdown, a break and a
 * shrink each post one. A worker that leaves because of a shutdown posts the pill again for the next one. A worker
 * that finds it cannot leave (an admitted task counts on it) drops the pill and takes that task; if the task came
 * after the shutdown, its submitter posts another pill (see {@link PoolEngine}).
 */
final class PlatformEngine extends PoolEngine {
    /** Never counted, never run: wakes one idle worker. */
    private static final PoolTask<Void> PILL = new PoolTask<>(null, new TaskStatistics(), () -> null);
    /** In the hand-off slot: an idle worker spins and has no task yet. Never counted, never run. */
    private static final PoolTask<Void> SPIN = new PoolTask<>(null, new TaskStatistics(), () -> null);
    /** How often a spinner also looks at the queue: a look reads the head node, whose link the next offer writes. */
    private static final int QUEUE_LOOK_MASK = 31;

    private final long keepAliveNanos;
    /** The live workers, by thread: a worker lives long, so a map's cost per thread does not matter here. */
    private final ConcurrentHashMap<Thread, Worker> workers = new ConcurrentHashMap<>();

    PlatformEngine(String name, TaskStatistics statistics, ThreadFactory threadFactory, Runnable initializer,
                   RejectionPolicy rejectionPolicy, int maxWorkers, int queueCapacity, long keepAliveNanos) {
        super(name, statistics, threadFactory, initializer, rejectionPolicy, maxWorkers, queueCapacity);
        this.keepAliveNanos = keepAliveNanos;
    }

    @Override
    void start(PoolTask<?> first) {
        Worker worker = new Worker(first);
        Thread thread = threadFactory.newThread(worker);
        workers.put(thread, worker);
        try {
            thread.start();
        } catch (Throwable failure) {
            workers.remove(thread);
            throw failure;
        }
    }

    @Override
    void forEachThread(BiConsumer<Thread, Slot> action) {
        workers.forEach(action);
    }

    @Override
    boolean isPoolThread(Thread thread) {
        return workers.containsKey(thread);
    }

    /**
     * A worker has left the count; {@code after} is the control word its CAS produced. Forgets the thread and, if it
     * was the last one after shutdown, marks the engine terminated.
     */
    private void workerGone(long after) {
        workers.remove(Thread.currentThread());
        terminatedIfLast(after);
    }

    @Override
    void prestart() {
        startIdleWorkers(false);
    }

    @Override
    void maxWorkersChanged(int previous) {
        int max = maxWorkers;
        if (max > previous) {
            startIdleWorkers(true);
        } else if (max < previous) {
            for (int extra = poolSize() - max; extra > 0; extra--) {
                queue.offer(PILL); // idle extra workers leave now, busy ones when their task ends
            }
        }
    }

    /** Starts idle workers up to maxWorkers; with {@code onlyForWaiting}, only as many as tasks wait. */
    private void startIdleWorkers(boolean onlyForWaiting) {
        long c = ctl();
        while ((c & STATE_MASK) == 0 && count(c) < maxWorkers && (!onlyForWaiting || balance(c) < 0)) {
            long next = c + ONE_WORKER + 1; // one more worker, and it is idle
            long w = exchange(c, next);
            if (w == c) {
                try {
                    start(null);
                } catch (Throwable failure) {
                    terminatedIfLast(add(-(ONE_WORKER + 1)) - (ONE_WORKER + 1));
                    LOG.log(System.Logger.Level.ERROR, "thread pool " + name + " could not start a thread", failure);
                    return;
                }
                c = ctl();
            } else {
                c = w;
            }
        }
    }

    @Override
    PoolTask<?> removeWaiting() {
        for (PoolTask<?> task; (task = queue.poll()) != null; ) {
            if (task != PILL) { // a pill is dropped: whoever drains posts a new one when done
                add(1);
                return task;
            }
        }
        return null;
    }

    @Override
    void wakeIdle() {
        queue.offer(PILL);
    }

    @Override
    boolean handToSpinner(PoolTask<?> task) {
        return HAND_OFF.getAcquire(this) == SPIN && HAND_OFF.compareAndSet(this, SPIN, task);
    }

    /** One worker thread's life. Its fields are only touched by its own thread. */
    private final class Worker implements Runnable, TaskRunner, Slot {
        private PoolTask<?> first;
        /** The task it runs now, for readers on other threads (see {@link #task()}); null when idle. */
        @SuppressWarnings("unused") // through CURRENT
        private PoolTask<?> current;
        /** Counted in the control word's worker count. */
        private boolean counted = true;
        /** Holds an idle token (adds 1 to the balance). */
        private boolean idle;
        /** This thread's share of the pool's histograms: made when the thread starts, folded in when it ends. */
        private TaskStatistics.Recorder recorder;
        /** The end stamp of its last task if that ended unwatched (see {@link #endedUnwatched}), else 0. */
        private long unwatchedEnd;
        /** The start stamp for the task {@link #awaitTask} just returned, or 0 to read the clock. */
        private long nextStart;

        Worker(PoolTask<?> first) {
            this.first = first;
            this.idle = first == null;
        }

        @Override
        public void run() {
            PoolTask<?> task = first;
            first = null;
            boolean initialized = false;
            recorder = statistics.newRecorder();
            try {
                initialized = initialize(task);
                if (!initialized) {
                    return;
                }
                for (;;) {
                    if (task != null) {
                        CURRENT.setRelease(this, task); // a plain store on x86: the watch reads it, never the pool
                        boolean leave = runTask(task, this);
                        CURRENT.setRelease(this, null);
                        task = null; // an idle worker must not keep its last task (and its result) reachable
                        if (leave) {
                            return; // left the count: the pool has more workers than it may
                        }
                    }
                    task = awaitTask();
                    if (task == null) {
                        return;
                    }
                }
            } finally {
                recorder.close();
                if (counted) { // the initializer failed, or the engine itself threw (an Error)
                    long delta = ONE_WORKER + (idle ? 1 : 0);
                    workerGone(add(-delta) - delta);
                    if (initialized) {
                        startIdleWorkers(true);
                    }
                } else {
                    workerGone(ctl());
                }
            }
        }

        @Override
        public PoolTask<?> task() {
            return (PoolTask<?>) CURRENT.getAcquire(this);
        }

        @Override
        public TaskStatistics.Recorder recorder() {
            return recorder;
        }

        @Override
        public long startStamp() {
            return nextStart;
        }

        @Override
        public void endedUnwatched(long endStamp) {
            unwatchedEnd = endStamp;
        }

        /** Becomes idle, or leaves if the pool has more workers than maxWorkers. */
        @Override
        public boolean beforeOutcome() {
            long c = ctl();
            if (count(c) <= maxWorkers) { // the common case, in one atomic add rather than a contended CAS loop
                add(1);
                idle = true; // if a shrink came meanwhile, its pill makes this idle worker leave
                return false;
            }
            for (;;) {
                long w;
                if (count(c) > maxWorkers) {
                    if ((w = exchange(c, c - ONE_WORKER)) == c) {
                        counted = false;
                        return true;
                    }
                } else if ((w = exchange(c, c + 1)) == c) {
                    idle = true;
                    return false;
                }
                c = w;
            }
        }

        /** Waits, idle, for a task. @return the task, or null if the worker has left the count */
        private PoolTask<?> awaitTask() {
            // A task taken at once after one that ended unwatched starts at that one's end stamp: one clock read less
            // per task while the queue is not empty. The few writes of the end and the take count as its execution
            // instead of its queue wait; its latency is exact.
            long endStamp = unwatchedEnd;
            unwatchedEnd = 0L;
            nextStart = 0L;
            if (endStamp != 0L) {
                PoolTask<?> next = queue.poll();
                if (next != null && next != PILL) {
                    idle = false; // the idle token pairs with the task's admission
                    nextStart = endStamp;
                    return next;
                }
                if (next == PILL && tryLeave(false)) {
                    return null;
                }
            }
            // A caller waiting on the last result often submits again at once: one idle worker catches that
            // without parking. One at most, so that idle workers never take a CPU from the threads that submit.
            // Whether it may spin at all is SpinPolicy's call: not while the pool's busy workers take the CPUs.
            PoolTask<?> handed = spinForTask();
            if (handed != null) {
                idle = false; // the idle token pairs with the task's admission
                return handed;
            }
            for (;;) {
                PoolTask<?> task;
                boolean timedOut = false;
                try {
                    task = queue.poll(keepAliveNanos);
                    timedOut = task == null;
                } catch (InterruptedException wakeUp) { // shutdownNow
                    task = null;
                }
                if (task != null && task != PILL) {
                    idle = false; // the idle token pairs with the task's admission
                    return task;
                }
                if (tryLeave(timedOut)) {
                    return null;
                }
            }
        }

        /**
         * Spins for a while as the pool's one spinner, if the pool has none, the queue is empty and SpinPolicy leaves
         * a CPU. Submitters that find it spinning hand it their task through the hand-off slot ({@link #HAND_OFF}).
         *
         * @return the task handed over, or null: none came (the worker then takes from the queue)
         */
        private PoolTask<?> spinForTask() {
            PlatformEngine engine = PlatformEngine.this;
            if (!queue.isEmpty() || HAND_OFF.getAcquire(engine) != null || !SpinPolicy.tryBegin(busyForSpin())) {
                return null;
            }
            try {
                if (!HAND_OFF.compareAndSet(engine, null, SPIN)) {
                    return null; // another worker became the spinner
                }
                for (int spins = SpinPolicy.TASK_SPINS; spins > 0; spins--) {
                    Thread.onSpinWait();
                    if (HAND_OFF.getAcquire(engine) != SPIN
                            || (spins & QUEUE_LOOK_MASK) == 0 && !queue.isEmpty()) { // a pill, or a raced submit
                        break;
                    }
                }
                if (HAND_OFF.compareAndSet(engine, SPIN, null)) {
                    return null;
                }
                PoolTask<?> task = (PoolTask<?>) HAND_OFF.getAcquire(engine); // only this thread clears a task
                HAND_OFF.setRelease(engine, null);
                return task;
            } finally {
                SpinPolicy.end();
            }
        }

        /** Leaves with its idle token if nothing counts on it and there is a reason to: keep-alive, shrink, shutdown. */
        private boolean tryLeave(boolean timedOut) {
            long c = ctl();
            for (;;) {
                if (balance(c) <= 0) {
                    return false; // an admitted task counts on an idle worker: stay and take it
                }
                boolean shutdown = (c & STATE_MASK) != 0;
                if (!timedOut && !shutdown && count(c) <= maxWorkers) {
                    return false;
                }
                long w = exchange(c, c - ONE_WORKER - 1);
                if (w == c) {
                    idle = false;
                    counted = false;
                    if (shutdown) {
                        queue.offer(PILL); // for the next idle worker
                    }
                    return true;
                }
                c = w;
            }
        }
    }

    /**
     * The hand-off slot ({@link PaddedFields.HandOffSlot}) of the one idle worker that may spin for its next task (see
     * {@code awaitTask}): null when none spins, {@link #SPIN} while one spins and waits, and the task a submitter handed
     * it until it takes it. Only the spinner sets {@code SPIN} and clears the slot; a submitter only replaces
     * {@code SPIN} by a task, so a task put there is always taken. A handed task skips the queue, and the signal that
     * would wake a parked worker for a task the spinner takes anyway.
     */
    private static final java.lang.invoke.VarHandle HAND_OFF;
    private static final java.lang.invoke.VarHandle CURRENT;

    static {
        try {
            HAND_OFF = java.lang.invoke.MethodHandles.lookup().findVarHandle(PaddedFields.HandOffSlot.class, "handOff",
                    PoolTask.class);
            CURRENT = java.lang.invoke.MethodHandles.lookup().findVarHandle(Worker.class, "current", PoolTask.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
