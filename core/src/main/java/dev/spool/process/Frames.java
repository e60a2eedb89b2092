package dev.spool.process;

/**
 * The wire format between a pool and its workers: one Unix-domain stream socket per worker, carrying frames
 *
 * <pre>
 *   int32 length   (big-endian; counts type, id and payload: 9 + payload bytes)
 *   u8    type     (one of the constants below)
 *   int64 id       (the task id for TASK and RESULT, 0 otherwise)
 *   byte[length - 9] payload
 * </pre>
 *
 * A length below 9 or above {@code 9 + maxFrameBytes}, or a type that is not expected at that point, is a
 * protocol violation: the reading side stops trusting the peer (the parent breaks the pool; a worker exits).
 *
 * <p>The conversation:
 * <pre>
 *   worker → parent  HELLO       int32 protocol version, int64 pid, 32-byte token (read with a small size cap)
 *   parent → worker  INIT        int32 maxTasksPerChild (0: unlimited), value: the initializer or null
 *   worker → parent  READY | INIT_FAILED (error block)
 *   parent → worker  TASK id     u8 kind (CALL, RUN, CHUNK; with KIND_WITH_MDC set: int32 count, then count
 *                                key and value blocks, the submitter's MDC), then the kind's body (see {@link Codec})
 *   worker → parent  RESULT id   u8 flags (LAST: the worker exits after this one), int64 worker nanos,
 *                                value block, error block
 *   parent → worker  SHUTDOWN
 *   worker → parent  BYE, then the worker closes the socket and exits 0
 * </pre>
 */
final class Frames {
    private Frames() {
    }

    /** Version of this protocol; a worker of another version is refused at HELLO. */
    public static final int VERSION = 2;
    /** Bytes of type and id, counted in the length. */
    public static final int HEADER_AFTER_LENGTH = 9;
    /** Bytes of the whole header, length included. */
    public static final int HEADER_BYTES = 13;
    /** Size of the session token, in bytes (256 bits). */
    public static final int TOKEN_BYTES = 32;
    /** Cap on frames read before the peer has authenticated itself. */
    public static final int HANDSHAKE_MAX_PAYLOAD = 1024;

    public static final byte HELLO = 1;
    public static final byte INIT = 2;
    public static final byte READY = 3;
    public static final byte INIT_FAILED = 4;
    public static final byte TASK = 5;
    public static final byte RESULT = 6;
    public static final byte SHUTDOWN = 7;
    public static final byte BYE = 8;

    /** TASK kinds. */
    public static final byte KIND_CALL = 1;
    public static final byte KIND_RUN = 2;
    public static final byte KIND_CHUNK = 3;
    /**
     * Set in a TASK's kind byte when the submitter's SLF4J MDC follows it, which the worker sets around the task
     * ({@code ProcessPool.Builder.propagateMdc}).
     */
    public static final int KIND_WITH_MDC = 0x40;

    /** RESULT flag: this was the worker's last task ({@code maxTasksPerChild}); it exits next. */
    public static final int FLAG_LAST = 1;

    /** @return a readable name of a frame type, for messages */
    public static String typeName(int type) {
        return switch (type) {
            case HELLO -> "HELLO";
            case INIT -> "INIT";
            case READY -> "READY";
            case INIT_FAILED -> "INIT_FAILED";
            case TASK -> "TASK";
            case RESULT -> "RESULT";
            case SHUTDOWN -> "SHUTDOWN";
            case BYE -> "BYE";
            default -> "unknown type " + type;
        };
    }
}
