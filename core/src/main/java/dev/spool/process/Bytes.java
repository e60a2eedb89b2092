package dev.spool.process;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte array that frames and payloads are built in; also an {@link OutputStream}, so an
 * {@link java.io.ObjectOutputStream} writes straight into it. Not thread-safe.
 *
 * <p>A buffer may have a {@linkplain #limit(int) limit}: a write that would take it past the limit throws
 * {@link LimitExceeded} before anything is allocated, so serializing a value that is too large stops at the cap
 * (however large the value would have become) instead of first building it whole in memory.
 */
final class Bytes extends OutputStream {
    private byte[] array;
    private int size;
    private int limit = Integer.MAX_VALUE - 8;

    public Bytes(int capacity) {
        array = new byte[Math.max(16, capacity)];
    }

    /**
     * Thrown by a write that would take a {@link Bytes} past its limit. Unchecked on purpose: an
     * {@link java.io.ObjectOutputStream} turns an {@link java.io.IOException} from its sink into an attempt to write
     * the exception into the stream (more bytes over the cap), while an unchecked exception leaves at once.
     */
    public static final class LimitExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int limit;

        LimitExceeded(int limit) {
            super("over the limit of " + limit + " bytes", null, false, false);
            this.limit = limit;
        }

        /** @return the limit that was reached */
        public int limit() {
            return limit;
        }
    }

    /** Sets the most bytes this buffer may hold; a write past it throws {@link LimitExceeded}. */
    public Bytes limit(int limit) {
        this.limit = limit;
        return this;
    }

    /** @return the most bytes this buffer may hold */
    public int limit() {
        return limit;
    }

    public byte[] array() {
        return array;
    }

    public int size() {
        return size;
    }

    /** Forgets everything after {@code mark}, a value {@link #size()} returned earlier. */
    public void truncate(int mark) {
        size = mark;
    }

    /** Empties the buffer; a very large one is let go so one huge message does not pin memory. */
    public void clear() {
        size = 0;
        if (array.length > 4 * 1024 * 1024) {
            array = new byte[64 * 1024];
        }
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(array, size);
    }

    private void ensure(int more) {
        long needed = (long) size + more;
        if (needed > limit) {
            throw new LimitExceeded(limit);
        }
        if (needed > array.length) {
            int grown = (int) Math.min(limit, Math.max((long) array.length * 2, needed));
            array = Arrays.copyOf(array, grown);
        }
    }

    @Override
    public void write(int b) {
        ensure(1);
        array[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, array, size, len);
        size += len;
    }

    public void writeByte(int b) {
        write(b);
    }

    public void writeInt(int v) {
        ensure(4);
        array[size] = (byte) (v >>> 24);
        array[size + 1] = (byte) (v >>> 16);
        array[size + 2] = (byte) (v >>> 8);
        array[size + 3] = (byte) v;
        size += 4;
    }

    /** Overwrites the int at {@code position}. */
    public void putInt(int position, int v) {
        array[position] = (byte) (v >>> 24);
        array[position + 1] = (byte) (v >>> 16);
        array[position + 2] = (byte) (v >>> 8);
        array[position + 3] = (byte) v;
    }

    public void writeLong(long v) {
        writeInt((int) (v >>> 32));
        writeInt((int) v);
    }
}
