package dev.spool.process;

import java.io.IOException;

/**
 * A value did not fit in a frame: serializing it reached the buffer's limit ({@code maxFrameBytes}) and was stopped
 * there. The side that caught it says which value and which setting in the message it passes on.
 */
final class FrameTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int limit;

    /** @param limit the frame limit that was reached, in bytes */
    public FrameTooLargeException(int limit) {
        super("over the frame limit of " + limit + " bytes");
        this.limit = limit;
    }

    /**
     * @param limit   the frame limit that was reached, in bytes
     * @param message which value, and the setting that raises the limit
     */
    public FrameTooLargeException(int limit, String message) {
        super(message);
        this.limit = limit;
    }

    /** @return the frame limit that was reached, in bytes */
    public int limit() {
        return limit;
    }
}
