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
 * {@code java.util.concurrent.locks.AbstractQueuedSynchronizer}, and a shared one whose state lives outside the JVM
 * ({@link #backend()} names it; see the package comment, "Backends"). They are what a scrape, an endpoint call or a
 * listener may rely on.
 * <ul>
 *   <li><b>Identity.</b> {@link #name()} and {@link #backend()} are fixed at construction and never null; they are
 *       the {@code name} and {@code backend} tags of the primitive's meters, and the name is its key in the
 *       endpoints.</li>
 *   <li><b>Observation never blocks the primitive's users, and never fails.</b> {@link #stats()},
 *       {@link #waitingThreadNames()} and {@link #waitHistogram()} may be called from any thread at any time (a
 *       metrics scrape, a health check) without acquiring the primitive and without waiting for its holders (a
 *       {@link Barrier} takes its internal lock for a moment); they do not throw. A shared primitive answers from
 *       what this JVM knows or last learned, or from a bounded read of its backend, rather than stalling a scrape
 *       on the network; where that read fails, the snapshot says "unknown" as each statistics record documents, and
 *       {@link #occupancy()} says what it could not read.</li>
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

    /** What {@link #backend()} returns for a primitive whose state is in this JVM. */
    String LOCAL_BACKEND = "local";

    /** @return the primitive's name (given to its constructor, or generated: {@code Lock-1}, {@code Event-2}, …) */
    String name();

    /**
     * Where the primitive's state lives: {@value #LOCAL_BACKEND} for one built with a constructor, or the backend's
     * name ({@code redis}) for one built by a {@code shared(…)} factory over a {@code dev.spool.threading.spi} state.
     * It is the {@code backend} tag of the primitive's meters.
     *
     * @return {@value #LOCAL_BACKEND}, or the shared state's {@code backend()}
     */
    String backend();

    /**
     * Who holds the primitive and who waits for it now, across every instance for a shared primitive (see
     * {@link Occupancy} for the names and for what "not complete" means). Computed on each call; for a shared
     * primitive that is a bounded read of the backend, meant for an endpoint call rather than for every scrape.
     * Never throws: what cannot be read is an empty list, and the occupancy says so.
     *
     * @return the holders and the waiters now
     */
    Occupancy occupancy();

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
