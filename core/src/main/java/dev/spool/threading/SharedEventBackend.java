package dev.spool.threading;

import java.util.List;
import java.util.Objects;

import dev.spool.threading.spi.SharedEvent;

/**
 * The {@link EventBackend} of {@code Event.shared(…)}: the flag is a {@link SharedEvent}'s, set and cleared from any
 * instance. A wait first reads the flag once; only if it is clear is the wait registered, timed and handed to the
 * state (there is no spin: the set that ends the wait is a network message away). Every value this JVM reads or
 * writes is remembered, for the statistics to report when the state cannot be reached.
 */
final class SharedEventBackend implements EventBackend {

    private final SharedEvent state;
    private final String backend;
    /** The flag as this JVM last read or wrote it. */
    private volatile boolean lastKnown;

    /** @throws NullPointerException if the state's {@code backend()} is null */
    SharedEventBackend(SharedEvent state) {
        this.state = state;
        this.backend = Objects.requireNonNull(state.backend(), "the shared event's backend()");
    }

    @Override
    public boolean isSet() {
        boolean set = state.isSet();
        lastKnown = set;
        return set;
    }

    @Override
    public boolean isSetOrLastKnown() {
        try {
            return isSet();
        } catch (RuntimeException unreadable) {
            return lastKnown;
        }
    }

    @Override
    public void set() {
        state.set();
        lastKnown = true;
    }

    @Override
    public void clear() {
        state.clear();
        lastKnown = false;
    }

    @Override
    public boolean await(long nanos, WaitStatistics waits) throws InterruptedException {
        if (isSet()) {
            return true;
        }
        if (nanos == 0L) {
            return false;
        }
        long start = waits.begin();
        boolean passed = false;
        boolean returned = false;
        try {
            if (Thread.interrupted()) { // as the local event: an unset event does not wait for an interrupted thread
                throw new InterruptedException();
            }
            passed = state.await(Durations.forSharedState(nanos));
            returned = true;
        } finally {
            waits.end(start, returned && !passed, passed);
        }
        return passed; // not remembered as the flag: a set during the wait passes it even if cleared since
    }

    @Override
    public String backend() {
        return backend;
    }

    @Override
    public Occupancy occupancy(String name, WaitStatistics waits) {
        return Occupancy.readShared("event " + name + " (backend " + backend + ")", List::of,
                state::waiters);
    }
}
