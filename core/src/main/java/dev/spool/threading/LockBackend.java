package dev.spool.threading;

import java.util.List;

import dev.spool.stats.DurationHistogram;

/**
 * Where a lock's state lives: the seam between {@link AbstractLock} (the public {@link Lock} and {@link RLock}, their
 * Python and {@code java.util.concurrent} methods, written once) and the engine that actually excludes threads.
 * {@link LockSync} is the local backend, over {@code AbstractQueuedSynchronizer}; {@link SharedLockBackend} keeps the
 * state in a {@link dev.spool.threading.spi.SharedLock} (a backend module's, on Redis), so that user code holding a
 * {@code Lock} does not change with the backend. The package comment says what each one times and refuses.
 *
 * <p>Every method has the meaning of the {@link AbstractLock} method that calls it; what differs between a
 * {@code Lock} and an {@code RLock} (re-entry, who may release, the exception a bad release throws) is the
 * backend's, chosen at construction. Times are in nanoseconds, already normalised by {@link Durations}.
 *
 * <p>Cost: in a JVM with only local locks, every call site here sees one receiver type, {@link LockSync}, and C2
 * inlines the whole uncontended path through it ({@code AbstractLock.acquire} → {@code LockSync.lock} →
 * {@code tryLockFast} → {@code barge} → {@code began}, and {@code release} → {@code unlock}) on its monomorphic type
 * profile, behind one compare of the receiver's class: no call, no dispatch table. Checked with
 * {@code -XX:+PrintInlining} on {@code UncontendedLockBenchmark}; its figures did not move against the code before
 * the seam. A site that sees both kinds is bimorphic, which C2 still inlines behind a type check; the shared
 * backend's own cost is a network round trip, beside which the check is nothing.
 */
interface LockBackend {

    /** Acquires, waiting as long as it takes; an interrupt does not end the wait and stays set. */
    void lock();

    /** One non-blocking attempt, taking a free lock even when it is fair. @return true if acquired */
    boolean tryLock();

    /** Waits at most {@code nanos}: 0 only tries, {@link Durations#FOREVER} has no limit; not interruptible. */
    boolean tryLock(long nanos);

    /** {@code java.util.concurrent.locks.Lock.lockInterruptibly()}. */
    void lockInterruptibly() throws InterruptedException;

    /** {@code Lock.tryLock(long, TimeUnit)}: interruptible, and a time of zero or less only tries. */
    boolean tryLockNanos(long nanos) throws InterruptedException;

    /** Releases once. @throws IllegalStateException or IllegalMonitorStateException, as the lock's kind says */
    void unlock();

    /** @return the preallocated guard whose {@code close()} calls {@link #unlock()} */
    Guard guard();

    /** @return whether any thread holds the lock now */
    boolean isLocked();

    /** @return the calling thread's holds: 0 if it does not own the lock */
    int holdCount();

    /** @return a {@code java.util.concurrent.locks.Condition} bound to the lock; only a local lock has one */
    java.util.concurrent.locks.Condition newCondition();

    /**
     * @return the current hold's fencing token, a number every later hold exceeds
     * @throws IllegalStateException if the lock is not held (an RLock: not by the calling thread)
     */
    long fencingToken();

    /** @return {@link Primitive#LOCAL_BACKEND}, or the shared state's backend name */
    String backend();

    /** @return the holder and the waiters now; never throws */
    Occupancy occupancy();

    /** @return the lock's name */
    String name();

    /**
     * @return the thread of this JVM that holds the lock now, as this JVM knows its holds; null when it is free or
     *         held on another instance. What {@link DeadlockDetector} follows.
     */
    Thread owner();

    /** @return a snapshot of the lock's statistics */
    LockStats stats();

    /**
     * @return the waits registered for this lock (the contended path's), which the queries below read: one
     *         implementation of them for both the local and the shared lock
     */
    WaitStatistics waits();

    /** @return the names of the threads waiting to acquire now, sorted */
    default List<String> waitingThreadNames() {
        return waits().threadNames();
    }

    /** @return the live histogram of the waits that blocked */
    default DurationHistogram waitHistogram() {
        return waits().histogram();
    }

    /** @return the live histogram of the timed holds */
    DurationHistogram holdHistogram();

    default void addContentionListener(ContentionListener listener) {
        waits().addListener(listener);
    }

    default void removeContentionListener(ContentionListener listener) {
        waits().removeListener(listener);
    }

    /** @return {@code Lock[name=…, …]} or {@code RLock[name=…, …, count=n]} */
    String describe();
}
