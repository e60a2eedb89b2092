package dev.spool.threading;

/**
 * A snapshot of a {@link Semaphore}'s or {@link BoundedSemaphore}'s statistics (see {@link PrimitiveStats} for the
 * common fields). For a shared semaphore ({@link Semaphore#shared}), {@code permits} is the backend's; every count is
 * this JVM's: its acquisitions, its waits.
 *
 * @param name           the semaphore's name
 * @param bounded        true for a {@link BoundedSemaphore}
 * @param fair           whether waiting threads get permits in arrival order; false for a shared semaphore, whose
 *                       backend orders its waiters
 * @param permits        permits free now ({@link Semaphore#value()}; for a shared semaphore, across every instance);
 *                       -1 when a shared semaphore's backend cannot be reached
 * @param initialPermits the value it was built with: the bound of a {@link BoundedSemaphore}
 * @param acquisitions   successful acquisitions
 * @param contended      acquisitions that had to wait and have ended (acquired, timed out or interrupted)
 * @param timeouts       timed acquisitions that waited and gave up
 * @param failedTries    non-blocking attempts ({@code acquire(false)}, a zero {@code Duration}) that found no permit
 * @param waitTotalNanos the sum of the contended acquisitions' waits
 * @param waitMaxNanos   the longest of them
 * @param waiting        threads waiting for a permit now
 */
public record SemaphoreStats(
        String name,
        boolean bounded,
        boolean fair,
        int permits,
        int initialPermits,
        long acquisitions,
        long contended,
        long timeouts,
        long failedTries,
        long waitTotalNanos,
        long waitMaxNanos,
        int waiting) implements PrimitiveStats {
}
