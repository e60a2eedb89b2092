package dev.spool.futures;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import dev.spool.stats.DurationHistogram;

/**
 * A {@link ManagedExecutor} that is also a {@link ScheduledExecutorService}: tasks run after a delay, at a fixed
 * rate or with a fixed delay, observed like any Spool pool, plus how late each run started. Python's
 * {@code threading.Timer} at scale: one timer thread for any number of timers, and a pool of workers to run them.
 *
 * <pre>{@code
 * try (ScheduledPool ticks = ScheduledPool.builder().name("ticks").maxWorkers(2).build()) {
 *     ScheduledFuture<?> heartbeat = ticks.scheduleAtFixedRate(this::beat, 0, 5, TimeUnit.SECONDS);
 *     ScheduledFuture<String> later = ticks.schedule(() -> "done", Duration.ofMinutes(1));
 * }
 * }</pre>
 *
 * <h2>How it runs</h2>
 * One daemon thread, {@code <name>-timer}, keeps the scheduled tasks ordered by the time their next run is due and
 * hands each run, when due, to a {@link ThreadPool} of {@code maxWorkers} worker threads (default 1, as Spring's
 * {@code ThreadPoolTaskScheduler}), named {@code <name>-0}, {@code <name>-1}, …, with an unbounded queue. So queue
 * wait, execution, outcomes, run-timeout and the running tasks are those of any thread pool, and a run waits in the
 * queue when every worker is busy. {@link #submit}, {@link #execute} and {@link #map} hand work to the workers at
 * once, as a plain thread pool does.
 *
 * <h2>The JDK's contract</h2>
 * <ul>
 *   <li>{@code scheduleAtFixedRate}: runs are due at {@code initialDelay + n * period}. A run never overlaps the
 *       previous one: a run that takes longer than the period makes the next ones start late, one right after
 *       another, until they are back on time.</li>
 *   <li>{@code scheduleWithFixedDelay}: each run is due {@code delay} after the previous one ended.</li>
 *   <li>A run that throws ends a periodic task: its future fails with that exception and no run follows. A run
 *       interrupted by {@link Builder#interruptOnRunTimeout interrupt-on-run-timeout} ends its task too: the future
 *       is cancelled at once (as a thread pool's is), and no run follows, so none overlaps the interrupted one.</li>
 *   <li>{@link ScheduledTaskFuture#cancel(boolean)} stops a task at once; with {@code true} it also interrupts the
 *       current run.</li>
 *   <li>A task that catches its own exception inside the run, as Spring's error handler does around a
 *       {@code @Scheduled} method, reports it with {@link #failCurrentRun(Throwable)}: the run counts as failed and a
 *       periodic task keeps its schedule.</li>
 *   <li>Zero or negative delays mean now; a period or delay must be positive.</li>
 * </ul>
 *
 * <h2>Lateness and missed runs</h2>
 * Each run's lateness is the time from when it was due to when it started (the timer's own delay, plus the wait for a
 * free worker); {@link #latenessHistogram()} keeps them all. A run of a periodic task that starts a whole period (or
 * delay) late or more adds {@code floor(lateness / period)} to {@link #missedRuns()}: the further runs that were
 * already due, at a period boundary that passed with no run of the task starting, because the previous run or a
 * busy pool held it. Those runs are not dropped (the JDK's contract): they start late, one after another.
 *
 * <h2>Shutdown</h2>
 * The JDK's default policies: after {@link #shutdown()} a one-shot task scheduled before still runs when it is due
 * (as {@code getExecuteExistingDelayedTasksAfterShutdownPolicy()} is true), and the periodic tasks are cancelled at
 * once (a run in progress finishes; as {@code getContinueExistingPeriodicTasksAfterShutdownPolicy()} is false). The
 * pool terminates when the last delayed task has run. {@code shutdown(wait, true)} cancels the delayed tasks too, and
 * {@link #shutdownNow()} cancels every task and interrupts the running ones; it returns the tasks that never started.
 * Every scheduling method throws {@link RejectedExecutionException} after shutdown.
 *
 * <h2>Context</h2>
 * The {@link Builder#taskDecorator task decorator} is applied in the thread that schedules a task, when it is
 * scheduled, as Spring's {@code ThreadPoolTaskScheduler} applies its decorator: so a decorator that captures the
 * caller's context (MDC, trace, security) sets it around every run. A periodic task is decorated once and its wrapper
 * runs once per run; the wrapper must call the {@code Runnable} it was given once each time it runs, or that run fails
 * with an {@link IllegalStateException}. A decorator that throws makes the scheduling call throw it, with nothing
 * scheduled. Tasks given to {@code submit} are decorated in the submitting thread, as in a {@link ThreadPool}.
 */
public final class ScheduledPool implements ManagedExecutor, ScheduledExecutorService {

    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

    private final String name;
    private final ThreadPool workers;
    /** Applied to each scheduled task when it is scheduled; null if none. */
    private final UnaryOperator<Runnable> taskDecorator;
    private final Thread timer;
    /*
     * The scheduled entries, by due time then sequence; guarded by lock, as are shutdown and handingOff. The timer
     * hands runs off under the lock, so shutdown() sees either an entry in the queue or its run in the workers' queue,
     * and shuts the workers down only once no entry is left to hand off.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Entry<?>> queue = new PriorityQueue<>();
    private final List<Entry<?>> periodic = new ArrayList<>();
    private boolean shutdown;
    private long sequence;

    private final DurationHistogram lateness = new DurationHistogram();
    private final LongAdder missed = new LongAdder();

    private ScheduledPool(Builder builder) {
        this.name = builder.name != null ? builder.name : "ScheduledPool-" + POOL_NUMBER.incrementAndGet();
        this.workers = builder.workers.name(name).build();
        this.taskDecorator = builder.taskDecorator;
        this.timer = Thread.ofPlatform().name(name + "-timer").daemon(true).inheritInheritableThreadLocals(false)
                .unstarted(this::timerLoop);
        this.timer.start();
    }

    /** @return a builder with every default */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------------------------------ identity, stats

    @Override
    public String name() {
        return name;
    }

    /** @return {@link ExecutorType#SCHEDULED} */
    @Override
    public ExecutorType type() {
        return ExecutorType.SCHEDULED;
    }

    /**
     * @return the workers' snapshot: a run counts as submitted when it is handed to a worker, so {@code queued} is the
     * runs that are due and wait for a worker; {@link #scheduledCount()} is the tasks waiting for their time. The
     * state is {@code SHUTDOWN} from {@link #shutdown()} on, also while delayed tasks are still to run. A scheduled
     * task's future is done when its run returns, and the worker counts the run just after: unlike a thread pool's
     * futures, a caller that has seen a scheduled future done may read statistics that do not include its run yet
     */
    @Override
    public ExecutorStats stats() {
        ExecutorStats s = workers.stats();
        if (s.state() != ExecutorState.RUNNING || !isShutdown()) {
            return s;
        }
        // Shut down, its workers open for the delayed tasks it will still run: say SHUTDOWN, as isShutdown() does.
        return new ExecutorStats(ExecutorState.SHUTDOWN, s.maxWorkers(), s.poolSize(), s.active(), s.queued(),
                s.queueCapacity(), s.submitted(), s.completed(), s.failed(), s.cancelled(), s.rejected(),
                s.queueWait(), s.execution(), s.latency());
    }

    /** {@inheritDoc} */
    @Override
    public DurationHistogram queueWaitHistogram() {
        return workers.queueWaitHistogram();
    }

    /** {@inheritDoc} */
    @Override
    public DurationHistogram executionHistogram() {
        return workers.executionHistogram();
    }

    /** {@inheritDoc} */
    @Override
    public DurationHistogram latencyHistogram(TaskOutcome outcome) {
        return workers.latencyHistogram(outcome);
    }

    /**
     * The live distribution of every run's lateness (due to started), since the pool was built; same rules as
     * {@link #queueWaitHistogram()}. Its count is the number of scheduled runs that started.
     *
     * @return the pool's own histogram
     */
    public DurationHistogram latenessHistogram() {
        return lateness;
    }

    /** @return the runs of periodic tasks that were due while an earlier run of theirs had not started; see above */
    public long missedRuns() {
        return missed.sum();
    }

    /**
     * @return the tasks waiting for the time of their next run (a periodic task between runs counts, one running does
     * not)
     */
    public int scheduledCount() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** @return how long until the earliest scheduled run is due (negative if late), null when none is scheduled */
    public Duration nextDue() {
        lock.lock();
        try {
            Entry<?> head = queue.peek();
            return head == null ? null : Duration.ofNanos(head.time - System.nanoTime());
        } finally {
            lock.unlock();
        }
    }

    /** @return the names of the worker threads alive now, sorted (the timer thread is not one) */
    public List<String> threadNames() {
        return workers.threadNames();
    }

    /** {@inheritDoc} */
    @Override
    public List<RunningTask> runningTasks(boolean withStacks) {
        return workers.runningTasks(withStacks);
    }

    /** {@inheritDoc} */
    @Override
    public TimeoutStats timeoutStats() {
        return workers.timeoutStats();
    }

    @Override
    public void addTaskListener(TaskListener listener) {
        workers.addTaskListener(listener);
    }

    @Override
    public void removeTaskListener(TaskListener listener) {
        workers.removeTaskListener(listener);
    }

    /**
     * Changes the number of workers now; see {@link ThreadPool#resize(int)}.
     *
     * @param maxWorkers at least 1
     * @throws IllegalArgumentException if out of range
     */
    public void resize(int maxWorkers) {
        workers.resize(maxWorkers);
    }

    // ------------------------------------------------------------------------------------------ scheduling

    /**
     * Runs {@code command} once, after {@code delay}.
     *
     * @return its future, whose result is null
     * @throws RejectedExecutionException if the pool is shut down
     */
    @Override
    public ScheduledTaskFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        return enqueue(describe(command), Executors.callable(command, null), command, toNanos(delay, unit), 0L);
    }

    /**
     * Runs {@code callable} once, after {@code delay}.
     *
     * @return its future: the callable's result or exception
     * @throws RejectedExecutionException if the pool is shut down
     */
    @Override
    public <V> ScheduledTaskFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        Objects.requireNonNull(callable, "callable");
        return enqueue(describe(callable), callable, null, toNanos(delay, unit), 0L);
    }

    /**
     * {@link #schedule(Callable, long, TimeUnit)} with a {@link Duration}: Python's
     * {@code threading.Timer(interval, function).start()}, on a shared thread.
     *
     * @param callable what to run
     * @param delay    how long from now; zero or negative runs it at once
     * @param <V>      the result type
     * @return its future
     * @throws RejectedExecutionException if the pool is shut down
     */
    public <V> ScheduledTaskFuture<V> schedule(Callable<V> callable, Duration delay) {
        return schedule(callable, Objects.requireNonNull(delay, "delay").toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Runs {@code command} first after {@code initialDelay}, then every {@code period}; see the class description.
     *
     * @return its future, which ends only when the task fails or is cancelled
     * @throws IllegalArgumentException   if {@code period} is zero or negative
     * @throws RejectedExecutionException if the pool is shut down
     */
    @Override
    public ScheduledTaskFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period,
                                                      TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        long nanos = positive(period, unit, "period");
        return enqueue(describe(command), Executors.callable(command, null), command, toNanos(initialDelay, unit),
                nanos);
    }

    /**
     * Runs {@code command} first after {@code initialDelay}, then each time {@code delay} after the previous run
     * ended; see the class description.
     *
     * @return its future, which ends only when the task fails or is cancelled
     * @throws IllegalArgumentException   if {@code delay} is zero or negative
     * @throws RejectedExecutionException if the pool is shut down
     */
    @Override
    public ScheduledTaskFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
                                                         TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        long nanos = positive(delay, unit, "delay");
        return enqueue(describe(command), Executors.callable(command, null), command, toNanos(initialDelay, unit),
                -nanos);
    }

    private static long toNanos(long delay, TimeUnit unit) {
        return Objects.requireNonNull(unit, "unit").toNanos(delay);
    }

    private static long positive(long amount, TimeUnit unit, String what) {
        if (amount <= 0) {
            throw new IllegalArgumentException(what + " must be positive, was " + amount + " " + unit);
        }
        return Math.max(1L, toNanos(amount, unit));
    }

    private static String describe(Object task) {
        return RunningTask.describe(task);
    }

    /** @param period positive: fixed rate; negative: fixed delay of {@code -period}; zero: once */
    private <V> ScheduledTaskFuture<V> enqueue(String description, Callable<V> task, Runnable command, long delay,
                                               long period) {
        long now = System.nanoTime();
        // A delay so long that now + delay overflows is due "never": clamp as the JDK does.
        long time = now + Math.min(Math.max(0L, delay), Long.MAX_VALUE >> 1);
        Entry<V> entry = new Entry<>(this, description, task, command != null ? command : () -> {
            try {
                task.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, time, period);
        if (taskDecorator != null) {
            entry.decorate(taskDecorator); // in the caller's thread, so the decorator sees the caller's context
        }
        lock.lock();
        try {
            if (shutdown) {
                throw new RejectedExecutionException("ScheduledPool " + name + " is shut down");
            }
            entry.sequence = sequence++;
            queue.add(entry);
            if (period != 0) {
                periodic.add(entry);
            }
            if (queue.peek() == entry) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
        return entry.future;
    }

    /** The timer thread: hands each entry to the workers when it is due; ends after shutdown with nothing left. */
    private void timerLoop() {
        lock.lock();
        try {
            for (;;) {
                Entry<?> head = queue.peek();
                if (head == null) {
                    if (shutdown) {
                        workers.shutdown(false, false);
                        return;
                    }
                    changed.awaitUninterruptibly();
                    continue;
                }
                long wait = head.time - System.nanoTime();
                if (wait > 0) {
                    try {
                        changed.awaitNanos(wait);
                    } catch (InterruptedException ignored) {
                        // Nobody but this class knows the thread; the loop reads the queue again either way.
                    }
                    continue;
                }
                queue.poll();
                head.handOff();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Puts a periodic entry back after a run, unless it is done or the pool is shut down (then it is cancelled). */
    void reschedule(Entry<?> entry) {
        lock.lock();
        try {
            if (!shutdown && !entry.future.isDone()) {
                entry.sequence = sequence++;
                queue.add(entry);
                if (queue.peek() == entry) {
                    changed.signal();
                }
                return;
            }
        } finally {
            lock.unlock();
        }
        entry.future.cancel(false);
    }

    void remove(Entry<?> entry) {
        lock.lock();
        try {
            if (queue.remove(entry)) {
                changed.signal();
            }
            periodic.remove(entry);
        } finally {
            lock.unlock();
        }
    }

    void recordStart(Entry<?> entry, long startedNanos) {
        long late = Math.max(0L, startedNanos - entry.time);
        lateness.record(late);
        long period = Math.abs(entry.period);
        if (period != 0 && late >= period) {
            missed.add(late / period);
        }
    }

    /**
     * Counts the run that the calling thread is making for this pool as failed with {@code failure}, for a task that
     * handles its own exception inside the run and then returns normally. Spring's error handler does that around a
     * {@code @Scheduled} method (it logs what the method threw and lets the schedule go on), so without this report
     * the run would count as a success. The run's outcome is {@link TaskOutcome#FAILURE} in the statistics, the
     * meters and the task listeners; a periodic task keeps its schedule, as the handler meant, and a one-shot task's
     * future fails with {@code failure}. Only the first report of a run counts, and what the task throws itself wins
     * over a report (and ends a periodic task, as always).
     *
     * @param failure what the run failed with
     * @return true if it was counted; false, with nothing recorded, if the calling thread is not running a scheduled
     *         task of this pool (a task given to {@code submit} or {@code execute} included), or the run had already
     *         reported a failure
     */
    public boolean failCurrentRun(Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        Entry<?> entry = Entry.RUNNING.get();
        return entry != null && entry.pool == this && entry.handled(failure);
    }

    // ------------------------------------------------------------------------------------------ plain submits

    private void checkOpen() {
        if (isShutdown()) {
            throw new RejectedExecutionException("ScheduledPool " + name + " is shut down");
        }
    }

    /** Runs {@code task} on a worker now, as {@link ThreadPool#submit(Callable)}. */
    @Override
    public <T> TaskFuture<T> submit(Callable<T> task) {
        checkOpen();
        return workers.submit(task);
    }

    /** Runs {@code task} on a worker now, as {@link ThreadPool#submit(Runnable)}. */
    @Override
    public TaskFuture<?> submit(Runnable task) {
        checkOpen();
        return workers.submit(task);
    }

    /** Runs {@code task} on a worker now, as {@link ThreadPool#submit(Runnable, Object)}. */
    @Override
    public <T> TaskFuture<T> submit(Runnable task, T result) {
        checkOpen();
        return workers.submit(task, result);
    }

    /** {@inheritDoc} */
    @Override
    public <T> TaskFuture<T> submit(String name, Callable<T> task) {
        checkOpen();
        return workers.submit(name, task);
    }

    /** {@inheritDoc} */
    @Override
    public TaskFuture<?> submit(String name, Runnable task) {
        checkOpen();
        return workers.submit(name, task);
    }

    /** Runs {@code command} on a worker now (the JDK's {@code schedule(command, 0, ...)}, without the timer). */
    @Override
    public void execute(Runnable command) {
        checkOpen();
        workers.execute(command);
    }

    /** {@inheritDoc} */
    @Override
    public <T, R> Stream<R> map(Function<? super T, ? extends R> fn, Iterable<? extends T> items,
                                MapOptions options) {
        checkOpen();
        return workers.map(fn, items, options);
    }

    // ------------------------------------------------------------------------------------------ shutdown

    /**
     * Python's {@code shutdown(wait, cancel_futures)}: new tasks are refused; periodic tasks are cancelled; delayed
     * one-shot tasks still run when due, unless {@code cancelFutures}; see the class description.
     *
     * @param wait          wait until the pool is terminated (the last delayed task has run, every worker ended)
     * @param cancelFutures also cancel the delayed tasks and the runs waiting for a worker
     * @throws IllegalStateException if {@code wait} is asked from one of the pool's workers, which would wait for
     *                               itself (the shutdown has started all the same)
     */
    @Override
    public void shutdown(boolean wait, boolean cancelFutures) {
        List<Entry<?>> cancelled = new ArrayList<>();
        lock.lock();
        try {
            shutdown = true;
            cancelled.addAll(periodic);
            periodic.clear();
            queue.removeAll(cancelled);
            if (cancelFutures) {
                cancelled.addAll(queue);
                queue.clear();
            }
            if (queue.isEmpty()) {
                workers.shutdown(false, cancelFutures); // the timer ends; nothing is left to hand off
            }
            changed.signal();
        } finally {
            lock.unlock();
        }
        for (Entry<?> entry : cancelled) {
            entry.future.cancel(false);
        }
        if (wait) {
            if (workers.runsIn(Thread.currentThread())) {
                throw new IllegalStateException("shutdown(wait=true) called from " + Thread.currentThread().getName()
                        + ", a worker of pool " + name + ", would wait for itself");
            }
            awaitUninterruptibly();
        }
    }

    /**
     * Cancels every scheduled task, cancels the runs waiting for a worker and interrupts the running ones.
     *
     * @return the tasks that never started: each scheduled task that was waiting for its time, and each task that
     * was waiting for a worker
     */
    @Override
    public List<Runnable> shutdownNow() {
        List<Entry<?>> cancelled;
        lock.lock();
        try {
            shutdown = true;
            cancelled = new ArrayList<>(queue);
            cancelled.addAll(periodic);
            queue.clear();
            periodic.clear();
            changed.signal();
        } finally {
            lock.unlock();
        }
        List<Runnable> never = new ArrayList<>();
        for (Entry<?> entry : cancelled) {
            if (entry.future.cancel(false) && !never.contains(entry.command) && entry.current == null) {
                never.add(entry.command);
            }
        }
        never.addAll(workers.shutdownNow());
        return never;
    }

    /** {@code shutdown(true, false)}; an interrupt while waiting calls {@link #shutdownNow()} and the wait goes on. */
    @Override
    public void close() {
        shutdown(false, false);
        awaitUninterruptibly();
    }

    private void awaitUninterruptibly() {
        boolean interrupted = false;
        while (!isTerminated()) {
            try {
                awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                if (!interrupted) {
                    interrupted = true;
                    shutdownNow();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isShutdown() {
        lock.lock();
        try {
            return shutdown;
        } finally {
            lock.unlock();
        }
    }

    /** @return true once shut down, with no task scheduled and every worker ended */
    @Override
    public boolean isTerminated() {
        return !timer.isAlive() && workers.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = TaskFuture.deadlineAfter(Objects.requireNonNull(unit, "unit").toNanos(timeout));
        long left = deadline - System.nanoTime();
        if (left > 0 && !timer.join(Duration.ofNanos(left))) {
            return false;
        }
        if (timer.isAlive()) {
            return false;
        }
        return workers.awaitTermination(Math.max(0L, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        ExecutorStats s = stats();
        return "ScheduledPool[" + name + ", " + s.state() + ", scheduled=" + scheduledCount() + ", poolSize="
                + s.poolSize() + ", maxWorkers=" + s.maxWorkers() + ", active=" + s.active() + ", queued="
                + s.queued() + "]";
    }

    // ------------------------------------------------------------------------------------------ entries

    /**
     * One scheduled task: its future, the time its next run is due, and its period. Runs of one entry never overlap:
     * the next is scheduled only when the current one has ended.
     */
    static final class Entry<V> implements Comparable<Entry<?>> {
        final ScheduledPool pool;
        final String description;
        final Callable<V> task;
        final Runnable command;
        /** Positive: fixed rate; negative: fixed delay; zero: once. */
        final long period;
        final ScheduledTaskFuture<V> future;
        /** When the next run is due ({@code System.nanoTime()}); written by the last run, or at scheduling. */
        volatile long time;
        long sequence;
        volatile long runs;
        /** The run handed to a worker, until it ends. */
        volatile TaskFuture<?> current;
        /** The task decorator's wrapper of {@link #body}, made when the task was scheduled; null if none. */
        private Runnable wrapper;
        /** Per run, written and read by the worker that runs it (runs never overlap): whether the body ran, and how. */
        private boolean bodyRan;
        private Throwable bodyFailure;
        /** What the run reported through {@link #failCurrentRun}, or null; per run, as the two above. */
        private Throwable handledFailure;
        /** The entry whose body the calling thread is running, for {@link #failCurrentRun}. */
        static final ThreadLocal<Entry<?>> RUNNING = new ThreadLocal<>();

        Entry(ScheduledPool pool, String description, Callable<V> task, Runnable command, long time, long period) {
            this.pool = pool;
            this.description = description;
            this.task = task;
            this.command = command;
            this.time = time;
            this.period = period;
            this.future = new ScheduledTaskFuture<>(this);
        }

        @Override
        public int compareTo(Entry<?> other) {
            long difference = time - other.time;
            if (difference != 0) {
                return difference < 0 ? -1 : 1;
            }
            return Long.compare(sequence, other.sequence);
        }

        /** Called by the timer, under the pool's lock, when the run is due. */
        void handOff() {
            if (future.isDone()) {
                return;
            }
            long runsBefore = runs;
            try {
                TaskFuture<Void> run = pool.workers.submitUndecorated(description, this::runOnce);
                current = run;
                run.addDoneCallback(ended -> runEnded(ended, runs != runsBefore));
            } catch (RejectedExecutionException refused) {
                future.cancel(false); // the workers were shut down by shutdownNow()
            }
        }

        /** Applies the pool's decorator to this task's runs, in the scheduling thread. */
        void decorate(UnaryOperator<Runnable> decorator) {
            wrapper = Objects.requireNonNull(decorator.apply(this::body), "the task decorator returned null");
        }

        /**
         * One run, on a worker, through the decorator's wrapper if there is one. Rethrows what the task threw, so the
         * workers' outcomes count it as a failure.
         */
        private Void runOnce() throws Exception {
            bodyRan = false;
            bodyFailure = null;
            if (wrapper == null) {
                body();
            } else {
                try {
                    wrapper.run();
                } catch (RuntimeException | Error wrapperFailed) {
                    if (!bodyRan) {
                        future.trySetException(wrapperFailed);
                    }
                    throw wrapperFailed;
                }
                if (!bodyRan) {
                    IllegalStateException skipped = new IllegalStateException(
                            "the task decorator's wrapper returned without running the task");
                    future.trySetException(skipped);
                    throw skipped;
                }
            }
            Throwable failed = bodyFailure;
            if (failed instanceof Exception exception) {
                throw exception;
            }
            if (failed instanceof Error error) {
                throw error;
            }
            return null;
        }

        /** The run itself; what the task throws is kept for {@link #runOnce}, so a decorator's wrapper sees a return. */
        private void body() {
            if (bodyRan) {
                throw new IllegalStateException("a task decorator must run the task it wraps once per run");
            }
            bodyRan = true;
            long started = System.nanoTime();
            if (future.isDone()) {
                return; // cancelled between hand-off and start
            }
            runs++;
            pool.recordStart(this, started);
            V result;
            handledFailure = null;
            Entry<?> outer = RUNNING.get(); // a run of another pool's task, if this worker runs inside one
            RUNNING.set(this);
            try {
                result = task.call();
            } catch (Exception | Error failed) {
                future.trySetException(failed);
                bodyFailure = failed;
                return;
            } finally {
                RUNNING.set(outer);
            }
            Throwable handled = handledFailure;
            if (handled != null) {
                // The run failed but the task handled it: the workers count the failure (runOnce rethrows it), and a
                // periodic task goes on.
                bodyFailure = handled instanceof Exception || handled instanceof Error
                        ? handled : new TaskFailedException(handled);
            }
            if (period == 0) {
                if (handled == null) {
                    future.trySetResult(result);
                } else {
                    future.trySetException(handled);
                }
            } else if (!future.isDone()) {
                time = period > 0 ? time + period : System.nanoTime() - period;
            }
        }

        /** @return true if this is the run's first report */
        boolean handled(Throwable failure) {
            if (handledFailure != null) {
                return false;
            }
            handledFailure = failure;
            return true;
        }

        /** A run's worker future ended: reschedule a periodic task, or settle a run that never started. */
        private void runEnded(TaskFuture<?> run, boolean started) {
            current = null;
            if (!started && !future.isDone()) {
                future.cancel(false); // cancelled in the workers' queue (shutdownNow, cancelFutures)
                return;
            }
            if (run.isCancelled() && !future.isDone()) {
                // Cancelled while it ran (interrupt-on-run-timeout): the task ends, as a run that throws ends it.
                // Rescheduling now could overlap the next run with this one, which may not have stopped yet.
                future.cancel(false);
                return;
            }
            if (period == 0) {
                return;
            }
            if (future.isDone()) {
                pool.remove(this); // failed: forget it (a cancel has already removed it)
            } else {
                pool.reschedule(this);
            }
        }

        /** The future was cancelled: take the entry out of the queue, and interrupt the current run if asked. */
        void cancelled(boolean interrupt) {
            pool.remove(this);
            TaskFuture<?> run = current;
            if (run != null) {
                run.cancel(interrupt);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ builder

    /**
     * Configures a {@link ScheduledPool}. Each setter checks its argument at once; {@link #build()} makes the pool
     * and starts its timer thread. The workers take the settings of a {@link ThreadPool.Builder} of the same name.
     */
    public static final class Builder {
        /** The workers' settings: each setter below is the thread pool's, with its checks (one place per rule). */
        private final ThreadPool.Builder workers = ThreadPool.builder().maxWorkers(1);
        private String name;
        private UnaryOperator<Runnable> taskDecorator;

        private Builder() {
        }

        /**
         * @param name the pool's name: its bean name in Spring, the {@code name} tag of its meters, the default
         *             thread-name prefix; default {@code ScheduledPool-<n>}
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder name(String name) {
            workers.name(name);
            this.name = name;
            return this;
        }

        /**
         * @param maxWorkers the worker threads that run the runs (default 1)
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxWorkers(int maxWorkers) {
            workers.maxWorkers(maxWorkers);
            return this;
        }

        /**
         * @param threadNamePrefix see {@link ThreadPool.Builder#threadNamePrefix(String)}; default {@code <name>-}
         * @return this builder
         */
        public Builder threadNamePrefix(String threadNamePrefix) {
            workers.threadNamePrefix(threadNamePrefix);
            return this;
        }

        /**
         * @param keepAlive how long an idle worker lives (default 60 s); see {@link ThreadPool.Builder#keepAlive}
         * @return this builder
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder keepAlive(Duration keepAlive) {
            workers.keepAlive(keepAlive);
            return this;
        }

        /**
         * @param prestart start every worker when the pool is built (default false)
         * @return this builder
         */
        public Builder prestart(boolean prestart) {
            workers.prestart(prestart);
            return this;
        }

        /**
         * @param taskDecorator wraps every scheduled task (applied in the scheduling thread, once per task; a periodic
         *                      task's wrapper runs once per run) and every submitted task; see the class description
         *                      and {@link ThreadPool.Builder#taskDecorator}
         * @return this builder
         */
        public Builder taskDecorator(UnaryOperator<Runnable> taskDecorator) {
            workers.taskDecorator(taskDecorator); // for submit; scheduled tasks are decorated by the pool
            this.taskDecorator = taskDecorator;
            return this;
        }

        /**
         * @param runTimeout a run longer than this is hung; see {@link ThreadPool.Builder#runTimeout}
         * @return this builder
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder runTimeout(Duration runTimeout) {
            workers.runTimeout(runTimeout);
            return this;
        }

        /**
         * @param interruptOnRunTimeout cancel and interrupt a run past the run-timeout (default false); a periodic task
         *                              whose run then throws ends, as any run that throws ends it
         * @return this builder
         */
        public Builder interruptOnRunTimeout(boolean interruptOnRunTimeout) {
            workers.interruptOnRunTimeout(interruptOnRunTimeout);
            return this;
        }

        /**
         * @return a new pool, its timer thread started
         * @throws IllegalStateException if {@code interruptOnRunTimeout} is set without a run-timeout
         */
        public ScheduledPool build() {
            return new ScheduledPool(this); // the workers' build() checks the combinations, before any thread starts
        }
    }
}
