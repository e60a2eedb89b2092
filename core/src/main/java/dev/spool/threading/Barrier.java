package dev.spool.threading;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import dev.spool.internal.SpinPolicy;
import dev.spool.internal.Timeouts;
import dev.spool.stats.DurationHistogram;

/**
 * A meeting point for a fixed number of threads: Python's {@code threading.Barrier}. Each thread calls
 * {@code await}; the call returns once all {@link #parties()} have arrived ("the barrier trips"), and the barrier is
 * then ready for the next round.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>{@code await} returns the thread's arrival index: 0 for the first to arrive, {@code parties - 1} for the
 *       last.</li>
 *   <li>The action, if any, runs once per trip, in the last thread to arrive, before any thread is released. If it
 *       throws, the barrier breaks and the exception propagates from that thread's {@code await}; the others get
 *       {@link BarrierBrokenException}.</li>
 *   <li>Broken: after {@link #abort()}, a timed-out wait, an interrupted wait or a failed action, every thread
 *       waiting, and every later {@code await}, throws {@link BarrierBrokenException}, until {@link #reset()}.</li>
 *   <li>{@link #reset()} returns the barrier to its empty state; threads waiting at that moment get
 *       {@link BarrierBrokenException}.</li>
 *   <li>Time: {@link #await()} waits at most the default timeout given to the constructor, or as long as it takes if
 *       there is none; {@link #await(Duration)} waits at most that long, and a duration of zero or less never blocks
 *       (a thread that is not the last to arrive breaks the barrier at once); a wait that times out breaks the
 *       barrier for everyone and throws {@link BarrierBrokenException}.</li>
 *   <li>Interruption: waiting is interruptible, as {@code CyclicBarrier.await} is: a thread interrupted on entry or
 *       while waiting breaks the barrier for the others and throws {@link InterruptedException} with its status
 *       cleared (an interrupt during the brief spin is acted on when the spin ends). A thread interrupted just after the barrier tripped or broke returns (or throws
 *       {@link BarrierBrokenException}) as if not interrupted, with its interrupt status set.</li>
 *   <li>Rounds: as in {@code CyclicBarrier}, each trip starts a new round at once, so a thread that has passed can
 *       arrive for the next round before the others have left this one (Python's barrier makes it wait for them to
 *       drain out first; nothing else a caller can see differs).</li>
 * </ul>
 *
 * <h2>Statistics</h2>
 * {@link #stats()} counts trips, breaks and timeouts, and the threads waiting now; {@link #waitHistogram()} is the
 * live distribution of the waits that blocked, and {@link #addContentionListener} feeds each one to a
 * {@link ContentionListener}. On a multiprocessor an arrival that is not the last first spins
 * briefly (128 {@link Thread#onSpinWait()} re-reads, as {@code Phaser} does) before it blocks; one released within
 * that spin never blocked and is not counted as contended.
 */
public final class Barrier implements Primitive<BarrierStats> {
    /*
     * A ReentrantLock and one Condition, as CyclicBarrier: `generation` is the round now filling, `count` its
     * arrivals. The last arrival runs the action, then starts a new generation and signals everyone; a waiter leaves
     * when its generation is no longer the current one (tripped) or is marked broken. Breaking marks the current
     * generation broken and wakes everyone; reset() breaks it if threads wait in it, then starts a new one.
     */
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private static final class Generation {
        volatile boolean broken; // written holding the lock; read by spinning waiters without it
    }

    private final String name;
    private final int parties;
    private final Runnable action;
    private final Duration timeout;
    private final long timeoutNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final java.util.concurrent.locks.Condition tripped = lock.newCondition();
    private final WaitStatistics waits = new WaitStatistics(this);

    /** Written holding the lock; read by spinning waiters without it. */
    private volatile Generation generation = new Generation();
    // guarded by lock
    private int count;
    private long trips;
    private long breaks;

    /**
     * Makes a barrier with no action and no default timeout, with a generated name ({@code Barrier-1}, …).
     *
     * @param parties how many threads must arrive to trip it, 1 or more
     * @throws IllegalArgumentException if {@code parties < 1}
     */
    public Barrier(int parties) {
        this(parties, null, null);
    }

    /**
     * Makes a barrier with a generated name.
     *
     * @param parties how many threads must arrive to trip it, 1 or more
     * @param action  what the last thread to arrive runs before the others are released, or null for nothing
     * @param timeout the default for {@link #await()}, or null to wait as long as it takes
     * @throws IllegalArgumentException if {@code parties < 1}
     */
    public Barrier(int parties, Runnable action, Duration timeout) {
        this("Barrier-" + SEQUENCE.incrementAndGet(), parties, action, timeout);
    }

    /**
     * Python's {@code Barrier(parties, timeout=...)}: a barrier with no action, with a generated name.
     *
     * @param parties how many threads must arrive to trip it, 1 or more
     * @param timeout the default for {@link #await()}, or null to wait as long as it takes
     * @throws IllegalArgumentException if {@code parties < 1}
     */
    public Barrier(int parties, Duration timeout) {
        this(parties, null, timeout);
    }

    /**
     * Makes a barrier with no action and no default timeout.
     *
     * @param name    its name, as metrics and endpoints show it
     * @param parties how many threads must arrive to trip it, 1 or more
     * @throws IllegalArgumentException if {@code parties < 1}
     * @throws NullPointerException     if {@code name} is null
     */
    public Barrier(String name, int parties) {
        this(name, parties, null, null);
    }

    /**
     * Python's {@code Barrier(parties, timeout=...)}, named: a barrier with no action.
     *
     * @param name    its name, as metrics and endpoints show it
     * @param parties how many threads must arrive to trip it, 1 or more
     * @param timeout the default for {@link #await()}, or null to wait as long as it takes
     * @throws IllegalArgumentException if {@code parties < 1}
     * @throws NullPointerException     if {@code name} is null
     */
    public Barrier(String name, int parties, Duration timeout) {
        this(name, parties, null, timeout);
    }

    /**
     * Makes a barrier.
     *
     * @param name    its name, as metrics and endpoints show it
     * @param parties how many threads must arrive to trip it, 1 or more
     * @param action  what the last thread to arrive runs before the others are released, or null for nothing
     * @param timeout the default for {@link #await()}, or null to wait as long as it takes
     * @throws IllegalArgumentException if {@code parties < 1}
     * @throws NullPointerException     if {@code name} is null
     */
    public Barrier(String name, int parties, Runnable action, Duration timeout) {
        this.name = Objects.requireNonNull(name, "name");
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be > 0, was " + parties);
        }
        this.parties = parties;
        this.action = action;
        this.timeout = timeout;
        this.timeoutNanos = timeout == null ? Durations.FOREVER : Durations.nanos(timeout);
    }

    /**
     * Waits until all parties have arrived, at most the default timeout if the barrier has one.
     *
     * @return the arrival index, 0 for the first thread to arrive and {@code parties - 1} for the last
     * @throws BarrierBrokenException if the barrier is broken, or breaks while waiting (also by this wait timing out)
     * @throws InterruptedException   if the thread is interrupted on entry or while waiting; the barrier breaks
     * @throws RuntimeException       whatever the action throws, in the thread that ran it; the barrier breaks
     */
    public int await() throws InterruptedException {
        return await(timeoutNanos);
    }

    /**
     * Waits until all parties have arrived, at most {@code timeout} (not the default).
     *
     * @param timeout how long to wait at most; zero or less never blocks
     * @return the arrival index, 0 for the first thread to arrive and {@code parties - 1} for the last
     * @throws BarrierBrokenException if the barrier is broken, or breaks while waiting (also by this wait timing out)
     * @throws InterruptedException   if the thread is interrupted on entry or while waiting; the barrier breaks
     * @throws RuntimeException       whatever the action throws, in the thread that ran it; the barrier breaks
     * @throws NullPointerException   if {@code timeout} is null (use {@link #await()})
     */
    public int await(Duration timeout) throws InterruptedException {
        return await(Durations.nanos(timeout));
    }

    private int await(long nanos) throws InterruptedException {
        Generation current;
        int index;
        lock.lock();
        try {
            current = generation;
            if (current.broken) {
                throw brokenException();
            }
            if (Thread.interrupted()) {
                breakBarrier();
                throw new InterruptedException();
            }
            index = count++;
            if (index + 1 == parties) {
                if (action != null) {
                    try {
                        action.run();
                    } catch (Throwable failure) {
                        breakBarrier();
                        throw failure;
                    }
                }
                trips++;
                nextGeneration();
                return index;
            }
            if (nanos == 0L) {
                breakBarrier();
                throw new BarrierBrokenException(name + " broken: a wait with no time to wait");
            }
        } finally {
            lock.unlock();
        }
        if (spinForTrip(current)) {
            if (current.broken) {
                throw brokenException();
            }
            return index;
        }
        long start = waits.begin();
        int outcome = INTERRUPTED;
        lock.lock();
        try {
            outcome = block(current, nanos);
        } finally {
            lock.unlock();
            waits.end(start, outcome == TIMED_OUT, outcome == TRIPPED); // listeners run holding nothing
        }
        if (outcome == TRIPPED) {
            return index;
        }
        throw outcome == TIMED_OUT ? new BarrierBrokenException(
                name + " broken: a wait timed out after " + Timeouts.format(Duration.ofNanos(nanos))) : brokenException();
    }

    /** Spins briefly (as {@link SpinPolicy} allows), without the lock, for the round to trip or break. */
    private boolean spinForTrip(Generation current) {
        if (!SpinPolicy.tryBegin(1)) { // the party that trips the round needs a CPU too
            return false;
        }
        try {
            for (int i = 0; i < SpinPolicy.MEETING_SPINS; i++) {
                Thread.onSpinWait();
                if (current != generation || current.broken) {
                    return true;
                }
            }
            return false;
        } finally {
            SpinPolicy.end();
        }
    }

    /** How a blocked wait ended. */
    private static final int TRIPPED = 0;
    private static final int BROKEN = 1;
    private static final int TIMED_OUT = 2;
    private static final int INTERRUPTED = 3;

    /**
     * Waits, holding the lock, until the generation trips or breaks, or the time passes (then breaks it). The time
     * counts from here: the spin before it only adds to the wait.
     *
     * @return TRIPPED, BROKEN or TIMED_OUT
     * @throws InterruptedException if interrupted while the round is still filling (the barrier is then broken)
     */
    private int block(Generation current, long nanos) throws InterruptedException {
        boolean timed = nanos < Durations.FOREVER;
        for (;;) {
            if (current.broken) {
                return BROKEN;
            }
            if (current != generation) {
                return TRIPPED;
            }
            if (timed && nanos <= 0L) {
                breakBarrier();
                return TIMED_OUT;
            }
            try {
                if (timed) {
                    nanos = tripped.awaitNanos(nanos);
                } else {
                    tripped.await();
                }
            } catch (InterruptedException ie) {
                if (current == generation && !current.broken) {
                    breakBarrier();
                    throw ie;
                }
                Thread.currentThread().interrupt(); // tripped or broke first: that is the outcome
            }
        }
    }

    private BarrierBrokenException brokenException() {
        return new BarrierBrokenException(name + " is broken");
    }

    /** Trips: wakes the waiters and starts the next round. Holding the lock. */
    private void nextGeneration() {
        tripped.signalAll();
        count = 0;
        generation = new Generation();
    }

    /** Breaks the current round and wakes its waiters. Holding the lock. */
    private void breakBarrier() {
        if (!generation.broken) {
            generation.broken = true;
            breaks++;
        }
        count = 0;
        tripped.signalAll();
    }

    /**
     * Returns the barrier to its empty, unbroken state. Threads waiting at it now get {@link BarrierBrokenException}.
     */
    public void reset() {
        lock.lock();
        try {
            if (count > 0) {
                breakBarrier();
            }
            nextGeneration();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Breaks the barrier: threads waiting at it now, and every later {@code await} until {@link #reset()}, get
     * {@link BarrierBrokenException}.
     */
    public void abort() {
        lock.lock();
        try {
            breakBarrier();
        } finally {
            lock.unlock();
        }
    }

    /** @return how many threads must arrive to trip the barrier */
    public int parties() {
        return parties;
    }

    /** @return how many threads wait at the barrier now (0 when broken) */
    public int waiting() {
        lock.lock();
        try {
            return generation.broken ? 0 : count;
        } finally {
            lock.unlock();
        }
    }

    /** @return whether the barrier is broken */
    public boolean broken() {
        lock.lock();
        try {
            return generation.broken;
        } finally {
            lock.unlock();
        }
    }

    /** @return the default timeout of {@link #await()}, or null if it waits as long as it takes */
    public Duration timeout() {
        return timeout;
    }

    /** @return the barrier's name (given, or generated) */
    @Override
    public String name() {
        return name;
    }

    /** @return {@value Primitive#LOCAL_BACKEND}: a barrier is always local */
    @Override
    public String backend() {
        return LOCAL_BACKEND;
    }

    /**
     * No holders (a barrier has none) and the threads waiting at it, as {@link #waitingThreadNames()}. Never throws.
     *
     * @return the waiters now
     */
    @Override
    public Occupancy occupancy() {
        return Occupancy.of(List.of(), waits.threadNames());
    }

    /** @return a snapshot of the barrier's statistics */
    @Override
    public BarrierStats stats() {
        DurationHistogram waited = waits.histogram();
        lock.lock();
        try {
            return new BarrierStats(name, parties, generation.broken ? 0 : count, generation.broken, trips, breaks,
                    waited.count(), waits.timeouts(), waited.totalNanos(), waited.maxNanos());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds a listener told about every wait at the barrier that blocked, on the slow path only; see {@link ContentionListener} for when it runs and
     * what it may do. Adding the same listener twice makes it hear everything twice.
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

    /**
     * The threads blocked at the barrier now. An arrival still in its brief spin is already in {@link #waiting()} but
     * not yet named here: naming it would cost every arrival a write that the spin exists to avoid.
     *
     * @return the names of the threads waiting at the barrier now, sorted; computed on each call
     */
    @Override
    public List<String> waitingThreadNames() {
        return waits.threadNames();
    }

    /**
     * The distribution of the waits at the barrier that blocked (arrivals that were not the last of their trip and
     * were not released within the brief spin), however they ended: live (it keeps recording) and cumulative (never
     * reset).
     *
     * @return the barrier's wait histogram
     */
    @Override
    public DurationHistogram waitHistogram() {
        return waits.histogram();
    }

    /** @return {@code Barrier[name=…, waiters=k/parties]} or {@code Barrier[name=…, broken]} */
    @Override
    public String toString() {
        lock.lock();
        try {
            return "Barrier[name=" + name + (generation.broken ? ", broken]" : ", waiters=" + count + "/" + parties + "]");
        } finally {
            lock.unlock();
        }
    }
}
