package dev.spool.threading;

import static dev.spool.threading.Concurrently.holdFor;
import static dev.spool.threading.Concurrently.joinAll;
import static dev.spool.threading.Concurrently.start;
import static dev.spool.threading.Concurrently.startAll;
import static dev.spool.threading.Concurrently.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.threading.Concurrently.Worker;

/**
 * {@link ContentionListener}: the slow-path feed the metrics layer builds its timers on. It hears exactly the waits
 * that {@code stats().contended()} counts and the holds that {@code stats().timedHolds()} counts, with the same
 * durations, and nothing from the uncontended path.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ContentionListenerTest {

    /** One call of the listener, with what the calling thread saw at that moment. */
    record Call(String kind, long nanos, boolean acquired, String thread, boolean lockedDuringCall) {
    }

    /** Keeps every call; {@code locked} says whether the primitive's lock is held while the call runs. */
    static final class Recorder implements ContentionListener {
        final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
        private final BooleanSupplier locked;

        Recorder(BooleanSupplier locked) {
            this.locked = locked;
        }

        Recorder() {
            this(() -> false);
        }

        @Override
        public void waited(long nanos, boolean acquired) {
            calls.add(new Call("waited", nanos, acquired, Thread.currentThread().getName(), locked.getAsBoolean()));
        }

        @Override
        public void held(long nanos) {
            calls.add(new Call("held", nanos, true, Thread.currentThread().getName(), locked.getAsBoolean()));
        }

        List<Call> of(String kind) {
            return calls.stream().filter(c -> c.kind().equals(kind)).toList();
        }
    }

    @Test
    @DisplayName("Lock: nothing from uncontended use; one waited(acquired) per blocked wait, one held per timed hold")
    void lockFeedsBlockedWaitsAndTimedHolds() {
        Lock lock = new Lock("listened");
        // "held by the calling thread", not lock.locked(): once main releases, the waiter may take the lock before
        // main's held() call reads it
        Recorder recorder = new Recorder(() -> Thread.currentThread().getName().equals(lock.stats().ownerName()));
        lock.addContentionListener(recorder);
        for (int i = 0; i < 1000; i++) {
            try (Guard held = lock.hold()) {
                assertThat(lock.locked()).isTrue();
            }
        }
        assertThat(recorder.calls).isEmpty();

        long expected = Duration.ofMillis(50).toNanos();
        lock.acquire();
        Worker waiter = start("waiter", () -> {
            lock.acquire();
            lock.release();
        });
        waitUntil("the waiter waits", () -> lock.stats().waiting() == 1);
        holdFor(expected);
        lock.release();
        waiter.join();

        List<Call> waited = recorder.of("waited");
        assertThat(waited).hasSize(1);
        Call wait = waited.get(0);
        assertThat(wait.thread()).isEqualTo("waiter");
        assertThat(wait.acquired()).isTrue();
        assertThat(wait.lockedDuringCall()).as("an acquirer is told holding the lock it got").isTrue();
        assertThat(wait.nanos()).isBetween(expected * 6 / 10, expected * 10);

        LockStats stats = lock.stats();
        List<Call> held = recorder.of("held");
        assertThat(held).as("main's hold, stamped by the waiter, and the waiter's own").hasSize(2);
        String main = Thread.currentThread().getName();
        assertThat(held).extracting(Call::thread).containsExactlyInAnyOrder(main, "waiter");
        assertThat(held).filteredOn(c -> c.thread().equals(main)).singleElement()
                .satisfies(c -> assertThat(c.nanos()).isBetween(expected * 6 / 10, expected * 10));
        assertThat(held).allMatch(c -> !c.lockedDuringCall(), "told after the release, no longer holding the lock");
        assertThat(held.stream().mapToLong(Call::nanos).sum()).isEqualTo(stats.holdTotalNanos());
        assertThat(wait.nanos()).isEqualTo(stats.waitTotalNanos());
        assertThat(stats.contended()).isEqualTo(1);
        assertThat(stats.timedHolds()).isEqualTo(2);
    }

    @Test
    @DisplayName("RLock: a timed-out acquire is waited(nanos, false); re-entries and inner releases say nothing")
    void rlockTimeoutIsNotAcquired() throws Exception {
        RLock lock = new RLock("listened-r");
        Recorder recorder = new Recorder(lock::locked);
        lock.addContentionListener(recorder);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch releaseNow = new CountDownLatch(1);
        Worker holder = start("holder", () -> {
            lock.acquire();
            lock.acquire();
            held.countDown();
            releaseNow.await();
            lock.release();
            assertThat(recorder.of("held")).as("the inner release ends no hold").isEmpty();
            lock.release();
        });
        held.await();
        long timeout = Duration.ofMillis(20).toNanos();
        assertThat(lock.acquire(Duration.ofNanos(timeout))).isFalse();
        releaseNow.countDown();
        holder.join();

        assertThat(recorder.of("waited")).singleElement().satisfies(c -> {
            assertThat(c.acquired()).isFalse();
            assertThat(c.nanos()).isGreaterThanOrEqualTo(timeout);
        });
        assertThat(recorder.of("held")).as("the holder's hold, stamped by the timed-out waiter").singleElement()
                .satisfies(c -> {
                    assertThat(c.thread()).isEqualTo("holder");
                    assertThat(c.lockedDuringCall()).isFalse();
                });
        assertThat(lock.stats().timeouts()).isEqualTo(1);
    }

    @Test
    @DisplayName("Condition: waited(true) when signalled, waited(false) on timeout, told before the lock is back")
    void conditionFeedsItsAwaits() throws Exception {
        RLock lock = new RLock();
        Condition condition = new Condition("listened-c", lock);
        Recorder recorder = new Recorder(lock::owned);
        condition.addContentionListener(recorder);
        Recorder lockRecorder = new Recorder();
        lock.addContentionListener(lockRecorder);

        Worker waiter = start("waiter", () -> {
            try (Guard held = condition.hold()) {
                condition.await();
            }
        });
        waitUntil("the waiter awaits", () -> condition.stats().waiting() == 1);
        try (Guard held = condition.hold()) {
            condition.signal();
        }
        waiter.join();
        try (Guard held = condition.hold()) {
            assertThat(condition.await(Duration.ofMillis(10))).isFalse();
        }

        List<Call> waited = recorder.of("waited");
        assertThat(waited).hasSize(2);
        assertThat(waited.get(0).acquired()).isTrue();
        assertThat(waited.get(0).thread()).isEqualTo("waiter");
        assertThat(waited.get(1).acquired()).isFalse();
        assertThat(waited).allMatch(c -> !c.lockedDuringCall(), "told before the lock is taken back");
        assertThat(waited).hasSize((int) condition.stats().contended());
        assertThat(lockRecorder.of("waited")).hasSize((int) lock.stats().contended());
    }

    @Test
    @DisplayName("Semaphore: one waited(true) per blocked acquire, waited(false) per timeout, nothing else")
    void semaphoreFeedsBlockedAcquires() {
        Semaphore semaphore = new BoundedSemaphore("listened-s", 1);
        Recorder recorder = new Recorder();
        semaphore.addContentionListener(recorder);
        for (int i = 0; i < 100; i++) {
            try (Guard held = semaphore.hold()) {
                assertThat(semaphore.value()).isZero();
            }
        }
        assertThat(recorder.calls).isEmpty();
        semaphore.acquire();
        assertThat(semaphore.acquire(Duration.ofMillis(5))).isFalse();
        List<Worker> waiters = startAll("waiter", 2, () -> {
            semaphore.acquire();
            semaphore.release();
        });
        waitUntil("2 threads wait", () -> semaphore.stats().waiting() == 2);
        semaphore.release();
        joinAll(waiters);
        assertThat(recorder.of("waited")).hasSize(3);
        assertThat(recorder.of("waited")).filteredOn(Call::acquired).hasSize(2);
        assertThat(recorder.of("held")).isEmpty();
        assertThat(semaphore.stats().contended()).isEqualTo(3);
    }

    @Test
    @DisplayName("Event: waited(true) for a blocked wait that saw set(), waited(false) for one that timed out")
    void eventFeedsBlockedWaits() throws Exception {
        Event event = new Event("listened-e");
        Recorder recorder = new Recorder();
        event.addContentionListener(recorder);
        assertThat(event.await(Duration.ofMillis(5))).isFalse();
        Worker waiter = start("waiter", event::await);
        waitUntil("the waiter blocks", () -> event.stats().waiting() == 1);
        event.set();
        waiter.join();
        event.await(); // set: no wait, nothing to tell
        assertThat(recorder.of("waited")).extracting(Call::acquired).containsExactly(false, true);
        assertThat(event.stats().contended()).isEqualTo(2);
    }

    @Test
    @DisplayName("Barrier: waited(true) for a waiter released by the trip, waited(false) for one the barrier broke")
    void barrierFeedsBlockedWaits() throws Exception {
        Barrier barrier = new Barrier("listened-b", 2);
        Recorder recorder = new Recorder();
        barrier.addContentionListener(recorder);
        Worker first = start("first", barrier::await);
        waitUntil("first waits", () -> barrier.waitingThreadNames().size() == 1);
        assertThat(barrier.await()).isEqualTo(1); // the last arrival never blocks
        first.join();
        Worker second = start("second", () -> assertThatExceptionOfType(BarrierBrokenException.class)
                .isThrownBy(barrier::await));
        waitUntil("second waits", () -> barrier.waitingThreadNames().size() == 1);
        barrier.abort();
        second.join();
        assertThat(recorder.of("waited")).extracting(Call::thread, Call::acquired)
                .containsExactly(tuple("first", true), tuple("second", false));
    }

    @Test
    @DisplayName("a listener that throws is logged and ignored: the acquirer still holds the lock, the release works")
    void throwingListenerDoesNotBreakThePrimitive() {
        Lock lock = new Lock("listened-throwing");
        AtomicBoolean called = new AtomicBoolean();
        lock.addContentionListener(new ContentionListener() {
            @Override
            public void waited(long nanos, boolean acquired) {
                called.set(true);
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void held(long nanos) {
                throw new IllegalStateException("listener bug");
            }
        });
        lock.acquire();
        AtomicBoolean lockedAfterAcquire = new AtomicBoolean();
        Worker waiter = start("waiter", () -> {
            lock.acquire();
            lockedAfterAcquire.set(lock.locked());
            lock.release();
        });
        waitUntil("the waiter waits", () -> lock.stats().waiting() == 1);
        lock.release();
        waiter.join();
        assertThat(called).isTrue();
        assertThat(lockedAfterAcquire).isTrue();
        assertThat(lock.locked()).isFalse();
        assertThat(lock.acquire(false)).isTrue();
        lock.release();
    }

    @Test
    @DisplayName("removeContentionListener stops the feed; adding null is refused; removing a stranger does nothing")
    void removedListenerHearsNothing() {
        Semaphore semaphore = new Semaphore(0);
        Recorder recorder = new Recorder();
        semaphore.addContentionListener(recorder);
        semaphore.removeContentionListener(new Recorder());
        assertThat(semaphore.acquire(Duration.ofMillis(1))).isFalse();
        assertThat(recorder.calls).hasSize(1);
        semaphore.removeContentionListener(recorder);
        assertThat(semaphore.acquire(Duration.ofMillis(1))).isFalse();
        assertThat(recorder.calls).hasSize(1);
        assertThat(semaphore.stats().timeouts()).isEqualTo(2);
        assertThatNullPointerException().isThrownBy(() -> semaphore.addContentionListener(null));
    }
}
