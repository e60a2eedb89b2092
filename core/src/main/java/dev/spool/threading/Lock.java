package dev.spool.threading;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.spool.stats.DurationHistogram;

/**
 * A mutual-exclusion lock that is not reentrant and that any thread may release: Python's
 * {@code threading.Lock}, also usable as a {@link java.util.concurrent.locks.Lock}.
 *
 * <pre>{@code
 * Lock inventory = new Lock("inventory");
 * try (var held = inventory.hold()) {
 *     // … one thread at a time …
 * }
 * }</pre>
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>Not reentrant: a thread that holds the lock and acquires it again waits until some thread releases it.</li>
 *   <li>Any thread may release it, not only the one that acquired it (so a Lock can hand a signal from one thread to
 *       another, as in Python). Releasing an unlocked lock throws {@link IllegalStateException}.</li>
 *   <li>Time: {@link #acquire()} waits as long as it takes; {@link #acquire(Duration)} waits at most that long, and a
 *       duration of zero or less never blocks (it only tries); a duration too long to count (over about 146 years)
 *       waits without a limit; a {@code null} duration throws {@link NullPointerException}.</li>
 *   <li>Interruption: the Python-named methods ({@code acquire…}, {@link #hold()}) and {@link #lock()} do not throw
 *       {@link InterruptedException}: an interrupt does not end the wait, and the thread's interrupt status is still
 *       set when they return. The interruptible forms are {@link #lockInterruptibly()} and
 *       {@link #tryLock(long, TimeUnit)}.</li>
 *   <li>Fairness: an unfair lock (the default) lets an arriving thread take a free lock ahead of queued ones, which
 *       is faster under contention; a fair lock ({@link #Lock(String, boolean)}) serves waiting threads in arrival
 *       order. {@code acquire(false)} and {@link #tryLock()} take a free lock even when it is fair.</li>
 *   <li>{@link #newCondition()} gives a {@link java.util.concurrent.locks.Condition} usable by the thread that
 *       acquired the lock; for Python's condition variable use {@link Condition#Condition(Lock)}.</li>
 * </ul>
 *
 * <h2>Statistics</h2>
 * {@link #stats()} reports acquisitions, contention, timeouts, waiting threads, the owner (the thread that acquired
 * the current hold) and hold times; {@link #waitHistogram()} and {@link #holdHistogram()} are the live
 * distributions behind them, and {@link #addContentionListener} feeds each blocked wait and timed hold to a
 * {@link ContentionListener}. The uncontended path reads no clock and allocates nothing; see {@link LockStats} for
 * what is timed and why.
 */
public final class Lock implements java.util.concurrent.locks.Lock {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final LockSync sync;

    /** Makes an unlocked, unfair lock with a generated name ({@code Lock-1}, {@code Lock-2}, …). */
    public Lock() {
        this("Lock-" + SEQUENCE.incrementAndGet(), false);
    }

    /**
     * Makes an unlocked, unfair lock.
     *
     * @param name its name, as metrics and endpoints show it
     * @throws NullPointerException if {@code name} is null
     */
    public Lock(String name) {
        this(name, false);
    }

    /**
     * Makes an unlocked lock.
     *
     * @param name its name, as metrics and endpoints show it
     * @param fair true to serve waiting threads in arrival order (slower under contention)
     * @throws NullPointerException if {@code name} is null
     */
    public Lock(String name, boolean fair) {
        this.sync = new LockSync(Objects.requireNonNull(name, "name"), false, fair);
    }

    /** Acquires the lock, waiting as long as it takes. Not interruptible (see the class comment). */
    public void acquire() {
        sync.lock();
    }

    /**
     * Acquires the lock: waiting as long as it takes if {@code blocking}, else only if it is free now.
     *
     * @param blocking whether to wait
     * @return true if acquired (always, when blocking)
     */
    public boolean acquire(boolean blocking) {
        if (blocking) {
            sync.lock();
            return true;
        }
        return sync.tryLock();
    }

    /**
     * Acquires the lock, waiting at most {@code timeout}. Not interruptible (see the class comment).
     *
     * @param timeout how long to wait at most; zero or less only tries, without blocking
     * @return true if acquired, false if the time passed first
     * @throws NullPointerException if {@code timeout} is null (use {@link #acquire()} to wait without a limit)
     */
    public boolean acquire(Duration timeout) {
        return sync.tryLock(Durations.nanos(timeout));
    }

    /**
     * Releases the lock. Any thread may release it.
     *
     * @throws IllegalStateException if the lock is not locked
     */
    public void release() {
        sync.unlock();
    }

    /** @return whether the lock is held now (by any thread) */
    public boolean locked() {
        return sync.isLocked();
    }

    /**
     * Acquires the lock as {@link #acquire()} does and returns the guard that releases it:
     * {@code try (var held = lock.hold()) { … }}. The guard is preallocated: holding allocates nothing.
     *
     * @return this lock's guard, whose {@code close()} releases once
     */
    public Guard hold() {
        sync.lock();
        return sync.guard;
    }

    /** @return the lock's name (given, or generated) */
    public String name() {
        return sync.name;
    }

    /** @return a snapshot of the lock's statistics */
    public LockStats stats() {
        return sync.stats();
    }

    /**
     * Adds a listener told about every wait to acquire that blocked, and every timed hold (see {@link LockStats}), on the slow path only; see {@link ContentionListener} for when it runs and
     * what it may do. Adding the same listener twice makes it hear everything twice.
     *
     * @param listener the listener
     * @throws NullPointerException if {@code listener} is null
     */
    public void addContentionListener(ContentionListener listener) {
        sync.waits.addListener(listener);
    }

    /**
     * Removes a listener added with {@link #addContentionListener} (one registration of it); does nothing if it is
     * not registered.
     *
     * @param listener the listener
     */
    public void removeContentionListener(ContentionListener listener) {
        sync.waits.removeListener(listener);
    }

    /** @return the names of the threads waiting to acquire the lock now, sorted; computed on each call */
    public List<String> waitingThreadNames() {
        return sync.waitingThreadNames();
    }

    /**
     * The distribution of the waits that had to block, whether they ended acquired, timed out or interrupted: live
     * (it keeps recording) and cumulative (never reset). Take a snapshot and subtract an earlier one for an interval.
     *
     * @return the lock's wait histogram
     */
    public DurationHistogram waitHistogram() {
        return sync.waits.histogram();
    }

    /**
     * The distribution of hold times, for the holds with a known start (see {@link LockStats}): live and cumulative.
     *
     * @return the lock's hold histogram
     */
    public DurationHistogram holdHistogram() {
        return sync.holdTimes;
    }

    LockSync sync() {
        return sync;
    }

    // ------------------------------------------------------------------------------------------ java.util.concurrent

    /** The same as {@link #acquire()}: waits as long as it takes, not interruptibly. */
    @Override
    public void lock() {
        sync.lock();
    }

    /**
     * Acquires the lock unless the thread is interrupted, waiting as long as it takes.
     *
     * @throws InterruptedException if the thread is interrupted on entry or while waiting (its interrupt status is
     *                              cleared)
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        sync.lockInterruptibly();
    }

    /**
     * The same as {@code acquire(false)}: takes the lock only if it is free now, even when the lock is fair.
     *
     * @return true if acquired
     */
    @Override
    public boolean tryLock() {
        return sync.tryLock();
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
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return sync.tryLockNanos(unit.toNanos(time));
    }

    /**
     * The same as {@link #release()}.
     *
     * @throws IllegalStateException if the lock is not locked
     */
    @Override
    public void unlock() {
        sync.unlock();
    }

    /**
     * A {@link java.util.concurrent.locks.Condition} bound to this lock ({@code AbstractQueuedSynchronizer}'s), usable
     * by the thread that acquired the lock; its waits are interruptible as the JDK specifies. Taking the lock back
     * after such a wait counts as an acquisition, not as a contended one.
     *
     * @return a new condition
     */
    @Override
    public java.util.concurrent.locks.Condition newCondition() {
        return sync.newCondition();
    }

    /** @return {@code Lock[name=…, unlocked]} or {@code Lock[name=…, locked, owner=<thread name>]} */
    @Override
    public String toString() {
        return sync.describe("Lock");
    }
}
