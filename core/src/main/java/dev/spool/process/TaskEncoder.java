package dev.spool.process;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Turns the caller's tasks into TASK payloads, on the submitting thread: the kind byte, then the task serialized
 * (or a map chunk: the function's block and the items), within the frame limit, and never with a class the workers
 * cannot load. Serializing stops at the limit, so a task too large costs no more memory than the limit. What cannot
 * be sent becomes the {@link IOException} its future fails with, worded for the user. With MDC propagation on, each
 * payload also carries the submitting thread's SLF4J MDC (see {@link Frames#KIND_WITH_MDC}).
 */
final class TaskEncoder {
    /** One buffer per submitting thread, reused: a payload is copied out of it, so nothing holds on to it. */
    private static final ThreadLocal<Bytes> BUFFERS = ThreadLocal.withInitial(() -> new Bytes(4096));

    private final String pool;
    private final int maxFrameBytes;
    private final String frameLimitSetting;
    /** What the workers can load; null with a custom command, whose class path the engine does not know. */
    private final WorkerClassPath classPath;
    private final BiFunction<Class<?>, String, ? extends IOException> unreachable;
    private final Codec codec;
    /** The submitters' MDC, carried with every task; null when MDC propagation is off. */
    private final Mdc mdc;

    TaskEncoder(String pool, int maxFrameBytes, String frameLimitSetting, WorkerClassPath classPath,
                BiFunction<Class<?>, String, ? extends IOException> unreachable, ClassLoader loader,
                ObjectInputFilter filter, Mdc mdc) {
        this.pool = pool;
        this.mdc = mdc;
        this.maxFrameBytes = maxFrameBytes;
        this.frameLimitSetting = frameLimitSetting;
        this.classPath = classPath;
        this.unreachable = unreachable;
        // every class that goes into a stream is checked, so a class the workers lack fails here, not there
        this.codec = new Codec(loader, filter, classPath == null ? null : type -> {
            IOException refused = checkReachable(type, "the task's object graph");
            if (refused != null) {
                throw new Unreachable(refused);
            }
        });
    }

    /** Carries the caller's unreachable-class exception out of a serialization stream, told apart from others. */
    private static final class Unreachable extends IOException {
        private static final long serialVersionUID = 1L;
        final transient IOException reported;

        Unreachable(IOException reported) {
            super(reported.getMessage());
            this.reported = reported;
        }
    }

    /** A call or run task: its kind byte, then the task serialized. */
    byte[] task(byte kind, Object task) throws IOException {
        IOException refused = checkReachable(task.getClass(), "the task");
        if (refused != null) {
            throw refused;
        }
        Bytes buffer = buffer();
        try {
            writeKind(buffer, kind);
            codec.writeSerial(buffer, task);
            return buffer.toByteArray();
        } catch (FrameTooLargeException full) {
            throw tooLarge("task (" + task.getClass().getName() + ")");
        } catch (Unreachable unreachableClass) {
            throw unreachableClass.reported;
        } catch (IOException | RuntimeException cannot) {
            throw notSerializable(task, cannot);
        } finally {
            buffer.clear();
        }
    }

    /** A map function's value block. */
    byte[] function(Object fn) throws IOException {
        IOException refused = checkReachable(fn.getClass(), "the function");
        if (refused != null) {
            throw refused;
        }
        Bytes buffer = buffer();
        try {
            codec.writeSerial(buffer, fn);
            return buffer.toByteArray();
        } catch (FrameTooLargeException full) {
            throw tooLarge("function (" + fn.getClass().getName() + ")");
        } catch (Unreachable unreachableClass) {
            throw unreachableClass.reported;
        } catch (IOException | RuntimeException cannot) {
            throw notSerializable(fn, cannot);
        } finally {
            buffer.clear();
        }
    }

    /** A map chunk: the CHUNK kind, the function's block, then the items. */
    byte[] chunk(byte[] function, List<?> items) throws IOException {
        Bytes buffer = buffer();
        try {
            writeKind(buffer, Frames.KIND_CHUNK);
            buffer.write(function, 0, function.length);
            codec.writeItems(buffer, items);
            return buffer.toByteArray();
        } catch (FrameTooLargeException | Bytes.LimitExceeded full) {
            throw tooLarge("chunk of " + items.size() + " items");
        } catch (Unreachable unreachableClass) {
            throw unreachableClass.reported;
        } catch (IOException | RuntimeException cannot) {
            NotSerializableException failure = new NotSerializableException(
                    "the items of a map chunk could not be serialized: " + cannot);
            failure.initCause(cannot);
            throw failure;
        } finally {
            buffer.clear();
        }
    }

    /**
     * The kind byte, and with MDC propagation the submitting thread's MDC after it: a count, then each key and
     * value as a value block. An empty MDC travels too, so that the task runs with exactly the submitter's.
     */
    private void writeKind(Bytes buffer, byte kind) throws IOException {
        if (mdc == null) {
            buffer.writeByte(kind);
            return;
        }
        Map<String, String> context = mdc.copy();
        try {
            buffer.writeByte(kind | Frames.KIND_WITH_MDC);
            buffer.writeInt(context.size());
            for (Map.Entry<String, String> entry : context.entrySet()) {
                codec.writeValue(buffer, entry.getKey());
                codec.writeValue(buffer, entry.getValue());
            }
        } catch (Bytes.LimitExceeded full) {
            throw new FrameTooLargeException(full.limit());
        }
    }

    /**
     * The INIT payload: {@code maxTasksPerChild}, then the initializer's value block (or a null value).
     *
     * @throws IllegalArgumentException if the initializer cannot be serialized, or is over the frame limit
     */
    static byte[] initPayload(Codec codec, Object initializer, int maxTasksPerChild, int frameLimit) {
        Bytes init = new Bytes(256);
        init.writeInt(maxTasksPerChild);
        try {
            if (initializer == null) {
                codec.writeValue(init, null);
            } else {
                codec.writeSerial(init, initializer);
            }
        } catch (IOException | RuntimeException cannot) {
            throw new IllegalArgumentException("the initializer (" + initializer.getClass().getName()
                    + ") cannot be serialized: " + cannot, cannot);
        }
        if (init.size() > frameLimit) {
            throw new IllegalArgumentException("the initializer is " + init.size() + " bytes serialized, over"
                    + " the frame limit of " + frameLimit + " bytes (ProcessPool.Builder.maxFrameBytes)");
        }
        return init.toByteArray();
    }

    /** @return null if a worker can load {@code type}, else the caller's exception that says why not */
    private IOException checkReachable(Class<?> type, String what) {
        if (classPath == null || classPath.reaches(type)) {
            return null;
        }
        return unreachable.apply(type, what);
    }

    private static IOException notSerializable(Object task, Throwable cause) {
        String className = task.getClass().getName();
        NotSerializableException failure;
        if (!(task instanceof Serializable)) {
            failure = new NotSerializableException("the task (" + className + ") is not serializable, so it cannot be"
                    + " sent to a worker process: submit a SerializableCallable or SerializableRunnable instead (a lambda"
                    + " assigned to one, a record implementing one, or a reference to a static method), and make"
                    + " everything it captures serializable");
        } else {
            failure = new NotSerializableException("the task (" + className + ") could not be serialized: " + cause
                    + "; everything a task captures must be serializable");
        }
        failure.initCause(cause);
        return failure;
    }

    private IOException tooLarge(String what) {
        return new FrameTooLargeException(maxFrameBytes, "the " + what + " is larger serialized than the frame limit"
                + " of " + maxFrameBytes + " bytes of process pool '" + pool + "'; serializing it was stopped there."
                + " Send less (or a path to a file), or raise the limit with " + frameLimitSetting);
    }

    /** The calling thread's buffer, empty, capped at this engine's frame limit. */
    private Bytes buffer() {
        Bytes buffer = BUFFERS.get();
        buffer.clear();
        return buffer.limit(maxFrameBytes);
    }
}
