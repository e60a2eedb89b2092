package dev.spool.futures;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.spool.internal.StripedCounter;
import dev.spool.stats.DurationHistogram;

/**
 * A pool Spool observes but does not run: somebody else's executor (Spring Boot's {@code applicationTaskExecutor}, its
 * {@code taskScheduler}, Tomcat's request pool) seen through the same {@link ObservedExecutor} read side as Spool's
 * own pools, so it gets the same meters, endpoint view, health and alerts.
 *
 * <p>The pool keeps its threads, its limits and its rejection; Spool only wraps each task on its way in:
 * <ul>
 *   <li>{@link #wrap(Runnable)} at submit (in the submitting thread, as a {@code TaskDecorator} runs): the wrapper
 *       records queue wait (submit to start), execution (start to end) and the latency of its outcome (submit to end)
 *       into this object's {@link DurationHistogram}s. The outcome is failure when the task throws or, for a
 *       {@link Future} (what {@code submit} hands to {@code execute}), when the future ends failed; cancelled when
 *       the future was cancelled; success otherwise;</li>
 *   <li>{@link #wrapRepeating(Runnable)} for a task that runs many times (a scheduler's periodic task, decorated once
 *       when it is scheduled): each run records its execution and outcome, with its execution as its latency; no
 *       queue wait, since a scheduled task waits for its time by design;</li>
 *   <li>a rejection is counted by the pool's handler wrapped with {@link #countingRejections}, or by a caller that
 *       catches {@link RejectedExecutionException} and calls {@link #rejected(Runnable)}.</li>
 * </ul>
 * Levels (workers alive, worker limit, queued, queue capacity, state) are read from the pool through the suppliers
 * given to the {@link Builder}; active tasks are counted by the wrappers themselves. Nothing here takes a lock: a
 * wrapped task costs two clock reads, a few adds and one set insertion and removal (for {@link #runningTasks}).
 */
public final class AdoptedExecutor implements ObservedExecutor {

    private static final System.Logger LOG = System.getLogger("dev.spool.futures");
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Task.class, "state", int.class);
        } catch (ReflectiveOperationException impossible) {
            throw new ExceptionInInitializerError(impossible);
        }
    }

    private static final int NEW = 0;
    private static final int STARTED = 1;
    private static final int DROPPED = 2;

    private final String name;
    private final ExecutorType type;
    private final Supplier<ExecutorState> state;
    private final IntSupplier poolSize;
    private final IntSupplier maxWorkers;
    private final IntSupplier queued;
    private final IntSupplier queueCapacity;

    private final DurationHistogram queueWait = new DurationHistogram();
    private final DurationHistogram execution = new DurationHistogram();
    private final Map<TaskOutcome, DurationHistogram> latency = new EnumMap<>(TaskOutcome.class);
    private final StripedCounter submitted = new StripedCounter();
    /** Tasks that left the waiting state: started, rejected, or found cancelled before they started. */
    private final StripedCounter left = new StripedCounter();
    private final Set<Run> running = ConcurrentHashMap.newKeySet();
    /** What {@link #warnOnUnseenTasks} was given; null until then. */
    private volatile UnseenTasks unseen;
    private volatile boolean unseenWarned;

    private AdoptedExecutor(Builder builder) {
        this.name = builder.name;
        this.type = builder.type;
        this.state = builder.state;
        this.poolSize = builder.poolSize != null ? builder.poolSize : this::running;
        this.maxWorkers = builder.maxWorkers;
        this.queued = builder.queued != null ? builder.queued : this::waiting;
        this.queueCapacity = builder.queueCapacity;
        for (TaskOutcome outcome : TaskOutcome.values()) {
            this.latency.put(outcome, new DurationHistogram());
        }
    }

    /**
     * Starts describing a pool to observe.
     *
     * @param name what the pool shows as: the {@code name} tag of its meters, its name in the endpoint
     * @param type {@code thread} for platform threads, {@code virtual} for a thread per task
     * @return a builder; every level it is not told about has a default (see its methods)
     */
    public static Builder builder(String name, ExecutorType type) {
        return new Builder(name, type);
    }

    @Override
    public String name() {
        return this.name;
    }

    @Override
    public ExecutorType type() {
        return this.type;
    }

    /**
     * Wraps a task submitted now; hand the wrapper to the pool instead of the task.
     *
     * @param task the task submitted, not null
     * @return what the pool should run: runs {@code task} and records it
     */
    public Runnable wrap(Runnable task) {
        return wrap(task, task);
    }

    /**
     * Wraps a task submitted now that someone else decorates too (a context-propagating {@code TaskDecorator}): the
     * outcome is judged from {@code task}, what runs is {@code decorated}.
     *
     * @param task      the task submitted, not null: its class names it, and a {@link Future}'s end is its outcome
     * @param decorated what to run in its place (the other decoration of {@code task}), not null; when it is a
     *                  {@link DescribedTask}, its description names the task instead
     * @return what the pool should run
     */
    public Runnable wrap(Runnable task, Runnable decorated) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(decorated, "decorated");
        this.submitted.increment();
        return new Task(task, decorated, System.nanoTime(), false);
    }

    /**
     * Wraps a task that the pool runs many times (a periodic scheduled task, decorated once when scheduled): each
     * run is counted as submitted and started when it starts, and records its execution and outcome.
     *
     * @param task the task, not null
     * @return what the pool should run
     */
    public Runnable wrapRepeating(Runnable task) {
        return wrapRepeating(task, task);
    }

    /**
     * {@link #wrapRepeating(Runnable)} for a task that someone else decorates too, as {@link #wrap(Runnable, Runnable)}.
     *
     * @param task      the task scheduled, not null: its class names it, and a {@link Future}'s end is its outcome
     * @param decorated what to run in its place, not null
     * @return what the pool should run
     */
    public Runnable wrapRepeating(Runnable task, Runnable decorated) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(decorated, "decorated");
        return new Task(task, decorated, 0L, true);
    }

    /**
     * Counts a task the pool refused. A wrapper of this executor's that has started, or has been counted as rejected
     * already, is not counted again; anything else (a task that was never wrapped) counts as one rejection.
     *
     * @param task what the pool refused: a wrapper from {@link #wrap}, or any task
     */
    public void rejected(Runnable task) {
        if (task instanceof Task wrapper && wrapper.owner() == this) {
            if (wrapper.repeating) {
                dropped(0L);
            } else if (STATE.compareAndSet(wrapper, NEW, DROPPED)) {
                this.latency.get(TaskOutcome.REJECTED).record(System.nanoTime() - wrapper.submittedAt);
                this.left.increment();
            }
        } else {
            dropped(0L);
        }
    }

    /**
     * Hands {@code task}, {@linkplain #wrap wrapped}, to {@code pool} and counts the refusal if the pool throws
     * {@link RejectedExecutionException} (then rethrown): the whole of an {@code execute} for a pool that has no task
     * hook of its own, such as Tomcat's.
     *
     * @param task the task submitted, not null
     * @param pool the pool's own {@code execute}, not null
     * @throws RejectedExecutionException as the pool throws it
     */
    public void execute(Runnable task, Executor pool) {
        Objects.requireNonNull(pool, "pool");
        Runnable wrapped = wrap(task);
        try {
            pool.execute(wrapped);
        } catch (RejectedExecutionException refused) {
            rejected(wrapped);
            throw refused;
        }
    }

    /** A refusal of a task that was never counted as submitted. */
    private void dropped(long nanos) {
        this.submitted.increment();
        this.left.increment();
        this.latency.get(TaskOutcome.REJECTED).record(nanos);
    }

    /**
     * Wraps a pool's rejection handler so that each refusal is counted, and otherwise does exactly what
     * {@code handler} does: a task is rejected when the handler throws (the JDK's {@code AbortPolicy}, Boot's
     * default) or returns without running or queueing it ({@code DiscardPolicy}); a task the handler runs itself
     * ({@code CallerRunsPolicy}) is recorded as it runs. A task that {@code DiscardOldestPolicy} drops from the queue
     * is not seen.
     *
     * @param handler the pool's own handler, not null
     * @return a handler to set on the pool in its place
     */
    public RejectedExecutionHandler countingRejections(RejectedExecutionHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return new CountingHandler(handler);
    }

    /** @return tasks running now, counted by the wrappers */
    public int running() {
        return this.running.size();
    }

    /** @return tasks wrapped at submit that have not started, been rejected or been found cancelled yet */
    public int waiting() {
        long waiting = this.submitted.sum() - this.left.sum();
        return (int) Math.max(0L, Math.min(Integer.MAX_VALUE, waiting));
    }

    /**
     * Warns, once, when the pool turns out to run tasks that never passed through this observer's wrapper: its task
     * decorator was replaced after Spool set it (a customizer or the application calling {@code setTaskDecorator}), or
     * tasks went to the pool's own executor directly. The meters then miss those tasks, which is worth a line in the
     * log rather than numbers that look right. Checked on every {@link #stats()} read (meters, the endpoint, health).
     *
     * <p>Each task is counted here when it is wrapped, before the pool takes it, and each run of a
     * {@linkplain #wrapRepeating repeating} task when it starts, before the pool counts it completed. So the pool's
     * count of the tasks it took (or, for a scheduler, of the runs it completed) can only exceed this observer's by
     * tasks it never showed it, and by at most {@code slack} more for the pool's own counting, which may count a task
     * that is just ending twice.
     *
     * @param takenByPool the pool's count of the tasks it took ({@code ThreadPoolExecutor.getTaskCount}); for a
     *                    scheduler, whose periodic task is one task of many runs, of the runs it completed
     *                    ({@code getCompletedTaskCount})
     * @param slack       how far that count may run ahead on its own: the most workers the pool has had
     * @param advice      what the warning tells the reader to do, naming the configuration key
     */
    public void warnOnUnseenTasks(LongSupplier takenByPool, IntSupplier slack, String advice) {
        this.unseen = new UnseenTasks(Objects.requireNonNull(takenByPool, "takenByPool"),
                Objects.requireNonNull(slack, "slack"), Objects.requireNonNull(advice, "advice"));
    }

    private void checkUnseen() {
        UnseenTasks check = this.unseen;
        if (check == null || this.unseenWarned) {
            return;
        }
        long taken = check.takenByPool().getAsLong(); // first: the count wrapped, read after it, can only have grown
        long unseenTasks = taken - this.submitted.sum();
        if (unseenTasks > check.slack().getAsInt()) {
            this.unseenWarned = true;
            LOG.log(System.Logger.Level.WARNING, "executor '" + this.name + "' ran at least " + unseenTasks
                    + " tasks that Spool did not see, so its meters miss them: its task decorator was replaced after"
                    + " Spool set it, or tasks went to its executor directly. " + check.advice());
        }
    }

    /** The pool's count to compare with, and what to tell the reader. */
    private record UnseenTasks(LongSupplier takenByPool, IntSupplier slack, String advice) {
    }

    @Override
    public ExecutorStats stats() {
        checkUnseen();
        long completed = this.latency.get(TaskOutcome.SUCCESS).count();
        long failed = this.latency.get(TaskOutcome.FAILURE).count();
        long cancelled = this.latency.get(TaskOutcome.CANCELLED).count();
        long rejected = this.latency.get(TaskOutcome.REJECTED).count();
        return new ExecutorStats(this.state.get(), this.maxWorkers.getAsInt(), this.poolSize.getAsInt(), running(),
                Math.max(0, this.queued.getAsInt()), this.queueCapacity.getAsInt(), this.submitted.sum(), completed,
                failed, cancelled, rejected, latencyOf(this.queueWait), latencyOf(this.execution), allLatencies());
    }

    private static ExecutorStats.Latency latencyOf(DurationHistogram histogram) {
        DurationHistogram.Snapshot s = histogram.snapshot();
        return new ExecutorStats.Latency(s.count(), s.totalNanos(), s.maxNanos());
    }

    private ExecutorStats.Latency allLatencies() {
        DurationHistogram.Snapshot all = DurationHistogram.Snapshot.EMPTY;
        for (DurationHistogram histogram : this.latency.values()) {
            all = all.plus(histogram.snapshot());
        }
        return new ExecutorStats.Latency(all.count(), all.totalNanos(), all.maxNanos());
    }

    @Override
    public DurationHistogram queueWaitHistogram() {
        return this.queueWait;
    }

    @Override
    public DurationHistogram executionHistogram() {
        return this.execution;
    }

    @Override
    public DurationHistogram latencyHistogram(TaskOutcome outcome) {
        return this.latency.get(Objects.requireNonNull(outcome, "outcome"));
    }

    /**
     * The tasks the wrappers see running now; each worker is the thread that runs it (its name, or
     * {@code #<thread id>} for an unnamed virtual thread). Idle workers are not known. Never hung: an adopted pool
     * has no run-timeout.
     */
    @Override
    public List<RunningTask> runningTasks(boolean withStacks) {
        long now = System.nanoTime();
        List<RunningTask> tasks = new ArrayList<>();
        for (Run run : this.running) {
            List<StackTraceElement> stack = withStacks ? List.of(run.thread.getStackTrace()) : List.of();
            if (!this.running.contains(run)) {
                continue; // ended while its stack was taken: the stack shows something else
            }
            tasks.add(new RunningTask(run.worker(), run.description, RunningTask.instantOf(run.startedAt),
                    Duration.ofNanos(Math.max(0L, now - run.startedAt)), false, stack));
        }
        tasks.sort(Comparator.comparing(RunningTask::worker));
        return List.copyOf(tasks);
    }

    @Override
    public String toString() {
        return "AdoptedExecutor[" + this.name + ", " + this.type.tag() + "]";
    }

    /** One run of a task, for {@link #runningTasks}; compared by identity. */
    private static final class Run {
        final Thread thread;
        final String description;
        final long startedAt;

        Run(Thread thread, String description, long startedAt) {
            this.thread = thread;
            this.description = description;
            this.startedAt = startedAt;
        }

        String worker() {
            String threadName = this.thread.getName();
            return threadName.isEmpty() ? "#" + this.thread.threadId() : threadName;
        }
    }

    /** The wrapper a pool runs in place of a task. */
    private final class Task implements Runnable {
        private final Runnable task;
        private final Runnable decorated;
        private final long submittedAt;
        private final boolean repeating;
        @SuppressWarnings("unused") // through STATE
        private volatile int state = NEW;

        Task(Runnable task, Runnable decorated, long submittedAt, boolean repeating) {
            this.task = task;
            this.decorated = decorated;
            this.submittedAt = submittedAt;
            this.repeating = repeating;
        }

        AdoptedExecutor owner() {
            return AdoptedExecutor.this;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            long from;
            if (this.repeating) {
                submitted.increment();
                left.increment();
                from = start;
            } else {
                if (!STATE.compareAndSet(this, NEW, STARTED)) {
                    this.decorated.run(); // counted already (rejected, then run by someone): run it, count once
                    return;
                }
                left.increment();
                from = this.submittedAt;
                if (this.task instanceof Future<?> future && future.isCancelled()) {
                    this.decorated.run(); // a cancelled FutureTask returns at once; the pool's bookkeeping goes on
                    latency.get(TaskOutcome.CANCELLED).record(System.nanoTime() - from);
                    return;
                }
                queueWait.record(start - from);
            }
            Run run = new Run(Thread.currentThread(),
                    RunningTask.describe(this.decorated instanceof DescribedTask ? this.decorated : this.task), start);
            running.add(run);
            Throwable thrown = null;
            try {
                this.decorated.run();
            } catch (Throwable failure) {
                thrown = failure;
                throw failure;
            } finally {
                long end = System.nanoTime();
                running.remove(run);
                execution.record(end - start);
                latency.get(outcome(thrown)).record(end - from);
            }
        }

        private TaskOutcome outcome(Throwable thrown) {
            if (thrown != null) {
                return TaskOutcome.FAILURE;
            }
            if (this.task instanceof Future<?> future && future.isDone()) {
                return switch (future.state()) {
                    case FAILED -> TaskOutcome.FAILURE;
                    case CANCELLED -> TaskOutcome.CANCELLED;
                    default -> TaskOutcome.SUCCESS;
                };
            }
            return TaskOutcome.SUCCESS;
        }

        /** @return whether it has neither started nor been counted as rejected */
        boolean waiting() {
            return (int) STATE.getVolatile(this) == NEW;
        }
    }

    /** {@link #countingRejections}: the pool's handler, and a count of what it refused. */
    private final class CountingHandler implements RejectedExecutionHandler {
        private final RejectedExecutionHandler handler;

        CountingHandler(RejectedExecutionHandler handler) {
            this.handler = handler;
        }

        @Override
        public void rejectedExecution(Runnable task, ThreadPoolExecutor pool) {
            try {
                this.handler.rejectedExecution(task, pool);
            } catch (RuntimeException refused) {
                rejected(task);
                throw refused;
            }
            if (task instanceof Task wrapper && wrapper.owner() == AdoptedExecutor.this && wrapper.waiting()
                    && !pool.getQueue().contains(task)) {
                rejected(task); // discarded: neither run by the handler nor queued
            }
        }

        @Override
        public String toString() {
            return "counting(" + this.handler + ")";
        }
    }

    /**
     * What an {@link AdoptedExecutor} reads from its pool. Each level is read on every {@link #stats()} call (a
     * scrape, an endpoint view), never on the tasks' path.
     */
    public static final class Builder {
        private final String name;
        private final ExecutorType type;
        private Supplier<ExecutorState> state = () -> ExecutorState.RUNNING;
        private IntSupplier poolSize;
        private IntSupplier maxWorkers = () -> Integer.MAX_VALUE;
        private IntSupplier queued;
        private IntSupplier queueCapacity = () -> Integer.MAX_VALUE;

        private Builder(String name, ExecutorType type) {
            this.name = Objects.requireNonNull(name, "name");
            this.type = Objects.requireNonNull(type, "type");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            if (type == ExecutorType.PROCESS) {
                throw new IllegalArgumentException("an adopted pool runs threads: type thread or virtual, not process");
            }
        }

        /**
         * @param state the pool's state now; default: always {@link ExecutorState#RUNNING}
         * @return this builder
         */
        public Builder state(Supplier<ExecutorState> state) {
            this.state = Objects.requireNonNull(state, "state");
            return this;
        }

        /**
         * @param poolSize workers alive now; default: the tasks running now (a virtual pool's thread per task)
         * @return this builder
         */
        public Builder poolSize(IntSupplier poolSize) {
            this.poolSize = Objects.requireNonNull(poolSize, "poolSize");
            return this;
        }

        /**
         * @param maxWorkers the worker limit; default: {@link Integer#MAX_VALUE}, no limit
         * @return this builder
         */
        public Builder maxWorkers(IntSupplier maxWorkers) {
            this.maxWorkers = Objects.requireNonNull(maxWorkers, "maxWorkers");
            return this;
        }

        /**
         * @param queued tasks waiting in the pool's queue now; default: the wrapped tasks not started yet
         * @return this builder
         */
        public Builder queued(IntSupplier queued) {
            this.queued = Objects.requireNonNull(queued, "queued");
            return this;
        }

        /**
         * @param queueCapacity the queue's limit; default: {@link Integer#MAX_VALUE}, unbounded
         * @return this builder
         */
        public Builder queueCapacity(IntSupplier queueCapacity) {
            this.queueCapacity = Objects.requireNonNull(queueCapacity, "queueCapacity");
            return this;
        }

        /** @return the observer, recording nothing until tasks are wrapped */
        public AdoptedExecutor build() {
            return new AdoptedExecutor(this);
        }
    }
}
