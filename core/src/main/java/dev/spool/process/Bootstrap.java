package dev.spool.process;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What a worker is told on its standard input before anything else (never on its command line, where any user of
 * the machine could read the token): where to connect, the token to prove it is the process the pool started, the
 * frame cap and the serialization filter.
 *
 * @param socketPath    the Unix-domain socket to connect to
 * @param token         the session token, {@link Frames#TOKEN_BYTES} random bytes
 * @param maxFrameBytes the largest payload either side may send
 * @param filterSpec    the {@link SerialFilter} pattern string
 * @param workerName    the worker's name, for its own messages
 * @param frameLimitSetting where the frame limit is set, as the worker's messages name it (the builder method, and
 *                      the configuration key when the pool has one)
 */
record Bootstrap(String socketPath, byte[] token, int maxFrameBytes, String filterSpec, String workerName,
                        String frameLimitSetting) {
    private static final int MAGIC = 0x53504f4c; // "SPOL"

    public void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(Frames.VERSION);
        out.writeUTF(socketPath);
        out.write(token);
        out.writeInt(maxFrameBytes);
        byte[] filter = filterSpec.getBytes(StandardCharsets.UTF_8);
        out.writeInt(filter.length);
        out.write(filter);
        out.writeUTF(workerName);
        out.writeUTF(frameLimitSetting);
        out.flush();
    }

    public static Bootstrap readFrom(DataInputStream in) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException("standard input does not start with a Spool worker bootstrap (this class is started by"
                    + " dev.spool.futures.ProcessPool, not by hand)");
        }
        int version = in.readInt();
        if (version != Frames.VERSION) {
            throw new IOException("bootstrap of protocol version " + version + ", this worker speaks " + Frames.VERSION
                    + ": the worker's class path has another Spool version than the pool's");
        }
        String socketPath = in.readUTF();
        byte[] token = new byte[Frames.TOKEN_BYTES];
        in.readFully(token);
        int maxFrameBytes = in.readInt();
        int filterLength = in.readInt();
        if (filterLength < 0 || filterLength > 1 << 20) {
            throw new IOException("bad bootstrap: filter of " + filterLength + " bytes");
        }
        byte[] filter = new byte[filterLength];
        in.readFully(filter);
        String workerName = in.readUTF();
        String frameLimitSetting = in.readUTF();
        return new Bootstrap(socketPath, token, maxFrameBytes, new String(filter, StandardCharsets.UTF_8), workerName,
                frameLimitSetting);
    }
}
