package dev.spool.redis;

import dev.spool.threading.BackendUnavailableException;

/**
 * A waiting thread's view of Redis being unreachable: a look that fails is tried again at the next poll, until the
 * failures have lasted longer than the tolerance (the backend's timeout), when the wait ends with the last failure.
 * So a wait rides out a restart or a failover of a few seconds, and still never hangs: a lasting outage ends it
 * within the tolerance plus one look.
 */
final class Outage {
    private final long toleranceNanos;
    private long since;

    Outage(long toleranceNanos) {
        this.toleranceNanos = toleranceNanos;
    }

    /** A look got its answer: the outage, if any, is over. */
    void over() {
        since = 0;
    }

    /**
     * @param failure  the look's failure
     * @param deadline the wait's end
     * @throws BackendUnavailableException {@code failure}, if the outage has lasted past the tolerance or the wait
     *                                     is over (a wait that ends during an outage says so rather than time out)
     */
    void tolerate(BackendUnavailableException failure, Deadline deadline) {
        long now = System.nanoTime();
        if (since == 0) {
            since = now;
        }
        if (now - since >= toleranceNanos || deadline.remaining() <= 0) {
            throw failure;
        }
    }
}
