package dev.spool.threading;

import java.time.Duration;

import dev.spool.internal.Timeouts;

/** The primitives' view of Spool's one time rule ({@link Timeouts}), and their uninterruptible timed wait. */
final class Durations {

    /** See {@link Timeouts#FOREVER}. */
    static final long FOREVER = Timeouts.FOREVER;

    private Durations() {
    }

    /** See {@link Timeouts#nanos}. */
    static long nanos(Duration timeout) {
        return Timeouts.nanos(timeout);
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
