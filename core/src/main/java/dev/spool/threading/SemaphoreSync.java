package dev.spool.threading;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.AbstractQueuedLongSynchronizer;

/**
 * The local {@link SemaphoreBackend}: {@code AbstractQueuedLongSynchronizer} shared mode, as
 * {@code java.util.concurrent.Semaphore}, on a long state.
 *
 * <h2>State</h2>
 * The low 32 bits are the free permits, the high 32 bits count the acquisitions. {@code tryAcquireShared} takes a
 * permit and counts itself in the same CAS, so counting costs the uncontended path nothing beyond what
 * {@code java.util.concurrent.Semaphore} does; when the count's 32 bits wrap, the thread that wrapped them adds one
 * to {@code wraps}. {@code tryReleaseShared} adds n permits (refusing, for a bounded semaphore, to pass the bound
 * without changing the state), and AQS then wakes queued threads one after the other while permits remain.
 */
final class SemaphoreSync extends AbstractQueuedLongSynchronizer implements SemaphoreBackend {
    private static final long PERMITS = 0xFFFF_FFFFL;
    private static final long ONE_ACQUISITION = 1L << 32;

    private final boolean fair;
    /** The most permits a release may leave free, or -1 when unbounded. */
    private final int bound;
    /** How many times the 32-bit acquisition count in the state wrapped. */
    private final AtomicLong wraps = new AtomicLong();

    SemaphoreSync(int permits, boolean fair, int bound) {
        setState(permits);
        this.fair = fair;
        this.bound = bound;
    }

    @Override
    public boolean tryAcquire() {
        return tryAcquireShared(1L) >= 0L;
    }

    @Override
    public boolean barge() {
        return take(1L) >= 0L;
    }

    @Override
    public void acquireUninterruptibly() {
        acquireShared(1L);
    }

    @Override
    public boolean tryAcquireNanos(long nanos) throws InterruptedException {
        return tryAcquireSharedNanos(1L, nanos);
    }

    @Override
    public void release(int n) {
        releaseShared(n);
    }

    @Override
    public int value() {
        return (int) (getState() & PERMITS);
    }

    @Override
    public boolean fair() {
        return fair;
    }

    @Override
    public String backend() {
        return Primitive.LOCAL_BACKEND;
    }

    /** The waiters are known; the holders are not: nothing ties a local permit to a thread. */
    @Override
    public Occupancy occupancy(String name, WaitStatistics waits) {
        return Occupancy.partial(List.of(), waits.threadNames(), "holders of semaphore " + name
                + " unknown: a local semaphore does not record which threads took its permits");
    }

    @Override
    public void presetAcquisitions(long count) {
        wraps.set(count >>> 32);
        setState((count << 32) | (getState() & PERMITS));
    }

    /** @return every acquisition so far (off by 2^32 for the instant between a wrap and its count) */
    @Override
    public long acquisitions() {
        for (;;) {
            long wrapped = wraps.get();
            long state = getState();
            if (wraps.get() == wrapped) {
                return (wrapped << 32) + (state >>> 32);
            }
        }
    }

    @Override
    protected long tryAcquireShared(long acquires) {
        if (fair && hasQueuedPredecessors()) {
            return -1L;
        }
        return take(acquires);
    }

    /** One CAS takes the permits and counts the acquisition. @return permits left, negative if none was free */
    private long take(long acquires) {
        for (;;) {
            long state = getState();
            long remaining = (state & PERMITS) - acquires;
            if (remaining < 0L) {
                return remaining;
            }
            long next = state - acquires + ONE_ACQUISITION; // no borrow from the count: remaining >= 0
            if (compareAndSetState(state, next)) {
                if ((next >>> 32) == 0L) {
                    wraps.incrementAndGet();
                }
                return remaining;
            }
        }
    }

    @Override
    protected boolean tryReleaseShared(long releases) {
        for (;;) {
            long state = getState();
            long current = state & PERMITS;
            if (bound >= 0 && releases > bound - current) {
                throw new IllegalStateException("Semaphore released too many times: " + current + " of " + bound
                        + " free, releasing " + releases);
            }
            if (current + releases > Integer.MAX_VALUE) {
                throw new IllegalStateException("Maximum permit count exceeded: " + current + " + " + releases);
            }
            if (compareAndSetState(state, state + releases)) {
                return true;
            }
        }
    }
}
