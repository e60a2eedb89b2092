package dev.spool.threading;

/**
 * A snapshot of one primitive's statistics, as its {@code stats()} method returns it: what meters and the
 * {@code /actuator/primitives} endpoint read. Counters are cumulative from the primitive's construction and never
 * reset; levels ({@link #waiting()}, a lock's owner, permits) are as of the snapshot.
 *
 * <p>The fields common to every primitive describe its waits. A wait is <em>contended</em> when the thread had to
 * block (it read the clock, registered as waiting, and parked or re-checked): an acquisition that succeeds at once
 * is not one. Every contended wait is counted once it ends, whether it ended in success, a timeout or an interrupt,
 * and its duration is in the primitive's wait histogram ({@code waitHistogram()}), from which
 * {@link #waitTotalNanos()} and {@link #waitMaxNanos()} come.
 *
 * <p>Numbers are read one by one while other threads work, so a snapshot taken under load can be off by what moved
 * while it was taken; a snapshot taken while nothing moves is exact.
 */
public sealed interface PrimitiveStats permits LockStats, SemaphoreStats, EventStats, BarrierStats, ConditionStats {

    /** @return the primitive's name */
    String name();

    /** @return threads blocked in the primitive now */
    int waiting();

    /** @return waits that had to block and have ended (acquired, timed out or interrupted) */
    long contended();

    /** @return timed waits that blocked and gave up at their deadline */
    long timeouts();

    /** @return the sum of the contended waits' durations, in nanoseconds */
    long waitTotalNanos();

    /** @return the longest contended wait, in nanoseconds; 0 if none */
    long waitMaxNanos();
}
