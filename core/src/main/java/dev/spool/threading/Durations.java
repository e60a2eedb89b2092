package dev.spool.threading;

import java.time.Duration;

import dev.spool.internal.Timeouts;

/**
 * The primitives' view of Spool's one time rule ({@link Timeouts}), and their uninterruptible waits: timed, over an
 * {@code AbstractQueuedSynchronizer} or a shared state, and, for a shared state, the one try and the wait without a
 * limit (the {@code dev.spool.threading.spi} methods are interruptible; the Python methods on top are not).
 */
final class Durations {

    /** See {@link Timeouts#FOREVER}. */
    static final long FOREVER = Timeouts.FOREVER;

    private Durations() {
    }

    /** See {@link Timeouts#nanos}. */
    static long nanos(Duration timeout) {
        return Timeouts.nanos(timeout);
    }

    /**
     * What a shared state takes for "no limit" ({@link Long#MAX_VALUE}, as the SPI says) for a wait of
     * {@link #FOREVER} or more; any shorter wait as it is.
     */
    static long forSharedState(long nanos) {
        return nanos >= FOREVER ? Long.MAX_VALUE : nanos;
    }

    /** A timed wait of AbstractQueuedSynchronizer or of a shared state, which an interrupt ends. */
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

    /**
     * One attempt that does not block ({@code wait.await(0)}), made whatever the interrupt status: the status is
     * cleared for the call (a shared state may check it on entry) and set again on return, as it was or as an
     * interrupt during the call left it.
     */
    static boolean tryNowUninterruptibly(TimedWait wait) {
        boolean interrupted = Thread.interrupted();
        try {
            for (;;) {
                try {
                    return wait.await(0L);
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

    /**
     * Runs a shared state's wait without a limit ({@code wait.await(Long.MAX_VALUE)}) until it succeeds, whatever
     * interrupts arrive: each one restarts the wait, and the interrupt status is set again on return.
     */
    static void uninterruptiblyWithoutLimit(TimedWait wait) {
        boolean interrupted = Thread.interrupted(); // kept for the return, not thrown at once by the state
        try {
            for (;;) {
                try {
                    if (wait.await(Long.MAX_VALUE)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    Thread.interrupted(); // a state that threw without clearing the status must not spin us
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
