package dev.spool.threading;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.spool.threading.spi.SharedBackend;
import dev.spool.threading.spi.SharedLock;

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
 *       acquired the lock; for Python's condition variable use {@link Condition#Condition(AbstractLock)}.</li>
 * </ul>
 *
 * <h2>Statistics</h2>
 * {@link #stats()} reports acquisitions, contention, timeouts, waiting threads, the owner (the thread that acquired
 * the current hold) and hold times; {@link #waitHistogram()} and {@link #holdHistogram()} are the live
 * distributions behind them, and {@link #addContentionListener} feeds each blocked wait and timed hold to a
 * {@link ContentionListener}. The uncontended path reads no clock and allocates nothing; see {@link LockStats} for
 * what is timed and why.
 */
public final class Lock extends AbstractLock {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

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
        super(new LockSync(Objects.requireNonNull(name, "name"), false, fair));
    }

    private Lock(LockBackend backend) {
        super(backend);
    }

    /**
     * Makes a Lock whose state is shared between instances: every instance that builds one over the same
     * name excludes the others. Backend integrations call it (the Spring starter, for a lock configured on a
     * shared backend); application code uses the lock it gets like any other. The class comment of
     * {@link AbstractLock} says what differs from a local lock.
     *
     * @param name  its name, as metrics and endpoints show it (the same on every instance)
     * @param state the shared state, from {@link SharedBackend#lock} with {@code reentrant} false: a Lock's rules
     *              (not reentrant, released by any thread of any instance)
     * @return a new lock over {@code state}
     * @throws NullPointerException if {@code name}, {@code state} or the state's {@code backend()} is null
     */
    public static Lock shared(String name, SharedLock state) {
        return new Lock(new SharedLockBackend(Objects.requireNonNull(name, "name"), false,
                Objects.requireNonNull(state, "state")));
    }
}
