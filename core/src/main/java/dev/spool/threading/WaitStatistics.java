package dev.spool.threading;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import dev.spool.stats.DurationHistogram;

/**
 * The wait side of one primitive's statistics, touched only by threads that have to block: the uncontended path of
 * every primitive never calls it.
 *
 * <p>A blocking thread calls {@link #begin()} (or reads the clock and calls {@link #enter()}) before it parks and
 * {@link #end} after: between the two it is registered in one JVM-wide map (thread → primitive), from which
 * {@link #threadNames()} answers on demand and {@link DeadlockDetector} reads who waits for which lock, and it counts
 * in {@link #waiting()}. {@link #end} records the wait in the histogram, whether it ended in success, a timeout or an
 * interrupt, so the histogram's count is the number of waits that blocked ("contended"), and its total and maximum
 * are theirs; then it tells the primitive's {@link ContentionListener}s.
 *
 * <p>Listeners are a copy-on-write array: adding or removing one copies it, and the slow path reads it once.
 */
final class WaitStatistics {

    /** Every thread blocked in a Spool primitive right now, and that primitive (a lock's {@link LockBackend}). */
    private static final ConcurrentHashMap<Thread, Object> BLOCKED = new ConcurrentHashMap<>();
    private static final ContentionListener[] NO_LISTENERS = {};
    private static final System.Logger LOG = System.getLogger("dev.spool.threading");

    private final Object primitive;
    private final LongAdder waiting = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final DurationHistogram histogram = new DurationHistogram();
    private volatile ContentionListener[] listeners = NO_LISTENERS;

    /** @param primitive what threads wait for: the key under which they are registered */
    WaitStatistics(Object primitive) {
        this.primitive = primitive;
    }

    /** Reads the clock, then registers the calling thread as waiting. @return the wait's start (nanoTime) */
    long begin() {
        long start = System.nanoTime();
        enter();
        return start;
    }

    /**
     * Registers the calling thread as waiting, for a caller that has read the clock itself (and done what must be
     * done before the thread shows as waiting).
     */
    void enter() {
        BLOCKED.put(Thread.currentThread(), primitive);
        waiting.increment();
    }

    /**
     * Ends a wait begun with {@link #begin()}: unregisters the thread, records how long it waited, and tells the
     * listeners.
     *
     * @param start    what {@link #begin()} returned
     * @param timedOut whether the wait gave up at its deadline
     * @param acquired whether it got what it waited for
     * @return the wait's end (nanoTime)
     */
    long end(long start, boolean timedOut, boolean acquired) {
        long now = System.nanoTime();
        waiting.decrement();
        BLOCKED.remove(Thread.currentThread(), primitive);
        long nanos = now - start;
        histogram.record(nanos);
        if (timedOut) {
            timeouts.increment();
        }
        ContentionListener[] current = listeners;
        for (ContentionListener listener : current) {
            try {
                listener.waited(nanos, acquired);
            } catch (Throwable failure) {
                LOG.log(System.Logger.Level.WARNING, "contention listener " + listener + " failed", failure);
            }
        }
        return now;
    }

    /** Tells the listeners that a timed hold of a lock has ended; called after the release. */
    void held(long nanos) {
        ContentionListener[] current = listeners;
        for (ContentionListener listener : current) {
            try {
                listener.held(nanos);
            } catch (Throwable failure) {
                LOG.log(System.Logger.Level.WARNING, "contention listener " + listener + " failed", failure);
            }
        }
    }

    synchronized void addListener(ContentionListener listener) {
        Objects.requireNonNull(listener, "listener");
        ContentionListener[] grown = Arrays.copyOf(listeners, listeners.length + 1);
        grown[grown.length - 1] = listener;
        listeners = grown;
    }

    synchronized void removeListener(ContentionListener listener) {
        ContentionListener[] current = listeners;
        for (int i = 0; i < current.length; i++) {
            if (current[i].equals(listener)) {
                ContentionListener[] shrunk = new ContentionListener[current.length - 1];
                System.arraycopy(current, 0, shrunk, 0, i);
                System.arraycopy(current, i + 1, shrunk, i, current.length - i - 1);
                listeners = shrunk.length == 0 ? NO_LISTENERS : shrunk;
                return;
            }
        }
    }

    /** @return threads between {@link #enter()} and {@link #end} now */
    int waiting() {
        return (int) Math.max(0L, waiting.sum());
    }

    /** @return waits that gave up at their deadline */
    long timeouts() {
        return timeouts.sum();
    }

    /** @return every wait that blocked, live and cumulative */
    DurationHistogram histogram() {
        return histogram;
    }

    /** @return the names of the threads waiting now, sorted; computed on each call */
    List<String> threadNames() {
        List<String> names = new ArrayList<>();
        for (Map.Entry<Thread, Object> entry : BLOCKED.entrySet()) {
            if (entry.getValue() == primitive) {
                names.add(entry.getKey().getName());
            }
        }
        names.sort(null);
        return List.copyOf(names);
    }

    /** @return the lock (its backend: local or shared) the thread waits for now, or null */
    static LockBackend lockAwaitedBy(Thread thread) {
        return BLOCKED.get(thread) instanceof LockBackend lock ? lock : null;
    }

    /** @return every thread waiting for a lock now, with that lock: a copy, for {@link DeadlockDetector} */
    static Map<Thread, LockBackend> lockWaits() {
        Map<Thread, LockBackend> waits = new java.util.HashMap<>();
        for (Map.Entry<Thread, Object> entry : BLOCKED.entrySet()) {
            if (entry.getValue() instanceof LockBackend lock) {
                waits.put(entry.getKey(), lock);
            }
        }
        return waits;
    }
}
