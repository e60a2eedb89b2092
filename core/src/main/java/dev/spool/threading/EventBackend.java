package dev.spool.threading;

/**
 * Where an event's flag lives: the seam between {@link Event} (its Python methods, its counters, its listeners,
 * written once) and the engine that raises, lowers and waits. {@link EventSync} is the local one, an
 * {@code AbstractQueuedSynchronizer} over a generation and the flag; {@link SharedEventBackend} keeps the flag in a
 * {@link dev.spool.threading.spi.SharedEvent}.
 *
 * <p>Unlike a semaphore's, an event's wait is the backend's own from the first read: the local one spins on its
 * state word before it blocks, and a wait that ends within the spin never blocked, so only the backend knows whether
 * a wait is contended. It times and registers that wait in the {@link WaitStatistics} that {@link Event} hands it,
 * and only then. As for {@link LockBackend}, a JVM with only local events sees one receiver type at every call site,
 * which C2 inlines behind one class compare.
 */
interface EventBackend {

    /** @return whether the flag is set now */
    boolean isSet();

    /** Sets the flag and wakes every waiter. */
    void set();

    /** Clears the flag. */
    void clear();

    /**
     * Waits for the flag: returns true at once if it is set, false at once if {@code nanos} is 0, else waits at most
     * {@code nanos} ({@link Durations#FOREVER}: without a limit), interruptibly. A wait that blocks is registered and
     * timed in {@code waits}, and no other.
     *
     * @return true if the flag was set (now, or while waiting)
     */
    boolean await(long nanos, WaitStatistics waits) throws InterruptedException;

    /**
     * @return {@link #isSet()}, or, if the flag cannot be read (a shared event's backend cannot be reached), the
     *         value this JVM last read or wrote; never throws
     */
    boolean isSetOrLastKnown();

    /** @return {@link Primitive#LOCAL_BACKEND}, or the shared state's backend name */
    String backend();

    /**
     * @param name  the event's name, for the note
     * @param waits the event's own waits: the waiters of a local event
     * @return no holders (an event has none) and the waiters now; never throws
     */
    Occupancy occupancy(String name, WaitStatistics waits);
}
