package dev.spool.threading;

import static dev.spool.threading.Concurrently.holdFor;
import static dev.spool.threading.Concurrently.joinAll;
import static dev.spool.threading.Concurrently.start;
import static dev.spool.threading.Concurrently.startAll;
import static dev.spool.threading.Concurrently.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.threading.Concurrently.Worker;

/**
 * {@link Barrier}: CPython's {@code BarrierTests} (N = 5, a long default timeout), BA-01…BA-13, plus interruption,
 * statistics and stress. Every case applies; where CPython makes a thread late with {@code sleep}, the late thread
 * here waits until the barrier has broken, which is what the sleep stands for.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class BarrierTest {
    private static final int N = 5;

    private static Barrier newBarrier() {
        return new Barrier("ba", N, null, Duration.ofSeconds(15));
    }

    @Test
    @DisplayName("BA-01 parties 0 or -1 throws IllegalArgumentException")
    void partiesMustBePositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Barrier(0)).withMessageContaining("parties must be > 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new Barrier(-1));
        assertThatIllegalArgumentException().isThrownBy(() -> new Barrier("b", 0, null, null));
        assertThatNullPointerException().isThrownBy(() -> new Barrier(null, 1));
    }

    @Test
    @DisplayName("BA-02 5 threads in lock-step, 1 and 10 rounds: nobody leaves round i before all arrived")
    void lockStep() {
        for (int rounds : new int[] {1, 10}) {
            Barrier barrier = newBarrier();
            AtomicInteger before = new AtomicInteger();
            AtomicInteger after = new AtomicInteger();
            joinAll(startAll("pass", N, () -> {
                for (int i = 0; i < rounds; i++) {
                    before.incrementAndGet();
                    assertThat(after.get()).isEqualTo(i * N);
                    barrier.await();
                    after.incrementAndGet();
                    assertThat(before.get()).isEqualTo((i + 1) * N);
                    barrier.await();
                }
            }));
            assertThat(barrier.waiting()).isZero();
            assertThat(barrier.broken()).isFalse();
            assertThat(barrier.stats().trips()).isEqualTo(2L * rounds);
        }
    }

    @Test
    @DisplayName("BA-03 the arrival indexes of one trip are a permutation of 0..4")
    void indexesArePermutation() {
        Barrier barrier = newBarrier();
        List<Integer> indexes = Collections.synchronizedList(new ArrayList<>());
        joinAll(startAll("arrive", N, () -> indexes.add(barrier.await())));
        assertThat(indexes).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
    }

    @Test
    @DisplayName("BA-04 the action runs once per trip, in the last thread, before any thread returns")
    void actionRunsOncePerTripBeforeRelease() {
        AtomicInteger actions = new AtomicInteger();
        List<String> actionThreads = Collections.synchronizedList(new ArrayList<>());
        Barrier barrier = new Barrier("action", N, () -> {
            actions.incrementAndGet();
            actionThreads.add(Thread.currentThread().getName());
        }, null);
        List<String> lastArrivers = Collections.synchronizedList(new ArrayList<>());
        joinAll(startAll("arrive", N, () -> {
            for (int round = 1; round <= 3; round++) {
                int index = barrier.await();
                assertThat(actions.get()).isGreaterThanOrEqualTo(round);
                if (index == N - 1) {
                    lastArrivers.add(Thread.currentThread().getName());
                }
            }
        }));
        assertThat(actions).hasValue(3);
        assertThat(actionThreads).isEqualTo(lastArrivers);
    }

    @Test
    @DisplayName("BA-05 after a pass, the middle thread aborts: the other 4 get BarrierBrokenException")
    void abortBreaksTheOthers() {
        Barrier barrier = newBarrier();
        AtomicInteger passed = new AtomicInteger();
        AtomicInteger brokenSeen = new AtomicInteger();
        joinAll(startAll("t", N, () -> {
            try {
                int i = barrier.await();
                if (i == N / 2) {
                    barrier.abort();
                    return;
                }
                barrier.await();
                passed.incrementAndGet();
            } catch (BarrierBrokenException e) {
                brokenSeen.incrementAndGet();
            }
        }));
        assertThat(passed).hasValue(0);
        assertThat(brokenSeen).hasValue(N - 1);
        assertThat(barrier.broken()).isTrue();
        assertThat(barrier.stats().breaks()).isEqualTo(1);
    }

    @Test
    @DisplayName("BA-06 the middle thread resets while 4 wait: they get BarrierBrokenException, then all 5 pass again")
    void resetBreaksWaitersThenWorks() {
        Barrier barrier = newBarrier();
        AtomicInteger passed = new AtomicInteger();
        AtomicInteger brokenSeen = new AtomicInteger();
        AtomicInteger passedAgain = new AtomicInteger();
        joinAll(startAll("t", N, () -> {
            int i = barrier.await();
            if (i == N / 2) {
                waitUntil("the others wait", () -> barrier.waiting() >= N - 1);
                barrier.reset();
            } else {
                try {
                    barrier.await();
                    passed.incrementAndGet();
                } catch (BarrierBrokenException e) {
                    brokenSeen.incrementAndGet();
                }
            }
            barrier.await();
            passedAgain.incrementAndGet();
        }));
        assertThat(passed).hasValue(0);
        assertThat(brokenSeen).hasValue(N - 1);
        assertThat(passedAgain).hasValue(N);
        assertThat(barrier.broken()).isFalse();
    }

    @Test
    @DisplayName("BA-07 broken, then everyone syncs on a second barrier, one resets, and the first works again")
    void abortThenResetWorksAgain() {
        Barrier barrier = newBarrier();
        Barrier barrier2 = new Barrier("ba2", N, null, Duration.ofSeconds(15));
        AtomicInteger passed = new AtomicInteger();
        AtomicInteger brokenSeen = new AtomicInteger();
        AtomicInteger passedAgain = new AtomicInteger();
        joinAll(startAll("t", N, () -> {
            try {
                int i = barrier.await();
                if (i == N / 2) {
                    barrier.abort();
                } else {
                    barrier.await();
                    passed.incrementAndGet();
                }
            } catch (BarrierBrokenException e) {
                brokenSeen.incrementAndGet();
            }
            if (barrier2.await() == N / 2) {
                barrier.reset();
            }
            barrier2.await();
            barrier.await();
            passedAgain.incrementAndGet();
        }));
        assertThat(passed).hasValue(0);
        assertThat(brokenSeen).hasValue(N - 1);
        assertThat(passedAgain).hasValue(N);
    }

    @Test
    @DisplayName("BA-08 BA-13 one thread late while the others wait 200 ms: everyone, the late one too, gets broken")
    void timeoutBreaksItForEveryone() {
        Barrier barrier = newBarrier();
        AtomicInteger brokenSeen = new AtomicInteger();
        joinAll(startAll("t", N, () -> {
            int i = barrier.await();
            if (i == N / 2) {
                waitUntil("the barrier broke", barrier::broken); // late
            }
            try {
                barrier.await(Duration.ofMillis(200));
            } catch (BarrierBrokenException e) {
                brokenSeen.incrementAndGet();
            }
        }));
        assertThat(brokenSeen).hasValue(N);
        assertThat(barrier.broken()).isTrue();
        assertThat(barrier.stats().timeouts()).isGreaterThanOrEqualTo(1);
        assertThat(barrier.stats().breaks()).isEqualTo(1);
    }

    @Test
    @DisplayName("BA-09 Barrier(2, timeout=100 ms), one waiter with no argument: broken after at least 100 ms")
    void defaultTimeoutApplies() {
        Barrier barrier = new Barrier("default", 2, null, Duration.ofMillis(100));
        assertThat(barrier.timeout()).isEqualTo(Duration.ofMillis(100));
        long t0 = System.nanoTime();
        assertThatExceptionOfType(BarrierBrokenException.class).isThrownBy(barrier::await)
                .withMessageContaining("timed out");
        assertThat(System.nanoTime() - t0).isBetween(Duration.ofMillis(100).toNanos(), Duration.ofSeconds(1).toNanos());
        assertThat(barrier.broken()).isTrue();
    }

    @Test
    @DisplayName("BA-10 Barrier(1): await twice never blocks")
    void singlePartyNeverBlocks() throws Exception {
        Barrier barrier = new Barrier(1);
        assertThat(barrier.await()).isZero();
        assertThat(barrier.await()).isZero();
        assertThat(barrier.await(Duration.ZERO)).isZero();
        assertThat(barrier.stats().trips()).isEqualTo(3);
        assertThat(barrier.stats().contended()).isZero();
        assertThat(barrier.name()).matches("Barrier-\\d+");
    }

    @Test
    @DisplayName("BA-11 toString: waiters=0/3, 2/3 with two blocked, 0/3 after the trip, broken after abort")
    void toStringShowsTheState() throws Exception {
        Barrier barrier = new Barrier("b", 3);
        assertThat(barrier).hasToString("Barrier[name=b, waiters=0/3]");
        List<Worker> workers = startAll("t", 2, barrier::await);
        waitUntil("2 wait", () -> barrier.waiting() == 2);
        assertThat(barrier).hasToString("Barrier[name=b, waiters=2/3]");
        barrier.await();
        joinAll(workers);
        assertThat(barrier).hasToString("Barrier[name=b, waiters=0/3]");
        barrier.abort();
        assertThat(barrier).hasToString("Barrier[name=b, broken]");
    }

    @Test
    @DisplayName("BA-12 the action throws: it propagates from that thread's await, the others are broken; reset mends")
    void failingActionBreaksTheBarrier() throws Exception {
        AtomicBoolean fail = new AtomicBoolean(true);
        Barrier barrier = new Barrier("failing", 2, () -> {
            if (fail.get()) {
                throw new IllegalStateException("action failed");
            }
        }, null);
        AtomicBoolean otherBroken = new AtomicBoolean();
        Worker other = start("other", () -> {
            try {
                barrier.await();
            } catch (BarrierBrokenException e) {
                otherBroken.set(true);
            }
        });
        waitUntil("the other waits", () -> barrier.waiting() == 1);
        assertThatIllegalStateException().isThrownBy(barrier::await).withMessage("action failed");
        other.join();
        assertThat(otherBroken).isTrue();
        assertThat(barrier.broken()).isTrue();
        assertThatExceptionOfType(BarrierBrokenException.class).isThrownBy(barrier::await);
        barrier.reset();
        assertThat(barrier.broken()).isFalse();
        fail.set(false);
        Worker again = start("again", barrier::await);
        barrier.await();
        again.join();
        assertThat(barrier.stats().trips()).isEqualTo(1);
        assertThat(barrier.stats().breaks()).isEqualTo(1);
    }

    @Test
    @DisplayName("BA-13 a timed-out wait breaks the barrier for a thread waiting without a limit; Duration 0 breaks at once")
    void timedOutWaitBreaksOthers() throws Exception {
        Barrier barrier = new Barrier("b13", 3);
        AtomicBoolean patientBroken = new AtomicBoolean();
        Worker patient = start("patient", () -> {
            try {
                barrier.await();
            } catch (BarrierBrokenException e) {
                patientBroken.set(true);
            }
        });
        waitUntil("the patient one waits", () -> barrier.waiting() == 1);
        assertThatExceptionOfType(BarrierBrokenException.class).isThrownBy(() -> barrier.await(Duration.ofMillis(30)));
        patient.join();
        assertThat(patientBroken).isTrue();
        assertThat(barrier.broken()).isTrue();
        barrier.reset();
        assertThatExceptionOfType(BarrierBrokenException.class).isThrownBy(() -> barrier.await(Duration.ZERO));
        assertThat(barrier.broken()).isTrue();
        assertThatNullPointerException().isThrownBy(() -> barrier.await(null));
    }

    @Test
    @DisplayName("an interrupted waiter throws InterruptedException and breaks the barrier for the others")
    void interruptBreaksTheBarrier() {
        Barrier barrier = new Barrier("int", 3);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean otherBroken = new AtomicBoolean();
        Worker victim = start("victim", () -> {
            try {
                barrier.await();
            } catch (InterruptedException e) {
                interrupted.set(!Thread.currentThread().isInterrupted());
            }
        });
        Worker other = start("other", () -> {
            try {
                barrier.await();
            } catch (BarrierBrokenException e) {
                otherBroken.set(true);
            }
        });
        waitUntil("2 wait", () -> barrier.waiting() == 2);
        victim.thread.interrupt();
        victim.join();
        other.join();
        assertThat(interrupted).isTrue();
        assertThat(otherBroken).isTrue();
        assertThat(barrier.broken()).isTrue();
    }

    @Test
    @DisplayName("stats: trips, breaks, waiting count and names, a 50 ms wait within 0.6x-10x")
    void statistics() throws Exception {
        Barrier barrier = new Barrier("stats", 3);
        List<Worker> workers = startAll("early", 2, barrier::await);
        // an arrival counts at once, and names its thread once its brief spin has given way to blocking
        waitUntil("2 wait", () -> barrier.stats().waiting() == 2 && barrier.waitingThreadNames().size() == 2);
        assertThat(barrier.waitingThreadNames()).containsExactly("early-0", "early-1");
        long expected = Duration.ofMillis(50).toNanos();
        holdFor(expected);
        assertThat(barrier.await()).isEqualTo(2);
        joinAll(workers);
        BarrierStats stats = barrier.stats();
        assertThat(stats.parties()).isEqualTo(3);
        assertThat(stats.trips()).isEqualTo(1);
        assertThat(stats.breaks()).isZero();
        assertThat(stats.waiting()).isZero();
        assertThat(stats.contended()).isEqualTo(2);
        assertThat(stats.waitMaxNanos()).isBetween(expected * 6 / 10, expected * 10);
        assertThat(barrier.waitHistogram().snapshot().percentileNanos(0.0)).isBetween(expected * 0.6, expected * 10.0);
        assertThat(barrier.waitingThreadNames()).isEmpty();
    }

    @Test
    @DisplayName("stress: 8 parties, 12.5k trips (100k awaits): every trip's indexes sum to 0+..+7, one action each")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void stress() {
        int parties = 8;
        int trips = 100_000 / parties;
        AtomicLong actions = new AtomicLong();
        Barrier barrier = new Barrier("stress", parties, actions::incrementAndGet, Duration.ofSeconds(30));
        AtomicLongArray sums = new AtomicLongArray(trips);
        joinAll(startAll("party", parties, () -> {
            for (int t = 0; t < trips; t++) {
                sums.addAndGet(t, barrier.await());
            }
        }));
        for (int t = 0; t < trips; t++) {
            assertThat(sums.get(t)).as("trip " + t).isEqualTo(parties * (parties - 1) / 2);
        }
        assertThat(actions).hasValue(trips);
        BarrierStats stats = barrier.stats();
        assertThat(stats.trips()).isEqualTo(trips);
        assertThat(stats.breaks()).isZero();
        assertThat(stats.broken()).isFalse();
        assertThat(stats.contended()).as("arrivals that blocked: not the last, not released while spinning")
                .isBetween(0L, (long) trips * (parties - 1));
        assertThat(stats.waiting()).isZero();
    }
}
