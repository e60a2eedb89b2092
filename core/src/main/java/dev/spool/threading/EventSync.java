package dev.spool.threading;

import java.util.List;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

import dev.spool.internal.SpinPolicy;

/**
 * The local {@link EventBackend}: {@code AbstractQueuedSynchronizer} shared mode.
 *
 * <h2>State</h2>
 * {@code state = generation << 1 | flag}. {@link #set()} turns an unset state into a set one of the next generation
 * (one CAS), then AQS wakes the queued threads one after the other; {@link #clear()} drops the flag and keeps the
 * generation. A waiter passes the generation it saw unset as its acquire argument, and may go once the flag is set
 * or the generation has moved on: so a set() followed by clear() still lets through every thread that was waiting
 * (E-04). Generations wrap after 2^31 sets; a waiter would have to sleep through exactly that many to miss one.
 *
 * <h2>Waiting</h2>
 * A waiter on an unset event first spins briefly (as {@link SpinPolicy} allows) for a set() after the state it saw;
 * only if none comes does it register, read the clock and block.
 */
final class EventSync extends AbstractQueuedSynchronizer implements EventBackend {

    EventSync(boolean set) {
        setState(set ? 1 : 0);
    }

    private static boolean isSet(int state) {
        return (state & 1) != 0;
    }

    private static int generation(int state) {
        return state >>> 1;
    }

    @Override
    public boolean isSet() {
        return isSet(getState());
    }

    @Override
    public boolean isSetOrLastKnown() {
        return isSet();
    }

    @Override
    public void set() {
        releaseShared(0);
    }

    @Override
    public void clear() {
        for (;;) {
            int s = getState();
            if (!isSet(s) || compareAndSetState(s, s & ~1)) {
                return;
            }
        }
    }

    @Override
    public boolean await(long nanos, WaitStatistics waits) throws InterruptedException {
        int s = getState();
        if (isSet(s)) {
            return true;
        }
        if (nanos == 0L) {
            return false;
        }
        return spin(s) || block(s, nanos, waits);
    }

    /** Spins briefly (as {@link SpinPolicy} allows) for a set() after the state {@code seen}. @return true if one came */
    private boolean spin(int seen) {
        if (!SpinPolicy.tryBegin(1)) { // the thread that sets the event needs a CPU too
            return false;
        }
        try {
            int generation = generation(seen);
            for (int i = 0; i < SpinPolicy.MEETING_SPINS; i++) {
                Thread.onSpinWait();
                int s = getState();
                if (isSet(s) || generation(s) != generation) {
                    return true;
                }
            }
            return false;
        } finally {
            SpinPolicy.end();
        }
    }

    private boolean block(int seen, long nanos, WaitStatistics waits) throws InterruptedException {
        int generation = generation(seen);
        long start = waits.begin();
        boolean passed = false;
        boolean returned = false;
        try {
            if (nanos >= Durations.FOREVER) {
                acquireSharedInterruptibly(generation);
                passed = true;
            } else {
                passed = tryAcquireSharedNanos(generation, nanos);
            }
            returned = true;
        } finally {
            waits.end(start, returned && !passed, passed);
        }
        return passed;
    }

    /** A waiter that saw {@code generation} unset may go once the flag is set or a later set() happened. */
    @Override
    protected int tryAcquireShared(int generation) {
        int s = getState();
        return isSet(s) || generation(s) != generation ? 1 : -1;
    }

    /** set(): unset → set, next generation. @return whether it changed, so AQS wakes the waiters */
    @Override
    protected boolean tryReleaseShared(int unused) {
        for (;;) {
            int s = getState();
            if (isSet(s)) {
                return false;
            }
            if (compareAndSetState(s, (s + 2) | 1)) {
                return true;
            }
        }
    }

    @Override
    public String backend() {
        return Primitive.LOCAL_BACKEND;
    }

    /** An event has no holders; its waiters are known here. */
    @Override
    public Occupancy occupancy(String name, WaitStatistics waits) {
        return Occupancy.of(List.of(), waits.threadNames());
    }
}
