package dev.spool.threading;

import static dev.spool.threading.Concurrently.holdFor;
import static dev.spool.threading.Concurrently.joinAll;
import static dev.spool.threading.Concurrently.start;
import static dev.spool.threading.Concurrently.startAll;
import static dev.spool.threading.Concurrently.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.threading.Concurrently.Worker;

/**
 * CPython's {@code BaseLockTests} (lock_tests.py), which it runs on Lock, RLock and a default Condition, run here on
 * {@link Lock}, {@link RLock} and {@link Condition#Condition()}; plus the statistics and stress tests every lock
 * shares.
 *
 * <p>Not applicable, and why:
 * <ul>
 *   <li>L-07 ({@code acquire(False, timeout=1)} → ValueError): {@code acquire(boolean)} takes no timeout, so a
 *       non-blocking call with a timeout cannot be written.</li>
 *   <li>L-08, L-09, L-13: Python's ValueError/OverflowError/-1-means-forever become the one time rule of
 * docs/python.md, tested as
 *       such: a negative Duration never blocks, a huge one waits without a limit, the overload without a Duration
 *       waits forever.</li>
 *   <li>L-14, L-15, L-17 (Lock) and L-19/L-20 (constructor arguments, subclassing) are in {@link LockTest}; the RLock
 *       cases in {@link RLockTest}.</li>
 * </ul>
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
abstract class BaseLockTests {

    /** A new, unlocked lock of the type under test. */
    abstract Lockish newLock();

    /** Acquires the lock in another thread and keeps it until {@code releaseNow} opens; returns once held. */
    static Worker holdElsewhere(Lockish lock, CountDownLatch releaseNow) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        Worker holder = start("holder", () -> {
            lock.acquire();
            held.countDown();
            releaseNow.await();
            lock.release();
        });
        held.await();
        return holder;
    }

    @Test
    @DisplayName("L-01 acquire then release")
    void acquireThenReleaseSucceeds() {
        Lockish lock = newLock();
        lock.acquire();
        assertThat(lock.locked()).isTrue();
        lock.release();
        assertThat(lock.locked()).isFalse();
    }

    @Test
    @DisplayName("L-02 acquire(false) on a free lock returns true")
    void tryAcquireOfAFreeLockSucceeds() {
        Lockish lock = newLock();
        assertThat(lock.acquire(false)).isTrue();
        lock.release();
    }

    @Test
    @DisplayName("L-03 acquire(false) from another thread while held returns false at once")
    void tryAcquireFromAnotherThreadWhileHeldFails() throws Exception {
        Lockish lock = newLock();
        lock.acquire();
        AtomicBoolean result = new AtomicBoolean(true);
        start("trier", () -> result.set(lock.acquire(false))).join();
        assertThat(result).isFalse();
        lock.release();
    }

    @Test
    @DisplayName("L-04 L-13 blocked acquire() calls finish only after release, then all of them")
    void blockedAcquirersFinishOnlyAfterRelease() {
        Lockish lock = newLock();
        lock.acquire();
        List<Worker> workers = startAll("acquirer", 5, () -> {
            lock.acquire();
            lock.release();
        });
        waitUntil("5 threads wait", () -> lock.stats().waiting() == 5);
        assertThat(workers).noneMatch(Worker::finished);
        lock.release();
        joinAll(workers);
        assertThat(lock.locked()).isFalse();
    }

    @Test
    @DisplayName("L-05 hold() releases when the block ends")
    void holdReleasesWhenTheBlockEnds() {
        Lockish lock = newLock();
        try (Guard held = lock.hold()) {
            assertThat(lock.locked()).isTrue();
        }
        assertThat(lock.locked()).isFalse();
        AtomicBoolean acquired = new AtomicBoolean();
        start("other", () -> {
            acquired.set(lock.acquire(false));
            lock.release();
        }).join();
        assertThat(acquired).isTrue();
    }

    @Test
    @DisplayName("L-06 hold() releases when the body throws, and the exception propagates")
    void holdReleasesWhenTheBodyThrows() {
        Lockish lock = newLock();
        assertThatIllegalArgumentException().isThrownBy(() -> {
            try (Guard held = lock.hold()) {
                throw new IllegalArgumentException("boom");
            }
        }).withMessage("boom");
        assertThat(lock.locked()).isFalse();
        AtomicBoolean acquired = new AtomicBoolean();
        start("other", () -> {
            acquired.set(lock.acquire(false));
            lock.release();
        }).join();
        assertThat(acquired).isTrue();
    }

    @Test
    @DisplayName("L-08 L-13 a negative or zero Duration never blocks (the one time rule of docs/python.md)")
    void negativeOrZeroDurationNeverBlocks() throws Exception {
        Lockish lock = newLock();
        assertThat(lock.acquire(Duration.ofSeconds(-100))).isTrue();
        lock.release();
        CountDownLatch releaseNow = new CountDownLatch(1);
        Worker holder = holdElsewhere(lock, releaseNow);
        long start = System.nanoTime();
        assertThat(lock.acquire(Duration.ofSeconds(-100))).isFalse();
        assertThat(lock.acquire(Duration.ofSeconds(-1))).isFalse();
        assertThat(lock.acquire(Duration.ZERO)).isFalse();
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(1).toNanos());
        assertThat(lock.stats().contended()).isZero();
        assertThat(lock.stats().failedTries()).isEqualTo(3);
        releaseNow.countDown();
        holder.join();
    }

    @Test
    @DisplayName("L-09 a Duration too long to count waits without a limit instead of failing (docs/python.md)")
    void hugeDurationWaitsWithoutLimit() throws Exception {
        Lockish lock = newLock();
        CountDownLatch releaseNow = new CountDownLatch(1);
        Worker holder = holdElsewhere(lock, releaseNow);
        AtomicBoolean acquired = new AtomicBoolean();
        Worker waiter = start("waiter", () -> {
            acquired.set(lock.acquire(Duration.ofSeconds(Long.MAX_VALUE)));
            lock.release();
        });
        waitUntil("the waiter waits", () -> lock.stats().waiting() == 1);
        releaseNow.countDown();
        holder.join();
        waiter.join();
        assertThat(acquired).isTrue();
        assertThat(lock.stats().timeouts()).isZero();
    }

    @Test
    @DisplayName("L-10 the longest Duration on a free lock acquires at once")
    void longestDurationOnAFreeLockAcquiresAtOnce() {
        Lockish lock = newLock();
        long start = System.nanoTime();
        assertThat(lock.acquire(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999))).isTrue();
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(1).toNanos());
        lock.release();
    }

    @Test
    @DisplayName("L-11 a timed acquire of a free lock succeeds well within its time")
    void timedAcquireOfAFreeLockSucceedsAtOnce() {
        Lockish lock = newLock();
        long start = System.nanoTime();
        assertThat(lock.acquire(Duration.ofSeconds(5))).isTrue();
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(5).toNanos());
        lock.release();
    }

    @Test
    @DisplayName("L-12 a timed acquire of a lock held elsewhere gives up after its time (1x-10x)")
    void timedAcquireOfAHeldLockTimesOut() throws Exception {
        Lockish lock = newLock();
        CountDownLatch releaseNow = new CountDownLatch(1);
        Worker holder = holdElsewhere(lock, releaseNow);
        long timeout = Duration.ofMillis(200).toNanos();
        long start = System.nanoTime();
        assertThat(lock.acquire(Duration.ofNanos(timeout))).isFalse();
        long elapsed = System.nanoTime() - start;
        assertThat(elapsed).isBetween(timeout, 10 * timeout);
        LockStats stats = lock.stats();
        assertThat(stats.timeouts()).isEqualTo(1);
        assertThat(stats.contended()).isEqualTo(1);
        assertThat(stats.waitMaxNanos()).isBetween(timeout, elapsed);
        releaseNow.countDown();
        holder.join();
    }

    @Test
    @DisplayName("L-16 no bad state is left behind after a timeout")
    void stateIsCleanAfterATimeout() throws Exception {
        Lockish lock = newLock();
        CountDownLatch releaseNow = new CountDownLatch(1);
        Worker holder = holdElsewhere(lock, releaseNow);
        assertThat(lock.acquire(Duration.ofMillis(10))).isFalse();
        releaseNow.countDown();
        holder.join();
        assertThat(lock.locked()).isFalse();
        assertThat(lock.acquire(false)).isTrue();
        lock.release();
        assertThat(lock.stats().waiting()).isZero();
        assertThat(lock.waitingThreadNames()).isEmpty();
    }

    @Test
    @DisplayName("L-18 toString shows unlocked, then locked with the owner")
    void toStringShowsTheState() {
        Lockish lock = newLock();
        assertThat(lock.toString()).contains("unlocked").doesNotContain("owner=");
        lock.acquire();
        assertThat(lock.toString()).contains("locked").doesNotContain("unlocked")
                .contains("owner=" + Thread.currentThread().getName());
        lock.release();
        assertThat(lock.toString()).contains("unlocked");
    }

    @Test
    @DisplayName("L-21 threads not made by new Thread (virtual threads) acquire and release, and nothing is left registered")
    void virtualThreadsAcquireAndReleaseWithoutLeaks() throws Exception {
        Lockish lock = newLock();
        AtomicInteger inside = new AtomicInteger();
        AtomicBoolean overlap = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                for (int k = 0; k < 100; k++) {
                    try (Guard held = lock.hold()) {
                        if (inside.incrementAndGet() != 1) {
                            overlap.set(true);
                        }
                        inside.decrementAndGet();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            assertThat(thread.join(Concurrently.PATIENCE)).isTrue();
        }
        assertThat(overlap).isFalse();
        LockStats stats = lock.stats();
        assertThat(stats.acquisitions()).isEqualTo(1500);
        assertThat(stats.waiting()).isZero();
        assertThat(lock.waitingThreadNames()).isEmpty();
        assertThat(DeadlockDetector.findDeadlocks()).isEmpty();
    }

    @Test
    @DisplayName("a null Duration throws NullPointerException pointing at the overload without one")
    void nullDurationPointsAtTheOverloadWithoutOne() {
        Lockish lock = newLock();
        assertThatNullPointerException().isThrownBy(() -> lock.acquire((Duration) null))
                .withMessageContaining("overload without a Duration");
        assertThat(lock.locked()).isFalse();
    }

    // ------------------------------------------------------------------------------------------ statistics

    @Test
    @DisplayName("stats: the contended counter moves only under contention; uncontended holds are not timed")
    void contendedCounterMovesOnlyUnderContention() throws Exception {
        Lockish lock = newLock();
        for (int i = 0; i < 1000; i++) {
            lock.acquire();
            assertThat(lock.stats().heldSinceNanos()).isZero();
            lock.release();
        }
        LockStats quiet = lock.stats();
        assertThat(quiet.acquisitions()).isEqualTo(1000);
        assertThat(quiet.contended()).isZero();
        assertThat(quiet.waitTotalNanos()).isZero();
        assertThat(quiet.timedHolds()).isZero();
        assertThat(quiet.waiting()).isZero();

        lock.acquire();
        Worker waiter = start("waiter", () -> {
            lock.acquire();
            lock.release();
        });
        waitUntil("the waiter waits", () -> lock.stats().waiting() == 1);
        lock.release();
        waiter.join();
        LockStats after = lock.stats();
        assertThat(after.acquisitions()).isEqualTo(1002);
        assertThat(after.contended()).isEqualTo(1);
        assertThat(after.timeouts()).isZero();
        assertThat(lock.waitHistogram().count()).isEqualTo(1);
        assertThat(after.timedHolds()).as("main's hold (stamped by the waiter) and the waiter's").isEqualTo(2);
    }

    @Test
    @DisplayName("stats: a hold taken while threads already queue (a barging acquirer) shows how long it is held")
    void aHoldTakenWhileThreadsQueueIsStamped() {
        Lockish lock = newLock();
        int barged = 0;
        for (int round = 0; round < 20 && barged < 3; round++) {
            lock.acquire();
            List<Worker> workers = startAll("queued", 3, () -> {
                lock.acquire();
                lock.release();
            });
            workers.forEach(worker -> Concurrently.waitUntilParked(worker.thread));
            lock.release();
            // The released waiter has yet to run: this thread usually takes the lock first, as a barging acquirer.
            if (lock.acquire(false)) {
                LockStats stats = lock.stats();
                // On a loaded machine every waiter may have run and left before this thread got here: then nobody
                // queued when the hold began, and no stamp is right. Waiters still queued now queued then too.
                if (stats.waiting() > 0) {
                    barged++;
                    assertThat(stats.ownerName()).isEqualTo(Thread.currentThread().getName());
                    // The woken waiter stamps this hold when its retry fails, before it parks again.
                    waitUntil("the barging hold is stamped, with waiters queued",
                            () -> lock.stats().heldSinceNanos() != 0);
                    assertThat(lock.stats().ownerName()).isEqualTo(Thread.currentThread().getName());
                }
                lock.release();
            }
            joinAll(workers);
        }
        assertThat(barged).as("rounds in which this thread barged in before the woken waiter").isPositive();
    }

    @Test
    @DisplayName("stats: the waiting count and names are right while threads are blocked")
    void waitingThreadsAreCountedAndNamedWhileBlocked() {
        Lockish lock = newLock();
        lock.acquire();
        List<Worker> workers = startAll("blocked", 3, () -> {
            lock.acquire();
            lock.release();
        });
        waitUntil("3 threads wait", () -> lock.stats().waiting() == 3);
        assertThat(lock.waitingThreadNames()).containsExactly("blocked-0", "blocked-1", "blocked-2");
        LockStats stats = lock.stats();
        assertThat(stats.locked()).isTrue();
        assertThat(stats.heldSinceNanos()).as("stamped by the first waiter").isNotZero();
        assertThat(stats.heldForNanos()).isPositive();
        lock.release();
        joinAll(workers);
        assertThat(lock.stats().waiting()).isZero();
        assertThat(lock.waitingThreadNames()).isEmpty();
    }

    @Test
    @DisplayName("stats: the owner thread's name and id are reported while it holds the lock")
    void ownerIsReported() throws Exception {
        Lockish lock = newLock();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch releaseNow = new CountDownLatch(1);
        AtomicLong ownerId = new AtomicLong();
        Worker owner = start("the-owner", () -> {
            lock.acquire();
            ownerId.set(Thread.currentThread().threadId());
            held.countDown();
            releaseNow.await();
            lock.release();
        });
        held.await();
        LockStats stats = lock.stats();
        assertThat(stats.locked()).isTrue();
        assertThat(stats.ownerName()).isEqualTo("the-owner");
        assertThat(stats.ownerId()).isEqualTo(ownerId.get());
        assertThat(stats.holdCount()).isEqualTo(1);
        assertThat(lock.toString()).contains("owner=the-owner");
        releaseNow.countDown();
        owner.join();
        LockStats after = lock.stats();
        assertThat(after.locked()).isFalse();
        assertThat(after.ownerName()).isNull();
        assertThat(after.ownerId()).isEqualTo(-1);
        assertThat(after.holdCount()).isZero();
    }

    @Test
    @DisplayName("stats: a forced 50 ms contention is recorded within 0.6x-10x, in stats and both histograms")
    void fiftyMillisecondContentionIsRecorded() {
        Lockish lock = newLock();
        long expected = Duration.ofMillis(50).toNanos();
        lock.acquire();
        Worker waiter = start("waiter", () -> {
            lock.acquire();
            lock.release();
        });
        waitUntil("the waiter waits", () -> lock.stats().waiting() == 1);
        long held = holdFor(expected);
        assertThat(lock.stats().heldForNanos()).isGreaterThanOrEqualTo(held);
        lock.release();
        waiter.join();

        LockStats stats = lock.stats();
        assertThat(stats.contended()).isEqualTo(1);
        assertThat(stats.waitTotalNanos()).isBetween(expected * 6 / 10, expected * 10);
        assertThat(stats.waitMaxNanos()).isEqualTo(stats.waitTotalNanos());
        assertThat(lock.waitHistogram().count()).isEqualTo(1);
        assertThat(lock.waitHistogram().totalNanos()).isBetween(expected * 6 / 10, expected * 10);
        assertThat(lock.waitHistogram().snapshot().percentileNanos(0.5)).isBetween(expected * 0.6, expected * 10.0);
        // main's hold, timed from the waiter's arrival (a lower bound), and the waiter's own, exact and short
        assertThat(stats.timedHolds()).isEqualTo(2);
        assertThat(stats.holdMaxNanos()).isBetween(expected * 6 / 10, expected * 10);
        assertThat(lock.holdHistogram().count()).isEqualTo(2);
    }

    @Test
    @DisplayName("stress: 8 threads, 100k acquisitions by every acquire form, mutual exclusion holds, counters add up")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void stress() {
        Lockish lock = newLock();
        int threads = 8;
        int perThread = 100_000 / threads;
        AtomicInteger inside = new AtomicInteger();
        AtomicBoolean overlap = new AtomicBoolean();
        long[] counter = {0};
        List<Worker> workers = startAll("stress", threads, () -> {
            for (int i = 0; i < perThread; i++) {
                switch (i & 3) {
                    case 0 -> lock.acquire();
                    case 1 -> assertThat(lock.acquire(true)).isTrue();
                    case 2 -> assertThat(lock.acquire(Duration.ofSeconds(30))).isTrue();
                    default -> lock.hold();
                }
                if (inside.incrementAndGet() != 1) {
                    overlap.set(true);
                }
                counter[0]++;
                inside.decrementAndGet();
                lock.release();
            }
        });
        joinAll(workers);
        assertThat(overlap).isFalse();
        assertThat(counter[0]).isEqualTo(100_000);
        LockStats stats = lock.stats();
        assertThat(stats.acquisitions()).isEqualTo(100_000);
        assertThat(stats.locked()).isFalse();
        assertThat(stats.waiting()).isZero();
        assertThat(stats.timeouts()).isZero();
        assertThat(stats.contended()).isBetween(0L, 100_000L);
        assertThat(stats.timedHolds()).isLessThanOrEqualTo(100_000L);
        assertThat(lock.waitingThreadNames()).isEmpty();
    }
}
