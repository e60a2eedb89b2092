package dev.spool.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * Writes frames to a blocking channel. {@link #write} sends one frame at once (header and payload in one gathering
 * write); {@link #queue} collects small frames in a buffer that {@link #flush} sends in one write, so a pass of the
 * manager that sends several tasks to a worker costs one system call. Used by one thread at a time.
 */
final class FrameWriter {
    /** Payloads up to this size are copied into the batch; larger ones go out on their own. */
    private static final int BATCH_COPY_LIMIT = 64 * 1024;

    private final GatheringByteChannel channel;
    private final ByteBuffer header = ByteBuffer.allocate(Frames.HEADER_BYTES);
    private final ByteBuffer[] both = new ByteBuffer[2];
    private final Bytes batch = new Bytes(8 * 1024);

    public FrameWriter(GatheringByteChannel channel) {
        this.channel = channel;
    }

    /** Writes a frame with no payload (after anything queued). */
    public void write(byte type, long id) throws IOException {
        write(type, id, null, 0, 0);
    }

    /** Writes a frame whose payload is {@code bytes[offset, offset + length)}, after anything queued. */
    public void write(byte type, long id, byte[] bytes, int offset, int length) throws IOException {
        flush();
        header.clear();
        header.putInt(Frames.HEADER_AFTER_LENGTH + length).put(type).putLong(id).flip();
        if (length == 0) {
            while (header.hasRemaining()) {
                channel.write(header);
            }
            return;
        }
        both[0] = header;
        both[1] = ByteBuffer.wrap(bytes, offset, length);
        try {
            while (both[1].hasRemaining()) {
                channel.write(both);
            }
        } finally {
            both[1] = null;
        }
    }

    /** Queues a frame for the next {@link #flush} (a large one is written at once, after what is queued). */
    public void queue(byte type, long id, byte[] payload) throws IOException {
        if (payload.length > BATCH_COPY_LIMIT) {
            write(type, id, payload, 0, payload.length);
            return;
        }
        batch.writeInt(Frames.HEADER_AFTER_LENGTH + payload.length);
        batch.writeByte(type);
        batch.writeLong(id);
        batch.write(payload, 0, payload.length);
    }

    /** Sends what {@link #queue} collected. */
    public void flush() throws IOException {
        if (batch.size() == 0) {
            return;
        }
        try {
            ByteBuffer out = ByteBuffer.wrap(batch.array(), 0, batch.size());
            while (out.hasRemaining()) {
                channel.write(out);
            }
        } finally {
            batch.clear();
        }
    }
}
