package dev.spool.threading;

import java.util.concurrent.atomic.AtomicInteger;

import dev.spool.threading.spi.SharedBackend;
import dev.spool.threading.spi.SharedSemaphore;

/**
 * A semaphore that cannot be released past its initial value: Python's {@code threading.BoundedSemaphore}. A
 * release that would leave more free permits than it started with throws {@link IllegalStateException} and leaves
 * the count as it was, which catches a permit given back twice. Everything else is {@link Semaphore}'s, the shared
 * form included ({@link #shared(String, int, SharedSemaphore)}, whose state enforces the bound across instances).
 */
public final class BoundedSemaphore extends Semaphore {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** Makes an unfair bounded semaphore with one permit and a generated name ({@code BoundedSemaphore-1}, …). */
    public BoundedSemaphore() {
        this(1);
    }

    /**
     * Makes an unfair bounded semaphore with a generated name.
     *
     * @param value the initial number of permits, which is also the most there can be
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public BoundedSemaphore(int value) {
        this("BoundedSemaphore-" + SEQUENCE.incrementAndGet(), value, false);
    }

    /**
     * Makes an unfair bounded semaphore.
     *
     * @param name  its name, as metrics and endpoints show it
     * @param value the initial number of permits, which is also the most there can be
     * @throws IllegalArgumentException if {@code value} is negative
     * @throws NullPointerException     if {@code name} is null
     */
    public BoundedSemaphore(String name, int value) {
        this(name, value, false);
    }

    /**
     * Makes a bounded semaphore.
     *
     * @param name  its name, as metrics and endpoints show it
     * @param value the initial number of permits, which is also the most there can be
     * @param fair  true to serve waiting threads in arrival order
     * @throws IllegalArgumentException if {@code value} is negative
     * @throws NullPointerException     if {@code name} is null
     */
    public BoundedSemaphore(String name, int value, boolean fair) {
        super(name, value, fair, true);
    }

    private BoundedSemaphore(String name, int value, SemaphoreBackend backend) {
        super(name, value, backend);
    }

    /**
     * Makes a bounded semaphore whose permits are shared between instances, as {@link Semaphore#shared} does; the
     * state refuses a release past the bound, on any instance, with {@link IllegalStateException}.
     *
     * @param name    its name, as metrics and endpoints show it (the same on every instance)
     * @param initial the initial number of permits the state was built with, which is also the most there can be
     * @param state   the shared state, from {@link SharedBackend#semaphore} with {@code bounded} true
     * @return a new bounded semaphore over {@code state}
     * @throws IllegalArgumentException if {@code initial} is negative
     * @throws NullPointerException     if {@code name}, {@code state} or the state's {@code backend()} is null
     */
    public static BoundedSemaphore shared(String name, int initial, SharedSemaphore state) {
        return new BoundedSemaphore(name, initial, sharedBackend(state));
    }

    /**
     * Gives back one permit, waking a waiting thread if there is one.
     *
     * @throws IllegalStateException if that would leave more free permits than the initial value (the count is left
     *                               as it was)
     */
    @Override
    public void release() {
        super.release();
    }

    /**
     * Gives back {@code n} permits, waking up to {@code n} waiting threads.
     *
     * @param n how many permits, 1 or more
     * @throws IllegalArgumentException if {@code n < 1}
     * @throws IllegalStateException    if that would leave more free permits than the initial value (the count is
     *                                  left as it was)
     */
    @Override
    public void release(int n) {
        super.release(n);
    }

    /** @return the initial number of permits: the most there can be */
    public int initialValue() {
        return initial;
    }

    /** @return {@code BoundedSemaphore[name=…, value=free/initial]}; a shared one also shows {@code backend=…} */
    @Override
    public String toString() {
        return "BoundedSemaphore[name=" + name() + describeBackend() + ", value=" + describeValue() + "/"
                + initialValue() + "]";
    }
}
