package dev.spool.threading;

/**
 * The slow-path feed of one primitive: told about every wait that had to block, and every timed hold of a lock, one
 * sample at a time, for instance to feed Micrometer timers that need each sample for their percentiles
 * ({@code dev.spool.metrics} installs one per primitive with {@code addContentionListener}).
 *
 * <h2>When it is called</h2>
 * <ul>
 *   <li>{@link #waited} once per wait that blocked (the same waits that {@code stats().contended()} counts and the
 *       wait histogram records), in the thread that waited, right after the wait ended, whatever ended it. A lock
 *       acquirer that got the lock holds it during the call; a {@link Condition} waiter is called before it takes
 *       its lock back; a {@link Barrier} waiter is called holding nothing.</li>
 *   <li>{@link #held} (locks only: {@link Lock}, {@link RLock}, and so a {@link Condition}'s lock) once per timed
 *       hold, in the releasing thread, after the lock is released. A hold is timed when some thread had to wait for
 *       it: exactly from its start when it began with a contended acquisition, otherwise from the arrival of the
 *       first thread that had to wait for it (a lower bound); a hold nobody waited for is not timed, and this is not
 *       called for it. That keeps the clock off the uncontended path; see {@link LockStats}.</li>
 * </ul>
 * Never on the uncontended path: with no contention nothing calls a listener, and a primitive without listeners
 * pays nothing for the feature on any path but one array read when a blocked wait ends.
 *
 * <h2>Contract</h2>
 * Listeners run in the waiting or releasing thread: keep them short, never block, never call back into the
 * primitive. An exception a listener throws is logged (logger {@code dev.spool.threading}, level WARNING) and
 * otherwise ignored, so the primitive's state is never left half-changed by it. Both methods do nothing by default,
 * so an implementation overrides only what it needs.
 */
public interface ContentionListener {

    /**
     * A wait that had to block has ended.
     *
     * @param nanos    how long the thread waited, in nanoseconds, from the moment it found it had to wait until the
     *                 wait ended
     * @param acquired true if it got what it waited for (the lock, a permit, the event set, the barrier tripped, a
     *                 signal); false if it timed out, was interrupted, or the barrier broke
     */
    default void waited(long nanos, boolean acquired) {
    }

    /**
     * A timed hold of a lock has ended (see the class comment for which holds are timed and from when).
     *
     * @param nanos how long the lock was held, in nanoseconds: exact for a hold that began with a contended
     *              acquisition, a lower bound (from the first waiter's arrival) for the others
     */
    default void held(long nanos) {
    }
}
