package dev.spool.threading;

/**
 * A primitive whose state lives outside this JVM (a {@code backend: redis} primitive) could not reach it: the
 * operation did not happen. An acquire that throws this holds nothing; a release that throws it may or may not have
 * released, and the lease of the hold (see {@code docs/distributed.md}) gives it back in any case.
 */
public class BackendUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was being done, on which primitive, and what to check
     * @param cause   the backend's own exception
     */
    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
