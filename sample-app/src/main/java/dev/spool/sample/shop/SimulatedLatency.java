package dev.spool.sample.shop;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Stands in for the round trips a real shop makes (a database write, a call to the pricing service), so that the
 * sample holds locks and permits for as long as a real service would. Not interruptible on purpose: a rollback that
 * writes the ledger must finish even when its thread is being interrupted (the interrupt stays pending).
 */
final class SimulatedLatency {

    private SimulatedLatency() {
    }

    /** Blocks the calling thread for {@code latency} (nothing for zero or less). */
    static void roundTrip(Duration latency) {
        long deadline = System.nanoTime() + latency.toNanos();
        for (long left = latency.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left); // may return early (spuriously, or on an interrupt): loop to the deadline
        }
    }
}
