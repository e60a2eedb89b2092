package dev.spool.annotation;

import java.time.Duration;

import dev.spool.internal.Timeouts;

/**
 * A method annotated with {@link WithPermit} did not run: its semaphore did not have the permits it asks for free
 * within its {@code timeout}, or when it only tried ({@code blocking = false}). Any permit it took on the way was given
 * back. See {@link NotAcquiredException} for what it carries.
 */
public final class PermitNotAcquiredException extends NotAcquiredException {
    private static final long serialVersionUID = 1L;

    private final int permits;

    /**
     * @param semaphore the semaphore's name
     * @param permits   the permits one call asks for
     * @param method    the annotated method, as {@code Class.method(parameter types)}
     * @param waited    how long the call waited; zero when it only tried
     */
    public PermitNotAcquiredException(String semaphore, int permits, String method, Duration waited) {
        super(message(semaphore, permits, method, waited), semaphore, method, waited);
        this.permits = permits;
    }

    /** @return the permits one call asks for ({@link WithPermit#permits()}) */
    public int permits() {
        return this.permits;
    }

    private static String message(String semaphore, int permits, String method, Duration waited) {
        String what = permits == 1 ? "no permit of semaphore '" + semaphore + "' was free"
                : permits + " permits of semaphore '" + semaphore + "' were not free";
        return waited.isZero()
                ? what + ", so " + method + " did not run (@WithPermit without a wait only tries)"
                : what + " within " + Timeouts.format(waited) + ", so " + method + " did not run (@WithPermit timeout)";
    }
}
