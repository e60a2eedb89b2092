package dev.spool.threading;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.spool.stats.DurationHistogram;

/**
 * What {@link Lock} and {@link RLock} share: Python's lock methods ({@code acquire…}, {@link #release()},
 * {@link #locked()}, {@link #hold()}), the {@link java.util.concurrent.locks.Lock} methods, and the statistics, hold
 * times included. Written once here over a lock backend (the local one is an {@code AbstractQueuedSynchronizer});
 * the two kinds differ only in what the backend enforces: a {@code Lock} is not reentrant and any thread may release
 * it, an {@code RLock} is reentrant and only its owner may release it. Each class comment says the rest.
 *
 * <p>Use it as a parameter type for code that takes either kind of lock, as {@code LockMetrics} does; the kinds
 * themselves are {@code Lock} and {@code RLock}, and no other class can extend this one.
 *
 * <p>Time and interruption follow the package's rules (see the package comment): the Python-named methods and
 * {@link #lock()} are not interruptible, {@link #lockInterruptibly()} and {@link #tryLock(long, TimeUnit)} are.
 *
 * <h2>Local and shared locks</h2>
 * A lock made with a constructor is local: its state is in this JVM ({@link #backend()} is
 * {@value Primitive#LOCAL_BACKEND}). One made by {@link Lock#shared} or {@link RLock#shared} keeps its state in a
 * backend module's {@link dev.spool.threading.spi.SharedLock}, so that every instance of an application that uses the
 * name excludes the others; its methods, rules and statistics are the same (the statistics, histograms, waiting
 * threads and listeners are this JVM's), with these differences:
 * <ul>
 *   <li>any method that reaches the shared state may throw {@link BackendUnavailableException} (an acquisition that
 *       throws it holds nothing); {@link #stats()}, {@link #occupancy()} and {@link #toString()} never do;</li>
 *   <li>{@link #newCondition()} throws {@link UnsupportedOperationException}, and {@link Condition} refuses the lock:
 *       a condition needs a local lock;</li>
 *   <li>{@link DeadlockDetector} follows it through other instances too, naming their threads
 *       {@code instance/thread};</li>
 *   <li>a hold has a lease (see {@link dev.spool.threading.spi.SharedBackend}): a holder that stops renewing it,
 *       because its JVM died or paused past the lease, loses the lock, which is what {@link #fencingToken()} is
 *       for.</li>
 * </ul>
 */
public abstract sealed class AbstractLock implements Primitive<LockStats>, java.util.concurrent.locks.Lock
        permits Lock, RLock {

    /*
     * Every method is final and calls the backend once: a call on a Lock or an RLock has exactly one target (the
     * method here), and that method's call has one receiver type, LockSync, which the JIT inlines behind a class
     * compare (see LockBackend). So the uncontended path is the backend's CAS and nothing more.
     */
    private final LockBackend backend;

    AbstractLock(LockBackend backend) {
        this.backend = backend;
    }

    /** Acquires the lock (again, for an RLock its owner), waiting as long as it takes. Not interruptible. */
    public final void acquire() {
        backend.lock();
    }

    /**
     * Acquires the lock: waiting as long as it takes if {@code blocking}, else only if it is free now (or, for an
     * RLock, owned by the calling thread), even when the lock is fair.
     *
     * @param blocking whether to wait
     * @return true if acquired (always, when blocking)
     */
    public final boolean acquire(boolean blocking) {
        if (blocking) {
            backend.lock();
            return true;
        }
        return backend.tryLock();
    }

    /**
     * Acquires the lock, waiting at most {@code timeout}. Not interruptible (see the class comment).
     *
     * @param timeout how long to wait at most; zero or less only tries, without blocking
     * @return true if acquired, false if the time passed first
     * @throws NullPointerException if {@code timeout} is null (use {@link #acquire()} to wait without a limit)
     */
    public final boolean acquire(Duration timeout) {
        return backend.tryLock(Durations.nanos(timeout));
    }

    /**
     * Releases the lock once: any thread may release a Lock; an RLock is released by its owner, and is free after the
     * owner's last hold.
     *
     * @throws IllegalStateException        if a Lock is not locked
     * @throws IllegalMonitorStateException if the calling thread does not own an RLock
     */
    public final void release() {
        backend.unlock();
    }

    /** @return whether the lock is held now, by any thread */
    public final boolean locked() {
        return backend.isLocked();
    }

    /**
     * Acquires the lock as {@link #acquire()} does and returns the guard that releases it once:
     * {@code try (var held = lock.hold()) { … }}. The guard is preallocated: holding allocates nothing.
     *
     * @return this lock's guard, whose {@code close()} releases once
     */
    public final Guard hold() {
        backend.lock();
        return backend.guard();
    }

    /** @return the lock's name (given, or generated) */
    @Override
    public final String name() {
        return backend.name();
    }

    /** @return a snapshot of the lock's statistics */
    @Override
    public final LockStats stats() {
        return backend.stats();
    }

    /**
     * Adds a listener told about every wait to acquire that blocked, and every timed hold (see {@link LockStats}), on
     * the slow path only; see {@link ContentionListener} for when it runs and what it may do. Adding the same
     * listener twice makes it hear everything twice.
     *
     * @param listener the listener
     * @throws NullPointerException if {@code listener} is null
     */
    @Override
    public final void addContentionListener(ContentionListener listener) {
        backend.addContentionListener(listener);
    }

    /**
     * Removes a listener added with {@link #addContentionListener} (one registration of it); does nothing if it is
     * not registered.
     *
     * @param listener the listener
     */
    @Override
    public final void removeContentionListener(ContentionListener listener) {
        backend.removeContentionListener(listener);
    }

    /** @return the names of the threads waiting to acquire the lock now, sorted; computed on each call */
    @Override
    public final List<String> waitingThreadNames() {
        return backend.waitingThreadNames();
    }

    /**
     * The distribution of the waits that had to block, whether they ended acquired, timed out or interrupted: live
     * (it keeps recording) and cumulative (never reset). Take a snapshot and subtract an earlier one for an interval.
     *
     * @return the lock's wait histogram
     */
    @Override
    public final DurationHistogram waitHistogram() {
        return backend.waitHistogram();
    }

    /**
     * The distribution of hold times (for an RLock, first acquisition to last release), for the holds with a known
     * start (see {@link LockStats}): live and cumulative.
     *
     * @return the lock's hold histogram
     */
    public final DurationHistogram holdHistogram() {
        return backend.holdHistogram();
    }

    /**
     * The fencing token of the current hold: a number that every later hold of this lock exceeds. Pass it with each
     * write to the resource the lock guards, and have the resource refuse a write whose token is lower than the
     * highest it has seen. That protects the resource from a holder that paused (a long garbage collection, a
     * frozen VM) while its hold ended (a shared lock's lease ran out) and another thread took the lock: the paused
     * holder, waking up, still believes it holds the lock, but its token is now lower than the new holder's, so its
     * late writes are refused.
     *
     * <pre>{@code
     * try (var held = ledger.hold()) {
     *     long token = ledger.fencingToken();
     *     store.write(entry, token); // the store keeps the highest token and refuses lower ones
     * }
     * }</pre>
     *
     * <p>For a local lock the token is the hold's number in this lock (holds end only by a release, so the token
     * matters only to a resource shared with code that does not take this lock); for a shared lock it is the
     * backend's, increasing across every instance. Call it while the hold lasts: for a {@link Lock}, in the thread
     * that acquired it or one it handed the hold to; for an {@link RLock}, in the owner, where re-entries keep the
     * token of the first acquisition.
     *
     * @return the current hold's token
     * @throws IllegalStateException        if the lock is not held (an {@code RLock}: not by the calling thread; a
     *                                      shared {@code Lock}: not by this JVM)
     * @throws BackendUnavailableException  if a shared lock's backend cannot be reached
     */
    public final long fencingToken() {
        return backend.fencingToken();
    }

    /**
     * @return {@value Primitive#LOCAL_BACKEND} for a lock made with a constructor; for a shared one, its backend's
     *         name ({@code redis})
     */
    @Override
    public final String backend() {
        return backend.backend();
    }

    /**
     * The holder (the thread that acquired the current hold, however many times an RLock was re-entered) and the
     * threads waiting for the lock: for a local lock, thread names; for a shared one, {@code instance/thread} across
     * every instance, read from the backend (see {@link Occupancy} for a backend that cannot be reached). Never
     * throws.
     *
     * @return the holder and the waiters now
     */
    @Override
    public final Occupancy occupancy() {
        return backend.occupancy();
    }

    /** @return the calling thread's hold count: 0 if it does not hold the lock (what {@code RLock} exposes) */
    final int holdCountOfCaller() {
        return backend.holdCount();
    }

    /**
     * The local synchronizer, for a {@link Condition} over this lock: a condition parks in the lock's own queue and
     * saves and restores its hold count, which only the local backend has.
     *
     * @throws IllegalArgumentException if the lock is shared (made by a {@code shared(…)} factory)
     */
    final LockSync sync() {
        if (backend instanceof LockSync local) {
            return local;
        }
        throw new IllegalArgumentException("a Condition needs a local lock, and " + getClass().getSimpleName() + " "
                + backend.name() + " is shared (backend " + backend.backend() + "): give the Condition a Lock or"
                + " RLock made with a constructor");
    }

    // ------------------------------------------------------------------------------------------ java.util.concurrent

    /** The same as {@link #acquire()}: waits as long as it takes, not interruptibly. */
    @Override
    public final void lock() {
        backend.lock();
    }

    /**
     * Acquires the lock unless the thread is interrupted, waiting as long as it takes.
     *
     * @throws InterruptedException if the thread is interrupted on entry or while waiting (its interrupt status is
     *                              cleared)
     */
    @Override
    public final void lockInterruptibly() throws InterruptedException {
        backend.lockInterruptibly();
    }

    /**
     * The same as {@code acquire(false)}: takes the lock only if it is free now (or, for an RLock, owned by the
     * calling thread), even when the lock is fair.
     *
     * @return true if acquired
     */
    @Override
    public final boolean tryLock() {
        return backend.tryLock();
    }

    /**
     * Acquires the lock, waiting at most the given time, unless the thread is interrupted. A time of zero or less
     * only tries.
     *
     * @return true if acquired, false if the time passed first
     * @throws InterruptedException if the thread is interrupted on entry or while waiting (its status is cleared)
     * @throws NullPointerException if {@code unit} is null
     */
    @Override
    public final boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return backend.tryLockNanos(unit.toNanos(time));
    }

    /**
     * The same as {@link #release()}.
     *
     * @throws IllegalStateException        if a Lock is not locked
     * @throws IllegalMonitorStateException if the calling thread does not own an RLock
     */
    @Override
    public final void unlock() {
        backend.unlock();
    }

    /**
     * A {@link java.util.concurrent.locks.Condition} bound to this lock ({@code AbstractQueuedSynchronizer}'s), usable
     * by the thread that acquired it, as {@code ReentrantLock.newCondition()} gives: its waits release every hold and
     * restore them, and are interruptible as the JDK specifies. Taking the lock back after such a wait counts as an
     * acquisition, not as a contended one. For Python's condition variable use {@link Condition}.
     *
     * @return a new condition
     * @throws UnsupportedOperationException if the lock is shared: a condition needs a local lock
     */
    @Override
    public final java.util.concurrent.locks.Condition newCondition() {
        return backend.newCondition();
    }

    /**
     * @return {@code Lock[name=…, unlocked]}, {@code Lock[name=…, locked, owner=<thread name>]}, or for an RLock the
     *         same with {@code , count=n}, the same from every thread
     */
    @Override
    public final String toString() {
        return backend.describe();
    }
}
