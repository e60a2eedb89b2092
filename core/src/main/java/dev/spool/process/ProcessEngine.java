package dev.spool.process;

import java.io.IOException;
import java.io.ObjectInputFilter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;

/**
 * The one way into the process package, for {@code dev.spool.futures.ProcessPool}: not an API, it may change in any
 * release. An engine runs one pool of worker JVMs. The caller hands it tasks as objects and gets their outcomes
 * through the {@link Job}s it offers; everything between (serialization, frames, their size limit, the workers'
 * launch, life and death) happens here, in this package's own vocabulary ({@link StartReason}, {@link ExitCause},
 * {@link WorkerState}, {@link Broken}), which the pool translates into its public types.
 *
 * <p>Submitting is two steps so that a task that cannot travel is known before the caller makes its future:
 * {@link #encodeCall}/{@link #encodeRun}/{@link #encodeChunk} turn the task into an opaque {@link Task} (or throw the
 * {@link IOException} its future should fail with), then {@link #offer} queues it with its job.
 */
public final class ProcessEngine {
    /** The frame limit when {@link Settings#maxFrameBytes} is 0 and the workers' heap does not make it smaller. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;
    /** The main class of a worker JVM, which a custom command must start. */
    public static final String WORKER_MAIN_CLASS = WorkerCommand.WORKER_MAIN;

    private final PoolConfig config;
    private final TaskEncoder encoder;
    private final Supervisor supervisor;

    private ProcessEngine(PoolConfig config, TaskEncoder encoder) {
        this.config = config;
        this.encoder = encoder;
        this.supervisor = new Supervisor(config);
    }

    // ------------------------------------------------------------------------------------------------ vocabulary

    /**
     * What the engine needs, each setting already checked on its own by the caller (the pool's builder).
     *
     * @param name                   the pool's name
     * @param maxWorkers             the most worker processes alive at once
     * @param initializer            runs in every worker before its first task (a serializable Runnable), or null
     * @param maxTasksPerChild       tasks after which a worker exits and is replaced; 0 for no limit
     * @param prestart               start every worker at once instead of on demand
     * @param java                   the java executable; null for this JVM's
     * @param jvmOptions             options of the worker JVMs
     * @param customCommand          the user's launch command, or null
     * @param inheritJavaToolOptions keep JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS and _JAVA_OPTIONS for the workers
     * @param maxFrameBytes          the largest payload either side may send; 0 for {@link #defaultFrameLimit}
     * @param serialFilter           the user's extra {@link ObjectInputFilter} patterns, may be empty
     * @param loader                 resolves the classes of results; null for the calling thread's context class
     *                               loader
     * @param startTimeout           how long a new worker may take to connect
     * @param shutdownGrace          how long a worker may take to exit before it is terminated, then killed
     * @param configurationPrefix    the configuration keys the pool was built from, named in messages; or null
     * @param unreachableClass       makes the exception a task fails with when it uses a class the workers cannot
     *                               load: given the class and what uses it ("the task", "the function", ...)
     * @param propagateMdc           carry the submitting thread's SLF4J MDC with every task and set it in the worker
     *                               around the task
     */
    public record Settings(String name, int maxWorkers, Object initializer, int maxTasksPerChild, boolean prestart,
                           Path java, List<String> jvmOptions, List<String> customCommand,
                           boolean inheritJavaToolOptions, int maxFrameBytes, String serialFilter,
                           ClassLoader loader, Duration startTimeout, Duration shutdownGrace,
                           String configurationPrefix,
                           BiFunction<Class<?>, String, ? extends IOException> unreachableClass,
                           boolean propagateMdc) {
        public Settings {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(jvmOptions, "jvmOptions");
            Objects.requireNonNull(serialFilter, "serialFilter");
            Objects.requireNonNull(startTimeout, "startTimeout");
            Objects.requireNonNull(shutdownGrace, "shutdownGrace");
            Objects.requireNonNull(unreachableClass, "unreachableClass");
        }
    }

    /** Why a worker process was started. */
    public enum StartReason {
        /** To grow the pool: on demand, or at start with prestart. */
        INITIAL,
        /** To take the place of a worker that exited after its last task ({@code maxTasksPerChild}). */
        RECYCLE
    }

    /** Why a worker process ended. */
    public enum ExitCause {
        /** It ran its last task and exited, as planned. */
        RECYCLED,
        /** It was told to exit at shutdown. */
        SHUTDOWN,
        /** It died unexpectedly, could not start, or broke the protocol: this breaks the engine. */
        CRASHED,
        /** The engine ended it (a forced shutdown, or cleaning up after another worker broke the engine). */
        KILLED,
        /** Its initializer threw: this breaks the engine. */
        INIT_FAILED
    }

    /** What a worker is doing. */
    public enum WorkerState {
        /** Launched, not yet ready. */
        STARTING,
        /** Ready, no task. */
        IDLE,
        /** Running a task. */
        BUSY,
        /** Finishing its last task before it exits. */
        RETIRING
    }

    /**
     * One worker process as it is now.
     *
     * @param name             {@code <pool>-worker-<n>}
     * @param pid              its process id
     * @param tasksRun         tasks it has finished
     * @param startedAt        when its process was started
     * @param state            what it is doing
     * @param task             the job it runs now, or null (idle, starting, or between two tasks)
     * @param taskStartedNanos {@link System#nanoTime()} when it began on {@code task}: when the job was sent to
     *                         it, or, for a job that waited in its socket behind another, when that other one was
     *                         answered; 0 without a task
     */
    public record WorkerView(String name, long pid, long tasksRun, Instant startedAt, WorkerState state, Job task,
                             long taskStartedNanos) {
    }

    /** Where the engine reports worker starts and exits; called on its manager thread, one call at a time. */
    public interface Events {
        /**
         * A worker is ready (handshake done, initializer run).
         *
         * @param startupNanos from spawning its process until ready
         */
        void started(WorkerView worker, StartReason reason, long startupNanos);

        /**
         * A worker process has ended (also one that never got ready).
         *
         * @param exitCode its exit code ({@code 128 + n} when killed by signal {@code n})
         */
        void exited(WorkerView worker, ExitCause cause, int exitCode);
    }

    /** The engine is broken (a worker died or could not start): the message says which worker and why. */
    public static final class Broken extends RejectedExecutionException {
        private static final long serialVersionUID = 1L;

        Broken(String message) {
            super(message);
        }
    }

    /** A task ready to travel: encoded, within the frame limit. Opaque to the caller. */
    public static final class Task {
        final byte[] payload;

        Task(byte[] payload) {
            this.payload = payload;
        }
    }

    /** A map function, encoded once per {@code map} call and sent with each of its chunks. Opaque to the caller. */
    public static final class MapFunction {
        final byte[] block;

        MapFunction(byte[] block) {
            this.block = block;
        }
    }

    // ------------------------------------------------------------------------------------------------ starting

    /**
     * Checks the settings that depend on each other, encodes the initializer and starts the manager thread (with
     * prestart, returns once every worker process is spawned, without waiting for them to be ready). Call it on the
     * thread that builds the pool: its context class loader counts as the application's.
     *
     * @throws IllegalArgumentException if the initializer cannot be serialized or is over the frame limit
     * @throws IllegalStateException    if MDC propagation is asked for and the application has no SLF4J
     */
    public static ProcessEngine start(Settings settings, Events events) {
        Objects.requireNonNull(events, "events");
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = settings.loader() != null ? settings.loader()
                : context != null ? context : ProcessEngine.class.getClassLoader();
        int frameLimit = settings.maxFrameBytes() > 0 ? settings.maxFrameBytes()
                : defaultFrameLimit(settings.customCommand() == null ? settings.jvmOptions() : List.of());
        String filterSpec = SerialFilter.spec(frameLimit, settings.serialFilter());
        ObjectInputFilter filter = SerialFilter.create(filterSpec);
        String frameLimitSetting = PoolConfig.setting(settings.configurationPrefix(), "maxFrameBytes", null);
        byte[] init = TaskEncoder.initPayload(new Codec(loader, filter), settings.initializer(),
                settings.maxTasksPerChild(), frameLimit);
        // what the workers can load; unknown with a custom command, whose class path is the user's
        WorkerClassPath classPath = settings.customCommand() != null ? null : WorkerClassPath.of(
                System.getProperty("java.class.path", ""), Path.of(System.getProperty("user.dir", ".")), loader,
                context);
        Path java = settings.java() != null ? settings.java() : defaultJava();
        WorkerCommand.Parent parent = WorkerCommand.Parent.current(loader,
                classPath == null ? List.of() : classPath.loaderEntries());
        PoolConfig config = new PoolConfig(settings.name(), settings.maxWorkers(), init, settings.maxTasksPerChild(),
                settings.prestart(), java, settings.jvmOptions(), settings.customCommand(), parent,
                settings.inheritJavaToolOptions(), frameLimit, filterSpec, loader, settings.startTimeout(),
                settings.shutdownGrace(), events, settings.configurationPrefix());
        TaskEncoder encoder = new TaskEncoder(settings.name(), frameLimit, frameLimitSetting, classPath,
                settings.unreachableClass(), loader, filter, settings.propagateMdc() ? submittersMdc(settings, loader)
                : null);
        ProcessEngine engine = new ProcessEngine(config, encoder);
        engine.supervisor.start();
        return engine;
    }

    /** SLF4J's MDC as the application sees it: through the pool's class loader, else Spool's own. */
    private static Mdc submittersMdc(Settings settings, ClassLoader loader) {
        Mdc mdc = Mdc.find(loader);
        if (mdc == null) {
            mdc = Mdc.find(ProcessEngine.class.getClassLoader());
        }
        if (mdc == null) {
            throw new IllegalStateException(PoolConfig.setting(settings.configurationPrefix(), "propagateMdc", null)
                    + "(true) carries the SLF4J MDC to the workers, but " + Mdc.CLASS_NAME + " is not on the class"
                    + " path of process pool '" + settings.name() + "': add org.slf4j:slf4j-api, or leave MDC"
                    + " propagation off");
        }
        return mdc;
    }

    /**
     * {@link #DEFAULT_MAX_FRAME_BYTES}, or a quarter of the workers' heap when their options set a smaller one
     * ({@code -Xmx}, {@code -XX:MaxHeapSize}; the last one wins, as in the JVM), but at least 4 KiB: a worker
     * always has room for a result at the limit next to the task that made it.
     */
    public static int defaultFrameLimit(List<String> jvmOptions) {
        long heap = -1;
        for (String option : jvmOptions) {
            if (option.startsWith("-Xmx")) {
                heap = parseSize(option.substring(4));
            } else if (option.startsWith("-XX:MaxHeapSize=")) {
                heap = parseSize(option.substring("-XX:MaxHeapSize=".length()));
            }
        }
        if (heap <= 0) {
            return DEFAULT_MAX_FRAME_BYTES;
        }
        return (int) Math.max(4096, Math.min(DEFAULT_MAX_FRAME_BYTES, heap / 4));
    }

    /** A JVM size ({@code 512m}, {@code 2G}, {@code 1048576}); -1 when it is not one. */
    static long parseSize(String size) {
        if (size.isEmpty()) {
            return -1;
        }
        char unit = Character.toLowerCase(size.charAt(size.length() - 1));
        long factor = switch (unit) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 't' -> 1L << 40;
            default -> 1;
        };
        String digits = factor == 1 ? size : size.substring(0, size.length() - 1);
        try {
            return Math.multiplyExact(Long.parseLong(digits), factor);
        } catch (NumberFormatException | ArithmeticException notASize) {
            return -1;
        }
    }

    /**
     * @param patterns the user's extra serialization filter patterns
     * @throws IllegalArgumentException if they are malformed (the message says how)
     */
    public static void checkSerialFilter(String patterns) {
        ObjectInputFilter.Config.createFilter(SerialFilter.spec(DEFAULT_MAX_FRAME_BYTES, patterns));
    }

    private static Path defaultJava() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
        return Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
    }

    // ------------------------------------------------------------------------------------------------ tasks

    /**
     * Encodes a {@link java.util.concurrent.Callable}, whose result the worker sends back. Called on the submitting
     * thread.
     *
     * @throws IOException what the task's future should fail with: a {@link java.io.NotSerializableException} that
     *                     says how to fix it, an IOException over the frame limit naming the setting, or the
     *                     settings' unreachable-class exception
     */
    public Task encodeCall(Object task) throws IOException {
        return new Task(encoder.task(Frames.KIND_CALL, task));
    }

    /** As {@link #encodeCall}, for a {@link Runnable}: the worker sends back no value. */
    public Task encodeRun(Object task) throws IOException {
        return new Task(encoder.task(Frames.KIND_RUN, task));
    }

    /** Encodes a map function, once per {@code map} call; throws as {@link #encodeCall}. */
    public MapFunction encodeFunction(Object fn) throws IOException {
        return new MapFunction(encoder.function(fn));
    }

    /** Encodes one chunk of a map: the function and its items; throws as {@link #encodeCall}. */
    public Task encodeChunk(MapFunction fn, List<?> items) throws IOException {
        return new Task(encoder.chunk(fn.block, items));
    }

    /**
     * Queues {@code task}; the engine moves {@code job} along from now on.
     *
     * @throws Broken                     if the engine is broken
     * @throws RejectedExecutionException if it is shut down
     */
    public void offer(Job job, Task task) {
        supervisor.submit(new Supervisor.Submission(Objects.requireNonNull(job, "job"), task.payload));
    }

    /** @throws RejectedExecutionException ({@link Broken} if broken) unless the engine takes work */
    public void checkAccepting() {
        supervisor.checkAccepting();
    }

    // ------------------------------------------------------------------------------------------------ life cycle

    /**
     * Starts every worker not yet running (up to {@code maxWorkers}) and tells when all are ready.
     *
     * @return completed once they are; failed with {@link Broken} when the engine breaks first (a worker that
     * could not start breaks it: then {@link #startFailed()}), or with a {@link RejectedExecutionException} when it
     * is shut down first
     */
    public CompletableFuture<Void> awaitReady() {
        return supervisor.awaitReady();
    }

    /**
     * Stops taking work: queued tasks still run unless {@code cancelFutures}; then the workers are told to exit.
     *
     * @return the callers' tasks cancelled by this call ({@link Job#task()}), once the manager has cancelled them
     */
    public CompletableFuture<List<Runnable>> shutdown(boolean cancelFutures) {
        return supervisor.shutdown(cancelFutures);
    }

    /**
     * Shuts down with the queued tasks cancelled and signals every live worker at once (SIGTERM, or SIGKILL with
     * {@code kill}); running jobs are {@linkplain Job#broken broken}, no worker starts from now on.
     */
    public void forceShutdown(boolean kill) {
        supervisor.forceShutdown(kill);
    }

    /** @return false once shutdown began (or the engine broke) */
    public boolean accepting() {
        return supervisor.accepting();
    }

    /** @return why the engine broke, or null */
    public String brokenMessage() {
        return supervisor.brokenMessage();
    }

    /** @return true if the engine broke because a worker process could not start (or connect) */
    public boolean startFailed() {
        return supervisor.startFailed();
    }

    /**
     * @return the setting that decides how workers start, as messages name it: the custom command when there is
     * one, else the JVM options
     */
    public String startSetting() {
        return config.customCommand() != null ? config.setting("command", null)
                : config.setting("jvmOptions", "jvm-options");
    }

    /** @return worker processes alive now, starting ones included */
    public int poolSize() {
        return supervisor.poolSize();
    }

    /** @return the live workers */
    public List<WorkerView> workers() {
        return supervisor.workers();
    }

    /** @return true once the manager has ended: shut down (or broken) and every worker gone */
    public boolean terminated() {
        return supervisor.terminated();
    }

    /** Waits at most {@code nanos} for {@link #terminated()}. */
    public boolean awaitTermination(long nanos) throws InterruptedException {
        return supervisor.awaitTermination(nanos);
    }

    /** @return true if the calling thread is the engine's manager thread */
    public boolean isManagerThread() {
        return supervisor.isManagerThread();
    }

    /** @return true if the calling thread is one of the engine's (its manager, or a worker's link) */
    public boolean isPoolThread() {
        return supervisor.isPoolThread();
    }
}
