package dev.spool.threading;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.spool.stats.DurationHistogram;
import dev.spool.threading.spi.SharedBackend;
import dev.spool.threading.spi.SharedEvent;

/**
 * A flag that threads can wait for: Python's {@code threading.Event}. {@link #set()} raises it and wakes every
 * waiting thread; {@link #clear()} lowers it; {@code await} returns at once while it is raised and waits otherwise.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>No lost wake-up: a thread waiting when {@link #set()} is called returns {@code true} even if
 *       {@link #clear()} follows at once, before it got to run.</li>
 *   <li>Time: {@link #await()} waits as long as it takes; {@link #await(Duration)} waits at most that long, and a
 *       duration of zero or less never blocks (it returns {@link #isSet()}); a duration too long to count waits
 *       without a limit; a {@code null} duration throws {@link NullPointerException}.</li>
 *   <li>Interruption: waiting is interruptible, as {@code CountDownLatch.await} is: a thread interrupted while it
 *       waits throws {@link InterruptedException} with its interrupt status cleared. A wait on a set event returns at
 *       once without looking at the interrupt status.</li>
 * </ul>
 *
 * <h2>Statistics</h2>
 * {@link #stats()} counts waits (all, blocked, timed out) and the threads waiting now; {@link #waitHistogram()} is
 * the live distribution of the blocked waits, and {@link #addContentionListener} feeds each one to a
 * {@link ContentionListener}. A wait on a set event reads no clock and allocates nothing. On a
 * multiprocessor a waiter first spins briefly (128 {@link Thread#onSpinWait()} re-reads, as
 * {@code SynchronousQueue} does) before it blocks; a wait that ends within that spin never blocked and is counted
 * among the waits but not as contended.
 *
 * <h2>Local and shared events</h2>
 * An event made with a constructor is local ({@link #backend()} is {@value Primitive#LOCAL_BACKEND}). One made by
 * {@link #shared(String, SharedEvent)} keeps its flag in a backend module's {@link SharedEvent}: a set on any instance
 * wakes the waiters of every instance. Its methods, rules and statistics are the same (the waits, histogram and
 * listeners are this JVM's), except that a method that reaches the shared state ({@link #set()}, {@link #clear()},
 * {@link #isSet()}, {@code await…}) may throw {@link BackendUnavailableException}, and a waiter does not spin.
 * {@link #stats()}, {@link #occupancy()} and {@link #toString()} never throw.
 */
public final class Event implements Primitive<EventStats> {
    /*
     * The flag is the backend's (EventSync, or a shared state's); the counters and listeners are here. The backend
     * decides whether a wait blocks (the local one spins first), so it times the waits in the WaitStatistics it is
     * handed.
     */
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final EventBackend backend;
    private final String name;
    private final WaitStatistics waits = new WaitStatistics(this);
    private final LongAdder awaits = new LongAdder();

    /** Makes an unset event with a generated name ({@code Event-1}, …). */
    public Event() {
        this(false);
    }

    /**
     * Makes an event with a generated name.
     *
     * @param initiallySet whether it starts set
     */
    public Event(boolean initiallySet) {
        this("Event-" + SEQUENCE.incrementAndGet(), initiallySet);
    }

    /**
     * Makes an unset event.
     *
     * @param name its name, as metrics and endpoints show it
     * @throws NullPointerException if {@code name} is null
     */
    public Event(String name) {
        this(name, false);
    }

    /**
     * Makes an event.
     *
     * @param name         its name, as metrics and endpoints show it
     * @param initiallySet whether it starts set
     * @throws NullPointerException if {@code name} is null
     */
    public Event(String name, boolean initiallySet) {
        this(name, new EventSync(initiallySet));
    }

    private Event(String name, EventBackend backend) {
        this.name = Objects.requireNonNull(name, "name");
        this.backend = backend;
    }

    /**
     * Makes an event whose flag is shared between instances: a set on any instance that builds one over the same
     * name wakes the waiters of all. Backend integrations call it (the Spring starter, for an event configured on a
     * shared backend); application code uses the event it gets like any other. The class comment says what differs
     * from a local event.
     *
     * @param name  its name, as metrics and endpoints show it (the same on every instance)
     * @param state the shared state, from {@link SharedBackend#event}; whether it starts set is the state's
     * @return a new event over {@code state}
     * @throws NullPointerException if {@code name}, {@code state} or the state's {@code backend()} is null
     */
    public static Event shared(String name, SharedEvent state) {
        return new Event(name, new SharedEventBackend(Objects.requireNonNull(state, "state")));
    }

    /**
     * @return whether the flag is set now (for a shared event, on the backend)
     * @throws BackendUnavailableException if a shared event's backend cannot be reached
     */
    public boolean isSet() {
        return backend.isSet();
    }

    /** Sets the flag and wakes every thread waiting for it. Does nothing more if it is already set. */
    public void set() {
        backend.set();
    }

    /** Clears the flag: later waits block until the next {@link #set()}. Threads already woken stay woken. */
    public void clear() {
        backend.clear();
    }

    /**
     * Waits until the flag is set, as long as it takes; returns at once if it is set.
     *
     * @throws InterruptedException if the thread is interrupted while waiting (its status is cleared)
     */
    public void await() throws InterruptedException {
        awaits.increment();
        backend.await(Durations.FOREVER, waits);
    }

    /**
     * Waits until the flag is set, at most {@code timeout}; returns at once if it is set.
     *
     * @param timeout how long to wait at most; zero or less never blocks
     * @return true if the flag was set (now, or while waiting), false if the time passed first
     * @throws InterruptedException if the thread is interrupted while waiting (its status is cleared)
     * @throws NullPointerException if {@code timeout} is null (use {@link #await()})
     */
    public boolean await(Duration timeout) throws InterruptedException {
        long nanos = Durations.nanos(timeout);
        awaits.increment();
        return backend.await(nanos, waits);
    }

    /** @return the event's name (given, or generated) */
    @Override
    public String name() {
        return name;
    }

    /**
     * @return {@value Primitive#LOCAL_BACKEND} for an event made with a constructor; for a shared one, its backend's
     *         name ({@code redis})
     */
    @Override
    public String backend() {
        return backend.backend();
    }

    /**
     * No holders (an event has none), and the threads waiting for the flag: for a shared event, {@code instance/thread}
     * across every instance, read from the backend (see {@link Occupancy}). Never throws.
     *
     * @return the waiters now
     */
    @Override
    public Occupancy occupancy() {
        return backend.occupancy(name, waits);
    }

    /**
     * A snapshot of the statistics. For a shared event, {@code set} is one bounded read of the backend, or the value
     * this JVM last read or wrote when the backend cannot be reached (see {@link EventStats}).
     *
     * @return a snapshot of the event's statistics
     */
    @Override
    public EventStats stats() {
        DurationHistogram waited = waits.histogram();
        return new EventStats(name, backend.isSetOrLastKnown(), awaits.sum(), waited.count(), waits.timeouts(),
                waited.totalNanos(), waited.maxNanos(), waits.waiting());
    }

    /**
     * Adds a listener told about every wait that blocked, on the slow path only; see {@link ContentionListener} for when it runs and
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

    /** @return the names of the threads waiting now, sorted; computed on each call */
    @Override
    public List<String> waitingThreadNames() {
        return waits.threadNames();
    }

    /**
     * The distribution of the waits that blocked, whether the event was set or they timed out or were interrupted:
     * live (it keeps recording) and cumulative (never reset).
     *
     * @return the event's wait histogram
     */
    @Override
    public DurationHistogram waitHistogram() {
        return waits.histogram();
    }

    /**
     * @return {@code Event[name=…, set]} or {@code Event[name=…, unset]}; a shared one also shows
     *         {@code backend=…}
     */
    @Override
    public String toString() {
        String where = backend.backend();
        return "Event[name=" + name + (LOCAL_BACKEND.equals(where) ? "" : ", backend=" + where)
                + (backend.isSetOrLastKnown() ? ", set]" : ", unset]");
    }
}
