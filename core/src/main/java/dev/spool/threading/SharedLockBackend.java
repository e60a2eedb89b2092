package dev.spool.threading;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.LongAdder;

import dev.spool.stats.DurationHistogram;
import dev.spool.threading.spi.SharedLock;

/**
 * The {@link LockBackend} of {@code Lock.shared(…)} and {@code RLock.shared(…)}: the exclusion is a
 * {@link SharedLock}'s (a backend module's, across instances); the statistics, the wait registration and the
 * listeners are this JVM's, kept exactly as {@link LockSync} keeps them, so that {@code stats()}, the histograms and
 * {@code waitingThreadNames()} never wait on the network.
 *
 * <h2>Acquiring</h2>
 * Every acquisition first tries once without waiting ({@code acquire(0)}); only when that fails does the thread read
 * the clock, register as waiting ({@link WaitStatistics}) and wait in the shared state, so an uncontended acquisition
 * is counted and nothing more. The Python methods and {@code lock()} are not interruptible: the state's interruptible
 * waits run under {@link Durations}' uninterruptible loops. A {@link dev.spool.threading.BackendUnavailableException}
 * from the state propagates; a wait that ends with it is counted as contended, not acquired, and not as a timeout.
 *
 * <h2>The holds of this JVM, and their times</h2>
 * A hold begun by a thread of this JVM through this object is a {@link LocalHold}: its owner, an RLock's hold count as
 * this JVM counted it, and its start once known. The times follow {@link LockSync}'s rule, for what this JVM can
 * see: a hold that began with a contended acquisition is timed from the end of that wait; a hold that a thread of this
 * JVM waited on is stamped when that thread arrived (or when the hold began, if threads here were already waiting), a
 * lower bound; a hold nobody here waited for is not timed. What this JVM cannot see is not timed here: a hold on
 * another instance (that instance times it), and a {@code Lock} hold released by another instance, which is
 * forgotten at this JVM's next acquisition. A hold is timed when its release returns, so its time includes the
 * release's round trip.
 *
 * <h2>What it refuses</h2>
 * {@link #newCondition()} (and {@link Condition}, through {@code AbstractLock.sync()}): a condition parks in the
 * lock's own queue and saves its hold count, which only a local lock has.
 *
 * <h2>Deadlocks</h2>
 * A wait here is registered for this object and {@link #owner()} is this JVM's hold, so {@link DeadlockDetector} finds
 * a cycle among this JVM's threads through shared locks (and local ones) as it finds one through local locks. For a
 * hold on another instance it reads the state: {@link #holdersNow()}, {@link #waitersNow()}, and every shared lock of
 * this JVM through {@link #all()}.
 */
final class SharedLockBackend implements LockBackend {

    /** A hold begun by a thread of this JVM through this lock. */
    private static final class LocalHold {
        final Thread owner;
        /** An RLock's holds, re-entries included; written only by the owner. */
        int depth = 1;
        /** The hold's start as first known (see the class comment); 0 until then. Set once, by CAS. */
        volatile long since;

        LocalHold(Thread owner) {
            this.owner = owner;
        }
    }

    private final String name;
    private final boolean reentrant;
    private final SharedLock state;
    private final String backend;
    /** What {@code hold()} returns, preallocated: each close() releases once. */
    private final Guard guard = this::unlock;
    private final WaitStatistics waits = new WaitStatistics(this);
    private final DurationHistogram holdTimes = new DurationHistogram();
    private final LongAdder acquisitions = new LongAdder();
    private final LongAdder failedTries = new LongAdder();
    /** The hold of this JVM now, or null: free, or held on another instance. */
    private volatile LocalHold hold;

    /**
     * Every shared lock of this JVM, for {@link DeadlockDetector}, which reads who of the other instances waits for
     * which of them. Weak: a lock nobody references any more is forgotten.
     */
    private static final Set<SharedLockBackend> ALL = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    /**
     * @throws NullPointerException if the state's {@code backend()} is null
     */
    SharedLockBackend(String name, boolean reentrant, SharedLock state) {
        this.name = name;
        this.reentrant = reentrant;
        this.state = state;
        this.backend = Objects.requireNonNull(state.backend(), "the shared lock's backend()");
        ALL.add(this);
    }

    /** @return the shared locks of this JVM now, a copy */
    static List<SharedLockBackend> all() {
        synchronized (ALL) {
            return List.copyOf(ALL);
        }
    }

    /** @return the state's holders, {@code instance/thread}: a read of the shared state (may throw) */
    List<String> holdersNow() {
        return state.holders();
    }

    /** @return the state's waiters on every instance, {@code instance/thread}: a read of the shared state */
    List<String> waitersNow() {
        return state.waiters();
    }

    /** @return the prefix of this JVM's entries in {@link #holdersNow()} and {@link #waitersNow()} */
    String instancePrefix() {
        return state.instanceId() + "/";
    }

    // ------------------------------------------------------------------------------------------ acquiring

    @Override
    public void lock() {
        if (!tryOnce()) {
            long start = beginWait();
            boolean acquired = false;
            try {
                Durations.uninterruptiblyWithoutLimit(state::acquire);
                acquired = true;
            } finally {
                endWait(start, acquired, false);
            }
        }
    }

    @Override
    public boolean tryLock() {
        if (tryOnce()) {
            return true;
        }
        failedTries.increment();
        return false;
    }

    @Override
    public boolean tryLock(long nanos) {
        if (nanos == 0L) {
            return tryLock();
        }
        if (nanos >= Durations.FOREVER) {
            lock();
            return true;
        }
        if (tryOnce()) {
            return true;
        }
        long start = beginWait();
        boolean acquired = false;
        boolean returned = false;
        try {
            acquired = Durations.uninterruptibly(nanos, start, state::acquire);
            returned = true;
        } finally {
            endWait(start, acquired, returned && !acquired);
        }
        return acquired;
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (tryOnceInterruptibly()) {
            return;
        }
        long start = beginWait();
        boolean acquired = false;
        try {
            while (!state.acquire(Long.MAX_VALUE)) {
                // an unlimited wait does not return false; if a state does, wait again
            }
            acquired = true;
        } finally {
            endWait(start, acquired, false);
        }
    }

    @Override
    public boolean tryLockNanos(long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (tryOnceInterruptibly()) {
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
            acquired = state.acquire(Durations.forSharedState(nanos));
            returned = true;
        } finally {
            endWait(start, acquired, returned && !acquired);
        }
        return acquired;
    }

    /** The uncontended attempt, not interruptible: {@code acquire(0)}, counted if it succeeds. */
    private boolean tryOnce() {
        if (Durations.tryNowUninterruptibly(state::acquire)) {
            began(0L);
            return true;
        }
        return false;
    }

    private boolean tryOnceInterruptibly() throws InterruptedException {
        if (state.acquire(0L)) {
            began(0L);
            return true;
        }
        return false;
    }

    /**
     * The contended path begins: read the clock, stamp this JVM's hold if there is one and nobody has, show as
     * waiting, and look again (a hold that began meanwhile either sees this thread waiting, and stamps itself, or is
     * seen here).
     */
    private long beginWait() {
        long start = System.nanoTime();
        LocalHold seen = hold;
        stamp(seen, start);
        waits.enter();
        LocalHold now = hold;
        if (now != seen) {
            stamp(now, System.nanoTime());
        }
        return start;
    }

    private void endWait(long start, boolean acquired, boolean timedOut) {
        long now = waits.end(start, timedOut, acquired);
        if (acquired) {
            began(now);
        }
    }

    /**
     * The state has just given the calling thread a hold (or, for an RLock it owns, one more).
     *
     * @param since the exact start of a hold that began contended; 0 for an uncontended one
     */
    private void began(long since) {
        acquisitions.increment();
        Thread me = Thread.currentThread();
        LocalHold current = hold;
        if (reentrant && current != null && current.owner == me) {
            current.depth++;
            return;
        }
        LocalHold fresh = new LocalHold(me);
        if (since != 0L) {
            fresh.since = since;
        }
        hold = fresh;
        if (since == 0L && waits.waiting() > 0) {
            stamp(fresh, System.nanoTime()); // threads here already wait for this hold: it starts now
        }
    }

    private static void stamp(LocalHold hold, long now) {
        if (hold != null && hold.since == 0L) {
            SINCE.compareAndSet(hold, 0L, now);
        }
    }

    // ------------------------------------------------------------------------------------------ releasing

    /**
     * Releases once in the state, then ends this JVM's hold if that release ended it. The hold is timed just before
     * the release, while it lasts: once the state has let go, a waiter here may already have begun the next hold. A
     * release the state refuses (not held, not the owner) changes nothing here; one that fails to reach the state
     * may or may not have released, and the lease frees the lock in any case, so the hold ends here as if it had.
     */
    @Override
    public void unlock() {
        LocalHold current = hold;
        boolean ownHold = current != null && (!reentrant || current.owner == Thread.currentThread());
        boolean ends = ownHold && !(reentrant && current.depth > 1);
        long since = ends ? current.since : 0L;
        long held = since == 0L ? -1L : Math.max(0L, System.nanoTime() - since);
        try {
            state.release();
        } catch (BackendUnavailableException failure) {
            released(current, ownHold, ends, held);
            throw failure;
        }
        released(current, ownHold, ends, held);
    }

    private void released(LocalHold current, boolean ownHold, boolean ends, long held) {
        if (!ownHold) {
            return;
        }
        if (!ends) {
            current.depth--;
            return;
        }
        HOLD.compareAndSet(this, current, null); // fails if the next hold of this JVM has begun: it stays
        if (held >= 0L) {
            holdTimes.record(held);
            waits.held(held);
        }
    }

    // ------------------------------------------------------------------------------------------ queries

    @Override
    public Guard guard() {
        return guard;
    }

    @Override
    public boolean isLocked() {
        return state.isLocked();
    }

    @Override
    public int holdCount() {
        return state.holdCount();
    }

    /** Refused: a condition needs the lock's own queue and hold count, which only a local lock has. */
    @Override
    public java.util.concurrent.locks.Condition newCondition() {
        throw new UnsupportedOperationException("newCondition() on " + describeKind() + " " + name
                + ": a Condition needs a local lock, and this one is shared (backend " + backend
                + "); guard the condition's state with a local Lock or RLock");
    }

    /** The state's token; an RLock also requires that the calling thread hold it, as the local one does. */
    @Override
    public long fencingToken() {
        if (reentrant) {
            LocalHold current = hold;
            if (current == null || current.owner != Thread.currentThread()) {
                throw new IllegalStateException("fencingToken() of RLock " + name
                        + ": the calling thread does not hold it; call it between acquiring and releasing");
            }
        }
        return state.fencingToken();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String backend() {
        return backend;
    }

    @Override
    public Occupancy occupancy() {
        return Occupancy.readShared(describeKind() + " " + name + " (backend " + backend + ")",
                state::holders, state::waiters);
    }

    @Override
    public WaitStatistics waits() {
        return waits;
    }

    @Override
    public DurationHistogram holdHistogram() {
        return holdTimes;
    }

    /**
     * This JVM's hold, without asking the state (no network): what {@link DeadlockDetector} follows, so that a cycle
     * among this JVM's threads through shared locks is found as one through local locks is. A {@code Lock} hold that
     * another instance released shows here until this JVM's next acquisition of it.
     */
    @Override
    public Thread owner() {
        LocalHold current = hold;
        return current == null ? null : current.owner;
    }

    /**
     * This JVM's view: {@code locked} is the state's (one bounded read), or, if the state cannot be reached, whether
     * a thread here holds it; the owner, its hold count and the hold's times are this JVM's hold, if it has one.
     * {@code fair} is false: the order of the waiters is the backend's.
     */
    @Override
    public LockStats stats() {
        LocalHold current = hold;
        boolean locked = lockedOr(current != null);
        if (!locked) {
            current = null; // a hold released on another instance: not this JVM's any more
        }
        Thread owner = current == null ? null : current.owner;
        long since = current == null ? 0L : current.since;
        long heldFor = since == 0L ? 0L : Math.max(0L, System.nanoTime() - since);
        int holdCount = !locked ? 0 : reentrant ? (current == null ? 0 : current.depth) : 1;
        DurationHistogram waited = waits.histogram();
        return new LockStats(name, reentrant, false, locked,
                owner == null ? null : owner.getName(), owner == null ? -1L : owner.threadId(),
                holdCount, since, heldFor,
                acquisitions.sum(), waited.count(), waits.timeouts(), failedTries.sum(),
                waited.totalNanos(), waited.maxNanos(), waits.waiting(),
                holdTimes.count(), holdTimes.totalNanos(), holdTimes.maxNanos());
    }

    /** @return the state's {@code isLocked()}, or {@code fallback} if it cannot be read */
    private boolean lockedOr(boolean fallback) {
        try {
            return state.isLocked();
        } catch (RuntimeException unreadable) {
            return fallback;
        }
    }

    /** {@code Lock[name=…, backend=…, locked, owner=…]}: the owner if it is a thread of this JVM. */
    @Override
    public String describe() {
        LocalHold current = hold;
        Boolean locked;
        try {
            locked = state.isLocked();
        } catch (RuntimeException unreadable) {
            locked = null;
        }
        StringBuilder text = new StringBuilder(describeKind()).append("[name=").append(name)
                .append(", backend=").append(backend);
        text.append(locked == null ? ", state unknown" : locked ? ", locked" : ", unlocked");
        if (current != null && !Boolean.FALSE.equals(locked)) {
            text.append(", owner=").append(current.owner.getName());
            if (reentrant) {
                text.append(", count=").append(current.depth);
            }
        } else if (reentrant) {
            text.append(", count=0");
        }
        return text.append(']').toString();
    }

    private String describeKind() {
        return reentrant ? "RLock" : "Lock";
    }

    private static final VarHandle HOLD;
    private static final VarHandle SINCE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HOLD = lookup.findVarHandle(SharedLockBackend.class, "hold", LocalHold.class);
            SINCE = lookup.findVarHandle(LocalHold.class, "since", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
