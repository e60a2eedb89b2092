package dev.spool.futures;

import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import dev.spool.stats.DurationHistogram;
import dev.spool.internal.Timeouts;

/**
 * A pool of threads with Python's {@code ThreadPoolExecutor} behaviour, observable, resizable at run time, and able
 * to run each task in a virtual thread of its own.
 *
 * <pre>{@code
 * try (ThreadPool pool = ThreadPool.builder().name("io").maxWorkers(8).build()) {
 *     TaskFuture<Page> page = pool.submit(() -> fetch(url));
 *     List<Integer> sizes = pool.map(this::size, urls).toList();
 * }
 * }</pre>
 *
 * <h2>Workers</h2>
 * A new pool has no threads. A submitted task goes to an idle worker if there is one; otherwise a new worker thread
 * starts for it while the pool has fewer than {@code maxWorkers} (default {@code min(32, cpus + 4)}, as in Python);
 * otherwise it waits in the queue, first in, first out. A worker counts itself idle before it publishes the outcome of
 * its task, so a caller that waits for each result before it submits the next one is served by a single thread. A
 * worker that has waited {@code keepAlive} (default 60 s) for a task ends; the pool starts workers again on demand.
 * With {@code prestart(true)} the pool starts all {@code maxWorkers} workers when it is built (they are then subject
 * to keep-alive like any other). Worker threads are named {@code <prefix>_<i>} (Python's form; {@code i} counts the
 * threads the pool has started, from 0). The separator is left out when the prefix already ends in {@code -},
 * {@code _}, {@code .} or a space, and without {@code threadNamePrefix} the prefix is {@code <name>-}: a pool named
 * {@code io} has threads {@code io-0}, {@code io-1}, … They do not inherit the submitter's inheritable thread-locals.
 *
 * <h2>The JVM and its exit</h2>
 * Worker threads are not daemon threads: as in Python, the JVM does not exit while a task runs or waits in the queue.
 * An idle worker ends after keep-alive, so a pool that nobody shuts down keeps an otherwise finished JVM alive for at
 * most that long after its last task. A pool that becomes unreachable without a shutdown is shut down (as
 * {@code shutdown(false, false)}) once the garbage collector notices: its queued tasks still run, then its workers end.
 * Shut pools down explicitly (try-with-resources, or let the Spring starter do it).
 *
 * <h2>Bounded queue</h2>
 * {@code queueCapacity} (default unbounded) limits the tasks that wait with no worker for them; a task handed to an
 * idle or a new worker does not count, so a capacity of 0 means direct hand-off. A task that finds the queue full is
 * handled by the {@link RejectionPolicy} (default {@code ABORT}). {@link #resize(int)} and
 * {@link #setQueueCapacity(int)} apply at once and lose no task: extra workers end when they are idle, and a capacity
 * below the current depth keeps the waiting tasks and only refuses new ones.
 *
 * <h2>Virtual threads</h2>
 * With {@code virtualThreads(true)} every task runs in a new virtual thread of its own, and {@code maxWorkers} (by
 * default unlimited) is how many tasks may run at once; the others wait in the queue, with the same capacity and
 * policy. Keep-alive and prestart do not apply (nothing idles), and the initializer runs in every task's thread,
 * before the task. {@link #type()} says {@link ExecutorType#VIRTUAL}. Virtual threads are left unnamed, as the JDK's
 * {@code newVirtualThreadPerTaskExecutor()} leaves them (a name costs a string per task), unless
 * {@code threadNamePrefix} is given. Virtual threads are daemon threads: the JVM does not wait for them at exit.
 *
 * <h2>Initializer</h2>
 * The initializer runs once in each new worker thread, before its first task. If it throws, the pool is broken for
 * good: the failure is logged at ERROR on logger {@code dev.spool.futures}, every task still waiting fails with its
 * own {@link BrokenThreadPoolException} (the initializer's exception is its cause), and every later submit throws
 * one. Tasks already running finish normally. A broken pool counts as shut down.
 *
 * <h2>Task decorator</h2>
 * {@link Builder#taskDecorator} wraps the execution of every task, applied in the submitting thread at submit time,
 * for context propagation (MDC, security context, tracing). Without one, nothing is wrapped or allocated.
 * {@link Builder#carryScopedValues} does the same for {@code ScopedValue} bindings, on JDK 25 or newer.
 *
 * <h2>Shutdown</h2>
 * See {@link ManagedExecutor}. After {@code shutdown} every {@code submit}, {@code execute} and {@code map} throws
 * {@link RejectedExecutionException} (a submit that races with the shutdown is either accepted and run, or rejected
 * with its future cancelled). A waiting shutdown called from one of the pool's own threads would wait for itself
 * forever, so it throws {@link IllegalStateException} instead, after starting the shutdown.
 *
 * <h2>Statistics</h2>
 * {@link #stats()} counts every task once, when it ends: completed, failed, cancelled or rejected (a task refused by
 * a full queue, a shutdown or a {@code DISCARD} policy). A task cancelled while it waits leaves the statistics at once.
 */
public final class ThreadPool implements ManagedExecutor {
    /**
     * The most worker threads a platform pool can have (2^24 - 1); a virtual pool given more runs without a limit.
     */
    public static final int MAX_WORKERS = PoolEngine.MAX_COUNT;

    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

    private final String name;
    private final ExecutorType type;
    private final TaskStatistics statistics = new TaskStatistics();
    private final PoolEngine engine;
    /** Null when there is none. */
    private final UnaryOperator<Runnable> taskDecorator;

    /** Makes a pool with every default: named {@code ThreadPool-<n>}, {@code min(32, cpus + 4)} workers. */
    public ThreadPool() {
        this(new Builder());
    }

    private ThreadPool(Builder builder) {
        this.name = builder.name != null ? builder.name : "ThreadPool-" + POOL_NUMBER.incrementAndGet();
        this.type = builder.virtualThreads ? ExecutorType.VIRTUAL : ExecutorType.THREAD;
        this.taskDecorator = outermost(builder.scopedValueCarrier, builder.taskDecorator);
        String prefix = threadNamePrefix(builder.threadNamePrefix != null ? builder.threadNamePrefix : name + "-");
        if (builder.virtualThreads) {
            // Unnamed unless asked, as the JDK's virtual-thread-per-task executor: naming costs a string per task.
            Thread.Builder.OfVirtual virtual = Thread.ofVirtual().inheritInheritableThreadLocals(false);
            ThreadFactory factory = (builder.threadNamePrefix != null ? virtual.name(prefix, 0) : virtual).factory();
            int limit = builder.maxWorkers > 0 ? checkMaxWorkers(builder.maxWorkers, true) : PoolEngine.MAX_COUNT;
            this.engine = new VirtualEngine(name, statistics, factory, builder.initializer, builder.rejectionPolicy,
                    limit, builder.queueCapacity);
        } else {
            ThreadFactory factory = Thread.ofPlatform().name(prefix, 0).daemon(false)
                    .inheritInheritableThreadLocals(false).factory();
            int max = builder.maxWorkers > 0 ? builder.maxWorkers : defaultMaxWorkers();
            this.engine = new PlatformEngine(name, statistics, factory, builder.initializer, builder.rejectionPolicy,
                    max, builder.queueCapacity, Timeouts.nanos(builder.keepAlive));
        }
        engine.timeouts = TaskTimeouts.of(builder.runTimeout, builder.interruptOnRunTimeout, builder.queueTimeout,
                builder.cancelOnQueueTimeout);
        if (engine.timeouts != null) {
            TaskWatch.watch(engine);
        }
        Unreachable.CLEANER.register(this, new Unreachable(engine));
        if (builder.prestart) {
            engine.prestart();
        }
    }

    /** @return a builder with every default */
    public static Builder builder() {
        return new Builder();
    }

    private static String threadNamePrefix(String prefix) {
        if (prefix.isEmpty()) {
            return prefix;
        }
        char last = prefix.charAt(prefix.length() - 1);
        return last == '-' || last == '_' || last == '.' || last == ' ' ? prefix : prefix + "_";
    }

    /** The scoped values' carrier around the task decorator, so the decorator's wrapper sees the bindings too. */
    private static UnaryOperator<Runnable> outermost(UnaryOperator<Runnable> carrier,
                                                     UnaryOperator<Runnable> decorator) {
        if (carrier == null || decorator == null) {
            return carrier != null ? carrier : decorator;
        }
        return task -> carrier.apply(decorator.apply(task));
    }

    /** Python's default: {@code min(32, cpus + 4)}. */
    private static int defaultMaxWorkers() {
        return Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
    }

    // ------------------------------------------------------------------------------------------ identity

    @Override
    public String name() {
        return name;
    }

    /** @return {@link ExecutorType#THREAD}, or {@link ExecutorType#VIRTUAL} for a pool built with virtual threads */
    @Override
    public ExecutorType type() {
        return type;
    }

    /**
     * @return a snapshot: state, {@code maxWorkers} ({@link Integer#MAX_VALUE} for an unlimited virtual pool),
     * {@code poolSize} (worker threads alive, or virtual threads running a task), queue capacity
     * ({@link Integer#MAX_VALUE} when unbounded), counters and latencies
     */
    @Override
    public ExecutorStats stats() {
        return statistics.snapshot(engine.state(), reportedMaxWorkers(), engine.poolSize(), engine.waiting(),
                engine.queueCapacity);
    }

    private int reportedMaxWorkers() {
        int max = engine.maxWorkers;
        return type == ExecutorType.VIRTUAL && max >= PoolEngine.MAX_COUNT ? Integer.MAX_VALUE : max;
    }

    /** {@inheritDoc} */
    @Override
    public DurationHistogram queueWaitHistogram() {
        return statistics.queueWaitHistogram();
    }

    /** {@inheritDoc} */
    @Override
    public DurationHistogram executionHistogram() {
        return statistics.executionHistogram();
    }

    /** {@inheritDoc} */
    @Override
    public DurationHistogram latencyHistogram(TaskOutcome outcome) {
        return statistics.latencyHistogram(outcome);
    }

    /**
     * Whether {@code thread} is one of this pool's workers (or a virtual thread running one of its tasks): a
     * {@link TaskGroup} whose owner is runs its queued tasks itself in {@code join()} rather than block a worker.
     */
    boolean runsIn(Thread thread) {
        return engine.isPoolThread(thread);
    }

    /**
     * @return the names of the pool's live threads (workers, or the virtual threads running tasks), sorted; an
     * unnamed virtual thread is shown as {@code #<threadId>}, as thread dumps show it
     */
    public List<String> threadNames() {
        return engine.threadNames();
    }

    /**
     * The tasks running now, with their worker, description, start and running time, and whether each has run past
     * the run-timeout; see {@link ManagedExecutor#runningTasks(boolean)}. A task run by its submitter under
     * {@link RejectionPolicy#CALLER_RUNS} is not a worker's and is not listed.
     */
    @Override
    public List<RunningTask> runningTasks(boolean withStacks) {
        return engine.runningTasks(withStacks);
    }

    /** {@inheritDoc} */
    @Override
    public TimeoutStats timeoutStats() {
        return engine.timeoutStats();
    }

    /** The engine behind this pool, for tests of this package. */
    PoolEngine engine() {
        return engine;
    }

    @Override
    public void addTaskListener(TaskListener listener) {
        statistics.addListener(listener);
    }

    @Override
    public void removeTaskListener(TaskListener listener) {
        statistics.removeListener(listener);
    }

    // ------------------------------------------------------------------------------------------ run-time sizing

    /**
     * Changes {@code maxWorkers} now. Growing starts workers at once for tasks that wait; shrinking lets the extra
     * workers end as soon as they are idle (a running task is never interrupted). For a virtual pool it is the
     * number of tasks that may run at once; a value of {@link Integer#MAX_VALUE} means unlimited.
     *
     * @param maxWorkers at least 1; at most 16,777,215 for platform threads
     * @throws IllegalArgumentException if {@code maxWorkers} is out of range; nothing changes then
     */
    public synchronized void resize(int maxWorkers) {
        int limit = checkMaxWorkers(maxWorkers, type == ExecutorType.VIRTUAL);
        int previous = engine.maxWorkers;
        engine.maxWorkers = limit;
        engine.maxWorkersChanged(previous);
    }

    /**
     * Changes the queue capacity now: the most tasks that may wait with no worker for them. It only affects
     * admission: tasks already waiting stay, even above a smaller capacity.
     *
     * @param queueCapacity 0 (direct hand-off) or more; {@link Integer#MAX_VALUE} means unbounded
     * @throws IllegalArgumentException if {@code queueCapacity} is negative; nothing changes then
     */
    public void setQueueCapacity(int queueCapacity) {
        engine.queueCapacity = checkQueueCapacity(queueCapacity);
    }

    private static int checkMaxWorkers(int maxWorkers, boolean virtual) {
        if (maxWorkers < 1) {
            throw new IllegalArgumentException("maxWorkers must be greater than 0, was " + maxWorkers);
        }
        if (maxWorkers > PoolEngine.MAX_COUNT) {
            if (virtual) {
                return PoolEngine.MAX_COUNT;
            }
            throw new IllegalArgumentException("maxWorkers must be at most " + PoolEngine.MAX_COUNT + ", was "
                    + maxWorkers);
        }
        return maxWorkers;
    }

    private static int checkQueueCapacity(int queueCapacity) {
        if (queueCapacity < 0) {
            throw new IllegalArgumentException("queueCapacity must be 0 or more, was " + queueCapacity);
        }
        return queueCapacity;
    }

    // ------------------------------------------------------------------------------------------ submitting

    /**
     * Schedules {@code task}.
     *
     * @param task what to run, not null
     * @return its future: the task's result, or the exception it threw
     * @throws RejectedExecutionException       if the pool is shut down, or its queue is full under
     *                                          {@link RejectionPolicy#ABORT}
     * @throws BrokenThreadPoolException        if an initializer failed
     * @throws NullPointerException             if {@code task} is null
     */
    @Override
    public <T> TaskFuture<T> submit(Callable<T> task) {
        PoolTask<T> future = new PoolTask<>(engine, statistics, Objects.requireNonNull(task, "task"));
        execute(future);
        return future;
    }

    /**
     * {@link #submit(Callable)}, with a name for the task that {@link #runningTasks(boolean)}, the endpoint and the
     * run-timeout's log line show instead of the task's class.
     *
     * @param name what the task is, for people (for example {@code "nightly-report"}), not null
     * @throws RejectedExecutionException as {@link #submit(Callable)}
     * @throws NullPointerException       if an argument is null
     */
    @Override
    public <T> TaskFuture<T> submit(String name, Callable<T> task) {
        PoolTask<T> future = new PoolTask<>(engine, statistics, Objects.requireNonNull(task, "task"));
        future.name = Objects.requireNonNull(name, "name");
        execute(future);
        return future;
    }

    /**
     * {@link #submit(Runnable)}, with a name for the task; see {@link #submit(String, Callable)}.
     *
     * @throws RejectedExecutionException as {@link #submit(Callable)}
     * @throws NullPointerException       if an argument is null
     */
    @Override
    public TaskFuture<?> submit(String name, Runnable task) {
        PoolTask<Object> future = new PoolTask<>(engine, statistics, Objects.requireNonNull(task, "task"), null, false);
        future.name = Objects.requireNonNull(name, "name");
        execute(future);
        return future;
    }

    /**
     * Schedules {@code task}; its future's result is null.
     *
     * @throws RejectedExecutionException as {@link #submit(Callable)}
     * @throws NullPointerException       if {@code task} is null
     */
    @Override
    public TaskFuture<?> submit(Runnable task) {
        return submit(task, null);
    }

    /**
     * Schedules {@code task}; its future's result is {@code result}.
     *
     * @throws RejectedExecutionException as {@link #submit(Callable)}
     * @throws NullPointerException       if {@code task} is null
     */
    @Override
    public <T> TaskFuture<T> submit(Runnable task, T result) {
        PoolTask<T> future = new PoolTask<>(engine, statistics, Objects.requireNonNull(task, "task"), result, false);
        execute(future);
        return future;
    }

    /**
     * Schedules {@code command} with no future to look at: if it throws, the exception also goes to the running
     * thread's {@linkplain Thread.UncaughtExceptionHandler uncaught-exception handler} (the worker lives on). It is
     * counted like any task.
     *
     * @throws RejectedExecutionException as {@link #submit(Callable)}
     * @throws NullPointerException       if {@code command} is null
     */
    @Override
    public void execute(Runnable command) {
        execute(new PoolTask<>(engine, statistics, Objects.requireNonNull(command, "command"), null, true));
    }

    /**
     * {@link #submit(String, Callable)} without this pool's task decorator: for a {@link ScheduledPool}, whose runs
     * were decorated in the thread that scheduled them.
     */
    <T> TaskFuture<T> submitUndecorated(String name, Callable<T> task) {
        PoolTask<T> future = new PoolTask<>(engine, statistics, task);
        future.name = name;
        engine.execute(future);
        return future;
    }

    private void execute(PoolTask<?> task) {
        if (taskDecorator != null) {
            TaskDecoration.decorate(engine, task, taskDecorator);
        }
        engine.execute(task);
    }

    /**
     * Python's {@code map}, on this pool; see {@link ManagedExecutor#map(Function, Iterable, MapOptions)}. The chunk
     * size is ignored, as Python's thread pool ignores it.
     *
     * @throws RejectedExecutionException if the pool is shut down (even with no items) or refuses a task; the tasks
     *                                    already submitted are then cancelled
     * @throws NullPointerException       if an argument is null
     */
    @Override
    public <T, R> Stream<R> map(Function<? super T, ? extends R> fn, Iterable<? extends T> items, MapOptions options) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(options, "options");
        long c = engine.ctl();
        if ((c & PoolEngine.STATE_MASK) != 0) {
            throw engine.rejectedException(c);
        }
        if (fn instanceof CheckedFunction<? super T, ? extends R> checked) { // its checked exception is the cause
            return MapStream.of(item -> submit(() -> checked.applyChecked(item)), items, options);
        }
        return MapStream.of(item -> submit(() -> fn.apply(item)), items, options);
    }

    // ------------------------------------------------------------------------------------------ shutting down

    /**
     * Python's {@code shutdown(wait, cancel_futures)}: no new tasks from now on; with {@code cancelFutures} the tasks
     * that have not started are cancelled, otherwise they still run; running tasks run to their end. With
     * {@code wait}, returns when every task has ended and every worker thread has ended; an interrupt while waiting
     * calls {@link #shutdownNow()} and the wait goes on (the interrupt status is set again on return), as the JDK's
     * {@code close()} does. Safe to call any number of times.
     *
     * @throws IllegalStateException if {@code wait} is true and the calling thread is one of this pool's own (it
     *                               would wait for itself); the shutdown has started all the same
     */
    @Override
    public void shutdown(boolean wait, boolean cancelFutures) {
        engine.shutdown(cancelFutures, false);
        if (wait) {
            awaitEnd();
        }
    }

    /** {@code shutdown(true, false)}, so that try-with-resources waits for the pool, like Python's {@code with}. */
    @Override
    public void close() {
        shutdown(true, false);
    }

    /**
     * Shuts down, cancels every task that has not started (so nobody waits forever on its future), and interrupts the
     * running ones. Does not wait.
     *
     * @return the work of the cancelled tasks: each submitted {@code Runnable}, or a {@code Runnable} that calls the
     * submitted {@code Callable}
     */
    @Override
    public List<Runnable> shutdownNow() {
        return engine.shutdown(true, true);
    }

    /** @return true once {@code shutdown} (in any form) was called, or the pool broke */
    @Override
    public boolean isShutdown() {
        return engine.isShutdown();
    }

    /** @return true once the pool is shut down and every task has ended */
    @Override
    public boolean isTerminated() {
        return engine.isTerminated();
    }

    /**
     * Waits until the pool is terminated (shut down, and every task ended), at most {@code timeout}.
     *
     * @return true if terminated, false if the time ran out
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return engine.awaitTermination(timeout, Objects.requireNonNull(unit, "unit"));
    }

    private void awaitEnd() {
        Thread self = Thread.currentThread();
        if (engine.isPoolThread(self)) {
            throw new IllegalStateException("shutdown(wait=true) called from " + self.getName()
                    + ", a thread of pool " + name + ", would wait for itself");
        }
        List<Thread> threads = new ArrayList<>();
        engine.forEachThread((thread, slot) -> threads.add(thread));
        boolean interrupted = false;
        while (!engine.isTerminated()) {
            try {
                engine.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                if (!interrupted) {
                    interrupted = true;
                    shutdownNow();
                }
            }
        }
        for (Thread thread : threads) { // terminated: each has ended its last task and is on its way out
            for (;;) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            self.interrupt();
        }
    }

    @Override
    public String toString() {
        ExecutorStats s = stats();
        return "ThreadPool[" + name + ", " + type.tag() + ", " + s.state() + ", poolSize=" + s.poolSize()
                + ", maxWorkers=" + s.maxWorkers() + ", active=" + s.active() + ", queued=" + s.queued() + "]";
    }

    /** Shuts down the engine of a pool that became unreachable; holds the engine, never the pool. */
    private record Unreachable(PoolEngine engine) implements Runnable {
        static final Cleaner CLEANER = Cleaner.create(runnable -> {
            Thread thread = new Thread(runnable, "spool-cleaner");
            thread.setDaemon(true);
            return thread;
        });

        @Override
        public void run() {
            engine.shutdown(false, false);
        }
    }

    // ------------------------------------------------------------------------------------------ builder

    /**
     * Configures a {@link ThreadPool}. Each setter checks its argument at once and throws
     * {@link IllegalArgumentException} or {@link NullPointerException} with the reason; {@link #build()} makes the
     * pool. A builder may build several pools.
     */
    public static final class Builder {
        private String name;
        private int maxWorkers; // 0: the default of the mode
        private String threadNamePrefix;
        private Runnable initializer;
        private int queueCapacity = Integer.MAX_VALUE;
        private RejectionPolicy rejectionPolicy = RejectionPolicy.ABORT;
        private Duration keepAlive = Duration.ofSeconds(60);
        private boolean virtualThreads;
        private boolean prestart;
        private UnaryOperator<Runnable> taskDecorator;
        private UnaryOperator<Runnable> scopedValueCarrier;
        private Duration runTimeout;
        private boolean interruptOnRunTimeout;
        private Duration queueTimeout;
        private boolean cancelOnQueueTimeout;

        private Builder() {
        }

        /**
         * @param name the pool's name: its bean name in Spring, the {@code name} tag of its meters, and the default
         *             thread-name prefix; default {@code ThreadPool-<n>}
         * @return this builder
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder name(String name) {
            if (Objects.requireNonNull(name, "name").isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        /**
         * @param maxWorkers the most worker threads (default {@code min(32, cpus + 4)}), or for a virtual pool the
         *                   most tasks running at once (default unlimited)
         * @return this builder
         * @throws IllegalArgumentException if {@code maxWorkers < 1}, or above 16,777,215 for platform threads
         */
        public Builder maxWorkers(int maxWorkers) {
            if (maxWorkers < 1) {
                throw new IllegalArgumentException("maxWorkers must be greater than 0, was " + maxWorkers);
            }
            this.maxWorkers = maxWorkers;
            return this;
        }

        /**
         * @param threadNamePrefix threads are named {@code <prefix>_<i>}, or {@code <prefix><i>} when the prefix ends
         *                         in {@code -}, {@code _}, {@code .} or a space; default {@code <name>-} (a virtual
         *                         pool without a prefix leaves its threads unnamed)
         * @return this builder
         */
        public Builder threadNamePrefix(String threadNamePrefix) {
            this.threadNamePrefix = Objects.requireNonNull(threadNamePrefix, "threadNamePrefix");
            return this;
        }

        /**
         * @param initializer runs once in each new worker thread before its first task (for a virtual pool: in each
         *                    task's thread); if it throws, the pool breaks (see {@link ThreadPool})
         * @return this builder
         */
        public Builder initializer(Runnable initializer) {
            this.initializer = Objects.requireNonNull(initializer, "initializer");
            return this;
        }

        /**
         * @param queueCapacity the most tasks that may wait with no worker for them: 0 (direct hand-off) or more;
         *                      default {@link Integer#MAX_VALUE}, unbounded
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = checkQueueCapacity(queueCapacity);
            return this;
        }

        /**
         * @param rejectionPolicy what a task that finds the queue full gets; default {@link RejectionPolicy#ABORT}
         * @return this builder
         */
        public Builder rejectionPolicy(RejectionPolicy rejectionPolicy) {
            this.rejectionPolicy = Objects.requireNonNull(rejectionPolicy, "rejectionPolicy");
            return this;
        }

        /**
         * @param keepAlive how long an idle worker waits for a task before it ends (default 60 s; a very long
         *                  duration keeps workers for good). Ignored by a virtual pool
         * @return this builder
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder keepAlive(Duration keepAlive) {
            Objects.requireNonNull(keepAlive, "keepAlive");
            if (keepAlive.isNegative() || keepAlive.isZero()) {
                throw new IllegalArgumentException("keepAlive must be positive, was " + keepAlive);
            }
            this.keepAlive = keepAlive;
            return this;
        }

        /**
         * @param virtualThreads run every task in a virtual thread of its own (default false: platform workers)
         * @return this builder
         */
        public Builder virtualThreads(boolean virtualThreads) {
            this.virtualThreads = virtualThreads;
            return this;
        }

        /**
         * @param prestart start all {@code maxWorkers} workers (and run their initializers) when the pool is built,
         *                 instead of on demand (default false). Platform threads only
         * @return this builder
         */
        public Builder prestart(boolean prestart) {
            this.prestart = prestart;
            return this;
        }

        /**
         * Wraps the execution of every task, for context propagation (MDC, security context, tracing): the
         * decorator is applied in the submitting thread when the task is submitted, to a {@link Runnable} that is
         * the whole execution of the task (start, the work, the outcome); the task's thread then runs what the
         * decorator returned. So the decorator can capture the submitter's context and set it around the task.
         * The Spring starter adapts Spring {@code TaskDecorator} beans to it. Without one (the default) nothing is
         * wrapped or allocated.
         *
         * <p>The wrapper must run the given {@code Runnable} once, in its own thread. If the decorator throws or
         * returns null, {@code submit} throws that (a {@link NullPointerException} for null) and the task is
         * counted as rejected. If the wrapper throws before running the task, or returns without running it, the
         * task's future fails with that exception (or an {@link IllegalStateException}); an exception the wrapper
         * throws after the task has run is logged. A task run by the submitter under
         * {@link RejectionPolicy#CALLER_RUNS} is wrapped too.
         *
         * @param taskDecorator applied to each task at submit
         * @return this builder
         */
        public Builder taskDecorator(UnaryOperator<Runnable> taskDecorator) {
            this.taskDecorator = Objects.requireNonNull(taskDecorator, "taskDecorator");
            return this;
        }

        /**
         * Carries the submitting thread's bindings of these {@code java.lang.ScopedValue}s into the task's thread,
         * on JDK 25 or newer: each is bound, around the task, to the value it had when the task was submitted (see
         * {@link ScopedValues}). Applied around the {@link #taskDecorator}, so its wrapper sees the bindings too.
         * A later call replaces the scoped values of an earlier one.
         *
         * @param scopedValues the {@code ScopedValue} objects, at least one
         * @return this builder
         * @throws UnsupportedOperationException before JDK 25 (the message names the version needed)
         * @throws IllegalArgumentException      if none is given, or one is not a {@code ScopedValue}
         */
        public Builder carryScopedValues(Object... scopedValues) {
            this.scopedValueCarrier = ScopedValues.carrier(scopedValues);
            return this;
        }

        /**
         * A task that runs longer than this is hung: it is counted ({@link TimeoutStats#runTimeouts()}, and
         * {@link TimeoutStats#hung()} while it still runs), logged once at WARNING with its worker's stack and its
         * description, and marked in {@link #runningTasks(boolean)}. It is not stopped unless
         * {@link #interruptOnRunTimeout(boolean)} says so. Found by a shared watch thread that looks a few times per
         * timeout (a quarter of it, 10 ms to 1 s), so a task is reported at most that late. Default: none.
         *
         * @param runTimeout positive
         * @return this builder
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder runTimeout(Duration runTimeout) {
            this.runTimeout = Timeouts.positive(runTimeout, "runTimeout");
            return this;
        }

        /**
         * @param interruptOnRunTimeout when a task runs past the run-timeout, cancel it as {@code cancel(true)} does:
         *                              its future is cancelled at once (whoever waits gets a
         *                              {@link java.util.concurrent.CancellationException}) and its thread is
         *                              interrupted, so code that honours interrupts stops. Default false. Needs a
         *                              {@link #runTimeout(Duration)}
         * @return this builder
         */
        public Builder interruptOnRunTimeout(boolean interruptOnRunTimeout) {
            this.interruptOnRunTimeout = interruptOnRunTimeout;
            return this;
        }

        /**
         * A task that waits in the queue longer than this before it starts is counted
         * ({@link TimeoutStats#queueTimeouts()}); with {@link #cancelOnQueueTimeout(boolean)} it is cancelled
         * instead of started. Default: none.
         *
         * @param queueTimeout positive
         * @return this builder
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder queueTimeout(Duration queueTimeout) {
            this.queueTimeout = Timeouts.positive(queueTimeout, "queueTimeout");
            return this;
        }

        /**
         * @param cancelOnQueueTimeout cancel a task that waited past the queue-timeout before it starts (whoever
         *                             waits on it gets a {@link java.util.concurrent.CancellationException}; it counts
         *                             as cancelled), when a worker reaches it or when the watch finds it, whichever
         *                             comes first; a task that has started is never cancelled by this. Default false.
         *                             Needs a {@link #queueTimeout(Duration)}
         * @return this builder
         */
        public Builder cancelOnQueueTimeout(boolean cancelOnQueueTimeout) {
            this.cancelOnQueueTimeout = cancelOnQueueTimeout;
            return this;
        }

        /**
         * @return a new pool
         * @throws IllegalStateException    if {@code prestart} is combined with virtual threads (nothing to prestart),
         *                                  or {@code interruptOnRunTimeout}/{@code cancelOnQueueTimeout} without the
         *                                  timeout they act on
         * @throws IllegalArgumentException if {@code maxWorkers} is above 16,777,215 for platform threads
         */
        public ThreadPool build() {
            if (prestart && virtualThreads) {
                throw new IllegalStateException("prestart does not apply to virtual threads: they start with their task");
            }
            if (interruptOnRunTimeout && runTimeout == null) {
                throw new IllegalStateException("interruptOnRunTimeout(true) needs a runTimeout: set runTimeout(...)"
                        + " or leave interruptOnRunTimeout false");
            }
            if (cancelOnQueueTimeout && queueTimeout == null) {
                throw new IllegalStateException("cancelOnQueueTimeout(true) needs a queueTimeout: set queueTimeout(...)"
                        + " or leave cancelOnQueueTimeout false");
            }
            if (maxWorkers > 0) {
                checkMaxWorkers(maxWorkers, virtualThreads);
            }
            return new ThreadPool(this);
        }
    }
}
