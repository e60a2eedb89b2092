package dev.spool.process;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * The main class of a {@code dev.spool.futures.ProcessPool} worker JVM. It needs nothing but the JDK and Spool core
 * on its class path (and the application's classes, for the tasks); it starts no framework.
 *
 * <ol>
 *   <li>Reads its {@code Bootstrap} from standard input, then keeps reading standard input on a daemon thread: the
 *       parent never writes more, so end of input means the parent is gone (even if it was killed with
 *       {@code kill -9}) or has given up on this worker, and the worker halts at once. Tasks see an empty
 *       {@code System.in}.</li>
 *   <li>Connects to the pool's Unix-domain socket and says HELLO with its pid and the token.</li>
 *   <li>Runs the initializer from INIT; if it throws, reports INIT_FAILED and exits.</li>
 *   <li>Runs TASKs one at a time on its main thread, in the order they come, answering each with a RESULT; a task
 *       that cannot be deserialized, throws, or returns something that cannot be serialized fails alone, and the
 *       worker goes on. After its {@code maxTasksPerChild}-th task it flags the RESULT as its last and exits 0. A
 *       task that carries the submitter's MDC runs with it as the thread's whole MDC, and the worker's own comes
 *       back after it.</li>
 *   <li>On SHUTDOWN it answers BYE and exits 0.</li>
 * </ol>
 * Anything the worker prints goes to its stdout/stderr, which the pool copies into its log.
 */
public final class WorkerMain {
    /** The worker's connection to its pool, visible to tests that misbehave on purpose. */
    static volatile SocketChannel channel;
    /** Set when the worker exits by itself: the end of standard input is then no reason to halt. */
    private static volatile boolean exiting;
    /** SLF4J's MDC here, looked up at the first task that carries one; see {@link #mdc}. */
    private static Mdc mdc;
    private static boolean mdcLookedUp;
    private static boolean mdcMissingTold;

    private WorkerMain() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run();
        } catch (Throwable failure) {
            System.err.println("spool worker: " + failure);
            failure.printStackTrace();
            code = 1;
        }
        exiting = true;
        System.exit(code);
    }

    private static int run() throws IOException {
        ignoreTerminalSignals();
        InputStream stdin = new BufferedInputStream(System.in, 4096);
        System.setIn(InputStream.nullInputStream());
        Bootstrap boot = Bootstrap.readFrom(new DataInputStream(stdin));
        startLifeline(stdin);

        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = WorkerMain.class.getClassLoader();
        }
        Codec codec = new Codec(loader, SerialFilter.create(boot.filterSpec()));
        SocketChannel socket = SocketChannel.open(UnixDomainSocketAddress.of(boot.socketPath()));
        channel = socket;
        FrameReader in = new FrameReader(socket, boot.maxFrameBytes());
        FrameWriter out = new FrameWriter(socket);
        // every RESULT is built within the frame cap: a result too large fails its task instead of the worker's heap
        Bytes buffer = new Bytes(64 * 1024).limit(boot.maxFrameBytes());

        buffer.writeInt(Frames.VERSION);
        buffer.writeLong(ProcessHandle.current().pid());
        buffer.write(boot.token(), 0, boot.token().length);
        out.write(Frames.HELLO, 0, buffer.array(), 0, buffer.size());

        in.next();
        expect(in, Frames.INIT);
        ByteReader init = new ByteReader(in.payload());
        int maxTasks = init.readInt();
        try {
            Object initializer = codec.readValue(init);
            if (initializer != null) {
                ((Runnable) initializer).run();
            }
        } catch (Throwable failure) {
            buffer.clear();
            codec.writeError(buffer, failure);
            out.write(Frames.INIT_FAILED, 0, buffer.array(), 0, buffer.size());
            System.err.println("spool worker " + boot.workerName() + ": the initializer failed: " + failure);
            socket.close();
            return 0;
        }
        Thread.interrupted(); // a stale interrupt would close the socket at the next read
        out.write(Frames.READY, 0);

        int done = 0;
        for (;;) {
            in.next();
            switch (in.type()) {
                case Frames.TASK -> {
                    done++;
                    boolean last = maxTasks > 0 && done >= maxTasks;
                    runTask(codec, in.id(), in.payload(), last, boot, buffer, out);
                    Thread.interrupted();
                    buffer.clear();
                    if (last) {
                        socket.close();
                        return 0;
                    }
                }
                case Frames.SHUTDOWN -> {
                    out.write(Frames.BYE, 0);
                    socket.close();
                    return 0;
                }
                default -> throw new ProtocolException("unexpected " + Frames.typeName(in.type()) + " frame from the pool");
            }
        }
    }

    private static void expect(FrameReader in, byte type) throws ProtocolException {
        if (in.type() != type) {
            throw new ProtocolException("expected " + Frames.typeName(type) + ", got " + Frames.typeName(in.type()));
        }
    }

    /**
     * A worker shares its parent's process group, so Ctrl+C in a terminal (SIGINT) and a closing terminal (SIGHUP)
     * reach it too. Left to the JVM's default, it would exit at once and break the pool while the parent is still
     * shutting down gracefully and waiting for running tasks. The parent alone decides when a worker ends: it tells
     * it to, terminates it (SIGTERM, still honoured), or dies, and the lifeline halts the worker.
     */
    private static void ignoreTerminalSignals() {
        // sun.misc.Signal (module jdk.unsupported) is looked up at run time rather than named in the source: javac
        // warns on every use of an internal proprietary API and no @SuppressWarnings silences it; and a JVM
        // without the module still runs workers, only without this protection.
        MethodHandle handle;
        MethodHandle newSignal;
        Object ignore;
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            handle = lookup.findStatic(signal, "handle", MethodType.methodType(handler, signal, handler));
            newSignal = lookup.findConstructor(signal, MethodType.methodType(void.class, String.class));
            ignore = handler.getField("SIG_IGN").get(null);
        } catch (ReflectiveOperationException | LinkageError unavailable) {
            return;
        }
        for (String name : new String[] {"INT", "HUP"}) {
            try {
                handle.invoke(newSignal.invoke(name), ignore);
            } catch (IllegalArgumentException | UnsupportedOperationException notHere) {
                // the signal does not exist on this platform, or the JVM runs with -Xrs: nothing to ignore
            } catch (Throwable unexpected) {
                throw new IllegalStateException("could not ignore SIG" + name, unexpected);
            }
        }
    }

    private static void startLifeline(InputStream stdin) {
        Thread lifeline = new Thread(null, () -> {
            byte[] sink = new byte[256];
            try {
                while (stdin.read(sink) >= 0) {
                    // the parent writes nothing after the bootstrap; just wait for the end
                }
            } catch (IOException gone) {
                // the same: the parent is gone
            }
            if (!exiting) {
                Runtime.getRuntime().halt(0);
            }
        }, "spool-lifeline", 64 * 1024);
        lifeline.setDaemon(true);
        lifeline.start();
    }

    /** Runs one task and sends its RESULT. */
    @SuppressWarnings("unchecked")
    private static void runTask(Codec codec, long id, byte[] payload, boolean last, Bootstrap boot, Bytes buffer,
                                FrameWriter out) throws IOException {
        long started = System.nanoTime();
        String setting = boot.frameLimitSetting();
        ByteReader task = new ByteReader(payload);
        int kind = task.readByte();
        Object value = null;
        Throwable error = null;
        List<Object> results = null;
        Object work = null;
        Object function = null;
        List<Object> items = null;
        Map<String, String> context = null; // the submitter's MDC, when the task carries it
        Mdc workerMdc = null;
        Map<String, String> own = null; // the worker's MDC before the task, once it was set aside
        try {
            if ((kind & Frames.KIND_WITH_MDC) != 0) {
                kind &= ~Frames.KIND_WITH_MDC;
                context = readMdc(codec, task);
            }
            work = codec.readValue(task);
            if (kind == Frames.KIND_CHUNK) {
                function = work;
                items = codec.readItems(task);
            }
        } catch (Throwable unreadable) {
            error = unreadable("the task could not be deserialized in the worker", unreadable);
        }
        if (error == null) {
            try {
                if (context != null && (workerMdc = mdc(boot, !context.isEmpty())) != null) {
                    own = workerMdc.copy();
                    workerMdc.set(context); // if SLF4J fails here, the task fails with its exception
                }
                switch (kind) {
                    case Frames.KIND_CALL -> value = ((Callable<Object>) work).call();
                    case Frames.KIND_RUN -> ((Runnable) work).run();
                    case Frames.KIND_CHUNK -> {
                        Function<Object, Object> fn = (Function<Object, Object>) function;
                        results = new ArrayList<>(items.size());
                        for (Object item : items) {
                            results.add(fn.apply(item));
                        }
                    }
                    default -> throw new ProtocolException("unknown task kind " + kind);
                }
            } catch (Throwable thrown) {
                error = thrown;
            } finally {
                if (own != null) {
                    restore(workerMdc, own, boot);
                }
            }
        }
        work = null;
        function = null;
        items = null;

        buffer.clear();
        buffer.writeByte(last ? Frames.FLAG_LAST : 0);
        buffer.writeLong(0L); // worker nanos, set below
        try {
            writeOutcome(codec, buffer, kind, value, results, error);
        } catch (FrameTooLargeException tooLarge) {
            // stopped at the cap while serializing: only this task fails, with a message that fits in any frame
            buffer.truncate(9);
            if (kind == Frames.KIND_CHUNK) {
                codec.writeItems(buffer, List.of());
            } else {
                buffer.writeByte(Codec.T_NULL);
            }
            codec.writeError(buffer, new FrameTooLargeException(tooLarge.limit(), "the task's "
                    + (kind == Frames.KIND_CHUNK ? "chunk of results" : "result") + " (" + describeType(value, results)
                    + ") is larger serialized than the frame limit of " + tooLarge.limit() + " bytes; serializing it"
                    + " was stopped there. Return less (or write it to a file and return the path), or raise the"
                    + " limit with " + setting));
        }
        long elapsed = System.nanoTime() - started;
        buffer.putInt(1, (int) (elapsed >>> 32));
        buffer.putInt(5, (int) elapsed);
        out.write(Frames.RESULT, id, buffer.array(), 0, buffer.size());
    }

    /** The worker's own MDC again after a task: nothing the task set stays for the next one. */
    private static void restore(Mdc workerMdc, Map<String, String> own, Bootstrap boot) {
        try {
            workerMdc.set(own);
        } catch (Throwable failure) {
            System.err.println("spool worker " + boot.workerName() + ": could not restore its MDC after a task: "
                    + failure);
        }
    }

    /** The submitter's MDC that a TASK carries after its kind byte. */
    private static Map<String, String> readMdc(Codec codec, ByteReader task) throws IOException,
            ClassNotFoundException {
        int count = task.readInt();
        if (count < 0 || count > task.remaining()) {
            throw new ProtocolException("an MDC of " + count + " entries in a task of " + task.remaining() + " bytes");
        }
        Map<String, String> context = new HashMap<>(Math.max(4, count * 2));
        for (int i = 0; i < count; i++) {
            context.put((String) codec.readValue(task), (String) codec.readValue(task));
        }
        return context;
    }

    /**
     * SLF4J's MDC in this worker, found the first time a task carries one (so a worker whose tasks carry none never
     * loads SLF4J); null when this worker's class path has no SLF4J, which it says once when a task's MDC is lost.
     */
    private static Mdc mdc(Bootstrap boot, boolean needed) {
        if (!mdcLookedUp) {
            mdcLookedUp = true;
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            mdc = Mdc.find(loader != null ? loader : WorkerMain.class.getClassLoader());
        }
        if (mdc == null && needed && !mdcMissingTold) {
            mdcMissingTold = true;
            System.err.println("spool worker " + boot.workerName() + ": tasks carry the submitter's MDC, but "
                    + Mdc.CLASS_NAME + " is not on this worker's class path (add slf4j-api to it, or turn MDC"
                    + " propagation off): they run without it");
        }
        return mdc;
    }

    /** Writes the value (or items) block and the error block of a RESULT. */
    private static void writeOutcome(Codec codec, Bytes buffer, int kind, Object value, List<Object> results,
                                     Throwable error) throws IOException {
        if (kind == Frames.KIND_CHUNK) {
            List<Object> done = results == null ? List.of() : results;
            int mark = buffer.size();
            try {
                codec.writeItems(buffer, done);
            } catch (FrameTooLargeException tooLarge) {
                throw tooLarge;
            } catch (IOException | RuntimeException cannot) {
                // find the first item that cannot travel; the ones before it still do
                buffer.truncate(mark);
                int bad = firstUnserializable(codec, done, buffer.limit());
                error = notSerializable("the result for item " + bad + " of the chunk", done.get(bad), cannot);
                try {
                    codec.writeItems(buffer, done.subList(0, bad));
                } catch (IOException | RuntimeException stillCannot) {
                    buffer.truncate(mark);
                    codec.writeItems(buffer, List.of());
                }
            }
        } else {
            try {
                codec.writeValue(buffer, value);
            } catch (FrameTooLargeException tooLarge) {
                throw tooLarge;
            } catch (IOException | RuntimeException cannot) {
                error = notSerializable("the task's result", value, cannot);
                buffer.writeByte(Codec.T_NULL);
            }
        }
        try {
            if (error != null) {
                codec.writeError(buffer, error);
            } else {
                Codec.writeNoError(buffer);
            }
        } catch (Bytes.LimitExceeded full) {
            throw new FrameTooLargeException(full.limit());
        }
    }

    private static String describeType(Object value, List<Object> results) {
        if (results != null) {
            return results.size() + " items";
        }
        return value == null ? "null" : value.getClass().getName();
    }

    private static int firstUnserializable(Codec codec, List<Object> values, int limit) {
        Bytes scratch = new Bytes(1024).limit(limit);
        for (int i = 0; i < values.size(); i++) {
            try {
                scratch.clear();
                codec.writeValue(scratch, values.get(i));
            } catch (IOException | RuntimeException cannot) {
                return i;
            }
        }
        return 0; // each item alone is fine, together they are not: blame the first
    }

    private static Throwable notSerializable(String what, Object value, Throwable cause) {
        NotSerializableException failure = new NotSerializableException(what + " (" + (value == null ? "null"
                : value.getClass().getName()) + ") could not be serialized to send it back: " + cause);
        failure.initCause(cause);
        return failure;
    }

    private static Throwable unreadable(String what, Throwable cause) {
        InvalidObjectException failure = new InvalidObjectException(what + ": " + cause);
        failure.initCause(cause);
        return failure;
    }
}
