package dev.spool.threading;

import java.time.Duration;
import java.util.Objects;

/** Spool's one time rule, in nanoseconds, for every primitive of this package. */
final class Durations {

    /**
     * A wait of this many nanoseconds or more (about 146 years) is a wait without a limit. Below it,
     * {@code System.nanoTime() + nanos}, which {@code AbstractQueuedSynchronizer} computes for a timed wait, cannot
     * overflow.
     */
    static final long FOREVER = Long.MAX_VALUE >>> 1;

    private Durations() {
    }

    /**
     * The nanoseconds to wait for: 0 for a duration of zero or less (never block), {@link #FOREVER} for one too long
     * to count (saturated, no overflow error).
     *
     * @throws NullPointerException if {@code timeout} is null
     */
    static long nanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout: use the overload without a Duration to wait without a limit");
        if (timeout.isNegative() || timeout.isZero()) {
            return 0L;
        }
        if (timeout.getSeconds() >= FOREVER / 1_000_000_000L) {
            return FOREVER;
        }
        return Math.min(timeout.toNanos(), FOREVER);
    }

    /** A timed wait of AbstractQueuedSynchronizer, which an interrupt ends. */
    @FunctionalInterface
    interface TimedWait {
        boolean await(long nanos) throws InterruptedException;
    }

    /**
     * Runs a timed wait to its deadline whatever interrupts arrive: each interrupt restarts the wait with the time
     * that is left, and the interrupt status is set again on return (as {@code Lock.lock()} does).
     *
     * @param nanos less than {@link #FOREVER}
     * @param start the {@code System.nanoTime()} the wait counts from
     */
    static boolean uninterruptibly(long nanos, long start, TimedWait wait) {
        long deadline = start + nanos;
        boolean interrupted = false;
        try {
            for (long remaining = nanos;; remaining = deadline - System.nanoTime()) {
                try {
                    return wait.await(Math.max(0L, remaining));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
