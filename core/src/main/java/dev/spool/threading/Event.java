package dev.spool.threading;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

import dev.spool.internal.SpinPolicy;
import dev.spool.stats.DurationHistogram;

/**
 * A flag that threads can wait for: Python's {@code threading.Event}. {@link #set()} raises it and wakes every
 * waiting thread; {@link #clear()} lowers it; {@code await} returns at once while it is raised and waits otherwise.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>No lost wake-up: a thread waiting when {@link #set()} is called returns {@code true} even if
 *       {@link #clear()} follows at once, before it got to run.</li>
 *   <li>Time: {@link #await()} waits as long as it takes; {@link #await(Duration)} waits at most that long, and a
 *       duration of zero or less never blocks (it returns {@link #isSet()}); a duration too long to count waits
 *       without a limit; a {@code null} duration throws {@link NullPointerException}.</li>
 *   <li>Interruption: waiting is interruptible, as {@code CountDownLatch.await} is: a thread interrupted while it
 *       waits throws {@link InterruptedException} with its interrupt status cleared. A wait on a set event returns at
 *       once without looking at the interrupt status.</li>
 * </ul>
 *
 * <h2>Statistics</h2>
 * {@link #stats()} counts waits (all, blocked, timed out) and the threads waiting now; {@link #waitHistogram()} is
 * the live distribution of the blocked waits, and {@link #addContentionListener} feeds each one to a
 * {@link ContentionListener}. A wait on a set event reads no clock and allocates nothing. On a
 * multiprocessor a waiter first spins briefly (128 {@link Thread#onSpinWait()} re-reads, as
 * {@code SynchronousQueue} does) before it blocks; a wait that ends within that spin never blocked and is counted
 * among the waits but not as contended.
 */
public final class Event implements Primitive<EventStats> {
    /*
     * AQS shared mode. state = generation << 1 | flag. set() turns an unset state into a set one of the next
     * generation (one CAS), then AQS wakes the queued threads one after the other; clear() drops the flag and
     * keeps the generation. A waiter passes the generation it saw unset as its acquire argument, and may go
     * once the flag is set or the generation has moved on: so a set() followed by clear() still lets through
     * every thread that was waiting (E-04). Generations wrap after 2^31 sets; a waiter would have to sleep
     * through exactly that many to miss one.
     */
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Sync sync;
    private final String name;
    private final WaitStatistics waits = new WaitStatistics(this);
    private final LongAdder awaits = new LongAdder();

    /** Makes an unset event with a generated name ({@code Event-1}, …). */
    public Event() {
        this(false);
    }

    /**
     * Makes an event with a generated name.
     *
     * @param initiallySet whether it starts set
     */
    public Event(boolean initiallySet) {
        this("Event-" + SEQUENCE.incrementAndGet(), initiallySet);
    }

    /**
     * Makes an unset event.
     *
     * @param name its name, as metrics and endpoints show it
     * @throws NullPointerException if {@code name} is null
     */
    public Event(String name) {
        this(name, false);
    }

    /**
     * Makes an event.
     *
     * @param name         its name, as metrics and endpoints show it
     * @param initiallySet whether it starts set
     * @throws NullPointerException if {@code name} is null
     */
    public Event(String name, boolean initiallySet) {
        this.name = Objects.requireNonNull(name, "name");
        this.sync = new Sync(initiallySet);
    }

    /** @return whether the flag is set now */
    public boolean isSet() {
        return Sync.isSet(sync.state());
    }

    /** Sets the flag and wakes every thread waiting for it. Does nothing more if it is already set. */
    public void set() {
        sync.releaseShared(0);
    }

    /** Clears the flag: later waits block until the next {@link #set()}. Threads already woken stay woken. */
    public void clear() {
        sync.clear();
    }

    /**
     * Waits until the flag is set, as long as it takes; returns at once if it is set.
     *
     * @throws InterruptedException if the thread is interrupted while waiting (its status is cleared)
     */
    public void await() throws InterruptedException {
        awaits.increment();
        int s = sync.state();
        if (!Sync.isSet(s) && !spin(s)) {
            block(s, Durations.FOREVER);
        }
    }

    /**
     * Waits until the flag is set, at most {@code timeout}; returns at once if it is set.
     *
     * @param timeout how long to wait at most; zero or less never blocks
     * @return true if the flag was set (now, or while waiting), false if the time passed first
     * @throws InterruptedException if the thread is interrupted while waiting (its status is cleared)
     * @throws NullPointerException if {@code timeout} is null (use {@link #await()})
     */
    public boolean await(Duration timeout) throws InterruptedException {
        long nanos = Durations.nanos(timeout);
        awaits.increment();
        int s = sync.state();
        if (Sync.isSet(s)) {
            return true;
        }
        if (nanos == 0L) {
            return false;
        }
        return spin(s) || block(s, nanos);
    }

    /** Spins briefly (as {@link SpinPolicy} allows) for a set() after the state {@code seen}. @return true if one came */
    private boolean spin(int seen) {
        if (!SpinPolicy.tryBegin(1)) { // the thread that sets the event needs a CPU too
            return false;
        }
        try {
            int generation = Sync.generation(seen);
            for (int i = 0; i < SpinPolicy.MEETING_SPINS; i++) {
                Thread.onSpinWait();
                int s = sync.state();
                if (Sync.isSet(s) || Sync.generation(s) != generation) {
                    return true;
                }
            }
            return false;
        } finally {
            SpinPolicy.end();
        }
    }

    private boolean block(int seen, long nanos) throws InterruptedException {
        int generation = Sync.generation(seen);
        long start = waits.begin();
        boolean passed = false;
        boolean returned = false;
        try {
            if (nanos >= Durations.FOREVER) {
                sync.acquireSharedInterruptibly(generation);
                passed = true;
            } else {
                passed = sync.tryAcquireSharedNanos(generation, nanos);
            }
            returned = true;
        } finally {
            waits.end(start, returned && !passed, passed);
        }
        return passed;
    }

    /** @return the event's name (given, or generated) */
    @Override
    public String name() {
        return name;
    }

    /** @return a snapshot of the event's statistics */
    @Override
    public EventStats stats() {
        DurationHistogram waited = waits.histogram();
        return new EventStats(name, isSet(), awaits.sum(), waited.count(), waits.timeouts(), waited.totalNanos(),
                waited.maxNanos(), waits.waiting());
    }

    /**
     * Adds a listener told about every wait that blocked, on the slow path only; see {@link ContentionListener} for when it runs and
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

    /** @return the names of the threads waiting now, sorted; computed on each call */
    @Override
    public List<String> waitingThreadNames() {
        return waits.threadNames();
    }

    /**
     * The distribution of the waits that blocked, whether the event was set or they timed out or were interrupted:
     * live (it keeps recording) and cumulative (never reset).
     *
     * @return the event's wait histogram
     */
    @Override
    public DurationHistogram waitHistogram() {
        return waits.histogram();
    }

    /** @return {@code Event[name=…, set]} or {@code Event[name=…, unset]} */
    @Override
    public String toString() {
        return "Event[name=" + name + (isSet() ? ", set]" : ", unset]");
    }

    private static final class Sync extends AbstractQueuedSynchronizer {

        Sync(boolean set) {
            setState(set ? 1 : 0);
        }

        static boolean isSet(int state) {
            return (state & 1) != 0;
        }

        static int generation(int state) {
            return state >>> 1;
        }

        int state() {
            return getState();
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

        void clear() {
            for (;;) {
                int s = getState();
                if (!isSet(s) || compareAndSetState(s, s & ~1)) {
                    return;
                }
            }
        }
    }
}
