package dev.spool.threading;

/**
 * A snapshot of a {@link Lock}'s or {@link RLock}'s statistics (see {@link PrimitiveStats} for the common fields).
 *
 * <h2>Hold times</h2>
 * The uncontended path reads no clock, so the start of a hold is known only when some thread had to wait:
 * <ul>
 *   <li>a hold that began with a contended acquisition starts exactly when that acquisition ended;</li>
 *   <li>any other hold is stamped by the first thread that had to wait for it, when it arrived: a lower bound of
 *       how long the lock has been held;</li>
 *   <li>a hold nobody waited for has no start ({@code heldSinceNanos == 0}) and is not timed.</li>
 * </ul>
 * So {@link #timedHolds()}, {@link #holdTotalNanos()} and {@link #holdMaxNanos()} (and the lock's hold histogram, and
 * {@link ContentionListener#held}) cover every hold that another thread waited on: exactly for the contended ones,
 * from the first waiter's arrival for the rest. That is the time that matters for contention, at no cost to the
 * uncontended path. A hold ended by the await of a {@code newCondition()} condition (released inside
 * {@code AbstractQueuedSynchronizer}) is not timed; one ended by {@link Condition}'s await is.
 *
 * <h2>Shared locks</h2>
 * For a lock made by {@code Lock.shared(…)} or {@code RLock.shared(…)} the snapshot is this JVM's view, read without
 * waiting on the network but for one bounded read of {@code locked}: the counts are this JVM's acquisitions and waits;
 * the owner, its hold count and the hold's times are those of a hold taken by a thread of this JVM (none while another
 * instance holds the lock: see {@link AbstractLock#occupancy()} for who that is); the hold times follow the rule above
 * for the holds this JVM can see (the package comment says which); and {@code fair} is false, since the backend orders
 * the waiters. When the backend cannot be reached, {@code locked} says whether a thread of this JVM holds the lock.
 *
 * @param name           the lock's name
 * @param reentrant      true for an {@link RLock}
 * @param fair           whether waiting threads get the lock in arrival order; false for a shared lock (see above)
 * @param locked         whether it is held now
 * @param ownerName      the name of the thread that acquired the current hold, or null (unlocked, or a {@link Lock}
 *                       released by another thread at the moment of the snapshot, or a shared lock held by another
 *                       instance)
 * @param ownerId        that thread's {@link Thread#threadId()}, or -1
 * @param holdCount      the owner's hold count (re-entries included); for a {@link Lock} 1 when locked, else 0
 * @param heldSinceNanos the {@link System#nanoTime()} the current hold started (see above); 0 if unlocked or unknown
 * @param heldForNanos   how long the current hold had lasted when the snapshot was taken, from
 *                       {@code heldSinceNanos}; 0 if unknown
 * @param acquisitions   successful acquisitions, re-entries of an {@link RLock} included
 * @param contended      acquisitions that had to wait and have ended (acquired, timed out or interrupted)
 * @param timeouts       timed acquisitions that waited and gave up
 * @param failedTries    non-blocking attempts ({@code acquire(false)}, a zero {@code Duration}, {@code tryLock()})
 *                       that found the lock taken
 * @param waitTotalNanos the sum of the contended acquisitions' waits
 * @param waitMaxNanos   the longest of them
 * @param waiting        threads waiting to acquire now
 * @param timedHolds     holds that ended with a known start (see above)
 * @param holdTotalNanos their summed duration
 * @param holdMaxNanos   the longest of them
 */
public record LockStats(
        String name,
        boolean reentrant,
        boolean fair,
        boolean locked,
        String ownerName,
        long ownerId,
        int holdCount,
        long heldSinceNanos,
        long heldForNanos,
        long acquisitions,
        long contended,
        long timeouts,
        long failedTries,
        long waitTotalNanos,
        long waitMaxNanos,
        int waiting,
        long timedHolds,
        long holdTotalNanos,
        long holdMaxNanos) implements PrimitiveStats {
}
