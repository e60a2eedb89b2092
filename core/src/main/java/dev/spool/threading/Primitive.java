package dev.spool.threading;

import java.util.List;

import dev.spool.stats.DurationHistogram;

/**
 * What every observable Spool primitive is: {@link Lock} and {@link RLock} (through {@link AbstractLock}),
 * {@link Semaphore} and {@link BoundedSemaphore}, {@link Event}, {@link Barrier} and {@link Condition}. The metrics
 * layer, the actuator endpoints and the Spring starter read a primitive through this contract only, so a kind is
 * listed once: a new kind is added to {@code permits} here, and the one exhaustive {@code switch} over this type
 * (the meter binder of each kind, {@code dev.spool.metrics.SpoolMetrics}) stops compiling until it is handled.
 * {@link Timer} is not a primitive in this sense: it is a thread, with nothing to wait on that it could measure.
 *
 * <h2>What every implementation promises</h2>
 * These hold for every kind, and for every backend a kind may get: the local one, over
 * {@code java.util.concurrent.locks.AbstractQueuedSynchronizer}, and a future one whose state lives outside the JVM
 * (Redis: see the package comment). They are what a scrape, an endpoint call or a listener may rely on.
 * <ul>
 *   <li><b>Identity.</b> {@link #name()} is fixed at construction and never null; it is the {@code name} tag of the
 *       primitive's meters and its key in the endpoints.</li>
 *   <li><b>Observation never blocks the primitive's users, and never fails.</b> {@link #stats()},
 *       {@link #waitingThreadNames()} and {@link #waitHistogram()} may be called from any thread at any time (a
 *       metrics scrape, a health check) without acquiring the primitive and without waiting for its holders (a
 *       {@link Barrier} takes its internal lock for a moment); they do not throw. A backend whose state is remote answers from what this JVM knows or last
 *       learned, within a bounded time, rather than stalling a scrape on the network.</li>
 *   <li><b>Snapshots and live views.</b> {@link #stats()} returns a new immutable snapshot on each call: counters
 *       cumulative since construction and never decreasing, levels as of the call (see {@link PrimitiveStats}).
 *       {@link #waitHistogram()} returns the same live, cumulative histogram for the primitive's whole life; its
 *       count is {@code stats().contended()} once the primitive is quiet.</li>
 *   <li><b>The uncontended path pays nothing for observation.</b> An operation that does not have to wait reads no
 *       clock, allocates nothing, registers nothing and calls no listener: only a thread that blocks is timed,
 *       shows in {@link #waitingThreadNames()}, lands in the histogram and is reported to the
 *       {@link ContentionListener}s, as {@link ContentionListener} describes.</li>
 *   <li><b>Listeners</b> are told of each wait that blocked (and, for locks, each timed hold), in the thread that
 *       waited or released, on the slow path only; a listener that throws is logged and ignored.</li>
 * </ul>
 *
 * @param <S> the kind's statistics snapshot
 */
public sealed interface Primitive<S extends PrimitiveStats> permits AbstractLock, Semaphore, Event, Barrier, Condition {

    /** @return the primitive's name (given to its constructor, or generated: {@code Lock-1}, {@code Event-2}, …) */
    String name();

    /** @return a new snapshot of the primitive's statistics */
    S stats();

    /** @return the names of the threads blocked in the primitive now, sorted; computed on each call */
    List<String> waitingThreadNames();

    /**
     * The distribution of the waits that had to block, however they ended: live (it keeps recording) and cumulative
     * (never reset). Take a snapshot and subtract an earlier one for an interval.
     *
     * @return the primitive's wait histogram, the same object on every call
     */
    DurationHistogram waitHistogram();

    /**
     * Adds a listener told about every wait that blocked (and, for a lock, every timed hold), on the slow path only;
     * see {@link ContentionListener} for when it runs and what it may do. Adding the same listener twice makes it
     * hear everything twice.
     *
     * @param listener the listener
     * @throws NullPointerException if {@code listener} is null
     */
    void addContentionListener(ContentionListener listener);

    /**
     * Removes one registration of a listener added with {@link #addContentionListener}; does nothing if it is not
     * registered.
     *
     * @param listener the listener
     */
    void removeContentionListener(ContentionListener listener);
}
