package dev.spool.threading;

import static dev.spool.threading.Concurrently.holdFor;
import static dev.spool.threading.Concurrently.joinAll;
import static dev.spool.threading.Concurrently.start;
import static dev.spool.threading.Concurrently.startAll;
import static dev.spool.threading.Concurrently.waitUntil;
import static dev.spool.threading.Concurrently.waitUntilParked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.threading.Concurrently.Worker;

/**
 * CPython's {@code BaseSemaphoreTests} (S-01…S-12), run on {@link Semaphore} and {@link BoundedSemaphore}, plus the
 * statistics and stress tests both share. S-13 and S-14 are in {@link SemaphoreTest}, BS-* in
 * {@link BoundedSemaphoreTest}.
 *
 * <p>Not applicable, and why: S-07 ({@code acquire(False, timeout=1.0)} → ValueError): {@code acquire(boolean)} takes
 * no timeout, so the call cannot be written.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
abstract class BaseSemaphoreTests {

    abstract Semaphore newSemaphore(int value);

    abstract Semaphore newSemaphore();

    @Test
    @DisplayName("S-01 a negative initial value throws IllegalArgumentException")
    void negativeValueThrows() {
        assertThatIllegalArgumentException().isThrownBy(() -> newSemaphore(-1))
                .withMessageContaining("initial value must be >= 0");
        assertThatIllegalArgumentException().isThrownBy(() -> newSemaphore(-Integer.MAX_VALUE));
    }

    @Test
    @DisplayName("S-02 acquire and release, with 1 and with 2 permits")
    void acquireAndRelease() {
        Semaphore one = newSemaphore(1);
        one.acquire();
        one.release();
        Semaphore two = newSemaphore(2);
        two.acquire();
        two.acquire();
        assertThat(two.value()).isZero();
        two.release();
        two.release();
        assertThat(two.value()).isEqualTo(2);
    }

    @Test
    @DisplayName("S-03 Semaphore(7) less 1: 10 threads x 2 acquires: 6 pass, 7 more after 7 releases, 6 after 6, then 1")
    void contendedAcquisitionsPassOnePerRelease() {
        checkPhases(sem -> {
            for (int i = 0; i < 7; i++) {
                sem.release();
            }
        }, sem -> {
            for (int i = 0; i < 6; i++) {
                sem.release();
            }
        });
    }

    @Test
    @DisplayName("S-04 the same with release(7) and release(6): release(n) wakes n waiters")
    void releaseNWakesNWaiters() {
        checkPhases(sem -> sem.release(7), sem -> sem.release(6));
    }

    private void checkPhases(java.util.function.Consumer<Semaphore> first, java.util.function.Consumer<Semaphore> second) {
        Semaphore sem = newSemaphore(7);
        sem.acquire();
        List<Integer> results = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger phase = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        List<Worker> workers = startAll("acquirer", 10, () -> {
            sem.acquire();
            results.add(phase.get());
            sem.acquire();
            results.add(phase.get());
            finished.incrementAndGet();
        });
        IntConsumer settle = total -> waitUntil(total + " acquisitions and everyone else blocked",
                () -> results.size() == total && sem.stats().waiting() == 10 - finished.get());
        settle.accept(6);
        assertThat(results).containsOnly(0).hasSize(6);
        phase.set(1);
        first.accept(sem);
        settle.accept(13);
        assertThat(sorted(results)).containsExactly(0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1);
        phase.set(2);
        second.accept(sem);
        settle.accept(19);
        assertThat(sorted(results)).containsExactly(0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2);
        assertThat(sem.acquire(false)).isFalse();
        sem.release();
        joinAll(workers);
        assertThat(results).hasSize(20);
        assertThat(sem.value()).isZero();
    }

    private static List<Integer> sorted(List<Integer> values) {
        synchronized (values) {
            List<Integer> copy = new ArrayList<>(values);
            Collections.sort(copy);
            return copy;
        }
    }

    @Test
    @DisplayName("S-05 Semaphore(2): acquire(false) gives true, true, false; after a release true")
    void tryAcquire() {
        Semaphore sem = newSemaphore(2);
        assertThat(sem.acquire(false)).isTrue();
        assertThat(sem.acquire(false)).isTrue();
        assertThat(sem.acquire(false)).isFalse();
        sem.release();
        assertThat(sem.acquire(false)).isTrue();
        assertThat(sem.stats().failedTries()).isEqualTo(1);
        sem.release();
        sem.release();
    }

    @Test
    @DisplayName("S-06 Semaphore(4) less 1: 5 threads each try twice: exactly 3 true and 7 false")
    void contendedTryAcquire() {
        Semaphore sem = newSemaphore(4);
        sem.acquire();
        AtomicInteger trues = new AtomicInteger();
        AtomicInteger falses = new AtomicInteger();
        joinAll(startAll("trier", 5, () -> {
            for (int i = 0; i < 2; i++) {
                (sem.acquire(false) ? trues : falses).incrementAndGet();
            }
        }));
        assertThat(trues).hasValue(3);
        assertThat(falses).hasValue(7);
    }

    @Test
    @DisplayName("S-08 Semaphore(2): acquire(5 ms) true, true, false; release; true; then a 200 ms acquire times out")
    void timedAcquire() {
        Semaphore sem = newSemaphore(2);
        assertThat(sem.acquire(Duration.ofMillis(5))).isTrue();
        assertThat(sem.acquire(Duration.ofMillis(5))).isTrue();
        assertThat(sem.acquire(Duration.ofMillis(5))).isFalse();
        sem.release();
        assertThat(sem.acquire(Duration.ofMillis(5))).isTrue();
        long timeout = Duration.ofMillis(200).toNanos();
        long t0 = System.nanoTime();
        assertThat(sem.acquire(Duration.ofNanos(timeout))).isFalse();
        assertThat(System.nanoTime() - t0).isBetween(timeout, 10 * timeout);
        assertThat(sem.stats().timeouts()).isEqualTo(2);
        assertThat(sem.stats().contended()).isEqualTo(2);
        sem.release();
        sem.release();
    }

    @Test
    @DisplayName("S-09 the default value is 1: another thread's acquire blocks until main releases")
    void defaultValueIsOne() {
        Semaphore sem = newSemaphore();
        assertThat(sem.value()).isEqualTo(1);
        sem.acquire();
        Worker other = start("other", () -> {
            sem.acquire();
            sem.release();
        });
        waitUntil("the other thread waits", () -> sem.stats().waiting() == 1);
        assertThat(other.finished()).isFalse();
        sem.release();
        other.join();
        assertThat(sem.value()).isEqualTo(1);
    }

    @Test
    @DisplayName("S-10 hold(): nested holds take a permit each; all are given back, also when the body throws")
    void holdGivesPermitsBack() {
        Semaphore sem = newSemaphore(2);
        try (Guard outer = sem.hold()) {
            assertThat(sem.acquire(false)).isTrue();
            sem.release();
            try (Guard inner = sem.hold()) {
                assertThat(sem.acquire(false)).isFalse();
            }
        }
        assertThat(sem.value()).isEqualTo(2);
        assertThatIllegalArgumentException().isThrownBy(() -> {
            try (Guard outer = sem.hold()) {
                try (Guard inner = sem.hold()) {
                    throw new IllegalArgumentException("boom");
                }
            }
        });
        assertThat(sem.value()).isEqualTo(2);
    }

    @Test
    @DisplayName("S-11 release(0) and release(-1) throw IllegalArgumentException")
    void releaseOfLessThanOneThrows() {
        Semaphore sem = newSemaphore(1);
        sem.acquire();
        assertThatIllegalArgumentException().isThrownBy(() -> sem.release(0))
                .withMessageContaining("n must be one or more");
        assertThatIllegalArgumentException().isThrownBy(() -> sem.release(-1));
        assertThat(sem.value()).isZero();
        sem.release();
    }

    @Test
    @DisplayName("S-12 with no permit, acquire(0) and acquire(-1s) return false at once")
    void zeroOrNegativeTimeoutsNeverBlock() {
        Semaphore sem = newSemaphore(0);
        long t0 = System.nanoTime();
        assertThat(sem.acquire(Duration.ZERO)).isFalse();
        assertThat(sem.acquire(Duration.ofSeconds(-1))).isFalse();
        assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(1).toNanos());
        assertThat(sem.stats().contended()).isZero();
        assertThat(sem.stats().failedTries()).isEqualTo(2);
        assertThatNullPointerException().isThrownBy(() -> sem.acquire((Duration) null))
                .withMessageContaining("overload without a Duration");
    }

    @Test
    @DisplayName("a Duration too long to count waits without a limit")
    void hugeDurationWaitsWithoutLimit() {
        Semaphore sem = newSemaphore(1);
        sem.acquire(); // none free, and a release stays within a bound
        AtomicBoolean acquired = new AtomicBoolean();
        Worker waiter = start("waiter", () -> acquired.set(sem.acquire(Duration.ofSeconds(Long.MAX_VALUE))));
        waitUntil("the waiter waits", () -> sem.stats().waiting() == 1);
        sem.release();
        waiter.join();
        assertThat(acquired).isTrue();
    }

    @Test
    @DisplayName("acquire() is not interruptible: the wait goes on and the interrupt status is kept")
    void acquireIgnoresInterrupts() {
        Semaphore sem = newSemaphore(1);
        sem.acquire(); // none free, and a release stays within a bound
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        Worker waiter = start("waiter", () -> {
            sem.acquire();
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        waitUntil("the waiter waits", () -> sem.stats().waiting() == 1);
        waiter.thread.interrupt();
        waitUntilParked(waiter.thread);
        assertThat(waiter.finished()).isFalse();
        sem.release();
        waiter.join();
        assertThat(interruptedAfter).isTrue();
    }

    // ------------------------------------------------------------------------------------------ statistics

    @Test
    @DisplayName("stats: contention counted only when a thread waited; waiting count and names; permits")
    void statistics() {
        Semaphore sem = newSemaphore(2);
        for (int i = 0; i < 100; i++) {
            sem.acquire();
            sem.release();
        }
        SemaphoreStats quiet = sem.stats();
        assertThat(quiet.acquisitions()).isEqualTo(100);
        assertThat(quiet.contended()).isZero();
        assertThat(quiet.permits()).isEqualTo(2);
        assertThat(quiet.initialPermits()).isEqualTo(2);

        sem.acquire();
        sem.acquire();
        List<Worker> workers = startAll("blocked", 3, () -> {
            sem.acquire();
            sem.release();
        });
        waitUntil("3 threads wait", () -> sem.stats().waiting() == 3);
        assertThat(sem.waitingThreadNames()).containsExactly("blocked-0", "blocked-1", "blocked-2");
        assertThat(sem.stats().permits()).isZero();
        long expected = Duration.ofMillis(50).toNanos();
        holdFor(expected);
        sem.release(2);
        joinAll(workers);
        SemaphoreStats after = sem.stats();
        assertThat(after.acquisitions()).isEqualTo(105);
        assertThat(after.contended()).isEqualTo(3);
        assertThat(after.waiting()).isZero();
        assertThat(after.permits()).isEqualTo(2);
        assertThat(after.waitMaxNanos()).isBetween(expected * 6 / 10, expected * 10);
        assertThat(sem.waitHistogram().count()).isEqualTo(3);
        assertThat(sem.waitHistogram().snapshot().percentileNanos(0.0)).isBetween(expected * 0.6, expected * 10.0);
        assertThat(sem.waitingThreadNames()).isEmpty();
    }

    @Test
    @DisplayName("stats: the acquisition count, kept in the permits' CAS, carries past 2^32")
    void acquisitionCountCarriesPastThirtyTwoBits() {
        Semaphore sem = newSemaphore(3);
        long start = (1L << 32) - 2;
        sem.presetAcquisitions(start);
        for (int i = 0; i < 5; i++) {
            sem.acquire();
            sem.release();
        }
        assertThat(sem.acquire(false)).isTrue();
        assertThat(sem.acquire(Duration.ofSeconds(1))).isTrue();
        assertThat(sem.stats().acquisitions()).isEqualTo(start + 7);
        assertThat(sem.value()).isEqualTo(1);
        sem.release(2);
        assertThat(sem.value()).isEqualTo(3);
        assertThat(sem.stats().permits()).isEqualTo(3);
    }

    @Test
    @DisplayName("stress: 8 threads, 100k acquisitions of 3 permits; never more than 3 holders; all permits back")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void stress() {
        Semaphore sem = newSemaphore(3);
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        int perThread = 100_000 / 8;
        joinAll(startAll("stress", 8, () -> {
            for (int i = 0; i < perThread; i++) {
                switch (i % 3) {
                    case 0 -> sem.acquire();
                    case 1 -> assertThat(sem.acquire(Duration.ofSeconds(30))).isTrue();
                    default -> sem.hold();
                }
                int now = holders.incrementAndGet();
                most.accumulateAndGet(now, Math::max);
                holders.decrementAndGet();
                sem.release();
            }
        }));
        assertThat(most.get()).isBetween(1, 3);
        assertThat(sem.value()).isEqualTo(3);
        SemaphoreStats stats = sem.stats();
        assertThat(stats.acquisitions()).isEqualTo(100_000);
        assertThat(stats.waiting()).isZero();
        assertThat(stats.timeouts()).isZero();
    }
}
