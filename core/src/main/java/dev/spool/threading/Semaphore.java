package dev.spool.threading;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.AbstractQueuedLongSynchronizer;

import dev.spool.stats.DurationHistogram;

/**
 * A counting semaphore: Python's {@code threading.Semaphore}. It holds a number of permits; {@code acquire} takes
 * one, waiting while there is none, and {@link #release(int) release(n)} gives back {@code n}, waking up to {@code n}
 * waiting threads. Nothing ties a permit to a thread: any thread may release, and an (unbounded) semaphore may be
 * released more often than acquired, which raises its count. {@link BoundedSemaphore} refuses that.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>Time: {@link #acquire()} waits as long as it takes; {@link #acquire(Duration)} waits at most that long, and a
 *       duration of zero or less never blocks (it only tries); a duration too long to count (over about 146 years)
 *       waits without a limit; a {@code null} duration throws {@link NullPointerException}.</li>
 *   <li>Interruption: acquiring is not interruptible, as {@code Semaphore.acquireUninterruptibly()}: an interrupt does
 *       not end the wait, and the thread's interrupt status is still set when {@code acquire} returns.</li>
 *   <li>Fairness: unfair by default; a fair semaphore ({@link #Semaphore(String, int, boolean)}) serves waiting
 *       threads in arrival order. {@code acquire(false)} and a zero duration take a free permit even when fair.</li>
 *   <li>Bad arguments: a negative initial value, or {@code release(n)} with {@code n < 1}, throws
 *       {@link IllegalArgumentException}.</li>
 * </ul>
 *
 * <h2>Statistics</h2>
 * {@link #stats()} reports permits, acquisitions, contention, timeouts and waiting threads; {@link #waitHistogram()}
 * is the live distribution of the waits, and {@link #addContentionListener} feeds each blocked wait to a
 * {@link ContentionListener}. An acquisition that finds a permit is one CAS, which also counts it: no clock, no
 * allocation, no other shared write.
 */
public sealed class Semaphore implements Primitive<SemaphoreStats> permits BoundedSemaphore {
    /*
     * AQS shared mode, as java.util.concurrent.Semaphore, on a long state: the low 32 bits are the free permits, the
     * high 32 bits count the acquisitions. tryAcquireShared takes a permit and counts itself in the same CAS, so
     * counting costs the uncontended path nothing beyond what java.util.concurrent.Semaphore does; when the count's
     * 32 bits wrap, the thread that wrapped them adds one to `wraps`. tryReleaseShared adds n permits (refusing, for
     * a bounded semaphore, to pass the bound without changing the state), and AQS then wakes queued threads one
     * after the other while permits remain.
     */
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Sync sync;
    private final String name;
    /** The initial number of permits: a BoundedSemaphore's bound. */
    final int initial;
    private final Guard guard;
    private final WaitStatistics waits = new WaitStatistics(this);
    private final LongAdder failedTries = new LongAdder();

    /** Makes an unfair semaphore with one permit and a generated name ({@code Semaphore-1}, …). */
    public Semaphore() {
        this(1);
    }

    /**
     * Makes an unfair semaphore with a generated name.
     *
     * @param value the initial number of permits
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public Semaphore(int value) {
        this("Semaphore-" + SEQUENCE.incrementAndGet(), value, false);
    }

    /**
     * Makes an unfair semaphore.
     *
     * @param name  its name, as metrics and endpoints show it
     * @param value the initial number of permits
     * @throws IllegalArgumentException if {@code value} is negative
     * @throws NullPointerException     if {@code name} is null
     */
    public Semaphore(String name, int value) {
        this(name, value, false);
    }

    /**
     * Makes a semaphore.
     *
     * @param name  its name, as metrics and endpoints show it
     * @param value the initial number of permits
     * @param fair  true to serve waiting threads in arrival order
     * @throws IllegalArgumentException if {@code value} is negative
     * @throws NullPointerException     if {@code name} is null
     */
    public Semaphore(String name, int value, boolean fair) {
        this(name, value, fair, false);
    }

    Semaphore(String name, int value, boolean fair, boolean bounded) {
        this.name = Objects.requireNonNull(name, "name");
        if (value < 0) {
            throw new IllegalArgumentException("semaphore initial value must be >= 0, was " + value);
        }
        this.initial = value;
        this.sync = new Sync(value, fair, bounded ? value : -1);
        this.guard = sync::releaseOne;
    }

    /** Takes a permit, waiting as long as it takes for one. Not interruptible (see the class comment). */
    public void acquire() {
        if (sync.tryAcquireShared(1) < 0) {
            long start = waits.begin();
            boolean acquired = false;
            try {
                sync.acquireShared(1);
                acquired = true;
            } finally {
                waits.end(start, false, acquired);
            }
        }
    }

    /**
     * Takes a permit: waiting as long as it takes if {@code blocking}, else only if one is free now.
     *
     * @param blocking whether to wait
     * @return true if a permit was taken (always, when blocking)
     */
    public boolean acquire(boolean blocking) {
        if (blocking) {
            acquire();
            return true;
        }
        return tryAcquire();
    }

    /**
     * Takes a permit, waiting at most {@code timeout} for one. Not interruptible (see the class comment).
     *
     * @param timeout how long to wait at most; zero or less only tries, without blocking
     * @return true if a permit was taken, false if the time passed first
     * @throws NullPointerException if {@code timeout} is null (use {@link #acquire()} to wait without a limit)
     */
    public boolean acquire(Duration timeout) {
        long nanos = Durations.nanos(timeout);
        if (nanos == 0L) {
            return tryAcquire();
        }
        if (nanos >= Durations.FOREVER) {
            acquire();
            return true;
        }
        if (sync.tryAcquireShared(1) >= 0) {
            return true;
        }
        long start = waits.begin();
        boolean acquired = false;
        try {
            acquired = Durations.uninterruptibly(nanos, start, remaining -> sync.tryAcquireSharedNanos(1, remaining));
        } finally {
            waits.end(start, !acquired, acquired);
        }
        return acquired;
    }

    private boolean tryAcquire() {
        if (sync.barge() >= 0) {
            return true;
        }
        failedTries.increment();
        return false;
    }

    /** Gives back one permit, waking a waiting thread if there is one. */
    public void release() {
        sync.releaseShared(1);
    }

    /**
     * Gives back {@code n} permits, waking up to {@code n} waiting threads.
     *
     * @param n how many permits, 1 or more
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public void release(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be one or more, was " + n);
        }
        sync.releaseShared(n);
    }

    /** @return the number of free permits now */
    public int value() {
        return sync.permits();
    }

    /**
     * Takes a permit as {@link #acquire()} does and returns the guard that gives it back:
     * {@code try (var held = semaphore.hold()) { … }}. The guard is preallocated: holding allocates nothing.
     *
     * @return this semaphore's guard, whose {@code close()} releases one permit
     */
    public Guard hold() {
        acquire();
        return guard;
    }

    /** @return the semaphore's name (given, or generated) */
    @Override
    public String name() {
        return name;
    }

    /** Tests only: see {@link Sync#presetAcquisitions}. */
    void presetAcquisitions(long count) {
        sync.presetAcquisitions(count);
    }

    /** @return a snapshot of the semaphore's statistics */
    @Override
    public SemaphoreStats stats() {
        DurationHistogram waited = waits.histogram();
        return new SemaphoreStats(name, sync.bound >= 0, sync.fair, sync.permits(), initial, sync.acquisitions(),
                waited.count(), waits.timeouts(), failedTries.sum(), waited.totalNanos(), waited.maxNanos(),
                waits.waiting());
    }

    /**
     * Adds a listener told about every wait for a permit that blocked, on the slow path only; see {@link ContentionListener} for when it runs and
     * what it may do. Adding the same listener twice makes it hear everything twice.
     *
     * @param listener the listener
     * @throws NullPointerException if {@code listener} is null
     */
    @Override
    public void addContentionListener(ContentionListener listener) {
        waits.addListener(listener);
    }

    /**
     * Removes a listener added with {@link #addContentionListener} (one registration of it); does nothing if it is
     * not registered.
     *
     * @param listener the listener
     */
    @Override
    public void removeContentionListener(ContentionListener listener) {
        waits.removeListener(listener);
    }

    /** @return the names of the threads waiting for a permit now, sorted; computed on each call */
    @Override
    public List<String> waitingThreadNames() {
        return waits.threadNames();
    }

    /**
     * The distribution of the waits that had to block, whether they ended with a permit, timed out or not: live (it
     * keeps recording) and cumulative (never reset).
     *
     * @return the semaphore's wait histogram
     */
    @Override
    public DurationHistogram waitHistogram() {
        return waits.histogram();
    }

    /** @return {@code Semaphore[name=…, value=n]} */
    @Override
    public String toString() {
        return "Semaphore[name=" + name + ", value=" + value() + "]";
    }

    private static final class Sync extends AbstractQueuedLongSynchronizer {
        private static final long PERMITS = 0xFFFF_FFFFL;
        private static final long ONE_ACQUISITION = 1L << 32;

        final boolean fair;
        /** The most permits a release may leave free, or -1 when unbounded. */
        final int bound;
        /** How many times the 32-bit acquisition count in the state wrapped. */
        private final AtomicLong wraps = new AtomicLong();

        Sync(int permits, boolean fair, int bound) {
            setState(permits);
            this.fair = fair;
            this.bound = bound;
        }

        int permits() {
            return (int) (getState() & PERMITS);
        }

        /** Tests only, before any use: starts the count at {@code count}, to reach the 32-bit wrap. */
        void presetAcquisitions(long count) {
            wraps.set(count >>> 32);
            setState((count << 32) | (getState() & PERMITS));
        }

        /** @return every acquisition so far (off by 2^32 for the instant between a wrap and its count) */
        long acquisitions() {
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

        /** Takes a free permit even when fair. @return permits left, negative if none was free */
        long barge() {
            return take(1L);
        }

        /** One CAS takes the permits and counts the acquisition. */
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

        void releaseOne() {
            releaseShared(1L);
        }
    }
}
