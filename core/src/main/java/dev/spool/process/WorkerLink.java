package dev.spool.process;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The thread that talks to one worker: accepts its connection on the worker's private socket (then closes and
 * deletes the socket, so nobody else can connect), checks its HELLO token in constant time, sends INIT, reports
 * READY or INIT_FAILED, and then reads RESULT frames until the end of the stream, completing each task's future as
 * its result arrives. When the stream ends it waits for the process to exit (terminating it after the grace period
 * if it lingers) and for its output to be drained, and only then reports the worker gone: so the manager never
 * judges a worker's death before it has seen everything the worker sent.
 */
final class WorkerLink implements Runnable {
    private static final System.Logger LOG = System.getLogger("dev.spool.process");

    private final Supervisor supervisor;
    private final Worker worker;
    private final ServerSocketChannel server;
    private final Path socketPath;
    private final byte[] token;
    private final byte[] initPayload;
    private final Codec codec;
    private final int maxFrameBytes;
    private final Duration startTimeout;
    private final Duration grace;
    private final OutputPump[] pumps;

    private volatile SocketChannel channel;
    private volatile boolean authenticated;
    private volatile boolean timedOut;

    WorkerLink(Supervisor supervisor, Worker worker, ServerSocketChannel server, Path socketPath, byte[] token,
               byte[] initPayload, Codec codec, int maxFrameBytes, Duration startTimeout, Duration grace,
               OutputPump... pumps) {
        this.supervisor = supervisor;
        this.worker = worker;
        this.server = server;
        this.socketPath = socketPath;
        this.token = token;
        this.initPayload = initPayload;
        this.codec = codec;
        this.maxFrameBytes = maxFrameBytes;
        this.startTimeout = startTimeout;
        this.grace = grace;
        this.pumps = pumps;
    }

    /** Arms the watchers that unblock the accept if the worker dies or takes too long to connect. */
    void armStartWatch() {
        worker.process.onExit().thenRun(this::closeServer);
        CompletableFuture.delayedExecutor(startTimeout.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
            if (!authenticated) {
                timedOut = true;
                closeServer();
                closeQuietly(channel);
                worker.process.destroyForcibly();
            }
        });
    }

    @Override
    public void run() {
        supervisor.adopt();
        String ended = null;
        String violation = null;
        boolean bye = false;
        try {
            SocketChannel accepted = server.accept();
            channel = accepted;
            closeServer();
            FrameReader in = new FrameReader(accepted, Frames.HANDSHAKE_MAX_PAYLOAD);
            in.next();
            checkHello(in);
            authenticated = true;
            in.maxPayload(maxFrameBytes);
            FrameWriter out = new FrameWriter(accepted);
            out.write(Frames.INIT, 0, initPayload, 0, initPayload.length);
            in.next();
            if (in.type() == Frames.READY) {
                supervisor.post(new Supervisor.Ready(worker, out));
            } else if (in.type() == Frames.INIT_FAILED) {
                supervisor.post(new Supervisor.InitFailed(worker, codec.readError(new ByteReader(in.payload()))));
            } else {
                throw new ProtocolException("expected READY or INIT_FAILED, got " + Frames.typeName(in.type()));
            }
            for (;;) {
                in.next();
                switch (in.type()) {
                    case Frames.RESULT -> result(in);
                    case Frames.BYE -> bye = true;
                    default -> throw new ProtocolException("unexpected " + Frames.typeName(in.type()) + " frame");
                }
            }
        } catch (ProtocolException broken) {
            violation = broken.getMessage();
        } catch (EOFException end) {
            ended = end.getMessage();
        } catch (IOException closed) {
            ended = timedOut ? null : closed.toString();
            if (timedOut) {
                violation = "it did not connect within " + startTimeout.toMillis() + " ms";
            }
        } catch (RuntimeException | Error bug) {
            LOG.log(System.Logger.Level.ERROR, "internal error while reading from " + worker, bug);
            violation = "internal error while reading from it: " + bug;
        } finally {
            closeServer();
            closeQuietly(channel);
            // the worker's lifeline: ended, it lets a worker that is exiting go at once (a thread blocked reading
            // stdin would hold up its JVM's exit by 300 ms) and halts one that is not
            closeQuietly(worker.process.getOutputStream());
            if (violation != null) {
                worker.process.destroyForcibly();
            }
            int exit = awaitExit();
            for (OutputPump pump : pumps) {
                pump.awaitEnd(500);
            }
            supervisor.post(new Supervisor.Gone(worker, exit, ended, violation, bye));
        }
    }

    private void checkHello(FrameReader in) throws IOException {
        if (in.type() != Frames.HELLO) {
            throw new ProtocolException("expected HELLO, got " + Frames.typeName(in.type()));
        }
        ByteReader hello = new ByteReader(in.payload());
        int version = hello.readInt();
        long pid = hello.readLong();
        byte[] offered = hello.readBytes(Frames.TOKEN_BYTES);
        if (!MessageDigest.isEqual(offered, token)) {
            throw new ProtocolException("the process that connected did not present the worker's token");
        }
        if (version != Frames.VERSION) {
            throw new ProtocolException("it speaks protocol version " + version + ", the pool " + Frames.VERSION
                    + " (another Spool version on the worker's class path?)");
        }
        if (pid != worker.pid) {
            LOG.log(System.Logger.Level.DEBUG, () -> worker + " reports pid " + pid + " (started through a wrapper)");
        }
    }

    /** A RESULT: takes its job off the in-flight queue and completes the future, then tells the manager. */
    private void result(FrameReader in) throws IOException {
        Worker.InFlight head = worker.inFlight.peek();
        if (head == null || head.id() != in.id()) {
            throw new ProtocolException("RESULT for task " + in.id() + ", but "
                    + (head == null ? "no task is outstanding" : "task " + head.id() + " is next"));
        }
        ByteReader payload = new ByteReader(in.payload());
        int flags = payload.readByte();
        long workerNanos = payload.readLong();
        Object value = null;
        Throwable unreadable = null;
        try {
            value = codec.readValue(payload);
        } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError failure) {
            unreadable = failure;
        }
        Throwable error;
        try {
            error = codec.readError(payload);
        } catch (IOException malformed) {
            throw new ProtocolException("malformed RESULT: " + malformed.getMessage());
        }
        if (error == null && unreadable != null) {
            java.io.InvalidObjectException failure = new java.io.InvalidObjectException(
                    "the task's result could not be deserialized in the parent: " + unreadable);
            failure.initCause(unreadable);
            error = failure;
            value = null;
        }
        boolean ours = worker.inFlight.remove(head); // false if a broken pool already failed it
        Worker.InFlight next = worker.inFlight.peek();
        if (next != null) {
            next.markStarted(System.nanoTime()); // it waited in the socket behind this one: the worker is on it now
        }
        // the manager hears of the free worker before anyone can see the future done: a caller that submits its
        // next task as soon as this one is done finds the worker idle (one process for sequential tasks, PP-07)
        supervisor.post(new Supervisor.ResultIn(worker, (flags & Frames.FLAG_LAST) != 0, head.payloadSize(),
                workerNanos));
        if (ours) {
            head.job().finish(value, error);
        }
    }

    /** Waits for the process to end: after the grace period it is asked to terminate, then killed. */
    private int awaitExit() {
        Process process = worker.process;
        boolean interrupted = false;
        try {
            for (int step = 0; ; step++) {
                try {
                    if (step >= 2) {
                        return process.waitFor();
                    }
                    if (process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                        return process.exitValue();
                    }
                    if (step == 0) {
                        LOG.log(System.Logger.Level.WARNING, worker + " has not exited " + grace.toMillis()
                                + " ms after its connection ended; terminating it");
                        process.destroy();
                    } else {
                        LOG.log(System.Logger.Level.WARNING, worker + " ignored SIGTERM; killing it");
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    step--;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void closeServer() {
        closeQuietly(server);
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException ignored) {
            // the directory goes when the pool ends
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        }
    }
}
