package dev.spool.process;

import java.io.IOException;

/** The peer sent something the protocol does not allow (a bad length, an unexpected frame, a wrong token). */
final class ProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }
}
