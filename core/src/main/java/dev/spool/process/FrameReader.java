package dev.spool.process;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Reads frames from a blocking channel through its own buffer. It calls {@link ReadableByteChannel#read} directly
 * (no {@code Channels.newInputStream}, whose reads hold the channel's blocking lock and would stall a writer on the
 * same socket). Used by one thread at a time.
 */
final class FrameReader {
    private final ReadableByteChannel channel;
    private final ByteBuffer buffer;
    private long maxPayload;

    private byte type;
    private long id;
    private byte[] payload;

    /**
     * @param channel    a blocking channel
     * @param maxPayload the largest payload accepted; a longer frame is a protocol violation
     */
    public FrameReader(ReadableByteChannel channel, long maxPayload) {
        this.channel = channel;
        this.buffer = ByteBuffer.allocate(64 * 1024);
        this.buffer.flip(); // empty, ready to read from
        this.maxPayload = maxPayload;
    }

    /** @param maxPayload the new cap (raised once the peer has authenticated) */
    public void maxPayload(long maxPayload) {
        this.maxPayload = maxPayload;
    }

    /**
     * Reads the next frame; {@link #type()}, {@link #id()} and {@link #payload()} then describe it.
     *
     * @throws EOFException      if the stream ends before a whole frame (a clean end between frames too)
     * @throws ProtocolException if the length is out of bounds
     * @throws IOException       if reading fails
     */
    public void next() throws IOException {
        fill(Frames.HEADER_BYTES);
        int length = buffer.getInt();
        if (length < Frames.HEADER_AFTER_LENGTH || (long) length - Frames.HEADER_AFTER_LENGTH > maxPayload) {
            throw new ProtocolException("frame length " + Integer.toUnsignedString(length)
                    + " is out of bounds (payload limit " + maxPayload + " bytes)");
        }
        type = buffer.get();
        id = buffer.getLong();
        int size = length - Frames.HEADER_AFTER_LENGTH;
        byte[] bytes = new byte[size];
        int copied = Math.min(size, buffer.remaining());
        buffer.get(bytes, 0, copied);
        if (copied < size) { // the rest straight into the array
            ByteBuffer rest = ByteBuffer.wrap(bytes, copied, size - copied);
            while (rest.hasRemaining()) {
                if (channel.read(rest) < 0) {
                    throw new EOFException("stream ended inside a " + Frames.typeName(type) + " frame");
                }
            }
        }
        payload = bytes;
    }

    /** Makes at least {@code n} bytes available in the buffer. */
    private void fill(int n) throws IOException {
        if (buffer.remaining() >= n) {
            return;
        }
        buffer.compact();
        try {
            while (buffer.position() < n) {
                if (channel.read(buffer) < 0) {
                    throw new EOFException(buffer.position() == 0 ? "end of stream" : "stream ended inside a frame header");
                }
            }
        } finally {
            buffer.flip();
        }
    }

    public byte type() {
        return type;
    }

    public long id() {
        return id;
    }

    public byte[] payload() {
        return payload;
    }
}
