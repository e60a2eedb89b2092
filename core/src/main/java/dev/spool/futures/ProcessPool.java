package dev.spool.futures;

import dev.spool.internal.Timeouts;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.Serializable;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.spool.process.ProcessEngine;
import dev.spool.stats.DurationHistogram;

/**
 * Python's {@code ProcessPoolExecutor} on worker JVMs: tasks run in separate Java processes, so a crash, a memory
 * leak or a native fault in a task cannot take the application down, and CPU-bound work escapes the application's
 * heap and garbage collector.
 *
 * <pre>{@code
 * try (ProcessPool pool = ProcessPool.builder().name("reports").maxWorkers(4).build()) {
 *     TaskFuture<Integer> f = pool.submit(() -> expensive(42));          // a SerializableCallable
 *     List<Integer> squares = pool.map((Integer x) -> x * x, inputs, MapOptions.defaults().withChunkSize(1000)).toList();
 * }
 * }</pre>
 *
 * <h2>Tasks travel</h2>
 * A task is serialized with Java serialization in the submitting thread, sent to a worker, deserialized and run
 * there; its result or exception comes back the same way. So a task must be {@link Serializable}: write it as a
 * {@link SerializableCallable}, {@link SerializableRunnable} or {@link SerializableFunction} (a lambda whose target
 * is one of them, a record implementing one, or a method reference to a static method), and everything it
 * captures must be serializable too. The typed overloads ({@link #submit(SerializableCallable)},
 * {@link #map(SerializableFunction, Iterable, MapOptions)}) make a lambda serializable at compile time.
 * <ul>
 *   <li>A task that cannot be serialized fails only its own future, which {@code submit} returns already failed
 *       with a {@link NotSerializableException} that says how to fix it; one larger than
 *       {@link Builder#maxFrameBytes} fails the same way with an {@link IOException} (the bytes are counted while
 *       serializing, which stops at the limit), and one that uses a class the workers cannot load with an
 *       {@link UnreachableClassException}. {@link #execute} refuses all three at the call.</li>
 *   <li>A task that throws fails its future with that exception, stack trace from the worker included. An exception
 *       that cannot come back as itself (not serializable, or its class refused or unknown here) arrives as a
 *       {@link RemoteTaskException} with its class name, message and stack trace.</li>
 *   <li>A result over {@link Builder#maxFrameBytes} fails its future with an {@link IOException}; the worker
 *       stops serializing at the limit, so the size of the result does not matter, and it goes on.</li>
 *   <li>A result that cannot be serialized fails its future with a {@link NotSerializableException}; a result
 *       that this JVM cannot deserialize fails it with an {@link java.io.InvalidObjectException}. Either way the
 *       worker and the pool go on (Python breaks the pool when a result cannot be unpickled; here the framing
 *       keeps the stream intact, so only that task is affected).</li>
 *   <li>A task that cannot be deserialized in the worker (its {@code readObject} throws, its class is missing
 *       there) fails its future with an {@link java.io.InvalidObjectException}, and the worker goes on (Python
 *       breaks the pool here too; the same reasoning applies).</li>
 *   <li>Nothing of the submitting thread's context travels (thread-locals, the current span, scoped values), but
 *       with {@link Builder#propagateMdc} its SLF4J MDC does, as strings, and is the worker's MDC while the task
 *       runs.</li>
 * </ul>
 *
 * <h2>Workers</h2>
 * Worker JVMs start on demand, up to {@link Builder#maxWorkers} (an idle worker is reused before a new one starts),
 * or all at once with {@link Builder#prestart}. Each runs the {@link Builder#initializer} first, replacements too.
 * With {@link Builder#maxTasksPerChild} a worker exits after that many tasks and a new one takes its place when
 * there is work (also after {@code shutdown(false, …)}). A worker runs one task at a time; when every worker is
 * busy and tasks have been short (well under a millisecond), a few may already be sent to a worker to wait behind
 * its running task, so that it never idles between them (such a task counts as running and can no longer be
 * cancelled, as with CPython's extra queued call). Workers start with the parent's class path (plus the entries of
 * the URL class loaders in the chains of {@link Builder#classLoader} and of the building thread's context class
 * loader), or from a Spring Boot executable jar
 * through Boot's {@code PropertiesLauncher}, or with {@link Builder#command}; their standard output and error go
 * to the log (logger {@code dev.spool.process.<pool>.worker-<n>}). A worker never outlives its parent: it watches
 * its standard input, which closes when the parent dies, even by {@code kill -9}. {@link #awaitReady(Duration)}
 * starts every worker and waits for them, throwing {@link ProcessPoolStartException} with the worker JVM's own
 * words when one cannot start.
 *
 * <h2>Running tasks and timeouts</h2>
 * {@link #runningTasks(boolean)} and {@link #workers()} show what each worker runs and for how long (give a task a
 * name with {@link #submit(String, SerializableCallable)}). {@link Builder#runTimeout} reports a task that runs too
 * long (counted, logged once, marked hung) but cannot stop it: {@link #terminateWorkers()} or {@link #killWorkers()}
 * does, by ending the workers. {@link Builder#queueTimeout} counts tasks that waited too long for a worker, or
 * cancels them ({@link Builder#cancelOnQueueTimeout}).
 *
 * <h2>Broken pool</h2>
 * A worker that dies unexpectedly (killed, {@code System.exit} in a task, out of memory, a JVM crash, an initializer
 * that threw, a protocol violation, a worker that could not start) breaks the pool, as in Python: every pending and
 * running future fails with its own {@link BrokenProcessPoolException} whose message names the worker's pid, its
 * exit code or signal and the last lines it printed; the other workers are killed; {@link #submit} throws
 * {@code BrokenProcessPoolException} from then on, and {@link #stats()} says {@link ExecutorState#BROKEN}. Note that
 * Java has no {@code SystemExit} exception: a task calling {@code System.exit} ends its worker, so it breaks the pool
 * (in Python the future would get {@code SystemExit} and the pool would go on).
 *
 * <h2>Shutting down</h2>
 * {@link #shutdown(boolean, boolean)} as Python's: new tasks are refused with {@link RejectedExecutionException};
 * queued tasks are cancelled with {@code cancelFutures}, otherwise they still run; running tasks always finish; then
 * each worker is told to exit, and one that has not exited after {@link Builder#shutdownGracePeriod} is terminated,
 * then killed. {@code wait} blocks until every worker has exited. {@link #close()} is {@code shutdown(true, false)};
 * {@link #shutdownNow()} is {@code shutdown(false, true)} and returns the cancelled tasks (it cannot interrupt a task
 * running in another JVM: {@link #terminateWorkers()} and {@link #killWorkers()} end running tasks by ending their
 * processes). A pool that becomes unreachable is shut down. Unlike Python at interpreter exit, the JVM does not wait
 * for queued or running tasks of a pool nobody closed (its threads are daemons): close the pool, or use
 * try-with-resources, to wait for them. The pool installs no JVM shutdown hook of its own, so that a graceful shutdown
 * (Spring's, on SIGTERM) can still wait for running tasks; when the JVM ends, each worker sees its standard input
 * close and halts. Workers ignore SIGINT and SIGHUP (Ctrl+C in a terminal reaches the whole process group): the
 * parent alone decides when they end.
 *
 * <h2>Threads</h2>
 * One manager thread ({@code <name>-manager}) owns the pool's state; one thread per worker reads its results and
 * completes their futures (so done-callbacks run there, or on the manager thread for failures and cancellations).
 * Callbacks must not block: a {@code shutdown(true, …)} or {@code close()} called from one of these threads does
 * not wait.
 *
 * <h2>Security model</h2>
 * Nothing listens on a network port. Each worker gets its own Unix-domain socket in a private directory (mode 0700)
 * under {@code java.io.tmpdir}; the pool accepts exactly one connection on it, then closes and deletes it. The
 * connecting process must present a random 256-bit token, which the pool wrote to the worker's standard input (never
 * on its command line, which other users can read); it is compared in constant time. So only a process started by
 * this pool, running as the same user, can talk to it. Both sides deserialize through an {@link ObjectInputFilter}
 * (the worker reads tasks, the parent reads results and exceptions): depth and size limits at the frame cap, the
 * user's {@link Builder#serialFilter} patterns, then a reject list of classes from known gadget chains, merged with
 * the JVM-wide filter when one is set. Frames are length-prefixed with a hard cap ({@link Builder#maxFrameBytes}):
 * a worker that sends a frame over it, or garbage, breaks the pool; it cannot make the pool hang or allocate beyond
 * the cap. The worker environment drops {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS} and
 * {@code _JAVA_OPTIONS} unless {@link Builder#inheritJavaToolOptions} says otherwise.
 *
 * <h2>Cost</h2>
 * Starting a worker JVM takes about 0.1 s; a round trip of a tiny task tens of microseconds. Tasks should be worth
 * well over a millisecond of work, and {@code map} over many small items wants a {@link MapOptions#withChunkSize
 * chunk size} in the hundreds.
 */
public final class ProcessPool implements ManagedExecutor {
    // A facade. The engine (dev.spool.process.ProcessEngine) owns the workers and the wire: encoding, frames, the
    // frame limit, the manager thread. Here: the builder, the public words the engine's are translated into, and
    // delegation: ProcessSubmitter is the submit path of submit, execute and map, ProcessMap cuts map's items into
    // chunks and flattens the results, ProcessWorkerEvents counts worker starts and exits and calls the listeners.

    /**
     * JVM options of the workers unless {@link Builder#jvmOptions} replaces them: serial GC, C1 only and the default
     * class data sharing for a fast start, a 256 MiB heap, exit on out-of-memory, no perf-data file.
     */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-Xshare:auto", "-XX:-UsePerfData");
    /** Default {@link Builder#maxFrameBytes}: 64 MiB, or a quarter of the workers' {@code -Xmx} when smaller. */
    public static final int DEFAULT_MAX_FRAME_BYTES = ProcessEngine.DEFAULT_MAX_FRAME_BYTES;
    /** The main class a worker JVM runs; a {@link Builder#command custom command} must start it. */
    public static final String WORKER_MAIN_CLASS = ProcessEngine.WORKER_MAIN_CLASS;

    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final Cleaner CLEANER = Cleaner.create();

    private final String name;
    private final int maxWorkers;
    private final Duration startTimeout;
    private final TaskStatistics statistics = new TaskStatistics();
    private final ProcessWorkerEvents workerEvents;
    private final ProcessEngine engine;
    private final ProcessTasks tasks;
    private final ProcessSubmitter submitter;

    private ProcessPool(Builder builder, String name) {
        this.name = name;
        this.maxWorkers = builder.maxWorkers;
        this.startTimeout = builder.startTimeout;
        this.workerEvents = new ProcessWorkerEvents(name, builder.listeners);
        // nothing the engine holds may reach this pool (its manager thread would keep it alive): hence the static
        // unreachable-class message, and events and a submitter that know only the name and the statistics
        this.engine = ProcessEngine.start(new ProcessEngine.Settings(name, builder.maxWorkers, builder.initializer,
                builder.maxTasksPerChild, builder.prestart, builder.javaExecutable, builder.jvmOptions,
                builder.command, builder.inheritJavaToolOptions, builder.maxFrameBytes, builder.serialFilter,
                builder.classLoader, builder.startTimeout, builder.shutdownGracePeriod, builder.configurationPrefix,
                (type, what) -> ProcessSubmitter.unreachable(name, type, what), builder.propagateMdc), workerEvents);
        TaskTimeouts timeouts = TaskTimeouts.of(builder.runTimeout, false, builder.queueTimeout,
                builder.cancelOnQueueTimeout);
        this.tasks = new ProcessTasks(name, engine, timeouts);
        this.submitter = new ProcessSubmitter(engine, statistics, tasks);
        if (timeouts != null) {
            TaskWatch.watch(tasks); // it holds the tasks' view and the engine, never this pool
        }
        ProcessEngine owned = engine;
        CLEANER.register(this, () -> owned.shutdown(false));
    }

    ProcessEngine engine() {
        return engine;
    }

    ProcessSubmitter submitter() {
        return submitter;
    }

    /** The running tasks and the timeouts' watch, for tests of this package. */
    ProcessTasks tasks() {
        return tasks;
    }

    /** @return a builder with the defaults: available processors as workers, no initializer, no task limit */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------------------------------------ identity

    @Override
    public String name() {
        return name;
    }

    /** @return {@link ExecutorType#PROCESS} */
    @Override
    public ExecutorType type() {
        return ExecutorType.PROCESS;
    }

    /**
     * A snapshot of the task counters, as for every {@link ManagedExecutor}: {@code poolSize} counts worker
     * processes alive (starting ones included), {@code queueCapacity} is unbounded, and a task sent to a worker
     * counts as active.
     */
    @Override
    public ExecutorStats stats() {
        return statistics.snapshot(state(), maxWorkers, engine.poolSize(), Integer.MAX_VALUE);
    }

    private ExecutorState state() {
        if (engine.brokenMessage() != null) {
            return ExecutorState.BROKEN;
        }
        return engine.accepting() ? ExecutorState.RUNNING : ExecutorState.SHUTDOWN;
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
     * @return the worker processes alive now: name, pid, tasks run, start time, state, and the task each runs (its
     * description, since when, whether past the {@link Builder#runTimeout run-timeout})
     */
    public List<WorkerInfo> workers() {
        return tasks.workers();
    }

    /**
     * The tasks the workers run now, one per busy worker: the worker's name, the task's description (the name given
     * to {@link #submit(String, SerializableCallable)}, or the submitted task's class; a map chunk shows its
     * function's class), since when (the task was sent to the worker, or, when it waited in a busy worker's socket
     * behind a short task, that task was answered), for how long, and whether past the
     * {@link Builder#runTimeout run-timeout}. Reading it costs the pool nothing but the read.
     *
     * @param withStacks ignored: the tasks run in other JVMs, so every stack is empty
     * @return the running tasks, sorted by worker name
     */
    @Override
    public List<RunningTask> runningTasks(boolean withStacks) {
        return tasks.runningTasks();
    }

    /** {@inheritDoc} */
    @Override
    public TimeoutStats timeoutStats() {
        return tasks.timeoutStats();
    }

    /** @return worker starts by reason, exits by cause, and start-up times, since the pool was built */
    public WorkerStatistics workerStatistics() {
        return workerEvents.snapshot();
    }

    /** @param listener told about every worker start and exit from now on (see {@link WorkerListener}) */
    public void addWorkerListener(WorkerListener listener) {
        workerEvents.add(Objects.requireNonNull(listener, "listener"));
    }

    /** @param listener a listener added before; a no-op if it is not there */
    public void removeWorkerListener(WorkerListener listener) {
        workerEvents.remove(listener);
    }

    @Override
    public void addTaskListener(TaskListener listener) {
        statistics.addListener(listener);
    }

    @Override
    public void removeTaskListener(TaskListener listener) {
        statistics.removeListener(listener);
    }

    /**
     * {@link #awaitReady(Duration)} for as long as a worker may take to start ({@link Builder#startTimeout}), and a
     * little more, so that a worker too slow to connect is reported as a start failure rather than a timeout.
     */
    public void awaitReady() throws InterruptedException {
        awaitReady(startTimeout.plusSeconds(5));
    }

    /**
     * Starts the workers that are not running yet (up to {@link Builder#maxWorkers}, as {@link Builder#prestart}
     * does) and waits until every one is ready to run tasks: connected, authenticated, initializer done. Call it
     * after {@link Builder#build()} to find out at start-up, rather than at the first task, that the workers cannot
     * start (Spring does with {@code prestart: true}).
     *
     * @param timeout how long to wait
     * @throws ProcessPoolStartException  if a worker could not start (the pool is broken then): the message quotes
     *                                    what the worker JVM printed and names the setting to fix
     * @throws BrokenProcessPoolException if the pool broke for another reason (its initializer threw)
     * @throws FutureTimeoutException     if the workers were not all ready within {@code timeout}
     * @throws RejectedExecutionException if the pool was shut down
     * @throws InterruptedException       if interrupted while waiting
     */
    public void awaitReady(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        try {
            engine.awaitReady().get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            throw new FutureTimeoutException("the workers of process pool '" + name + "' were not all ready within "
                    + timeout.toMillis() + " ms (" + engine.poolSize() + " of " + maxWorkers + " started)");
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof ProcessEngine.Broken engineBroken) {
                // the cause too in the pool's words: the engine's exception is an internal type
                BrokenProcessPoolException broken = new BrokenProcessPoolException(engineBroken.getMessage());
                String message = broken.getMessage();
                if (engine.startFailed()) {
                    throw new ProcessPoolStartException(name, engine.startSetting(), message, broken);
                }
                throw new BrokenProcessPoolException(message, broken);
            }
            if (cause instanceof RejectedExecutionException refused) {
                throw new RejectedExecutionException(refused.getMessage(), refused);
            }
            throw new IllegalStateException("process pool '" + name + "': " + cause, cause);
        }
    }

    // ------------------------------------------------------------------------------------------------ submit

    /**
     * Schedules {@code task} in a worker process. It must be serializable: a plain lambda is not; use the
     * {@link #submit(SerializableCallable)} overload (which a lambda picks by itself) or a record.
     *
     * @return the task's future; already failed if the task cannot be serialized or is larger than
     * {@link Builder#maxFrameBytes}
     * @throws BrokenProcessPoolException if the pool is broken
     * @throws RejectedExecutionException if it is shut down
     * @throws NullPointerException       if {@code task} is null
     */
    @Override
    public <T> TaskFuture<T> submit(Callable<T> task) {
        return submitCall(task);
    }

    /**
     * Schedules a serializable {@code task} in a worker process; a lambda passed to {@code submit} lands here.
     *
     * @see #submit(Callable)
     */
    public <T> TaskFuture<T> submit(SerializableCallable<T> task) {
        return submitCall(task);
    }

    /**
     * Schedules {@code task} in a worker process; its future's result is null.
     *
     * @see #submit(Callable)
     */
    @Override
    public TaskFuture<?> submit(Runnable task) {
        return submitRun(task, null);
    }

    /**
     * Schedules a serializable {@code task} in a worker process; its future's result is null.
     *
     * @see #submit(Callable)
     */
    public TaskFuture<?> submit(SerializableRunnable task) {
        return submitRun(task, null);
    }

    /**
     * Schedules {@code task} in a worker process; its future's result is {@code result}, which stays in this JVM.
     *
     * @see #submit(Callable)
     */
    @Override
    public <T> TaskFuture<T> submit(Runnable task, T result) {
        return submitRun(task, result);
    }

    /**
     * Schedules a serializable {@code task} in a worker process; its future's result is {@code result}.
     *
     * @see #submit(Callable)
     */
    public <T> TaskFuture<T> submit(SerializableRunnable task, T result) {
        return submitRun(task, result);
    }

    /**
     * {@link #submit(Runnable)} without the future, as {@link java.util.concurrent.Executor#execute} wants it: what
     * cannot be sent is refused at the call, and a failure in the worker goes to an uncaught-exception handler,
     * since nobody holds a future to look at it.
     *
     * @throws RejectedExecutionException if the command cannot be sent to a worker (not serializable, a class the
     *                                    workers cannot load, over {@link Builder#maxFrameBytes}; the cause says
     *                                    which, with the same message {@code submit}'s future would fail with), or
     *                                    the pool is shut down ({@link BrokenProcessPoolException} if broken)
     * @throws NullPointerException       if {@code command} is null
     */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        TaskFuture<?> future = submitter.submit(() -> engine.encodeRun(command), command, command.getClass(), true,
                null, true);
        // as ThreadPool.execute: the failure goes to the handler of the thread that learns of it (the worker's
        // link thread for an exception the command threw, the manager for a broken pool); a cancel is no failure
        future.addDoneCallback(done -> {
            if (done.state() == Future.State.FAILED) {
                Thread self = Thread.currentThread();
                self.getUncaughtExceptionHandler().uncaughtException(self, done.exceptionNow());
            }
        });
    }

    /**
     * {@link #submit(Callable)}, with a name for the task that {@link #runningTasks(boolean)}, {@link #workers()},
     * the endpoint and the run-timeout's log line show instead of the task's class. The name stays in this JVM: it
     * does not travel with the task.
     *
     * @param name what the task is, for people (for example {@code "nightly-report"}), not null
     * @throws BrokenProcessPoolException if the pool is broken
     * @throws RejectedExecutionException if it is shut down
     * @throws NullPointerException       if an argument is null
     */
    @Override
    public <T> TaskFuture<T> submit(String name, Callable<T> task) {
        return submitCall(Objects.requireNonNull(name, "name"), task);
    }

    /**
     * {@link #submit(SerializableCallable)} with a name for the task; a lambda passed to {@code submit(name, ...)}
     * lands here.
     *
     * @see #submit(String, Callable)
     */
    public <T> TaskFuture<T> submit(String name, SerializableCallable<T> task) {
        return submitCall(Objects.requireNonNull(name, "name"), task);
    }

    /**
     * {@link #submit(Runnable)} with a name for the task.
     *
     * @see #submit(String, Callable)
     */
    @Override
    public TaskFuture<?> submit(String name, Runnable task) {
        return submitRun(Objects.requireNonNull(name, "name"), task, null);
    }

    /**
     * {@link #submit(SerializableRunnable)} with a name for the task.
     *
     * @see #submit(String, Callable)
     */
    public TaskFuture<?> submit(String name, SerializableRunnable task) {
        return submitRun(Objects.requireNonNull(name, "name"), task, null);
    }

    private <T> TaskFuture<T> submitCall(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        return submitCall(task.getClass(), task);
    }

    /** @param what the task's name, or the class that describes it */
    private <T> TaskFuture<T> submitCall(Object what, Callable<T> task) {
        Objects.requireNonNull(task, "task");
        return submitter.submit(() -> engine.encodeCall(task), asRunnable(task), what, false, null, false);
    }

    private <T> TaskFuture<T> submitRun(Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        return submitRun(task.getClass(), task, result);
    }

    /** @param what the task's name, or the class that describes it */
    private <T> TaskFuture<T> submitRun(Object what, Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        return submitter.submit(() -> engine.encodeRun(task), task, what, true, result, false);
    }

    /** A callable as {@code shutdownNow} returns it. */
    private static Runnable asRunnable(Callable<?> task) {
        return () -> {
            try {
                task.call();
            } catch (RuntimeException | Error unchecked) {
                throw unchecked;
            } catch (Exception checked) {
                throw new TaskFailedException(checked);
            }
        };
    }

    // ------------------------------------------------------------------------------------------------ map

    /**
     * Python's {@code map}: {@code fn} runs in the workers over {@code items}, which travel in chunks of
     * {@link MapOptions#chunkSize()} items (one task per chunk; a buffer size counts chunks). Results come back in
     * input order. When {@code fn} throws for an item, the stream yields the results before it (also those in the
     * same chunk, as Python 3.14 does per item), then throws {@link TaskFailedException} with that exception as
     * its cause, cancels the chunks after it and ends. {@code fn} must be serializable; it is serialized once per
     * call.
     *
     * @throws IllegalArgumentException   if {@code fn} is not serializable (use a {@link SerializableFunction})
     * @throws BrokenProcessPoolException if the pool is broken
     * @throws RejectedExecutionException if it is shut down
     */
    @Override
    public <T, R> Stream<R> map(Function<? super T, ? extends R> fn, Iterable<? extends T> items, MapOptions options) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(options, "options");
        return ProcessMap.map(this, fn, items, options);
    }

    /**
     * Python's {@code map} with a typed serializable function: a lambda passed to {@code map} lands here and is
     * serializable.
     *
     * @see #map(Function, Iterable, MapOptions)
     */
    public <T, R> Stream<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
                                MapOptions options) {
        return map((Function<? super T, ? extends R>) fn, items, options);
    }

    /**
     * {@code map(fn, items, MapOptions.defaults())} with a typed serializable function.
     *
     * @see #map(Function, Iterable, MapOptions)
     */
    public <T, R> Stream<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return map((Function<? super T, ? extends R>) fn, items, MapOptions.defaults());
    }

    // ------------------------------------------------------------------------------------------------ shutdown

    /**
     * Python's {@code shutdown(wait, cancel_futures)}; see the class description. Called again, it does no harm;
     * with {@code cancelFutures} it cancels whatever is still queued. With {@code wait} it returns once every worker
     * process has exited; the wait is not interruptible (an interrupt is kept for later), and does not happen when
     * called from one of the pool's own threads (a done-callback).
     */
    @Override
    public void shutdown(boolean wait, boolean cancelFutures) {
        engine.shutdown(cancelFutures);
        if (wait && !engine.isPoolThread()) {
            boolean interrupted = false;
            while (true) {
                try {
                    engine.awaitTermination(Long.MAX_VALUE);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * {@code shutdown(false, true)}: refuses new tasks and cancels the queued ones; tasks already in a worker run to
     * their end (a process pool cannot interrupt them: see {@link #terminateWorkers()}).
     *
     * @return the tasks that were cancelled before they started (empty when called from the pool's manager thread)
     */
    @Override
    public List<Runnable> shutdownNow() {
        var neverStarted = engine.shutdown(true);
        if (engine.isManagerThread()) {
            return List.of();
        }
        return neverStarted.join();
    }

    /**
     * {@code shutdown(true, false)}: try-with-resources behaves like Python's {@code with executor:}. An interrupt
     * while waiting calls {@link #shutdownNow()} and the wait goes on; the interrupt status is set again on return.
     */
    @Override
    public void close() {
        engine.shutdown(false);
        if (engine.isPoolThread()) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                engine.awaitTermination(Long.MAX_VALUE);
                break;
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

    /**
     * Python 3.14's {@code terminate_workers()}: shuts the pool down with its queued tasks cancelled, and sends
     * SIGTERM to every worker process, so tasks that are running (even ones blocked forever) end with their
     * process; their futures fail with {@link BrokenProcessPoolException}. The pool ends shut down. Nothing happens
     * to workers when none was started, and nothing is thrown when the pool is already broken or shut down. Returns
     * without waiting for the processes to exit ({@link #awaitTermination} or {@link #close()} does that).
     */
    public void terminateWorkers() {
        engine.forceShutdown(false);
    }

    /** As {@link #terminateWorkers()}, with SIGKILL: for workers that ignore SIGTERM. */
    public void killWorkers() {
        engine.forceShutdown(true);
    }

    /** @return true once shutdown has begun (or the pool broke) */
    @Override
    public boolean isShutdown() {
        return !engine.accepting();
    }

    /** @return true once the pool is shut down (or broken) and every worker process has exited */
    @Override
    public boolean isTerminated() {
        return engine.terminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return engine.awaitTermination(unit.toNanos(timeout));
    }

    @Override
    public String toString() {
        return "ProcessPool[" + name + ", " + state().name().toLowerCase(java.util.Locale.ROOT)
                + ", workers=" + engine.poolSize() + "/" + maxWorkers + "]";
    }

    // ------------------------------------------------------------------------------------------------ observing

    /** Why a worker process was started. */
    public enum StartReason {
        /** To grow the pool: on demand, or at build with {@code prestart}. */
        INITIAL,
        /** To take the place of a worker that exited after {@code maxTasksPerChild} tasks. */
        RECYCLE
    }

    /** Why a worker process ended. */
    public enum ExitCause {
        /** It ran {@code maxTasksPerChild} tasks and exited, as planned. */
        RECYCLED,
        /** The pool shut down and told it to exit. */
        SHUTDOWN,
        /** It died unexpectedly (killed from outside, crashed, {@code System.exit} in a task, could not start,
         *  broke the protocol): this breaks the pool. */
        CRASHED,
        /** The pool ended it: {@code terminateWorkers()}, {@code killWorkers()}, or cleaning up after another
         *  worker broke the pool. */
        KILLED,
        /** Its initializer threw: this breaks the pool. */
        INIT_FAILED
    }

    /**
     * Told about worker processes as they start and end, for metrics and logs. Calls come from the pool's manager
     * thread, one at a time: keep them short, never block, and do not call back into the pool except for
     * {@code stats()}, {@code workers()} and {@code workerStatistics()}. An exception a listener throws is logged
     * and otherwise ignored.
     */
    public interface WorkerListener {
        /**
         * A worker became ready to run tasks (connected, authenticated, initializer done).
         *
         * @param worker  the worker
         * @param reason  why it was started
         * @param startup from spawning its process until it was ready
         */
        default void workerStarted(WorkerInfo worker, StartReason reason, Duration startup) {
        }

        /**
         * A worker process ended, also one that never became ready.
         *
         * @param worker   the worker as it was last
         * @param cause    why it ended
         * @param exitCode its exit code ({@code 128 + n} when a signal {@code n} ended it)
         */
        default void workerExited(WorkerInfo worker, ExitCause cause, int exitCode) {
        }
    }

    /**
     * Worker counters since the pool was built.
     *
     * @param started workers that became ready, by reason
     * @param exited  worker processes that ended, by cause
     * @param startup spawn-to-ready times of the workers that became ready
     */
    public record WorkerStatistics(Map<StartReason, Long> started, Map<ExitCause, Long> exited,
                                   DurationHistogram.Snapshot startup) {
        public WorkerStatistics {
            started = Map.copyOf(started);
            exited = Map.copyOf(exited);
        }

        /** @return workers started, for any reason */
        public long totalStarted() {
            return started.values().stream().mapToLong(Long::longValue).sum();
        }

        /** @return worker processes ended, for any cause */
        public long totalExited() {
            return exited.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    // ------------------------------------------------------------------------------------------------ builder

    /**
     * Configures a {@link ProcessPool}. Every setter checks its argument at once and throws
     * {@link IllegalArgumentException} (or {@link NullPointerException} for a null) saying what is wrong;
     * {@link #build()} checks what depends on several settings.
     */
    public static final class Builder {
        private String name;
        private int maxWorkers = Runtime.getRuntime().availableProcessors();
        private SerializableRunnable initializer;
        private int maxTasksPerChild;
        private List<String> jvmOptions = DEFAULT_JVM_OPTIONS;
        private boolean prestart;
        private Path javaExecutable;
        private List<String> command;
        private boolean inheritJavaToolOptions;
        private int maxFrameBytes; // 0: the default, safe for the workers' heap
        private String configurationPrefix;
        private String serialFilter = "";
        private ClassLoader classLoader;
        private Duration startTimeout = Duration.ofSeconds(60);
        private Duration shutdownGracePeriod = Duration.ofSeconds(10);
        private Duration runTimeout;
        private Duration queueTimeout;
        private boolean cancelOnQueueTimeout;
        private boolean propagateMdc;
        private final List<WorkerListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param name the pool's name: its bean name in Spring, the {@code name} tag of its meters, the prefix of its
         *             workers' names ({@code <name>-worker-<n>}) and loggers; default {@code process-pool-<n>}
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        /** @param maxWorkers the most worker processes at once, at least 1; default: available processors */
        public Builder maxWorkers(int maxWorkers) {
            if (maxWorkers <= 0) {
                throw new IllegalArgumentException("maxWorkers must be greater than 0, was " + maxWorkers);
            }
            this.maxWorkers = maxWorkers;
            return this;
        }

        /**
         * @param initializer runs in every worker, replacements too, before its first task; if it throws, the pool
         *                    breaks. It must be serializable (checked by {@link #build()}); null for none
         */
        public Builder initializer(SerializableRunnable initializer) {
            this.initializer = initializer;
            return this;
        }

        /**
         * @param maxTasksPerChild a worker exits after this many tasks and a new one takes its place; at least 1.
         *                         Default: no limit. Starting a worker costs about 0.1 s, so keep it in the hundreds.
         */
        public Builder maxTasksPerChild(int maxTasksPerChild) {
            if (maxTasksPerChild < 1) {
                throw new IllegalArgumentException("maxTasksPerChild must be >= 1, was " + maxTasksPerChild);
            }
            this.maxTasksPerChild = maxTasksPerChild;
            return this;
        }

        /**
         * @param jvmOptions the worker JVMs' options, replacing {@link #DEFAULT_JVM_OPTIONS} (keep
         *                   {@code -XX:+ExitOnOutOfMemoryError} so that a worker out of memory dies and says so, rather
         *                   than limping on). Ignored with a {@link #command custom command}.
         */
        public Builder jvmOptions(List<String> jvmOptions) {
            Objects.requireNonNull(jvmOptions, "jvmOptions");
            for (String option : jvmOptions) {
                Objects.requireNonNull(option, "jvmOptions contains null");
                if (option.isBlank()) {
                    throw new IllegalArgumentException("jvmOptions contains a blank option: " + jvmOptions);
                }
            }
            this.jvmOptions = List.copyOf(jvmOptions);
            return this;
        }

        /**
         * @param prestart start every worker process when the pool is built ({@link #build()} returns once they are
         *                 spawned, without waiting for them to be ready), not on demand
         */
        public Builder prestart(boolean prestart) {
            this.prestart = prestart;
            return this;
        }

        /** @param javaExecutable the {@code java} the workers run; default: {@code ${java.home}/bin/java} */
        public Builder javaExecutable(Path javaExecutable) {
            Objects.requireNonNull(javaExecutable, "javaExecutable");
            if (!Files.isExecutable(javaExecutable)) {
                throw new IllegalArgumentException("javaExecutable " + javaExecutable + " is not an executable file");
            }
            this.javaExecutable = javaExecutable;
            return this;
        }

        /**
         * A command of your own that starts a worker, used as given instead of {@code java <options> -cp …}: for a
         * container image, a wrapper script, a different launcher. It must run {@link ProcessPool#WORKER_MAIN_CLASS} on this
         * machine (it reads its socket's path in the temporary directory from standard input) with Spool core and
         * the application's classes on its class path.
         *
         * @param command the program and its arguments, not empty
         */
        public Builder command(List<String> command) {
            Objects.requireNonNull(command, "command");
            if (command.isEmpty()) {
                throw new IllegalArgumentException("command must not be empty");
            }
            command.forEach(part -> Objects.requireNonNull(part, "command contains null"));
            this.command = List.copyOf(command);
            return this;
        }

        /**
         * @param inherit pass the parent's {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS} and {@code _JAVA_OPTIONS}
         *                to the workers (default false: an agent or a debug port there would load into every worker)
         */
        public Builder inheritJavaToolOptions(boolean inherit) {
            this.inheritJavaToolOptions = inherit;
            return this;
        }

        /**
         * The largest serialized task, chunk, result or exception. Both sides count the bytes while they serialize
         * and stop at the limit, so a value too large fails only its own future (a {@code FrameTooLargeException},
         * an {@link IOException} naming this method), whatever its size and whatever the heap: nothing beyond the
         * limit is allocated, and the worker goes on.
         *
         * <p>Default: {@value #DEFAULT_MAX_FRAME_BYTES}, but never more than a quarter of the workers' heap when
         * {@link #jvmOptions} sets it ({@code -Xmx}, {@code -XX:MaxHeapSize}), so that a worker always has room
         * for a result at the limit next to the task that made it ({@code -Xmx64m} gives 16 MiB). A limit set
         * here is used as given.
         *
         * @param maxFrameBytes the limit in bytes, from 4 KiB to 1 GiB. Also the serialization filter's
         *                      {@code maxbytes} and {@code maxarray}
         */
        public Builder maxFrameBytes(int maxFrameBytes) {
            if (maxFrameBytes < 4096 || maxFrameBytes > 1 << 30) {
                throw new IllegalArgumentException("maxFrameBytes must be between 4096 and 1073741824, was " + maxFrameBytes);
            }
            this.maxFrameBytes = maxFrameBytes;
            return this;
        }

        /**
         * @param prefix the configuration keys the pool was built from, for example {@code spool.executors.cpu}: its
         *               error messages then name the key to change ({@code spool.executors.cpu.jvm-options}) next
         *               to the builder method. Default: none (messages name the builder methods)
         */
        public Builder configurationPrefix(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (prefix.isBlank()) {
                throw new IllegalArgumentException("configurationPrefix must not be blank");
            }
            this.configurationPrefix = prefix;
            return this;
        }

        /**
         * Extra {@link ObjectInputFilter} patterns (JEP 290 syntax, {@code ;}-separated), applied on both sides
         * before the built-in reject list: {@code com.acme.Safe} allows a class the list rejects,
         * {@code !com.acme.internal.**} rejects more, {@code maxdepth=50} tightens a limit, and a list ending in
         * {@code !*} makes the filter an allow-list (then list every class your tasks, results and exceptions use,
         * {@code java.base} ones included).
         *
         * @param patterns the patterns
         */
        public Builder serialFilter(String patterns) {
            Objects.requireNonNull(patterns, "patterns");
            try {
                ProcessEngine.checkSerialFilter(patterns);
            } catch (IllegalArgumentException malformed) {
                throw new IllegalArgumentException("serialFilter patterns are malformed: " + malformed.getMessage(),
                        malformed);
            }
            this.serialFilter = patterns;
            return this;
        }

        /**
         * @param classLoader resolves the classes of results and exceptions, and decides the launch mode; default:
         *                    the building thread's context class loader
         */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
            return this;
        }

        /** @param timeout how long a new worker JVM may take to connect before it counts as failed; default 60 s */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Timeouts.positive(timeout, "startTimeout");
            return this;
        }

        /**
         * @param grace how long a worker may take to exit once told to (or once its connection ended) before it is
         *              sent SIGTERM, and as long again before SIGKILL; default 10 s
         */
        public Builder shutdownGracePeriod(Duration grace) {
            this.shutdownGracePeriod = Timeouts.positive(grace, "shutdownGracePeriod");
            return this;
        }

        /**
         * A task that runs longer than this in its worker is hung: it is counted ({@link TimeoutStats#runTimeouts()},
         * and {@link TimeoutStats#hung()} while it still runs), logged once at WARNING (logger
         * {@code dev.spool.futures}) with its description, its worker's name and pid and how long it has run, and
         * marked in {@link ProcessPool#runningTasks(boolean)} and {@link ProcessPool#workers()}. It is only detected:
         * a task in another JVM cannot be interrupted, so it runs on; {@link ProcessPool#terminateWorkers()} or
         * {@link ProcessPool#killWorkers()} ends it, with the pool's workers. A task's run starts when it is sent to
         * its worker (or, when it waited in a busy worker's socket behind a short task, when that task was
         * answered). Found by a shared watch thread that looks a few times per timeout (a quarter of it, 10 ms to
         * 1 s), so a task is reported at most that late. Default: none.
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
         * A task that waits in the pool's queue longer than this before it is sent to a worker is counted
         * ({@link TimeoutStats#queueTimeouts()}); with {@link #cancelOnQueueTimeout(boolean)} it is cancelled
         * instead of sent. Default: none.
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
         * @param cancelOnQueueTimeout cancel a task that waited past the queue-timeout before it is sent to a worker
         *                             (whoever waits on it gets a {@link java.util.concurrent.CancellationException};
         *                             it counts as cancelled), when a worker can take it or when the watch finds it,
         *                             whichever comes first; a task already sent to a worker is never cancelled by
         *                             this. Default false. Needs a {@link #queueTimeout(Duration)}
         * @return this builder
         */
        public Builder cancelOnQueueTimeout(boolean cancelOnQueueTimeout) {
            this.cancelOnQueueTimeout = cancelOnQueueTimeout;
            return this;
        }

        /**
         * Carries the SLF4J MDC of the thread that submits a task ({@code submit}, {@code execute}, each chunk of
         * {@code map}) to the worker, which makes it the whole MDC of its thread while the task runs and puts its
         * own back afterwards, so the task's log lines there have the submitter's keys (a request id, the
         * {@code traceId} that tracing's log correlation puts in the MDC). Only the MDC's strings travel: no other
         * thread-local, and no current span, exists in the worker. A worker without SLF4J on its class path runs
         * the tasks without it and says so once in its output. Default false; the Spring starter turns it on with
         * {@code spool.propagate-mdc}.
         *
         * @param propagateMdc whether tasks carry the submitter's MDC
         * @throws IllegalStateException from {@link #build()} if true and the application has no SLF4J
         *                               ({@code org.slf4j.MDC})
         */
        public Builder propagateMdc(boolean propagateMdc) {
            this.propagateMdc = propagateMdc;
            return this;
        }

        /** @param listener told about worker starts and exits from the very first worker on */
        public Builder workerListener(WorkerListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Builds the pool and starts its manager thread (and spawns its workers with {@link #prestart}, without
         * waiting for them to be ready).
         *
         * @throws IllegalArgumentException if the initializer cannot be serialized
         * @throws IllegalStateException    if {@code cancelOnQueueTimeout} is set without a {@code queueTimeout},
         *                                  or {@link #propagateMdc} is on and SLF4J is missing
         */
        public ProcessPool build() {
            if (cancelOnQueueTimeout && queueTimeout == null) {
                throw new IllegalStateException("cancelOnQueueTimeout(true) needs a queueTimeout: set queueTimeout(...)"
                        + " or leave cancelOnQueueTimeout false");
            }
            return new ProcessPool(this, name != null ? name : "process-pool-" + POOLS.incrementAndGet());
        }
    }
}
