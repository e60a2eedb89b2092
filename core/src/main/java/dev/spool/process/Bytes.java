package dev.spool.process;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte array that frames and payloads are built in; also an {@link OutputStream}, so an
 * {@link java.io.ObjectOutputStream} writes straight into it. Not thread-safe.
 */
public final class Bytes extends OutputStream {
    private byte[] array;
    private int size;

    public Bytes(int capacity) {
        array = new byte[Math.max(16, capacity)];
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
        int needed = size + more;
        if (needed < 0) {
            throw new OutOfMemoryError("message larger than 2 GiB");
        }
        if (needed > array.length) {
            int grown = (int) Math.min(Integer.MAX_VALUE - 8, Math.max((long) array.length * 2, needed));
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
