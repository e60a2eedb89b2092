package dev.spool.annotation;

import java.time.Duration;

import dev.spool.internal.Timeouts;

/**
 * A method annotated with {@link WithLock} did not run: its lock was held by another thread (or, shared, another
 * instance) for all of its {@code timeout}, or when it only tried ({@code blocking = false}). See
 * {@link NotAcquiredException} for what it carries.
 */
public final class LockNotAcquiredException extends NotAcquiredException {
    private static final long serialVersionUID = 1L;

    /**
     * @param lock   the lock's name
     * @param method the annotated method, as {@code Class.method(parameter types)}
     * @param waited how long the call waited; zero when it only tried
     */
    public LockNotAcquiredException(String lock, String method, Duration waited) {
        super(message(lock, method, waited), lock, method, waited);
    }

    private static String message(String lock, String method, Duration waited) {
        return waited.isZero()
                ? "lock '" + lock + "' is held, so " + method + " did not run (@WithLock without a wait only tries)"
                : "lock '" + lock + "' was not acquired within " + Timeouts.format(waited) + ", so " + method
                + " did not run (@WithLock timeout)";
    }
}
