package dev.spool.threading;

/**
 * A snapshot of an {@link Event}'s statistics (see {@link PrimitiveStats} for the common fields).
 *
 * @param name           the event's name
 * @param set            whether the flag is set now; for a shared event whose backend cannot be reached, the value
 *                       this JVM last read or wrote (false if none)
 * @param waits          every call of {@code await}, whether it blocked or not
 * @param contended      waits that blocked and have ended (the event was set, the wait timed out or was interrupted);
 *                       a wait that ended within the brief spin before blocking (see {@link Event}) is not one
 * @param timeouts       timed waits that blocked and gave up
 * @param waitTotalNanos the sum of the blocked waits' durations
 * @param waitMaxNanos   the longest of them
 * @param waiting        threads waiting now
 */
public record EventStats(
        String name,
        boolean set,
        long waits,
        long contended,
        long timeouts,
        long waitTotalNanos,
        long waitMaxNanos,
        int waiting) implements PrimitiveStats {
}
