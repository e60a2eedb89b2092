package dev.spool.threading;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.spool.threading.spi.SharedBackend;
import dev.spool.threading.spi.SharedLock;

/**
 * A reentrant lock owned by the thread that acquired it: Python's {@code threading.RLock}, also usable as a
 * {@link java.util.concurrent.locks.Lock}.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>Reentrant: the owner may acquire it again; each acquisition adds one to its {@link #holdCount()}, each
 *       release takes one off, and the lock is free when the count returns to 0.</li>
 *   <li>Only the owner may release it: a release by any other thread, or of an unowned lock, throws
 *       {@link IllegalMonitorStateException}.</li>
 *   <li>Time: {@link #acquire()} waits as long as it takes; {@link #acquire(Duration)} waits at most that long, and a
 *       duration of zero or less never blocks (it only tries); a duration too long to count (over about 146 years)
 *       waits without a limit; a {@code null} duration throws {@link NullPointerException}.</li>
 *   <li>Interruption: the Python-named methods ({@code acquire…}, {@link #hold()}) and {@link #lock()} do not throw
 *       {@link InterruptedException}: an interrupt does not end the wait, and the thread's interrupt status is still
 *       set when they return. The interruptible forms are {@link #lockInterruptibly()} and
 *       {@link #tryLock(long, TimeUnit)}.</li>
 *   <li>Fairness: unfair by default; a fair lock ({@link #RLock(String, boolean)}) serves waiting threads in arrival
 *       order. {@code acquire(false)} and {@link #tryLock()} take a free lock even when it is fair.</li>
 *   <li>{@link #newCondition()} gives a {@link java.util.concurrent.locks.Condition} as {@code ReentrantLock} does;
 *       for Python's condition variable use {@link Condition#Condition(AbstractLock)} or {@link Condition#Condition()}.</li>
 * </ul>
 *
 * <h2>Statistics</h2>
 * {@link #stats()} reports acquisitions (re-entries included), contention, timeouts, waiting threads, the owner, its
 * hold count and hold times; {@link #waitHistogram()} and {@link #holdHistogram()} are the live distributions behind
 * them, and {@link #addContentionListener} feeds each blocked wait and timed hold to a {@link ContentionListener}.
 * The uncontended path (and every re-entry) reads no clock and allocates nothing; see {@link LockStats} for what is
 * timed and why.
 */
public final class RLock extends AbstractLock {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** Makes an unlocked, unfair lock with a generated name ({@code RLock-1}, {@code RLock-2}, …). */
    public RLock() {
        this("RLock-" + SEQUENCE.incrementAndGet(), false);
    }

    /**
     * Makes an unlocked, unfair lock.
     *
     * @param name its name, as metrics and endpoints show it
     * @throws NullPointerException if {@code name} is null
     */
    public RLock(String name) {
        this(name, false);
    }

    /**
     * Makes an unlocked lock.
     *
     * @param name its name, as metrics and endpoints show it
     * @param fair true to serve waiting threads in arrival order (slower under contention)
     * @throws NullPointerException if {@code name} is null
     */
    public RLock(String name, boolean fair) {
        super(new LockSync(Objects.requireNonNull(name, "name"), true, fair));
    }

    private RLock(LockBackend backend) {
        super(backend);
    }

    /**
     * Makes an RLock whose state is shared between instances: every instance that builds one over the same
     * name excludes the others. Backend integrations call it (the Spring starter, for a lock configured on a
     * shared backend); application code uses the lock it gets like any other. The class comment of
     * {@link AbstractLock} says what differs from a local lock.
     *
     * @param name  its name, as metrics and endpoints show it (the same on every instance)
     * @param state the shared state, from {@link SharedBackend#lock} with {@code reentrant} true: an RLock's rules
     *              (reentrant, released by its owner)
     * @return a new lock over {@code state}
     * @throws NullPointerException if {@code name}, {@code state} or the state's {@code backend()} is null
     */
    public static RLock shared(String name, SharedLock state) {
        return new RLock(new SharedLockBackend(Objects.requireNonNull(name, "name"), true,
                Objects.requireNonNull(state, "state")));
    }

    /** @return whether the calling thread owns the lock */
    public boolean owned() {
        return holdCountOfCaller() != 0;
    }

    /** @return the calling thread's hold count: 0 if it does not own the lock */
    public int holdCount() {
        return holdCountOfCaller();
    }
}
