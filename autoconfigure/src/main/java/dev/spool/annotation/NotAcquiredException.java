package dev.spool.annotation;

import java.time.Duration;
import java.util.Objects;

/**
 * What a method annotated with {@link WithLock} or {@link WithPermit} throws, instead of running, when it could not
 * take its lock or permits: the wait of its {@code timeout} passed first, or {@code blocking = false} found them
 * taken. The method's body did not run and nothing is held. Unchecked: catch the subclass where a busy resource has
 * an answer (a web controller's 409 or 503, a retry), or let it fail the call.
 *
 * <p>Its message names the lock or semaphore, the method and the wait, such as {@code lock 'inventory' was not
 * acquired within 2 s, so com.example.Warehouse.reserve(String, int) did not run (@WithLock timeout)}.
 */
public abstract sealed class NotAcquiredException extends RuntimeException
        permits LockNotAcquiredException, PermitNotAcquiredException {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String method;
    private final Duration waited;

    NotAcquiredException(String message, String name, String method, Duration waited) {
        super(message);
        this.name = Objects.requireNonNull(name, "name");
        this.method = Objects.requireNonNull(method, "method");
        this.waited = Objects.requireNonNull(waited, "waited");
    }

    /** @return the lock's or semaphore's name (its bean name) */
    public String name() {
        return this.name;
    }

    /** @return the annotated method, as {@code com.example.Warehouse.reserve(String, int)} */
    public String method() {
        return this.method;
    }

    /**
     * @return how long the call was willing to wait: its {@code timeout}, or zero for {@code blocking = false} (or a
     * zero timeout), which only tried
     */
    public Duration waited() {
        return this.waited;
    }

    /** @return whether the call only tried, without waiting */
    public boolean triedOnly() {
        return this.waited.isZero();
    }
}
