package dev.spool.threading;

/**
 * A snapshot of a {@link Condition}'s statistics (see {@link PrimitiveStats} for the common fields). Every
 * {@code await} with a positive (or no) timeout blocks, so {@link #contended()} counts the awaits that have ended;
 * the time spent getting the lock back afterwards is the lock's, in its own statistics.
 *
 * @param name           the condition's name
 * @param lockName       the name of its lock
 * @param waiting        threads waiting for a signal now
 * @param signals        waiting threads woken by {@code signal}/{@code signalAll} (not the calls: a call that finds
 *                       nobody waiting adds nothing)
 * @param contended      awaits that blocked and have ended (signalled, timed out or interrupted)
 * @param timeouts       timed awaits that ended without a signal
 * @param waitTotalNanos the sum of those awaits' durations, until woken (not until the lock was back)
 * @param waitMaxNanos   the longest of them
 */
public record ConditionStats(
        String name,
        String lockName,
        int waiting,
        long signals,
        long contended,
        long timeouts,
        long waitTotalNanos,
        long waitMaxNanos) implements PrimitiveStats {
}
