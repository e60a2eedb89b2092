package dev.spool.threading;

/**
 * What {@code hold()} returns: closing it releases what {@code hold()} acquired, so that
 * {@code try (var held = lock.hold()) { … }} is Python's {@code with lock: …}.
 *
 * <p>A primitive hands out one preallocated guard for every {@code hold()} (so holding allocates nothing), and each
 * {@link #close()} releases once: closing a guard twice releases twice, which fails as a second {@code release()}
 * would. Use it only as the resource of a {@code try}-with-resources statement.
 */
@FunctionalInterface
public interface Guard extends AutoCloseable {

    /**
     * Releases once what {@code hold()} acquired.
     *
     * @throws IllegalStateException        if a {@link Lock} is not locked any more, or a {@link BoundedSemaphore}
     *                                      would go past its initial value
     * @throws IllegalMonitorStateException if the calling thread does not own an {@link RLock}
     */
    @Override
    void close();
}
