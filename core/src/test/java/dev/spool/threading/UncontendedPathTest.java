package dev.spool.threading;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The acceptance line "the uncontended path reads no clock and allocates nothing": allocation is measured with the
 * JVM's per-thread allocation counter over many uncontended operations; that no clock was read shows in the
 * statistics (no wait recorded, no hold stamped), which only the clock-reading path writes.
 */
@Timeout(30)
class UncontendedPathTest {
    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 20_000;
    /** What the measurement itself may cost, far below one allocation per operation. */
    private static final long SLACK_BYTES = 2_048;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocatedBy(Runnable operation) {
        for (int i = 0; i < WARM_UP; i++) {
            operation.run();
        }
        long id = Thread.currentThread().threadId();
        long before = THREADS.getThreadAllocatedBytes(id);
        for (int i = 0; i < MEASURED; i++) {
            operation.run();
        }
        return THREADS.getThreadAllocatedBytes(id) - before;
    }

    @Test
    @DisplayName("Lock: acquire/release, hold/close, acquire(false), acquire(Duration) allocate nothing, record no wait,"
            + " and a contention listener hears nothing")
    void lock() {
        Lock lock = new Lock();
        java.util.concurrent.atomic.LongAdder heard = new java.util.concurrent.atomic.LongAdder();
        lock.addContentionListener(new ContentionListener() {
            @Override
            public void waited(long nanos, boolean acquired) {
                heard.increment();
            }

            @Override
            public void held(long nanos) {
                heard.increment();
            }
        });
        Duration timeout = Duration.ofSeconds(1);
        assertThat(allocatedBy(() -> {
            lock.acquire();
            lock.release();
            try (Guard held = lock.hold()) {
                assertHeld(held);
            }
            lock.acquire(false);
            lock.release();
            lock.acquire(timeout);
            lock.unlock();
        })).isLessThan(SLACK_BYTES);
        LockStats stats = lock.stats();
        assertThat(stats.contended()).isZero();
        assertThat(stats.timedHolds()).isZero();
        assertThat(stats.acquisitions()).isEqualTo(4L * (WARM_UP + MEASURED));
        assertThat(heard.sum()).isZero();
    }

    @Test
    @DisplayName("RLock: acquire, re-entry, hold and release allocate nothing and record no wait")
    void rlock() {
        RLock lock = new RLock();
        assertThat(allocatedBy(() -> {
            lock.acquire();
            try (Guard held = lock.hold()) {
                assertHeld(held);
            }
            lock.release();
        })).isLessThan(SLACK_BYTES);
        assertThat(lock.stats().contended()).isZero();
        assertThat(lock.stats().timedHolds()).isZero();
    }

    @Test
    @DisplayName("Condition: hold, and signal with nobody waiting, allocate nothing")
    void condition() {
        Condition condition = new Condition();
        assertThat(allocatedBy(() -> {
            try (Guard held = condition.hold()) {
                condition.signal();
                condition.signalAll();
            }
        })).isLessThan(SLACK_BYTES);
    }

    @Test
    @DisplayName("Semaphore and BoundedSemaphore: acquire/release and hold allocate nothing and record no wait")
    void semaphores() {
        for (Semaphore semaphore : new Semaphore[] {new Semaphore(2), new BoundedSemaphore(2)}) {
            assertThat(allocatedBy(() -> {
                semaphore.acquire();
                semaphore.release();
                try (Guard held = semaphore.hold()) {
                    assertHeld(held);
                }
                semaphore.acquire(false);
                semaphore.release(1);
            })).isLessThan(SLACK_BYTES);
            assertThat(semaphore.stats().contended()).isZero();
        }
    }

    @Test
    @DisplayName("Event: set, clear, and await on a set event allocate nothing and record no wait")
    void event() throws Exception {
        Event event = new Event();
        Duration timeout = Duration.ofSeconds(1);
        assertThat(allocatedBy(() -> {
            event.set();
            try {
                event.await();
                event.await(timeout);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            event.clear();
        })).isLessThan(SLACK_BYTES);
        assertThat(event.stats().contended()).isZero();
    }

    private static void assertHeld(Guard held) {
        if (held == null) {
            throw new AssertionError("no guard");
        }
    }
}
