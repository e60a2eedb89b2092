package dev.spool.threading;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import dev.spool.stats.DurationHistogram;

/**
 * A condition variable over a {@link Lock} or an {@link RLock}: Python's {@code threading.Condition}, with
 * {@code wait} named {@code await} and {@code notify} named {@code signal} (Java's {@code Object} owns the others).
 *
 * <pre>{@code
 * Condition stock = new Condition("stock", inventory);
 * try (var held = stock.hold()) {
 *     stock.awaitFor(() -> items > 0);
 *     items--;
 * }
 * }</pre>
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>The lock: {@link #Condition()} makes its own {@link RLock}; {@code acquire…}, {@link #release()},
 *       {@link #locked()} and {@link #hold()} act on the lock, exactly as the lock's own methods do.</li>
 *   <li>{@code await} and {@code signal} require the calling thread to hold the lock (for a {@link Lock}: to be the
 *       thread that acquired it), else they throw {@link IllegalMonitorStateException}.</li>
 *   <li>{@code await} releases the lock completely, every hold of an {@link RLock} included, waits, and takes the lock
 *       back with the same hold count before it returns, however it returns (Python's
 *       {@code _release_save}/{@code _acquire_restore}). Taking it back is an ordinary acquisition of the lock,
 *       counted in the lock's statistics and seen by {@link DeadlockDetector}.</li>
 *   <li>{@link #signal(int) signal(n)} wakes at most {@code n} of the threads waiting now, longest waiting first; a
 *       woken thread returns only once it has the lock back, so not before the signalling thread releases it.
 *       {@link #signalAll()} wakes them all. Signalling with nobody waiting does nothing. A thread whose wait has
 *       already timed out or been interrupted is not counted among the {@code n}.</li>
 *   <li>Time: {@link #await()} waits as long as it takes; {@link #await(Duration)} waits at most that long, and a
 *       duration of zero or less never blocks (it returns false at once, without releasing the lock); a duration too
 *       long to count waits without a limit; {@code null} throws {@link NullPointerException}.</li>
 *   <li>Interruption: {@code await} and {@code awaitFor} are interruptible, as {@code Condition.await} is: a thread
 *       interrupted on entry or while waiting takes the lock back, then throws {@link InterruptedException} with its
 *       interrupt status cleared. A thread signalled and interrupted at about the same time returns normally if the
 *       signal came first, with its interrupt status set. Acquiring the lock ({@code acquire…}, {@link #hold()}) is
 *       not interruptible, as for the lock itself.</li>
 * </ul>
 *
 * <h2>Statistics</h2>
 * {@link #stats()} counts awaits, signals (threads woken) and timeouts, and the threads waiting now;
 * {@link #waitHistogram()} is the live distribution of how long awaits waited for a signal, and
 * {@link #addContentionListener} feeds each one to a {@link ContentionListener}. Taking the lock back after an await
 * is an acquisition of the lock, in the lock's statistics and fed to the lock's listeners.
 */
public final class Condition implements Primitive<ConditionStats> {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final String name;
    private final LockSync sync;
    /** Threads in await, oldest first; added and polled while holding the lock, so in the lock's order. */
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final WaitStatistics waits = new WaitStatistics(this);
    private final LongAdder signals = new LongAdder();

    /** Makes a condition with a generated name ({@code Condition-1}, …) over a new {@link RLock} of its own. */
    public Condition() {
        this("Condition-" + SEQUENCE.incrementAndGet());
    }

    /**
     * Makes a condition over a new {@link RLock} of its own, named {@code <name>.lock}.
     *
     * @param name its name, as metrics and endpoints show it
     * @throws NullPointerException if {@code name} is null
     */
    public Condition(String name) {
        this(name, new RLock(Objects.requireNonNull(name, "name") + ".lock").sync());
    }

    /**
     * Makes a condition with a generated name over a {@link Lock} or an {@link RLock}.
     *
     * @param lock the lock that guards the condition's state: a local one
     * @throws NullPointerException     if {@code lock} is null
     * @throws IllegalArgumentException if {@code lock} is shared ({@code Lock.shared(…)}): a condition parks in its
     *                                  lock's own queue, which only a local lock has
     */
    public Condition(AbstractLock lock) {
        this("Condition-" + SEQUENCE.incrementAndGet(), lock);
    }

    /**
     * Makes a condition over a {@link Lock} or an {@link RLock}.
     *
     * @param name its name, as metrics and endpoints show it
     * @param lock the lock that guards the condition's state: a local one
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code lock} is shared ({@code Lock.shared(…)}): a condition parks in its
     *                                  lock's own queue, which only a local lock has
     */
    public Condition(String name, AbstractLock lock) {
        this(name, Objects.requireNonNull(lock, "lock").sync());
    }

    private Condition(String name, LockSync sync) {
        this.name = Objects.requireNonNull(name, "name");
        this.sync = sync;
    }

    // ------------------------------------------------------------------------------------------ the lock

    /** Acquires the lock, waiting as long as it takes; see {@link Lock#acquire()} and {@link RLock#acquire()}. */
    public void acquire() {
        sync.lock();
    }

    /**
     * Acquires the lock, waiting only if {@code blocking}.
     *
     * @param blocking whether to wait
     * @return true if acquired
     */
    public boolean acquire(boolean blocking) {
        if (blocking) {
            sync.lock();
            return true;
        }
        return sync.tryLock();
    }

    /**
     * Acquires the lock, waiting at most {@code timeout}; zero or less only tries. Not interruptible.
     *
     * @param timeout how long to wait at most
     * @return true if acquired
     * @throws NullPointerException if {@code timeout} is null
     */
    public boolean acquire(Duration timeout) {
        return sync.tryLock(Durations.nanos(timeout));
    }

    /**
     * Releases the lock once.
     *
     * @throws IllegalStateException        if the lock is a {@link Lock} that is not locked
     * @throws IllegalMonitorStateException if the lock is an {@link RLock} the calling thread does not own
     */
    public void release() {
        sync.unlock();
    }

    /** @return whether the lock is held now, by any thread */
    public boolean locked() {
        return sync.isLocked();
    }

    /**
     * Acquires the lock and returns the guard that releases it: {@code try (var held = condition.hold()) { … }}.
     *
     * @return the lock's preallocated guard
     */
    public Guard hold() {
        sync.lock();
        return sync.guard;
    }

    // ------------------------------------------------------------------------------------------ waiting

    /**
     * Releases the lock, waits until signalled, and takes the lock back.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     * @throws InterruptedException         if the thread is interrupted on entry or while waiting; the lock is held
     *                                      again when it is thrown
     */
    public void await() throws InterruptedException {
        checkOwned("wait");
        block(false, 0L);
    }

    /**
     * Releases the lock, waits until signalled or until {@code timeout} passes, and takes the lock back.
     *
     * @param timeout how long to wait at most; zero or less returns false at once (the lock is not released)
     * @return true if signalled, false if the time passed first
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     * @throws InterruptedException         if the thread is interrupted on entry or while waiting; the lock is held
     *                                      again when it is thrown
     * @throws NullPointerException         if {@code timeout} is null (use {@link #await()})
     */
    public boolean await(Duration timeout) throws InterruptedException {
        long nanos = Durations.nanos(timeout);
        checkOwned("wait");
        if (nanos == 0L) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return false;
        }
        return block(nanos < Durations.FOREVER, nanos);
    }

    /**
     * Waits until {@code predicate} is true: evaluates it, and while it is false, awaits a signal and evaluates it
     * again. The predicate runs with the lock held.
     *
     * @param predicate the condition's test of the guarded state
     * @return true (the predicate's last value)
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     * @throws InterruptedException         if the thread is interrupted while waiting; the lock is held again
     * @throws NullPointerException         if {@code predicate} is null
     */
    public boolean awaitFor(BooleanSupplier predicate) throws InterruptedException {
        Objects.requireNonNull(predicate, "predicate");
        checkOwned("wait");
        boolean result = predicate.getAsBoolean();
        while (!result) {
            block(false, 0L);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    /**
     * Waits until {@code predicate} is true or {@code timeout} passes, whichever comes first: as
     * {@link #awaitFor(BooleanSupplier)}, with one deadline for all the awaits.
     *
     * @param predicate the condition's test of the guarded state
     * @param timeout   how long to wait at most; zero or less evaluates the predicate once and never blocks
     * @return the predicate's last value: false if the time passed first
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     * @throws InterruptedException         if the thread is interrupted while waiting; the lock is held again
     * @throws NullPointerException         if an argument is null
     */
    public boolean awaitFor(BooleanSupplier predicate, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(predicate, "predicate");
        long nanos = Durations.nanos(timeout);
        checkOwned("wait");
        if (nanos >= Durations.FOREVER) {
            return awaitFor(predicate);
        }
        boolean result = predicate.getAsBoolean();
        long deadline = System.nanoTime() + nanos;
        while (!result) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0L) {
                break;
            }
            block(true, remaining);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    /**
     * Queues the calling thread, releases the lock fully, parks until signalled (or the time passes, or an
     * interrupt), and takes the lock back. The caller holds the lock.
     */
    private boolean block(boolean timed, long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Waiter waiter = new Waiter(Thread.currentThread());
        waiters.add(waiter); // before releasing: a signaller that gets the lock next sees it
        int saved = sync.releaseAll();
        long start = waits.begin(); // after releasing: whoever sees this thread waiting can take the lock
        int outcome = Waiter.INTERRUPTED;
        try {
            outcome = waiter.park(timed, start + nanos);
        } finally {
            waits.end(start, outcome == Waiter.TIMED_OUT, outcome == Waiter.SIGNALLED);
            sync.acquireRestore(saved);
        }
        if (outcome != Waiter.SIGNALLED) {
            waiters.remove(waiter);
        }
        if (outcome == Waiter.INTERRUPTED) {
            throw new InterruptedException();
        }
        return outcome == Waiter.SIGNALLED;
    }

    // ------------------------------------------------------------------------------------------ signalling

    /**
     * Wakes the thread that has waited longest, if any.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes at most {@code n} waiting threads, longest waiting first. Each returns from {@code await} once it has the
     * lock back.
     *
     * @param n how many threads to wake at most; 0 does nothing
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     * @throws IllegalArgumentException     if {@code n} is negative
     */
    public void signal(int n) {
        checkOwned("notify");
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, was " + n);
        }
        wake(n);
    }

    /**
     * Wakes every waiting thread.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    public void signalAll() {
        checkOwned("notify");
        wake(Integer.MAX_VALUE);
    }

    private void wake(int n) {
        int woken = 0;
        while (woken < n) {
            Waiter waiter = waiters.poll();
            if (waiter == null) {
                break;
            }
            if (waiter.signal()) {
                woken++;
            }
        }
        if (woken > 0) {
            signals.add(woken);
        }
    }

    private void checkOwned(String what) {
        if (!sync.isHeldExclusively()) {
            throw new IllegalMonitorStateException("cannot " + what + " on un-acquired lock " + sync.name);
        }
    }

    // ------------------------------------------------------------------------------------------ observing

    /** @return the condition's name (given, or generated) */
    @Override
    public String name() {
        return name;
    }

    /** @return {@value Primitive#LOCAL_BACKEND}: a condition is always local, and so is its lock */
    @Override
    public String backend() {
        return LOCAL_BACKEND;
    }

    /**
     * The holder of the condition's lock (the thread that acquired its current hold) and the threads waiting for a
     * signal (not those waiting to take the lock, which are the lock's). Never throws.
     *
     * @return the lock's holder and the condition's waiters now
     */
    @Override
    public Occupancy occupancy() {
        Thread holder = sync.owner();
        return Occupancy.of(holder == null ? List.of() : List.of(holder.getName()), waits.threadNames());
    }

    /** @return a snapshot of the condition's statistics */
    @Override
    public ConditionStats stats() {
        DurationHistogram waited = waits.histogram();
        return new ConditionStats(name, sync.name, waits.waiting(), signals.sum(), waited.count(), waits.timeouts(),
                waited.totalNanos(), waited.maxNanos());
    }

    /**
     * Adds a listener told about every await that blocked, until it was woken (the lock's own waits and holds go to
     * the lock's listeners), on the slow path only; see {@link ContentionListener} for when it runs and what it may
     * do. Adding the same listener twice makes it hear everything twice.
     *
     * @param listener the listener
     * @throws NullPointerException if {@code listener} is null
     */
    @Override
    public void addContentionListener(ContentionListener listener) {
        waits.addListener(listener);
    }

    /**
     * Removes a listener added with {@link #addContentionListener} (one registration of it); does nothing if it is
     * not registered.
     *
     * @param listener the listener
     */
    @Override
    public void removeContentionListener(ContentionListener listener) {
        waits.removeListener(listener);
    }

    /** @return the names of the threads waiting for a signal now, sorted; computed on each call */
    @Override
    public List<String> waitingThreadNames() {
        return waits.threadNames();
    }

    /**
     * The distribution of how long awaits waited for a signal (until woken, timed out or interrupted; not the time
     * to take the lock back, which is the lock's): live and cumulative.
     *
     * @return the condition's wait histogram
     */
    @Override
    public DurationHistogram waitHistogram() {
        return waits.histogram();
    }

    /** @return {@code Condition[name=…, lock=<the lock's toString>, waiters=n]} */
    @Override
    public String toString() {
        return "Condition[name=" + name + ", lock=" + sync.describe()
                + ", waiters=" + waits.waiting() + "]";
    }

    /**
     * One thread in await. Its state leaves WAITING once, by a CAS: to SIGNALLED by a signalling thread, or to
     * TIMED_OUT / INTERRUPTED by the waiter itself; so a signal is never spent on a thread that has given up.
     */
    private static final class Waiter {
        static final int WAITING = 0;
        static final int SIGNALLED = 1;
        static final int TIMED_OUT = 2;
        static final int INTERRUPTED = 3;

        final Thread thread;
        volatile int state;

        Waiter(Thread thread) {
            this.thread = thread;
        }

        boolean signal() {
            if (STATE.compareAndSet(this, WAITING, SIGNALLED)) {
                LockSupport.unpark(thread);
                return true;
            }
            return false;
        }

        /** Parks until signalled, the deadline, or an interrupt. @return how the wait ended */
        int park(boolean timed, long deadline) {
            for (;;) {
                if (state != WAITING) {
                    return SIGNALLED;
                }
                if (Thread.interrupted()) {
                    if (STATE.compareAndSet(this, WAITING, INTERRUPTED)) {
                        return INTERRUPTED;
                    }
                    Thread.currentThread().interrupt(); // the signal came first: return normally, still interrupted
                    return SIGNALLED;
                }
                if (timed) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0L) {
                        return STATE.compareAndSet(this, WAITING, TIMED_OUT) ? TIMED_OUT : SIGNALLED;
                    }
                    LockSupport.parkNanos(this, remaining);
                } else {
                    LockSupport.park(this);
                }
            }
        }

        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Waiter.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
