package dev.spool.threading;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.spool.stats.DurationHistogram;
import dev.spool.threading.spi.SharedBackend;
import dev.spool.threading.spi.SharedSemaphore;

/**
 * A counting semaphore: Python's {@code threading.Semaphore}. It holds a number of permits; {@code acquire} takes
 * one, waiting while there is none, and {@link #release(int) release(n)} gives back {@code n}, waking up to {@code n}
 * waiting threads. Nothing ties a permit to a thread: any thread may release, and an (unbounded) semaphore may be
 * released more often than acquired, which raises its count. {@link BoundedSemaphore} refuses that.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>Time: {@link #acquire()} waits as long as it takes; {@link #acquire(Duration)} waits at most that long, and a
 *       duration of zero or less never blocks (it only tries); a duration too long to count (over about 146 years)
 *       waits without a limit; a {@code null} duration throws {@link NullPointerException}.</li>
 *   <li>Interruption: acquiring is not interruptible, as {@code Semaphore.acquireUninterruptibly()}: an interrupt does
 *       not end the wait, and the thread's interrupt status is still set when {@code acquire} returns.</li>
 *   <li>Fairness: unfair by default; a fair semaphore ({@link #Semaphore(String, int, boolean)}) serves waiting
 *       threads in arrival order. {@code acquire(false)} and a zero duration take a free permit even when fair.</li>
 *   <li>Bad arguments: a negative initial value, or {@code release(n)} with {@code n < 1}, throws
 *       {@link IllegalArgumentException}.</li>
 * </ul>
 *
 * <h2>Statistics</h2>
 * {@link #stats()} reports permits, acquisitions, contention, timeouts and waiting threads; {@link #waitHistogram()}
 * is the live distribution of the waits, and {@link #addContentionListener} feeds each blocked wait to a
 * {@link ContentionListener}. An acquisition that finds a permit is one CAS, which also counts it: no clock, no
 * allocation, no other shared write.
 *
 * <h2>Local and shared semaphores</h2>
 * A semaphore made with a constructor is local ({@link #backend()} is {@value Primitive#LOCAL_BACKEND}). One made by
 * {@link #shared(String, int, SharedSemaphore)} (or {@link BoundedSemaphore#shared}) keeps its permits in a backend
 * module's {@link SharedSemaphore}, shared by every instance that uses the name; its methods, rules and statistics
 * are the same (the acquisitions, waits, histogram and listeners are this JVM's), except that a method that reaches
 * the shared state ({@code acquire…}, {@code release…}, {@link #value()}) may throw
 * {@link BackendUnavailableException}, a shared semaphore serves its waiters in the backend's order (its
 * {@code stats().fair()} is false), and a permit taken by a JVM that stops renewing its lease comes back by itself
 * (see {@link SharedBackend}). {@link #stats()}, {@link #occupancy()} and {@link #toString()} never throw.
 */
public sealed class Semaphore implements Primitive<SemaphoreStats> permits BoundedSemaphore {
    /*
     * The permits are the backend's (SemaphoreSync, or a shared state's); the statistics and the wait timing are
     * here, written once for both. Every method calls the backend once on its uncontended path.
     */
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final SemaphoreBackend backend;
    private final String name;
    /** The initial number of permits: a BoundedSemaphore's bound. */
    final int initial;
    private final Guard guard;
    private final WaitStatistics waits = new WaitStatistics(this);
    private final LongAdder failedTries = new LongAdder();

    /** Makes an unfair semaphore with one permit and a generated name ({@code Semaphore-1}, …). */
    public Semaphore() {
        this(1);
    }

    /**
     * Makes an unfair semaphore with a generated name.
     *
     * @param value the initial number of permits
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public Semaphore(int value) {
        this("Semaphore-" + SEQUENCE.incrementAndGet(), value, false);
    }

    /**
     * Makes an unfair semaphore.
     *
     * @param name  its name, as metrics and endpoints show it
     * @param value the initial number of permits
     * @throws IllegalArgumentException if {@code value} is negative
     * @throws NullPointerException     if {@code name} is null
     */
    public Semaphore(String name, int value) {
        this(name, value, false);
    }

    /**
     * Makes a semaphore.
     *
     * @param name  its name, as metrics and endpoints show it
     * @param value the initial number of permits
     * @param fair  true to serve waiting threads in arrival order
     * @throws IllegalArgumentException if {@code value} is negative
     * @throws NullPointerException     if {@code name} is null
     */
    public Semaphore(String name, int value, boolean fair) {
        this(name, value, fair, false);
    }

    Semaphore(String name, int value, boolean fair, boolean bounded) {
        this(name, checked(value), new SemaphoreSync(value, fair, bounded ? value : -1));
    }

    /** @param backend the permits: a {@link SemaphoreSync} holding {@code value}, or a shared state's */
    Semaphore(String name, int value, SemaphoreBackend backend) {
        this.name = Objects.requireNonNull(name, "name");
        this.initial = checked(value);
        this.backend = backend;
        this.guard = () -> backend.release(1);
    }

    private static int checked(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("semaphore initial value must be >= 0, was " + value);
        }
        return value;
    }

    /**
     * Makes a semaphore whose permits are shared between instances: every instance that builds one over the same
     * name shares its permits. Backend integrations call it (the Spring starter, for a semaphore configured on a
     * shared backend); application code uses the semaphore it gets like any other. The class comment says what
     * differs from a local semaphore.
     *
     * @param name    its name, as metrics and endpoints show it (the same on every instance)
     * @param initial the initial number of permits the state was built with ({@code initialPermits} in the
     *                statistics)
     * @param state   the shared state, from {@link SharedBackend#semaphore} with {@code bounded} false
     * @return a new semaphore over {@code state}
     * @throws IllegalArgumentException if {@code initial} is negative
     * @throws NullPointerException     if {@code name}, {@code state} or the state's {@code backend()} is null
     */
    public static Semaphore shared(String name, int initial, SharedSemaphore state) {
        return new Semaphore(name, checked(initial), sharedBackend(state));
    }

    static SemaphoreBackend sharedBackend(SharedSemaphore state) {
        return new SharedSemaphoreBackend(Objects.requireNonNull(state, "state"));
    }

    /** Takes a permit, waiting as long as it takes for one. Not interruptible (see the class comment). */
    public void acquire() {
        if (!backend.tryAcquire()) {
            long start = waits.begin();
            boolean acquired = false;
            try {
                backend.acquireUninterruptibly();
                acquired = true;
            } finally {
                waits.end(start, false, acquired);
            }
        }
    }

    /**
     * Takes a permit: waiting as long as it takes if {@code blocking}, else only if one is free now.
     *
     * @param blocking whether to wait
     * @return true if a permit was taken (always, when blocking)
     */
    public boolean acquire(boolean blocking) {
        if (blocking) {
            acquire();
            return true;
        }
        return tryAcquire();
    }

    /**
     * Takes a permit, waiting at most {@code timeout} for one. Not interruptible (see the class comment).
     *
     * @param timeout how long to wait at most; zero or less only tries, without blocking
     * @return true if a permit was taken, false if the time passed first
     * @throws NullPointerException if {@code timeout} is null (use {@link #acquire()} to wait without a limit)
     */
    public boolean acquire(Duration timeout) {
        long nanos = Durations.nanos(timeout);
        if (nanos == 0L) {
            return tryAcquire();
        }
        if (nanos >= Durations.FOREVER) {
            acquire();
            return true;
        }
        if (backend.tryAcquire()) {
            return true;
        }
        long start = waits.begin();
        boolean acquired = false;
        boolean returned = false;
        try {
            acquired = Durations.uninterruptibly(nanos, start, backend::tryAcquireNanos);
            returned = true;
        } finally {
            waits.end(start, returned && !acquired, acquired);
        }
        return acquired;
    }

    private boolean tryAcquire() {
        if (backend.barge()) {
            return true;
        }
        failedTries.increment();
        return false;
    }

    /** Gives back one permit, waking a waiting thread if there is one. */
    public void release() {
        backend.release(1);
    }

    /**
     * Gives back {@code n} permits, waking up to {@code n} waiting threads.
     *
     * @param n how many permits, 1 or more
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public void release(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be one or more, was " + n);
        }
        backend.release(n);
    }

    /**
     * @return the number of free permits now (for a shared semaphore, across every instance)
     * @throws BackendUnavailableException if a shared semaphore's backend cannot be reached
     */
    public int value() {
        return backend.value();
    }

    /**
     * Takes a permit as {@link #acquire()} does and returns the guard that gives it back:
     * {@code try (var held = semaphore.hold()) { … }}. The guard is preallocated: holding allocates nothing.
     *
     * @return this semaphore's guard, whose {@code close()} releases one permit
     */
    public Guard hold() {
        acquire();
        return guard;
    }

    /** @return the semaphore's name (given, or generated) */
    @Override
    public String name() {
        return name;
    }

    /**
     * @return {@value Primitive#LOCAL_BACKEND} for a semaphore made with a constructor; for a shared one, its
     *         backend's name ({@code redis})
     */
    @Override
    public String backend() {
        return backend.backend();
    }

    /**
     * The threads waiting for a permit and, for a shared semaphore, the holders of its permits
     * ({@code instance/thread}, one entry per permit, across every instance). A local semaphore does not record who
     * took its permits: its occupancy has no holders and is not complete (see {@link Occupancy}). Never throws.
     *
     * @return the holders (shared only) and the waiters now
     */
    @Override
    public Occupancy occupancy() {
        return backend.occupancy(name, waits);
    }

    /** Tests only: see {@link SemaphoreBackend#presetAcquisitions}. */
    void presetAcquisitions(long count) {
        backend.presetAcquisitions(count);
    }

    /**
     * A snapshot of the statistics. For a shared semaphore, {@code permits} is one bounded read of the backend, and
     * -1 when the backend cannot be reached (see {@link SemaphoreStats}); everything else is this JVM's.
     *
     * @return a snapshot of the semaphore's statistics
     */
    @Override
    public SemaphoreStats stats() {
        DurationHistogram waited = waits.histogram();
        return new SemaphoreStats(name, this instanceof BoundedSemaphore, backend.fair(), permitsOrUnknown(), initial,
                backend.acquisitions(), waited.count(), waits.timeouts(), failedTries.sum(), waited.totalNanos(),
                waited.maxNanos(), waits.waiting());
    }

    /** @return {@link #value()}, or -1 if it cannot be read (a shared semaphore's backend cannot be reached) */
    final int permitsOrUnknown() {
        try {
            return backend.value();
        } catch (RuntimeException unreadable) {
            return -1;
        }
    }

    /** @return {@code n}, or {@code unknown} if the permits cannot be read */
    final String describeValue() {
        int permits = permitsOrUnknown();
        return permits < 0 ? "unknown" : Integer.toString(permits);
    }

    /** @return {@code ""} for a local semaphore, {@code ", backend=…"} for a shared one */
    final String describeBackend() {
        String where = backend.backend();
        return LOCAL_BACKEND.equals(where) ? "" : ", backend=" + where;
    }

    /**
     * Adds a listener told about every wait for a permit that blocked, on the slow path only; see {@link ContentionListener} for when it runs and
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

    /** @return the names of the threads waiting for a permit now, sorted; computed on each call */
    @Override
    public List<String> waitingThreadNames() {
        return waits.threadNames();
    }

    /**
     * The distribution of the waits that had to block, whether they ended with a permit, timed out or not: live (it
     * keeps recording) and cumulative (never reset).
     *
     * @return the semaphore's wait histogram
     */
    @Override
    public DurationHistogram waitHistogram() {
        return waits.histogram();
    }

    /** @return {@code Semaphore[name=…, value=n]}; a shared one also shows {@code backend=…} */
    @Override
    public String toString() {
        return "Semaphore[name=" + name + describeBackend() + ", value=" + describeValue() + "]";
    }
}
