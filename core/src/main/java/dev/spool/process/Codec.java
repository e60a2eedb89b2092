package dev.spool.process;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import dev.spool.futures.RemoteTaskException;

/**
 * What travels inside frames: values, lists of items (a map chunk's inputs and outputs) and exceptions.
 *
 * <p>A value block is a tag byte and its body. The common final JDK value types ({@code null}, {@code Integer},
 * {@code Long}, {@code Double}, {@code Boolean}, {@code String}, {@code byte[]}) have a compact encoding of their
 * own; everything else is Java serialization ({@link #T_SERIAL}: length, then a self-contained stream), read back
 * through the pool's {@link ObjectInputFilter} and resolving classes with the pool's class loader. An items block
 * ({@link #T_ITEMS}) is a count and that many compact values when every item has a compact form; otherwise the
 * list travels as one serialized {@code ArrayList}.
 *
 * <p>An error block is a present byte, then the exception itself as a value block ({@link #T_NULL} if it could not
 * be serialized), then a {@link RemoteTaskException} that describes it (class name, message, stack trace, causes),
 * which always serializes. The reader returns the exception itself when it can deserialize it, the description
 * otherwise.
 *
 * <p>Thread-safe: one instance per pool (parent side) or per worker.
 */
final class Codec {
    public static final byte T_NULL = 0;
    public static final byte T_INT = 1;
    public static final byte T_LONG = 2;
    public static final byte T_DOUBLE = 3;
    public static final byte T_TRUE = 4;
    public static final byte T_FALSE = 5;
    public static final byte T_STRING = 6;
    public static final byte T_BYTES = 7;
    public static final byte T_SERIAL = 8;
    public static final byte T_ITEMS = 9;

    private final ClassLoader loader;
    private final ObjectInputFilter filter;
    private final ClassCheck outgoing;
    private final Map<String, Class<?>> resolved = new ConcurrentHashMap<>();

    /** Looks at every class whose description goes into a serialization stream, and may refuse it. */
    @FunctionalInterface
    public interface ClassCheck {
        /** @throws IOException if {@code type} must not be sent (the serialization stops, nothing is sent) */
        void check(Class<?> type) throws IOException;
    }

    /**
     * @param loader the class loader classes are resolved with (the application's)
     * @param filter the filter every deserialization goes through
     */
    public Codec(ClassLoader loader, ObjectInputFilter filter) {
        this(loader, filter, null);
    }

    /**
     * @param loader   the class loader classes are resolved with (the application's)
     * @param filter   the filter every deserialization goes through
     * @param outgoing checks each class written by {@link #writeSerial}; null for none
     */
    public Codec(ClassLoader loader, ObjectInputFilter filter, ClassCheck outgoing) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.filter = Objects.requireNonNull(filter, "filter");
        this.outgoing = outgoing;
    }

    // ------------------------------------------------------------------------------------------------ writing

    /**
     * Appends a value block.
     *
     * @throws NotSerializableException (or another {@link IOException}) if the value cannot be serialized; the
     *                                  buffer is then back to where it was; a {@link FrameTooLargeException} if
     *                                  it would take the buffer past its {@linkplain Bytes#limit(int) limit} (the
     *                                  writing stops there, nothing beyond the limit is allocated)
     */
    public void writeValue(Bytes out, Object value) throws IOException {
        int mark = out.size();
        boolean compact;
        try {
            compact = writeCompact(out, value);
        } catch (Bytes.LimitExceeded full) {
            out.truncate(mark);
            throw new FrameTooLargeException(full.limit());
        }
        if (!compact) {
            writeSerial(out, value);
        }
    }

    /** Appends a value block that is always Java serialization (tasks and functions). */
    public void writeSerial(Bytes out, Object value) throws IOException {
        int mark = out.size();
        try {
            out.writeByte(T_SERIAL);
            int lengthAt = out.size();
            out.writeInt(0);
            ObjectOutputStream stream = outgoing == null ? new ObjectOutputStream(out) : new CheckedOutput(out, outgoing);
            stream.writeObject(value);
            stream.flush();
            out.putInt(lengthAt, out.size() - lengthAt - 4);
        } catch (IOException | RuntimeException | StackOverflowError failure) {
            out.truncate(mark);
            if (failure instanceof Bytes.LimitExceeded full) {
                throw new FrameTooLargeException(full.limit());
            }
            if (failure instanceof StackOverflowError) {
                throw new NotSerializableException("object graph too deep to serialize: " + value.getClass().getName());
            }
            throw failure;
        }
    }

    /** Appends an items block. */
    public void writeItems(Bytes out, List<?> items) throws IOException {
        int mark = out.size();
        try {
            out.writeByte(T_ITEMS);
            out.writeInt(items.size());
            for (Object item : items) {
                if (!writeCompact(out, item)) {
                    out.truncate(mark);
                    writeSerial(out, items instanceof ArrayList<?> ? items : new ArrayList<>(items));
                    return;
                }
            }
        } catch (Bytes.LimitExceeded full) {
            out.truncate(mark);
            throw new FrameTooLargeException(full.limit());
        }
    }

    private static boolean writeCompact(Bytes out, Object value) {
        if (value == null) {
            out.writeByte(T_NULL);
        } else if (value instanceof Integer i) {
            out.writeByte(T_INT);
            out.writeInt(i);
        } else if (value instanceof Long l) {
            out.writeByte(T_LONG);
            out.writeLong(l);
        } else if (value instanceof Double d) {
            out.writeByte(T_DOUBLE);
            out.writeLong(Double.doubleToRawLongBits(d));
        } else if (value instanceof Boolean b) {
            out.writeByte(b ? T_TRUE : T_FALSE);
        } else if (value instanceof String s) {
            out.writeByte(T_STRING);
            int n = s.length();
            out.writeInt(n);
            for (int i = 0; i < n; i++) { // UTF-16 code units: exact, lone surrogates included
                char c = s.charAt(i);
                out.write(c >>> 8);
                out.write(c);
            }
        } else if (value instanceof byte[] bytes) {
            out.writeByte(T_BYTES);
            out.writeInt(bytes.length);
            out.write(bytes, 0, bytes.length);
        } else {
            return false;
        }
        return true;
    }

    /**
     * Appends an error block for {@code error}: the exception itself if it serializes, and its description.
     */
    public void writeError(Bytes out, Throwable error) {
        out.writeByte(1);
        try {
            writeSerial(out, error);
        } catch (IOException | RuntimeException | LinkageError cannotCross) {
            out.writeByte(T_NULL);
        }
        try {
            writeSerial(out, describe(error));
        } catch (IOException | RuntimeException | LinkageError impossible) {
            // RemoteTaskException holds only strings and stack trace elements; write the bare minimum
            out.writeByte(T_NULL);
        }
    }

    /** Appends an empty error block. */
    public static void writeNoError(Bytes out) {
        out.writeByte(0);
    }

    /**
     * A {@link RemoteTaskException} that describes {@code error}: class name, message, stack trace text, the same
     * stack trace elements, and the causes and suppressed exceptions described the same way.
     */
    public static RemoteTaskException describe(Throwable error) {
        return describe(error, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
    }

    private static RemoteTaskException describe(Throwable error, java.util.Set<Throwable> seen, int depth) {
        seen.add(error);
        String text;
        if (depth == 0) {
            StringWriter trace = new StringWriter();
            try (PrintWriter printer = new PrintWriter(trace)) {
                error.printStackTrace(printer);
            }
            text = trace.toString();
        } else {
            text = "";
        }
        String message;
        try {
            message = error.getMessage();
        } catch (RuntimeException broken) {
            message = "<getMessage() threw " + broken + ">";
        }
        RemoteTaskException described = new RemoteTaskException(error.getClass().getName(), message, text);
        described.setStackTrace(error.getStackTrace());
        Throwable cause = error.getCause();
        if (cause != null && !seen.contains(cause) && depth < 32) {
            described.initCause(describe(cause, seen, depth + 1));
        }
        for (Throwable suppressed : error.getSuppressed()) {
            if (!seen.contains(suppressed) && depth < 32) {
                described.addSuppressed(describe(suppressed, seen, depth + 1));
            }
        }
        return described;
    }

    // ------------------------------------------------------------------------------------------------ reading

    /**
     * Reads a value block. The reader always ends up after the block, also when decoding it fails.
     *
     * @throws IOException            if the block is malformed, a class is refused by the filter, or a
     *                                {@code readObject} threw
     * @throws ClassNotFoundException if a class cannot be found
     */
    public Object readValue(ByteReader in) throws IOException, ClassNotFoundException {
        int tag = in.readByte();
        return switch (tag) {
            case T_SERIAL -> {
                int length = in.readInt();
                int start = in.skip(length);
                yield deserialize(in.array(), start, length);
            }
            case T_ITEMS -> {
                int n = in.readInt();
                if (n < 0 || n > in.remaining()) {
                    throw new IOException("malformed items block: count " + n);
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(readCompact(in, in.readByte()));
                }
                yield items;
            }
            default -> readCompact(in, tag);
        };
    }

    private static Object readCompact(ByteReader in, int tag) throws IOException {
        return switch (tag) {
            case T_NULL -> null;
            case T_INT -> in.readInt();
            case T_LONG -> in.readLong();
            case T_DOUBLE -> Double.longBitsToDouble(in.readLong());
            case T_TRUE -> Boolean.TRUE;
            case T_FALSE -> Boolean.FALSE;
            case T_STRING -> {
                int n = in.readInt();
                if (n < 0 || n > in.remaining() / 2) {
                    throw new IOException("malformed string: length " + n);
                }
                char[] chars = new char[n];
                byte[] a = in.array();
                int p = in.skip(2 * n);
                for (int i = 0; i < n; i++, p += 2) {
                    chars[i] = (char) (((a[p] & 0xff) << 8) | (a[p + 1] & 0xff));
                }
                yield new String(chars);
            }
            case T_BYTES -> in.readBytes(in.readInt());
            default -> throw new IOException("malformed value: unknown tag " + tag);
        };
    }

    /** Reads a value block that must hold a list (an items block or a serialized list). */
    @SuppressWarnings("unchecked")
    public List<Object> readItems(ByteReader in) throws IOException, ClassNotFoundException {
        Object value = readValue(in);
        if (value instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw new IOException("expected a list of items, got " + (value == null ? "null" : value.getClass().getName()));
    }

    /**
     * Reads an error block.
     *
     * @return null if the block says there was no error; otherwise the exception itself if it could be
     * deserialized, or the {@link RemoteTaskException} that describes it (with the reason the exception itself
     * could not be read as a suppressed exception)
     * @throws IOException if the block is malformed
     */
    public Throwable readError(ByteReader in) throws IOException {
        if (in.readByte() == 0) {
            return null;
        }
        Object itself = null;
        Throwable whyNot = null;
        try {
            itself = readValue(in);
        } catch (ClassNotFoundException | IOException | RuntimeException | LinkageError failure) {
            whyNot = failure;
        }
        Object described;
        try {
            described = readValue(in);
        } catch (ClassNotFoundException | RuntimeException | LinkageError failure) {
            described = null;
            if (whyNot == null) {
                whyNot = failure;
            }
        }
        if (itself instanceof Throwable throwable) {
            return throwable;
        }
        RemoteTaskException stand = described instanceof RemoteTaskException remote ? remote
                : new RemoteTaskException("<unknown>", "the worker's exception could not be read", "");
        if (whyNot != null) {
            stand.addSuppressed(whyNot);
        }
        return stand;
    }

    /**
     * Deserializes one self-contained serialization stream through the filter, resolving classes with the pool's
     * class loader.
     */
    public Object deserialize(byte[] bytes, int offset, int length) throws IOException, ClassNotFoundException {
        try (ObjectInputStream stream = new FilteredInput(new ByteArrayInputStream(bytes, offset, length))) {
            return stream.readObject();
        } catch (StackOverflowError tooDeep) {
            throw new InvalidClassException("object graph too deep to deserialize");
        }
    }

    /** An ObjectOutputStream that shows every class it describes to a {@link ClassCheck}. */
    private static final class CheckedOutput extends ObjectOutputStream {
        private final ClassCheck check;

        CheckedOutput(Bytes out, ClassCheck check) throws IOException {
            super(out);
            this.check = check;
        }

        @Override
        protected void annotateClass(Class<?> type) throws IOException {
            check.check(type);
        }
    }

    /** An ObjectInputStream with the pool's filter and class loader. */
    private final class FilteredInput extends ObjectInputStream {
        FilteredInput(InputStream in) throws IOException {
            super(in);
            setObjectInputFilter(filter);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            String name = desc.getName();
            Class<?> known = resolved.get(name);
            if (known != null) {
                return known;
            }
            try {
                Class<?> found = Class.forName(name, false, loader);
                resolved.put(name, found);
                return found;
            } catch (ClassNotFoundException notThere) {
                return super.resolveClass(desc); // primitives, and classes only the caller's loader sees
            }
        }
    }
}
