package dev.spool.process;

import java.io.EOFException;

/** Reads the fields of a payload. Running past the end is an {@link EOFException}: a malformed payload. */
final class ByteReader {
    private final byte[] array;
    private int position;
    private final int end;

    public ByteReader(byte[] array) {
        this(array, 0, array.length);
    }

    public ByteReader(byte[] array, int offset, int length) {
        this.array = array;
        this.position = offset;
        this.end = offset + length;
    }

    public byte[] array() {
        return array;
    }

    public int position() {
        return position;
    }

    public int remaining() {
        return end - position;
    }

    /** Moves past {@code n} bytes and returns where they started. */
    public int skip(int n) throws EOFException {
        require(n);
        int start = position;
        position += n;
        return start;
    }

    private void require(int n) throws EOFException {
        if (n < 0 || end - position < n) {
            throw new EOFException("malformed payload: needs " + n + " more bytes, has " + (end - position));
        }
    }

    public int readByte() throws EOFException {
        require(1);
        return array[position++];
    }

    public int readInt() throws EOFException {
        require(4);
        int v = ((array[position] & 0xff) << 24) | ((array[position + 1] & 0xff) << 16)
                | ((array[position + 2] & 0xff) << 8) | (array[position + 3] & 0xff);
        position += 4;
        return v;
    }

    public long readLong() throws EOFException {
        return ((long) readInt() << 32) | (readInt() & 0xffffffffL);
    }

    public byte[] readBytes(int n) throws EOFException {
        int start = skip(n);
        byte[] copy = new byte[n];
        System.arraycopy(array, start, copy, 0, n);
        return copy;
    }
}
