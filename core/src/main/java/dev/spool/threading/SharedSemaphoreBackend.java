package dev.spool.threading;

import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

import dev.spool.threading.spi.SharedSemaphore;

/**
 * The {@link SemaphoreBackend} of {@code Semaphore.shared(…)} and {@code BoundedSemaphore.shared(…)}: the permits
 * are a {@link SharedSemaphore}'s, shared between instances; the acquisitions through this semaphore are counted here.
 * The uncontended attempt is the state's {@code acquire(0)}, made whatever the interrupt status (the Python methods are
 * not interruptible); the waits run under {@link Durations}' uninterruptible loops. The bound of a
 * {@code BoundedSemaphore} is the state's to enforce: its {@code release} throws {@link IllegalStateException} past
 * it. Waiters are served in the order the backend chooses, so {@link #fair()} is false.
 */
final class SharedSemaphoreBackend implements SemaphoreBackend {

    private final SharedSemaphore state;
    private final String backend;
    private final LongAdder acquisitions = new LongAdder();

    /** @throws NullPointerException if the state's {@code backend()} is null */
    SharedSemaphoreBackend(SharedSemaphore state) {
        this.state = state;
        this.backend = Objects.requireNonNull(state.backend(), "the shared semaphore's backend()");
    }

    @Override
    public boolean tryAcquire() {
        return counted(Durations.tryNowUninterruptibly(state::acquire));
    }

    @Override
    public boolean barge() {
        return tryAcquire();
    }

    @Override
    public void acquireUninterruptibly() {
        Durations.uninterruptiblyWithoutLimit(state::acquire);
        acquisitions.increment();
    }

    @Override
    public boolean tryAcquireNanos(long nanos) throws InterruptedException {
        return counted(state.acquire(nanos));
    }

    private boolean counted(boolean acquired) {
        if (acquired) {
            acquisitions.increment();
        }
        return acquired;
    }

    @Override
    public void release(int n) {
        state.release(n);
    }

    @Override
    public int value() {
        return state.value();
    }

    @Override
    public long acquisitions() {
        return acquisitions.sum();
    }

    @Override
    public boolean fair() {
        return false;
    }

    @Override
    public String backend() {
        return backend;
    }

    @Override
    public Occupancy occupancy(String name, WaitStatistics waits) {
        return Occupancy.readShared("semaphore " + name + " (backend " + backend + ")", state::holders,
                state::waiters);
    }

    @Override
    public void presetAcquisitions(long count) {
        acquisitions.reset();
        acquisitions.add(count);
    }
}
