package dev.spool.threading.spi;

import java.util.List;

/**
 * The shared state of one named {@link dev.spool.threading.Lock} or {@link dev.spool.threading.RLock}. The kind's
 * rules are the implementation's: for a {@code Lock}, no re-entry and any thread of any instance may release the
 * hold; for an {@code RLock}, re-entry by the owning thread with a hold count, and only the owner may release.
 * See the package comment for times, failures and names.
 */
public interface SharedLock {

    /**
     * Acquires for the calling thread, waiting at most {@code nanos}.
     *
     * @param nanos 0 or less only tries; {@link Long#MAX_VALUE} waits without a limit
     * @return true if acquired
     * @throws InterruptedException if interrupted while waiting
     */
    boolean acquire(long nanos) throws InterruptedException;

    /**
     * Releases one hold.
     *
     * @throws IllegalStateException        for a {@code Lock} that is not held
     * @throws IllegalMonitorStateException for an {@code RLock} the calling thread does not own
     */
    void release();

    /** @return whether any thread of any instance holds the lock now */
    boolean isLocked();

    /** @return the calling thread's holds (0 if it does not own the lock; for a {@code Lock}, 0 or 1) */
    int holdCount();

    /**
     * The fencing token of the hold this JVM has now: a number that every later hold, on any instance, exceeds. A
     * resource that remembers the highest token it has seen refuses a write carrying a lower one, so that a holder
     * that paused past its lease cannot overwrite the work of the next holder.
     *
     * @return the current hold's token
     * @throws IllegalStateException if this JVM does not hold the lock
     */
    long fencingToken();

    /** @return the holder as {@code instance/thread}, empty if free */
    List<String> holders();

    /** @return the threads of every instance waiting for the lock, as {@code instance/thread} */
    List<String> waiters();

    /** @return the backend's name, the {@code backend} tag of the meters: {@code redis} */
    String backend();

    /**
     * @return this JVM's id among the instances, the {@code instance} part of this JVM's entries in
     *         {@link #holders()} and {@link #waiters()} ({@link SharedBackend#instanceId()}): how
     *         {@link dev.spool.threading.DeadlockDetector} tells this JVM's threads from the other instances'
     */
    String instanceId();
}
