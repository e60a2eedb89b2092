package dev.spool.process;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The manager of one process pool: a single platform thread that owns all of the pool's state (the queue of
 * pending jobs, the workers, their accounting, the life-cycle flags), fed by an event queue. Nothing else changes
 * that state; other threads post events (submit, shutdown, forced shutdown, and from each worker's
 * {@link WorkerLink}: ready, init failed, result in, gone) and read what the manager publishes in volatile fields.
 * This is CPython's {@code _ExecutorManagerThread}, with the lessons of gh-115634 and gh-119592: one owner, live
 * workers counted directly, no respawn once a forced shutdown has begun.
 *
 * <h2>Scheduling</h2>
 * After each batch of events: pending jobs go to idle workers (FIFO); while jobs wait and fewer than
 * {@code maxWorkers} processes are alive, more start, one per waiting job (a retiring worker keeps its slot until it
 * has exited); when every slot is taken and every worker busy, and tasks have been short, a few jobs may be queued
 * behind a worker's running one (about a millisecond of work; see {@link #queueBehind}), which keeps workers busy
 * between short tasks.
 * A job becomes running, and can no longer be cancelled, when it is sent. The worker begins on it then, or, when it
 * waits behind another, once that one is answered: the manager or the link, whichever sees it reach the head of the
 * worker's in-flight queue, stamps that moment on it ({@link Worker.InFlight#markStarted}), for readers of
 * {@link #workers()} on any thread; no lock, and no event, is involved.
 *
 * <h2>Deaths</h2>
 * A worker is judged only when its link reports it gone, that is after its stream ended, its process exited and
 * its output was drained. Expected ends: it answered its last task ({@code maxTasksPerChild}), it was asked to
 * stop, it was killed by the pool or by {@code terminateWorkers}/{@code killWorkers}. Anything else (a crash,
 * {@code System.exit} in a task, an initializer that threw, a protocol violation, a worker that would not start)
 * breaks the pool: every pending and running job is {@linkplain Job#broken broken}, the other workers are killed,
 * and submits are refused from then on (with {@link ProcessEngine.Broken}).
 */
final class Supervisor {
    private static final System.Logger LOG = System.getLogger("dev.spool.process");
    /** Bytes of tasks that may wait in a busy worker's socket (well under a Unix socket's send buffer). */
    static final int PIPELINE_MAX_BYTES = 96 * 1024;
    /** Most tasks a worker holds at once (running and waiting), however short they are. */
    static final int PIPELINE_MAX_DEPTH = 16;
    /** Work that may wait behind a worker's running task, estimated from the recent task times. */
    static final long PIPELINE_BUDGET_NANOS = 1_000_000L;
    private static final int SUN_PATH_ROOM = 100;

    // ------------------------------------------------------------------------------------------------ events

    sealed interface Event permits Prestart, AwaitReady, Submit, Ready, InitFailed, ResultIn, Gone, Shutdown, Force {
    }

    /** Start every worker (as prestart does) and complete {@code ready} once all are ready, or the pool broke. */
    record AwaitReady(CompletableFuture<Void> ready) implements Event {
    }

    record Prestart(CompletableFuture<Void> spawned) implements Event {
    }

    record Submit(Submission submission) implements Event {
    }

    /** A job and its TASK payload (kind byte and body), queued until a worker takes it. */
    record Submission(Job job, byte[] payload) {
    }

    record Ready(Worker worker, FrameWriter writer) implements Event {
    }

    record InitFailed(Worker worker, Throwable error) implements Event {
    }

    record ResultIn(Worker worker, boolean last, int payloadSize, long workerNanos) implements Event {
    }

    record Gone(Worker worker, int exitCode, String ended, String violation, boolean bye) implements Event {
    }

    record Shutdown(boolean cancelFutures, CompletableFuture<List<Runnable>> neverStarted) implements Event {
    }

    record Force(boolean kill) implements Event {
    }

    // ------------------------------------------------------------------------------------------------ shared

    private final PoolConfig config;
    private final Codec codec;
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Object gate = new Object(); // orders submits against shutdown: see post/submit
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Thread thread;

    private volatile boolean accepting = true; // guarded by gate for writes
    private volatile boolean forcing;           // a forced shutdown was asked for
    private volatile boolean closed;            // the manager has ended; guarded by gate for writes
    private volatile String brokenMessage;
    private volatile boolean startFailed;       // it broke because a worker could not start
    private volatile Worker[] published = new Worker[0];

    // ------------------------------------------------------------------------------------------------ manager-owned

    private final ArrayDeque<Submission> pending = new ArrayDeque<>();
    private final List<Worker> workers = new ArrayList<>();
    private final List<Worker> flushing = new ArrayList<>(); // workers with frames queued in this pass
    private final List<CompletableFuture<Void>> readyWaiters = new ArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private boolean shutdown;
    private boolean forced;
    private String forcedBy;
    private boolean broken;
    private int spawned;
    private int recycledSlots;
    private long taskIds;
    private long meanTaskNanos; // moving average of the time workers spend on a task; 0 until one has run
    private Path directory;
    private WorkerCommand command;

    Supervisor(PoolConfig config) {
        this.config = config;
        this.codec = new Codec(config.loader(), SerialFilter.create(config.filterSpec()));
        this.thread = new Thread(null, this::run, config.name() + "-manager", 512 * 1024);
        this.thread.setDaemon(true);
    }

    /** Starts the manager thread; with prestart, returns once every worker process has been spawned. */
    void start() {
        thread.start();
        if (config.prestart()) {
            CompletableFuture<Void> spawned = new CompletableFuture<>();
            events.add(new Prestart(spawned));
            spawned.join();
        }
    }

    // ------------------------------------------------------------------------------------------------ API

    /**
     * Queues a job.
     *
     * @throws ProcessEngine.Broken       if the pool is broken
     * @throws RejectedExecutionException if it is shut down
     */
    void submit(Submission submission) {
        synchronized (gate) {
            if (!accepting) {
                throw refusal();
            }
            events.add(new Submit(submission));
        }
    }

    /**
     * Starts every worker that is not yet running (up to {@code maxWorkers}) and tells when all are ready.
     *
     * @return completed once {@code maxWorkers} workers are ready; failed with a
     * {@link ProcessEngine.Broken} whose message says why when the pool breaks first (a worker that could not
     * start breaks it), or with a {@link RejectedExecutionException} when it is shut down first
     */
    CompletableFuture<Void> awaitReady() {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        synchronized (gate) {
            if (closed || !accepting) {
                ready.completeExceptionally(refusal());
            } else {
                events.add(new AwaitReady(ready));
            }
        }
        return ready;
    }

    /** @throws RejectedExecutionException (or {@link ProcessEngine.Broken}) unless the pool takes work */
    void checkAccepting() {
        if (!accepting) {
            throw refusal();
        }
    }

    private RejectedExecutionException refusal() {
        String broken = brokenMessage;
        if (broken != null) {
            return new ProcessEngine.Broken(broken);
        }
        return new RejectedExecutionException("cannot schedule new tasks after shutdown: process pool '"
                + config.name() + "'");
    }

    /**
     * Stops taking work: queued jobs still run unless {@code cancelFutures}; then the workers are told to exit.
     *
     * @return the tasks cancelled by this call (jobs never started), once the manager has cancelled them
     */
    CompletableFuture<List<Runnable>> shutdown(boolean cancelFutures) {
        CompletableFuture<List<Runnable>> reply = new CompletableFuture<>();
        synchronized (gate) {
            accepting = false;
            if (closed) {
                reply.complete(List.of());
            } else {
                events.add(new Shutdown(cancelFutures, reply));
            }
        }
        return reply;
    }

    /**
     * Python 3.14's {@code terminate_workers()} ({@code kill} false) or {@code kill_workers()}: shuts down with
     * the queued jobs cancelled, and signals every live worker at once, from the calling thread, so that a
     * worker stuck forever ends even if the manager were busy. Running jobs are {@linkplain Job#broken broken};
     * no worker is started from now on.
     */
    void forceShutdown(boolean kill) {
        synchronized (gate) {
            accepting = false;
            forcing = true;
            if (!closed) {
                events.add(new Force(kill));
            }
        }
        for (Worker worker : published) {
            signal(worker, kill);
        }
    }

    private static void signal(Worker worker, boolean kill) {
        if (kill) {
            worker.process.destroyForcibly();
        } else {
            worker.process.destroy();
        }
    }

    /** @return false once shutdown began (or the pool broke) */
    boolean accepting() {
        return accepting;
    }

    /** @return true if the pool broke because a worker process could not start (or connect) */
    boolean startFailed() {
        return startFailed;
    }

    /** @return why the pool broke, or null */
    String brokenMessage() {
        return brokenMessage;
    }

    /** @return worker processes alive now, starting ones included */
    int poolSize() {
        return published.length;
    }

    /** @return the live workers */
    List<ProcessEngine.WorkerView> workers() {
        Worker[] now = published;
        List<ProcessEngine.WorkerView> views = new ArrayList<>(now.length);
        for (Worker worker : now) {
            views.add(worker.view());
        }
        return views;
    }

    /** @return true once the manager has ended: shut down (or broken) and every worker gone */
    boolean terminated() {
        return terminated.getCount() == 0;
    }

    /** Waits at most {@code nanos} for {@link #terminated()}. */
    boolean awaitTermination(long nanos) throws InterruptedException {
        return terminated.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** @return true if the calling thread is this pool's manager */
    boolean isManagerThread() {
        return Thread.currentThread() == thread;
    }

    /** @return true if the calling thread is one of this pool's (its manager, or a worker's link) */
    boolean isPoolThread() {
        return OWNER.get() == this;
    }

    /** Marks the calling thread as one of this pool's. */
    void adopt() {
        OWNER.set(this);
    }

    private static final ThreadLocal<Supervisor> OWNER = new ThreadLocal<>();

    /** Used by {@link WorkerLink}s. */
    void post(Event event) {
        events.add(event);
    }

    // ------------------------------------------------------------------------------------------------ the loop

    private void run() {
        adopt();
        try {
            for (;;) {
                Event event = events.take();
                do {
                    handleSafely(event);
                } while ((event = events.poll()) != null);
                try {
                    schedule();
                } catch (RuntimeException | Error bug) {
                    internalError(bug);
                }
                settleReadyWaiters();
                if (shutdown && pending.isEmpty() && workers.isEmpty()) {
                    return;
                }
            }
        } catch (InterruptedException impossible) {
            Thread.currentThread().interrupt();
        } finally {
            finish();
        }
    }

    private void handleSafely(Event event) {
        try {
            handle(event);
        } catch (RuntimeException | Error bug) {
            internalError(bug);
        }
    }

    private void internalError(Throwable bug) {
        LOG.log(System.Logger.Level.ERROR, "internal error in process pool '" + config.name() + "'", bug);
        breakPool("internal error in the pool's manager thread: " + bug, bug);
    }

    private void handle(Event event) {
        switch (event) {
            case Submit submit -> {
                if (shutdown && (broken || forced)) {
                    submit.submission().job().broken(brokenMessage != null ? brokenMessage : forcedMessage(), null);
                } else {
                    pending.addLast(submit.submission());
                }
            }
            case Ready ready -> onReady(ready);
            case InitFailed failed -> {
                failed.worker().initFailed = true;
                breakPool("the initializer failed in worker " + failed.worker() + ": " + failed.error()
                        + "; the process pool '" + config.name() + "' is not usable any more", failed.error());
            }
            case ResultIn result -> onResult(result);
            case Gone gone -> onGone(gone);
            case Prestart prestart -> {
                try {
                    while (workers.size() < config.maxWorkers() && !broken && !shutdown && !forcing) {
                        spawn();
                    }
                } finally {
                    prestart.spawned().complete(null);
                }
            }
            case AwaitReady await -> {
                readyWaiters.add(await.ready());
                while (workers.size() < config.maxWorkers() && !broken && !shutdown && !forcing) {
                    spawn();
                }
            }
            case Shutdown down -> onShutdown(down);
            case Force force -> onForce(force);
        }
    }

    /** Answers the {@link #awaitReady()} callers once every worker is ready, or the pool can no longer get there. */
    private void settleReadyWaiters() {
        if (readyWaiters.isEmpty()) {
            return;
        }
        RuntimeException failure = null;
        if (broken) {
            failure = new ProcessEngine.Broken(brokenMessage);
        } else if (shutdown) {
            failure = new RejectedExecutionException("process pool '" + config.name()
                    + "' was shut down before its workers were ready");
        } else {
            int ready = 0;
            for (Worker worker : workers) {
                if (worker.ready) {
                    ready++;
                }
            }
            if (ready < config.maxWorkers()) {
                return;
            }
        }
        for (CompletableFuture<Void> waiter : readyWaiters) {
            if (failure == null) {
                waiter.complete(null);
            } else {
                waiter.completeExceptionally(failure);
            }
        }
        readyWaiters.clear();
    }

    private void onReady(Ready ready) {
        Worker worker = ready.worker();
        if (worker.destroyedByPool || forced) {
            return; // being killed: its gone event follows
        }
        worker.ready = true;
        worker.writer = ready.writer();
        worker.state = ProcessEngine.WorkerState.IDLE;
        config.events().started(worker.view(), worker.reason, System.nanoTime() - worker.spawnNanos);
    }

    private void onResult(ResultIn result) {
        Worker worker = result.worker();
        worker.inFlightCount--;
        worker.inFlightBytes -= result.payloadSize();
        worker.tasksRun++;
        long nanos = Math.max(0, result.workerNanos());
        meanTaskNanos = meanTaskNanos == 0 ? Math.max(1, nanos) : meanTaskNanos + (nanos - meanTaskNanos) / 8;
        if (result.last()) {
            worker.lastResultSeen = true;
        }
        if (worker.inFlightCount == 0 && !worker.retiring && !worker.stopping) {
            worker.state = ProcessEngine.WorkerState.IDLE;
        }
    }

    private void onGone(Gone gone) {
        Worker worker = gone.worker();
        workers.remove(worker);
        publish();
        List<Job> orphans = new ArrayList<>();
        for (Worker.InFlight left; (left = worker.inFlight.poll()) != null; ) {
            orphans.add(left.job());
        }
        ProcessEngine.ExitCause cause;
        if (gone.violation() != null) {
            cause = ProcessEngine.ExitCause.CRASHED;
        } else if (worker.initFailed) {
            cause = ProcessEngine.ExitCause.INIT_FAILED;
        } else if (forced || worker.destroyedByPool) {
            cause = ProcessEngine.ExitCause.KILLED;
        } else if (worker.retiring && worker.lastResultSeen && orphans.isEmpty()) {
            cause = ProcessEngine.ExitCause.RECYCLED;
        } else if (worker.stopping && orphans.isEmpty()) {
            cause = ProcessEngine.ExitCause.SHUTDOWN;
        } else {
            cause = ProcessEngine.ExitCause.CRASHED;
        }
        if (cause == ProcessEngine.ExitCause.RECYCLED) {
            recycledSlots++;
            if (gone.exitCode() != 0) {
                LOG.log(System.Logger.Level.WARNING, worker + " exited with code " + gone.exitCode()
                        + " after its last task");
            }
        }
        LOG.log(System.Logger.Level.DEBUG, () -> worker + " gone: " + cause + ", exit code " + gone.exitCode());
        config.events().exited(worker.view(), cause, gone.exitCode());
        if (cause == ProcessEngine.ExitCause.CRASHED) {
            if (!worker.ready && !broken) {
                startFailed = true;
            }
            breakPool(crashMessage(worker, gone), null);
        }
        String why = brokenMessage != null ? brokenMessage : forced ? forcedMessage()
                : crashMessage(worker, gone);
        for (Job orphan : orphans) {
            orphan.broken(why, null);
        }
    }

    private void onShutdown(Shutdown down) {
        shutdown = true;
        List<Runnable> neverStarted = new ArrayList<>();
        if (down.cancelFutures()) {
            for (Submission queued; (queued = pending.pollFirst()) != null; ) {
                Job job = queued.job();
                if (job.cancelPending()) {
                    neverStarted.add(job.task());
                }
                job.start(); // acknowledges the cancellation
            }
        }
        down.neverStarted().complete(neverStarted);
    }

    private void onForce(Force force) {
        shutdown = true;
        forced = true;
        forcedBy = force.kill() ? "killWorkers()" : "terminateWorkers()";
        for (Submission queued; (queued = pending.pollFirst()) != null; ) {
            queued.job().cancelPending();
            queued.job().start();
        }
        for (Worker worker : workers) {
            signal(worker, force.kill());
        }
    }

    private String forcedMessage() {
        return "the workers of process pool '" + config.name() + "' were ended by " + forcedBy
                + " while the task was running";
    }

    // ------------------------------------------------------------------------------------------------ scheduling

    private void schedule() {
        if (broken) {
            return;
        }
        try {
            dispatchPending();
        } finally {
            for (Worker worker : flushing) {
                try {
                    worker.writer.flush();
                } catch (IOException dying) {
                    worker.unusable = true;
                }
            }
            flushing.clear();
        }
        growAndShrink();
    }

    private void dispatchPending() {
        while (!pending.isEmpty()) {
            Submission next = pending.peekFirst();
            Worker worker = idleWorker();
            if (worker == null) {
                worker = queueBehind(next);
                if (worker == null) {
                    break;
                }
            }
            pending.pollFirst();
            if (next.job().start()) {
                dispatch(worker, next);
            }
        }
    }

    private void growAndShrink() {
        if (!forced && !forcing) {
            int starting = 0;
            for (Worker worker : workers) {
                if (!worker.ready) {
                    starting++;
                }
            }
            while (!pending.isEmpty() && workers.size() < config.maxWorkers() && starting < pending.size() && !broken) {
                spawn();
                starting++;
            }
            while (config.prestart() && !shutdown && workers.size() < config.maxWorkers() && !broken) {
                spawn();
            }
        }
        if (shutdown && pending.isEmpty()) {
            for (Worker worker : workers) {
                if (worker.ready && worker.inFlightCount == 0 && !worker.stopping && !worker.retiring
                        && !worker.destroyedByPool) {
                    stop(worker);
                }
            }
        }
    }

    private Worker idleWorker() {
        for (Worker worker : workers) {
            if (worker.inFlightCount == 0 && worker.accepting()) {
                return worker;
            }
        }
        return null;
    }

    /**
     * A busy worker that may take {@code next} behind the tasks it has, when no slot is free: so a worker never waits
     * for the manager between short tasks. How many may wait depends on how long tasks have been taking: about
     * {@link #PIPELINE_BUDGET_NANOS} of work (none before any task has run, and none once tasks take a millisecond
     * or more, where the round trip does not matter and a task waiting behind a long one could have gone to the
     * next free worker; CPython's {@code EXTRA_QUEUED_CALLS} keeps one extra whatever the task times), and at most
     * {@link #PIPELINE_MAX_BYTES} in the worker's socket, so the manager's write never blocks.
     */
    private Worker queueBehind(Submission next) {
        if (workers.size() < config.maxWorkers() || forced || forcing) {
            return null;
        }
        int depth = pipelineDepth();
        Worker best = null;
        for (Worker worker : workers) {
            if (!worker.ready) {
                return null; // one is about to be free
            }
            if (worker.accepting() && worker.inFlightCount < depth
                    && worker.inFlightBytes + next.payload().length <= PIPELINE_MAX_BYTES
                    && (best == null || worker.inFlightCount < best.inFlightCount)) {
                best = worker;
            }
        }
        return best;
    }

    private int pipelineDepth() {
        if (meanTaskNanos == 0) {
            return 1; // nothing known yet: a task might be long
        }
        return 1 + (int) Math.min(PIPELINE_MAX_DEPTH - 1, PIPELINE_BUDGET_NANOS / meanTaskNanos);
    }

    private void dispatch(Worker worker, Submission submission) {
        byte[] payload = submission.payload();
        long id = ++taskIds;
        Worker.InFlight sent = new Worker.InFlight(id, submission.job(), payload.length);
        worker.inFlight.add(sent);
        if (worker.inFlight.peek() == sent) {
            sent.markStarted(System.nanoTime()); // a free worker begins on it now (else the link stamps it)
        }
        worker.inFlightCount++;
        worker.inFlightBytes += payload.length;
        worker.dispatched++;
        if (config.maxTasksPerChild() > 0 && worker.dispatched >= config.maxTasksPerChild()) {
            worker.retiring = true;
        }
        worker.state = worker.retiring ? ProcessEngine.WorkerState.RETIRING : ProcessEngine.WorkerState.BUSY;
        try {
            worker.writer.queue(Frames.TASK, id, payload);
            if (!flushing.contains(worker)) {
                flushing.add(worker);
            }
        } catch (IOException dying) {
            // the worker is going away; its link will report it gone, and the job fails with the pool
            worker.unusable = true;
            LOG.log(System.Logger.Level.DEBUG, () -> "sending a task to " + worker + " failed: " + dying);
        }
    }

    private void stop(Worker worker) {
        worker.stopping = true;
        worker.state = ProcessEngine.WorkerState.RETIRING;
        try {
            worker.writer.write(Frames.SHUTDOWN, 0);
        } catch (IOException dying) {
            worker.unusable = true;
        }
    }

    // ------------------------------------------------------------------------------------------------ spawning

    private void spawn() {
        ProcessEngine.StartReason reason;
        if (recycledSlots > 0) {
            recycledSlots--;
            reason = ProcessEngine.StartReason.RECYCLE;
        } else {
            reason = ProcessEngine.StartReason.INITIAL;
        }
        int number = ++spawned;
        String name = config.name() + "-worker-" + number;
        Path socket = null;
        ServerSocketChannel server = null;
        Process process;
        long spawnNanos = System.nanoTime();
        try {
            Path dir = directory();
            socket = dir.resolve("w" + number + ".sock");
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket), 1);
            ProcessBuilder builder = new ProcessBuilder(command.arguments());
            if (!config.inheritJavaToolOptions()) {
                Map<String, String> environment = builder.environment();
                environment.remove("JAVA_TOOL_OPTIONS");
                environment.remove("JDK_JAVA_OPTIONS");
                environment.remove("_JAVA_OPTIONS");
            }
            process = builder.start();
        } catch (IOException | RuntimeException failure) {
            closeQuietly(server);
            deleteQuietly(socket);
            if (!broken) {
                startFailed = true;
            }
            breakPool("a worker process of process pool '" + config.name() + "' could not be started ("
                    + (command == null ? "no command" : String.join(" ", command.arguments())) + "): " + failure,
                    failure);
            return;
        }
        byte[] token = new byte[Frames.TOKEN_BYTES];
        random.nextBytes(token);
        Worker worker = new Worker(number, name, process, reason, spawnNanos);
        String loggerName = "dev.spool.process." + config.name() + ".worker-" + number;
        System.Logger logger = System.getLogger(loggerName);
        OutputPump out = new OutputPump(process.getInputStream(), logger, System.Logger.Level.INFO, "out| ",
                worker.tail, name + "-stdout");
        OutputPump err = new OutputPump(process.getErrorStream(), logger, System.Logger.Level.WARNING, "err| ",
                worker.tail, name + "-stderr");
        WorkerLink link = new WorkerLink(this, worker, server, socket, token, config.initializer(), codec,
                config.maxFrameBytes(), config.startTimeout(), config.shutdownGrace(), out, err);
        try {
            DataOutputStream stdin = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
            new Bootstrap(socket.toString(), token, config.maxFrameBytes(), config.filterSpec(), name,
                    config.setting("maxFrameBytes", null)).writeTo(stdin);
            // stdin stays open: it is the worker's lifeline
        } catch (IOException diedAtOnce) {
            // its exit will say why
        }
        out.start();
        err.start();
        link.armStartWatch();
        Thread io = new Thread(null, link, name + "-link", 256 * 1024);
        io.setDaemon(true);
        io.start();
        workers.add(worker);
        publish();
        if (forcing) {
            signal(worker, true);
        }
    }

    /** The pool's private directory (0700), made at the first spawn, with the worker command. */
    private Path directory() throws IOException {
        if (directory == null) {
            Path base = Path.of(System.getProperty("java.io.tmpdir"));
            if (base.toAbsolutePath().toString().length() > SUN_PATH_ROOM - 40) {
                base = Path.of("/tmp"); // sun_path holds about 100 bytes
            }
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            directory = posix
                    ? Files.createTempDirectory(base, "spool-", PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")))
                    : Files.createTempDirectory(base, "spool-");
            command = WorkerCommand.plan(config.java(), config.jvmOptions(), config.customCommand(), config.parent(),
                    directory);
            command.writeArgFile();
            LOG.log(System.Logger.Level.DEBUG, () -> "process pool '" + config.name() + "' starts workers with "
                    + command.mode() + ": " + String.join(" ", command.arguments()));
        }
        return directory;
    }

    // ------------------------------------------------------------------------------------------------ breaking

    private void breakPool(String message, Throwable cause) {
        if (broken) {
            return;
        }
        broken = true;
        shutdown = true;
        synchronized (gate) {
            brokenMessage = message;
            accepting = false;
        }
        LOG.log(System.Logger.Level.ERROR, message);
        for (Submission queued; (queued = pending.pollFirst()) != null; ) {
            queued.job().broken(message, cause);
        }
        for (Worker worker : workers) {
            for (Worker.InFlight left; (left = worker.inFlight.poll()) != null; ) {
                left.job().broken(message, cause);
            }
            worker.destroyedByPool = true;
            worker.process.destroyForcibly();
        }
    }

    private String crashMessage(Worker worker, Gone gone) {
        StringBuilder message = new StringBuilder(256).append("A worker process of process pool '")
                .append(config.name()).append(worker.ready || gone.violation() != null ? "' terminated abruptly: "
                        : "' could not start: ").append(worker).append(' ');
        if (gone.violation() != null) {
            message.append("broke the protocol (").append(gone.violation()).append(") and was killed; it ended with ")
                    .append(describeExit(gone.exitCode()));
        } else if (!worker.ready) {
            message.append("ended before it was ready, with exit code ").append(gone.exitCode());
        } else {
            message.append("ended with ").append(describeExit(gone.exitCode()));
        }
        message.append(". Every pending and running task failed; the pool is not usable any more.");
        List<String> tail = worker.tail.lines();
        if (!tail.isEmpty()) {
            message.append(worker.ready ? " Last output of the worker:" : " The worker JVM said:");
            for (String line : tail) {
                message.append("\n  ").append(line);
            }
        }
        if (!worker.ready && !worker.initFailed) {
            message.append('\n').append(startHint(tail));
        }
        return message.toString();
    }

    /** What to check when a worker JVM did not start, naming the settings involved. */
    private String startHint(List<String> tail) {
        boolean noMain = tail.stream().anyMatch(line -> line.contains("Could not find or load main class"));
        if (config.customCommand() != null) {
            return "Check the worker command (" + config.setting("command", null) + "): it must start "
                    + WorkerCommand.WORKER_MAIN + " with Spool core and the application's classes on its class path.";
        }
        if (noMain) {
            return "The worker's class path lacks Spool core: the workers get java.class.path and the jars and"
                    + " directories of the URL class loaders the pool was built with (" + config.setting("classLoader",
                    null) + "); build the pool with the class loader that loaded Spool, or set "
                    + config.setting("command", null) + ".";
        }
        return "Check the worker JVM's options, " + config.setting("jvmOptions", "jvm-options")
                + ", and the java it runs (" + config.java() + ").";
    }

    /** "exit code 3", or "exit code 137 (killed by signal 9, SIGKILL: kill -9, or the OOM killer)". */
    static String describeExit(int code) {
        if (code > 128 && code < 128 + 65) {
            int signal = code - 128;
            String name = switch (signal) {
                case 1 -> "SIGHUP";
                case 2 -> "SIGINT";
                case 3 -> "SIGQUIT";
                case 4 -> "SIGILL";
                case 6 -> "SIGABRT: the JVM crashed, look for an hs_err file";
                case 7 -> "SIGBUS";
                case 8 -> "SIGFPE";
                case 9 -> "SIGKILL: kill -9, or the kernel's OOM killer when memory ran out";
                case 11 -> "SIGSEGV";
                case 15 -> "SIGTERM";
                default -> "signal " + signal;
            };
            return "exit code " + code + " (killed by signal " + signal + ", " + name + ")";
        }
        if (code == 0) {
            return "exit code 0, without being asked to stop";
        }
        return "exit code " + code + " (a task may have called System.exit(" + code + "), or the JVM failed"
                + (code == 3 ? "; with -XX:+ExitOnOutOfMemoryError, 3 means it ran out of memory" : "") + ")";
    }

    // ------------------------------------------------------------------------------------------------ the end

    private void publish() {
        published = workers.toArray(new Worker[0]);
    }

    private void finish() {
        synchronized (gate) {
            accepting = false;
            closed = true;
        }
        // anything posted since: reply or fail it, so nobody waits on a manager that is gone
        for (Event event; (event = events.poll()) != null; ) {
            if (event instanceof Prestart prestart) {
                prestart.spawned().complete(null);
            } else if (event instanceof AwaitReady await) {
                readyWaiters.add(await.ready());
            } else if (event instanceof Shutdown down) {
                down.neverStarted().complete(List.of());
            } else if (event instanceof Submit submit) {
                submit.submission().job().broken("process pool '" + config.name() + "' has ended", null);
            }
        }
        for (Submission queued; (queued = pending.pollFirst()) != null; ) {
            queued.job().broken("process pool '" + config.name() + "' has ended", null);
        }
        for (CompletableFuture<Void> waiter : readyWaiters) {
            waiter.completeExceptionally(brokenMessage != null ? new ProcessEngine.Broken(brokenMessage)
                    : new RejectedExecutionException("process pool '" + config.name() + "' has ended"));
        }
        readyWaiters.clear();
        if (directory != null) {
            try (Stream<Path> files = Files.list(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(Supervisor::deleteQuietly);
            } catch (IOException ignored) {
                // best effort
            }
            deleteQuietly(directory);
        }
        terminated.countDown();
        LOG.log(System.Logger.Level.DEBUG, () -> "process pool '" + config.name() + "' terminated");
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    private static void deleteQuietly(Path path) {
        if (path != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
