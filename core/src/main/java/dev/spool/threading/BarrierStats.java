package dev.spool.threading;

/**
 * A snapshot of a {@link Barrier}'s statistics (see {@link PrimitiveStats} for the common fields).
 *
 * @param name           the barrier's name
 * @param parties        threads that must arrive to trip it
 * @param waiting        threads waiting at it now ({@link Barrier#waiting()})
 * @param broken         whether it is broken now
 * @param trips          how many times it tripped (all parties arrived and the action, if any, succeeded)
 * @param breaks         how many times it broke (abort, reset with threads waiting, timeout, interrupt, action
 *                       failure)
 * @param contended      waits that blocked and have ended (an arrival that is not the last of its trip blocks unless
 *                       released within the brief spin before blocking; see {@link Barrier})
 * @param timeouts       waits that blocked and timed out (each one broke the barrier)
 * @param waitTotalNanos the sum of the blocked waits' durations
 * @param waitMaxNanos   the longest of them
 */
public record BarrierStats(
        String name,
        int parties,
        int waiting,
        boolean broken,
        long trips,
        long breaks,
        long contended,
        long timeouts,
        long waitTotalNanos,
        long waitMaxNanos) implements PrimitiveStats {
}
