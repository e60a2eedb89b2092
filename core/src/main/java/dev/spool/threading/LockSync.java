package dev.spool.threading;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

import dev.spool.stats.DurationHistogram;

/**
 * The synchronizer behind {@link Lock} and {@link RLock}, and the {@link Condition}s built on them: an exclusive
 * {@link AbstractQueuedSynchronizer}, as in {@code ReentrantLock}, plus the statistics. It is the local
 * {@link LockBackend}: {@link AbstractLock} calls it directly, and {@link Condition} and {@link DeadlockDetector},
 * which need its queue and owner, only ever see a lock through it.
 *
 * <h2>State machine</h2>
 * <pre>
 *   state 0  unlocked; owner null
 *   state n  locked by `owner`: for an RLock n is the owner's hold count (re-entries add, releases subtract, the
 *            last release returns to 0); for a Lock n is always 1
 * </pre>
 * A Lock may be released by any thread ({@code tryRelease} moves 1 → 0 with a CAS, so of two racing releases one
 * fails); an RLock only by its owner. {@code owner} is the thread that made the 0 → n transition; it is cleared
 * before the state returns to 0, so a reader that sees a non-zero state and then an owner sees the right one or
 * null, never a former owner.
 *
 * <h2>Statistics, and what the uncontended path pays for them</h2>
 * The uncontended acquisition is one CAS, then two plain writes made while holding the lock: the owner, and
 * {@code acquisitions} (with {@code holdSeq}, the number of the hold that began). The uncontended release reads one
 * volatile field ({@code stamp}) and finds it null. No clock, no allocation.
 *
 * <p>A thread whose first CAS fails takes the contended path: it registers as waiting ({@link WaitStatistics}),
 * reads the clock, and stamps the current hold if nobody has ({@link HoldStamp}: the hold's number and the time,
 * a lower bound of the hold's start); once it acquires, it stamps its own hold with the exact time. The release of
 * a hold whose stamp carries the hold's own number records the hold's duration in {@link #holdTimes}; a stamp left
 * from an older hold (a waiter that raced a release) carries an older number and is dropped, so a hold is never
 * timed from before it began. The hold is timed just before the release (still holding, so the stamp cannot change
 * under it) and the {@link ContentionListener}s hear of it just after, once the lock is free. A release made by the
 * {@code AbstractQueuedSynchronizer} itself ({@code newCondition()}'s await) ends its hold untimed.
 */
final class LockSync extends AbstractQueuedSynchronizer implements LockBackend {
    /** When a hold was first seen held: by a waiter that arrived (lower bound), or by the contended acquirer. */
    private record HoldStamp(long seq, long since) {
    }

    final String name;
    final boolean reentrant;
    final boolean fair;
    /** What {@code hold()} returns, preallocated: each close() releases once. */
    final Guard guard = this::unlock;
    final WaitStatistics waits = new WaitStatistics(this);
    final DurationHistogram holdTimes = new DurationHistogram();
    private final LongAdder failedTries = new LongAdder();

    /** Successful acquisitions, re-entries included. Written only by the thread that holds the lock. */
    private long acquisitions;
    /** {@code acquisitions} when the current hold began: the hold's number. Written only by its holder. */
    private long holdSeq;
    private volatile HoldStamp stamp;

    LockSync(String name, boolean reentrant, boolean fair) {
        this.name = name;
        this.reentrant = reentrant;
        this.fair = fair;
    }

    // ------------------------------------------------------------------------------------------ acquiring

    /** Acquires, waiting as long as it takes; an interrupt does not end the wait and stays set. */
    @Override
    public void lock() {
        if (!tryLockFast(1)) {
            lockContended(1);
        }
    }

    /** One non-blocking attempt; barges even on a fair lock, as {@code ReentrantLock.tryLock()} does. */
    @Override
    public boolean tryLock() {
        if (barge(1)) {
            return true;
        }
        failedTries.increment();
        return false;
    }

    /** Spool's timed acquisition: 0 never blocks, {@link Durations#FOREVER} has no limit; not interruptible. */
    @Override
    public boolean tryLock(long nanos) {
        if (nanos == 0L) {
            return tryLock();
        }
        if (tryLockFast(1)) {
            return true;
        }
        if (nanos >= Durations.FOREVER) {
            lockContended(1);
            return true;
        }
        long start = beginWait();
        boolean acquired = false;
        try {
            acquired = Durations.uninterruptibly(nanos, start, remaining -> tryAcquireNanos(1, remaining));
        } finally {
            endWait(start, acquired, !acquired);
        }
        return acquired;
    }

    /** {@code Lock.lockInterruptibly()}. */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (tryLockFast(1)) {
            return;
        }
        long start = beginWait();
        boolean acquired = false;
        try {
            acquireInterruptibly(1);
            acquired = true;
        } finally {
            endWait(start, acquired, false);
        }
    }

    /** {@code Lock.tryLock(long, TimeUnit)}: interruptible, and a time of zero or less only tries. */
    @Override
    public boolean tryLockNanos(long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (tryLockFast(1)) {
            return true;
        }
        if (nanos <= 0L) {
            failedTries.increment();
            return false;
        }
        long start = beginWait();
        boolean acquired = false;
        boolean returned = false;
        try {
            acquired = tryAcquireNanos(1, nanos);
            returned = true;
        } finally {
            endWait(start, acquired, returned && !acquired);
        }
        return acquired;
    }

    /** Gives up every hold of the calling owner, for {@link Condition#await()}. @return the holds to restore */
    int releaseAll() {
        int saved = getState();
        long held = stamp == null ? -1L : endingHold(saved);
        release(saved);
        if (held >= 0L) {
            waits.held(held);
        }
        return saved;
    }

    /** Takes back the holds {@link #releaseAll()} gave up, waiting as long as it takes, not interruptibly. */
    void acquireRestore(int saved) {
        if (!tryLockFast(saved)) {
            lockContended(saved);
        }
    }

    /** The uncontended attempt: one CAS (fair: only when nobody queues), or a re-entry. */
    private boolean tryLockFast(int acquires) {
        if (fair) {
            if (getState() == 0 && !hasQueuedPredecessors() && compareAndSetState(0, acquires)) {
                began();
                return true;
            }
            return reentrant && reenter(acquires);
        }
        return barge(acquires);
    }

    private boolean barge(int acquires) {
        if (compareAndSetState(0, acquires)) {
            began();
            return true;
        }
        return reentrant && reenter(acquires);
    }

    /** A hold begins: the caller has just moved the state from 0. No clock: whoever waits for the hold stamps it. */
    private void began() {
        setExclusiveOwnerThread(Thread.currentThread());
        holdSeq = ++acquisitions;
    }

    private boolean reenter(int acquires) {
        if (getExclusiveOwnerThread() != Thread.currentThread()) {
            return false;
        }
        int next = getState() + acquires;
        if (next < 0) {
            throw new Error("Maximum lock count exceeded: " + name);
        }
        setState(next);
        acquisitions++;
        return true;
    }

    /**
     * Called by queued threads, and by {@code newCondition()} conditions taking the lock back. A queued thread that
     * finds the lock taken again (a barging acquirer took it between the release that woke this thread and its
     * retry) stamps that hold before it parks again: the threads already queued stamped the hold they first waited
     * for, so nobody else would, and a hold others wait for would show no {@code heldFor} and go untimed. This is the
     * failing path of a thread about to park, so the barging acquirer's own path stays free of the clock.
     */
    @Override
    protected boolean tryAcquire(int acquires) {
        if (getState() == 0 && (!fair || !hasQueuedPredecessors()) && compareAndSetState(0, acquires)) {
            began();
            return true;
        }
        long seq = (long) HOLD_SEQ.getAcquire(this);
        stampIfUnstamped(seq, System.nanoTime());
        return false;
    }

    private void lockContended(int acquires) {
        long start = beginWait();
        boolean acquired = false;
        try {
            acquire(acquires); // queues and parks; an interrupt is remembered and set again, not thrown
            acquired = true;
        } finally {
            endWait(start, acquired, false);
        }
    }

    /**
     * The contended path begins: read the clock, stamp the hold we wait for if nobody has, and only then show as
     * waiting (so whoever sees this thread waiting also sees the hold stamped).
     */
    private long beginWait() {
        long seq = (long) HOLD_SEQ.getAcquire(this); // before the clock: the hold numbered seq began before `start`
        long start = System.nanoTime();
        stampIfUnstamped(seq, start);
        waits.enter();
        return start;
    }

    /** Stamps hold {@code seq}, read before {@code now}, with {@code now} if the lock is held and nobody stamped it. */
    private void stampIfUnstamped(long seq, long now) {
        if (getState() != 0) {
            HoldStamp current = stamp;
            if (current == null || current.seq < seq) {
                STAMP.compareAndSet(this, current, new HoldStamp(seq, now));
            }
        }
    }

    private void endWait(long start, boolean acquired, boolean timedOut) {
        long now = waits.end(start, timedOut, acquired);
        if (acquired) {
            stamp = new HoldStamp(holdSeq, now); // our own hold: its exact start
        }
    }

    // ------------------------------------------------------------------------------------------ releasing

    /** Releases once; if that ends a timed hold, tells the listeners once the lock is free. */
    @Override
    public void unlock() {
        long held = stamp == null ? -1L : endingHold(1);
        release(1);
        if (held >= 0L) {
            waits.held(held);
        }
    }

    @Override
    protected boolean tryRelease(int releases) {
        if (reentrant) {
            if (getExclusiveOwnerThread() != Thread.currentThread()) {
                throw new IllegalMonitorStateException("cannot release un-acquired lock " + name
                        + (getState() == 0 ? " (not locked)" : " (owned by another thread)"));
            }
            int c = getState() - releases;
            if (c != 0) {
                setState(c);
                return false;
            }
            setExclusiveOwnerThread(null);
            setState(0);
            return true;
        }
        if (getState() == 0) {
            throw new IllegalStateException("release unlocked lock " + name);
        }
        setExclusiveOwnerThread(null);
        if (!compareAndSetState(releases, 0)) {
            throw new IllegalStateException("release unlocked lock " + name);
        }
        return true;
    }

    /**
     * Just before a release that a stamp is set for: if the release will end the current hold (a Lock: it is locked;
     * an RLock: the caller owns it and gives up its last holds), clears the stamp and, if the stamp is this hold's
     * own, records the hold's duration. Still holding the lock, so no new hold can be stamped meanwhile.
     *
     * @return the hold's duration, or -1 if the release does not end a timed hold (or will fail)
     */
    private long endingHold(int releases) {
        boolean ends = reentrant
                ? getExclusiveOwnerThread() == Thread.currentThread() && getState() == releases
                : getState() != 0;
        HoldStamp current = stamp;
        if (!ends || current == null) {
            return -1L;
        }
        long nanos = -1L;
        if (current.seq == holdSeq) {
            nanos = Math.max(0L, System.nanoTime() - current.since);
            holdTimes.record(nanos);
        }
        STAMP.compareAndSet(this, current, null);
        return nanos;
    }

    // ------------------------------------------------------------------------------------------ queries

    @Override
    public String name() {
        return name;
    }

    @Override
    public Guard guard() {
        return guard;
    }

    @Override
    public WaitStatistics waits() {
        return waits;
    }

    @Override
    public DurationHistogram holdHistogram() {
        return holdTimes;
    }

    @Override
    protected boolean isHeldExclusively() {
        return getExclusiveOwnerThread() == Thread.currentThread();
    }

    @Override
    public boolean isLocked() {
        return getState() != 0;
    }

    /** @return the calling thread's holds (0 if it does not own the lock) */
    @Override
    public int holdCount() {
        return isHeldExclusively() ? getState() : 0;
    }

    /** @return the thread that acquired the current hold, or null */
    @Override
    public Thread owner() {
        return getState() == 0 ? null : getExclusiveOwnerThread();
    }

    @Override
    public java.util.concurrent.locks.Condition newCondition() {
        return new ConditionObject();
    }

    /**
     * The current hold's number, {@code holdSeq}: {@code acquisitions} when the hold began, so every later hold's is
     * higher. Read with acquire semantics after the state: the thread that began the hold (or one it handed the hold
     * to) sees its own number.
     */
    @Override
    public long fencingToken() {
        if (reentrant ? !isHeldExclusively() : getState() == 0) {
            throw new IllegalStateException("fencingToken() of " + (reentrant ? "RLock " : "Lock ") + name
                    + (reentrant ? ": the calling thread does not hold it" : ": it is not held")
                    + "; call it between acquiring and releasing");
        }
        return (long) HOLD_SEQ.getAcquire(this);
    }

    @Override
    public String backend() {
        return Primitive.LOCAL_BACKEND;
    }

    /** The owner (the thread that acquired the current hold), and the waiting threads: both known here. */
    @Override
    public Occupancy occupancy() {
        Thread holder = owner();
        return Occupancy.of(holder == null ? List.of() : List.of(holder.getName()), waits.threadNames());
    }

    @Override
    public LockStats stats() {
        int c = getState();
        Thread owner = c == 0 ? null : getExclusiveOwnerThread();
        HoldStamp current = stamp;
        long since = c != 0 && current != null && current.seq == (long) HOLD_SEQ.getAcquire(this) ? current.since : 0L;
        long heldFor = since == 0L ? 0L : Math.max(0L, System.nanoTime() - since);
        DurationHistogram waited = waits.histogram();
        return new LockStats(name, reentrant, fair, c != 0,
                owner == null ? null : owner.getName(), owner == null ? -1L : owner.threadId(),
                reentrant ? c : Math.min(c, 1), since, heldFor,
                acquisitions, waited.count(), waits.timeouts(), failedTries.sum(),
                waited.totalNanos(), waited.maxNanos(), waits.waiting(),
                holdTimes.count(), holdTimes.totalNanos(), holdTimes.maxNanos());
    }

    /** {@code Lock[name=…, locked, owner=…]} or {@code RLock[…, count=…]}, as Python's repr shows a lock. */
    @Override
    public String describe() {
        int c = getState();
        Thread owner = c == 0 ? null : getExclusiveOwnerThread();
        StringBuilder text = new StringBuilder(reentrant ? "RLock" : "Lock").append("[name=").append(name);
        text.append(c == 0 ? ", unlocked" : ", locked");
        if (owner != null) {
            text.append(", owner=").append(owner.getName());
        }
        if (reentrant) {
            text.append(", count=").append(c);
        }
        return text.append(']').toString();
    }

    private static final VarHandle STAMP;
    private static final VarHandle HOLD_SEQ;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STAMP = lookup.findVarHandle(LockSync.class, "stamp", HoldStamp.class);
            HOLD_SEQ = lookup.findVarHandle(LockSync.class, "holdSeq", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
