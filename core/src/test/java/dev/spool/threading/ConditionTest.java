package dev.spool.threading;

import static dev.spool.threading.Concurrently.holdFor;
import static dev.spool.threading.Concurrently.joinAll;
import static dev.spool.threading.Concurrently.start;
import static dev.spool.threading.Concurrently.startAll;
import static dev.spool.threading.Concurrently.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.spool.threading.Concurrently.Worker;

/**
 * {@link Condition}: CPython's {@code ConditionTests}, C-01…C-15, over its own RLock and over a {@link Lock}; the
 * lock cases of a default Condition run in {@link ConditionAsLockTest}. Every case applies.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ConditionTest {

    /** A condition and a view of its lock's statistics. */
    record Subject(String label, Condition condition, Supplier<LockStats> lockStats) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Arguments> subjects() {
        RLock rlock = new RLock("own");
        Lock lock = new Lock("plain");
        return Stream.of(
                Arguments.of(new Subject("Condition(RLock)", new Condition("c-rlock", rlock), rlock::stats)),
                Arguments.of(new Subject("Condition(Lock)", new Condition("c-lock", lock), lock::stats)));
    }

    @Test
    @DisplayName("C-01 a default Condition is reentrant: acquire twice, release twice")
    void defaultConditionIsReentrant() {
        Condition condition = new Condition();
        condition.acquire();
        condition.acquire();
        condition.release();
        assertThat(condition.locked()).isTrue();
        condition.release();
        assertThat(condition.locked()).isFalse();
        assertThatExceptionOfType(IllegalMonitorStateException.class).isThrownBy(condition::release);
    }

    @Test
    @DisplayName("C-02 Condition(Lock) acquires and releases that lock; held outside, the condition cannot be acquired")
    void conditionSharesItsLock() {
        Lock lock = new Lock();
        Condition condition = new Condition(lock);
        condition.acquire();
        assertThat(lock.acquire(false)).isFalse();
        condition.release();
        assertThat(lock.acquire(false)).isTrue();
        assertThat(condition.acquire(false)).isFalse();
        lock.release();
        try (Guard held = condition.hold()) {
            assertThat(lock.locked()).isTrue();
        }
        assertThat(lock.locked()).isFalse();
    }

    @Test
    @DisplayName("C-03 await without the lock throws IllegalMonitorStateException")
    void awaitWithoutTheLockThrows() {
        Condition condition = new Condition();
        assertThatExceptionOfType(IllegalMonitorStateException.class).isThrownBy(condition::await)
                .withMessageContaining("cannot wait on un-acquired lock");
        assertThatExceptionOfType(IllegalMonitorStateException.class)
                .isThrownBy(() -> condition.await(Duration.ofSeconds(1)));
        assertThatExceptionOfType(IllegalMonitorStateException.class)
                .isThrownBy(() -> condition.await(Duration.ZERO));
        assertThatExceptionOfType(IllegalMonitorStateException.class)
                .isThrownBy(() -> condition.awaitFor(() -> true));
        assertThatExceptionOfType(IllegalMonitorStateException.class)
                .isThrownBy(() -> condition.awaitFor(() -> true, Duration.ofSeconds(1)));
    }

    @Test
    @DisplayName("C-04 signal, signal(n) and signalAll without the lock throw IllegalMonitorStateException")
    void signalWithoutTheLockThrows() {
        Condition condition = new Condition();
        assertThatExceptionOfType(IllegalMonitorStateException.class).isThrownBy(condition::signal)
                .withMessageContaining("cannot notify on un-acquired lock");
        assertThatExceptionOfType(IllegalMonitorStateException.class).isThrownBy(() -> condition.signal(3));
        assertThatExceptionOfType(IllegalMonitorStateException.class).isThrownBy(condition::signalAll);
        Lock lock = new Lock();
        Condition overLock = new Condition(lock);
        lock.acquire();
        AtomicBoolean threw = new AtomicBoolean();
        start("not-the-acquirer", () -> {
            try {
                overLock.signal();
            } catch (IllegalMonitorStateException e) {
                threw.set(true);
            }
        }).join();
        assertThat(threw).as("a Lock's condition belongs to the thread that acquired the lock").isTrue();
        lock.release();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subjects")
    @DisplayName("C-05 C-06 signal(3) wakes exactly 3, after the signaller releases; signal(5) at most 5; signalAll; twice")
    void signalWakesAtMostN(Subject subject) {
        checkSignal(subject);
        checkSignal(subject); // the same condition again: no state left behind
    }

    private static void checkSignal(Subject subject) {
        Condition cond = subject.condition();
        int n = 5;
        List<Integer> ready = Collections.synchronizedList(new ArrayList<>());
        List<String> results1 = Collections.synchronizedList(new ArrayList<>());
        List<String> results2 = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger phase = new AtomicInteger();
        List<Worker> workers = startAll("waiter", n, () -> {
            cond.acquire();
            ready.add(phase.get());
            cond.await();
            cond.release();
            results1.add("true@" + phase.get());
            cond.acquire();
            ready.add(phase.get());
            cond.await();
            cond.release();
            results2.add("true@" + phase.get());
        });
        waitUntil("5 threads are in their first await", () -> ready.size() == n);
        ready.clear();
        assertThat(results1).isEmpty();

        cond.acquire(); // every thread that was ready is queued now: it queued before releasing the lock
        cond.signal(3);
        waitUntil("3 woken threads wait for the lock", () -> subject.lockStats().get().waiting() == 3);
        assertThat(results1).as("nobody returns before the signaller releases").isEmpty();
        phase.set(1);
        cond.release();
        waitUntil("3 first waits returned", () -> results1.size() == 3);
        assertThat(results1).containsExactly("true@1", "true@1", "true@1");
        assertThat(results2).isEmpty();

        waitUntil("the 3 are in their second await", () -> ready.size() == 3);
        cond.acquire();
        cond.signal(5); // 2 still in their first await, 3 in their second
        waitUntil("5 woken threads wait for the lock", () -> subject.lockStats().get().waiting() == 5);
        phase.set(2);
        cond.release();
        waitUntil("8 waits returned", () -> results1.size() + results2.size() == 8);
        assertThat(results1).containsExactly("true@1", "true@1", "true@1", "true@2", "true@2");
        assertThat(results2).containsExactly("true@2", "true@2", "true@2");

        waitUntil("all 5 are in their second await", () -> ready.size() == 5);
        cond.acquire();
        cond.signalAll(); // the 2 left, both in their second await
        waitUntil("2 woken threads wait for the lock", () -> subject.lockStats().get().waiting() == 2);
        phase.set(3);
        cond.release();
        joinAll(workers);
        assertThat(results2).containsExactly("true@2", "true@2", "true@2", "true@3", "true@3");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subjects")
    @DisplayName("C-07 five timed awaits nobody signals each return false after their time (1x-10x)")
    void timedAwaitsTimeOut(Subject subject) {
        Condition cond = subject.condition();
        long timeout = Duration.ofMillis(200).toNanos();
        List<Long> elapsed = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger trues = new AtomicInteger();
        List<Worker> workers = startAll("timed", 5, () -> {
            cond.acquire();
            long t0 = System.nanoTime();
            if (cond.await(Duration.ofNanos(timeout))) {
                trues.incrementAndGet();
            }
            elapsed.add(System.nanoTime() - t0);
            cond.release();
        });
        joinAll(workers);
        assertThat(trues).hasValue(0);
        assertThat(elapsed).hasSize(5).allSatisfy(e -> assertThat(e).isBetween(timeout, 10 * timeout));
        assertThat(cond.stats().timeouts()).isEqualTo(5);
        assertThat(cond.stats().waiting()).isZero();
    }

    @Test
    @DisplayName("C-08 awaitFor(state == 4) returns true, with state 4 and the lock held")
    void awaitForReturnsOnceThePredicateHolds() {
        RLock lock = new RLock();
        Condition cond = new Condition(lock);
        int[] state = {0};
        AtomicBoolean result = new AtomicBoolean();
        AtomicInteger seen = new AtomicInteger();
        AtomicBoolean heldOnReturn = new AtomicBoolean();
        AtomicInteger evaluations = new AtomicInteger();
        Worker waiter = start("waiter", () -> {
            try (Guard held = cond.hold()) {
                result.set(cond.awaitFor(() -> {
                    evaluations.incrementAndGet();
                    return state[0] == 4;
                }));
                seen.set(state[0]);
                heldOnReturn.set(lock.owned());
            }
        });
        for (int i = 0; i < 4; i++) {
            int evaluated = i + 1;
            waitUntil("the waiter saw the state " + i, () -> evaluations.get() == evaluated);
            try (Guard held = cond.hold()) { // once we hold the lock, the waiter is queued in await
                state[0]++;
                cond.signal();
            }
        }
        waiter.join();
        assertThat(result).isTrue();
        assertThat(seen).hasValue(4);
        assertThat(heldOnReturn).isTrue();
        assertThat(cond.stats().signals()).isEqualTo(4);
        assertThat(cond.stats().contended()).isEqualTo(4);
    }

    @Test
    @DisplayName("C-09 awaitFor with a predicate never true returns false after its time (1x-10x), signals or not")
    void awaitForTimesOut() {
        Condition cond = new Condition();
        long timeout = Duration.ofMillis(100).toNanos();
        AtomicBoolean result = new AtomicBoolean(true);
        AtomicLong elapsed = new AtomicLong();
        Worker waiter = start("waiter", () -> {
            try (Guard held = cond.hold()) {
                long t0 = System.nanoTime();
                result.set(cond.awaitFor(() -> false, Duration.ofNanos(timeout)));
                elapsed.set(System.nanoTime() - t0);
            }
        });
        for (int i = 0; i < 3; i++) {
            waitUntil("the waiter awaits", () -> cond.stats().waiting() == 1 || waiter.finished());
            try (Guard held = cond.hold()) {
                cond.signal();
            }
        }
        waiter.join();
        assertThat(result).isFalse();
        assertThat(elapsed.get()).isBetween(timeout, 10 * timeout);
    }

    @Test
    @DisplayName("C-10 a predicate already true returns at once, without waiting")
    void awaitForWithATruePredicateDoesNotWait() throws Exception {
        Condition cond = new Condition();
        try (Guard held = cond.hold()) {
            assertThat(cond.awaitFor(() -> true)).isTrue();
            assertThat(cond.awaitFor(() -> true, Duration.ofSeconds(10))).isTrue();
        }
        assertThat(cond.stats().contended()).isZero();
    }

    @Test
    @DisplayName("C-11 await(0) and await(-1s) return false at once; awaitFor(pred, 0 or -1s) returns the false value")
    void zeroOrNegativeTimeoutsNeverBlock() throws Exception {
        Condition cond = new Condition();
        AtomicInteger evaluations = new AtomicInteger();
        try (Guard held = cond.hold()) {
            long t0 = System.nanoTime();
            assertThat(cond.await(Duration.ZERO)).isFalse();
            assertThat(cond.await(Duration.ofSeconds(-1))).isFalse();
            assertThat(cond.awaitFor(() -> evaluations.incrementAndGet() < 0, Duration.ZERO)).isFalse();
            assertThat(cond.awaitFor(() -> evaluations.incrementAndGet() < 0, Duration.ofSeconds(-1))).isFalse();
            assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(1).toNanos());
            assertThat(cond.locked()).isTrue();
        }
        assertThat(evaluations).hasValue(2);
        assertThat(cond.stats().contended()).isZero();
        assertThat(cond.stats().timeouts()).isZero();
    }

    @Test
    @DisplayName("C-12 signal(0), and signal() with nobody waiting, do nothing")
    void signallingNobodyDoesNothing() {
        Condition cond = new Condition();
        try (Guard held = cond.hold()) {
            cond.signal(0);
            cond.signal();
            cond.signal(10);
            cond.signalAll();
        }
        assertThat(cond.stats().signals()).isZero();
        try (Guard held = cond.hold()) {
            assertThatIllegalArgumentException().isThrownBy(() -> cond.signal(-1));
        }
    }

    @Test
    @DisplayName("C-13 await on an RLock held 3 times releases it fully while waiting and restores the 3 holds")
    void awaitReleasesEveryHoldAndRestoresThem() {
        RLock lock = new RLock();
        Condition cond = new Condition(lock);
        AtomicInteger countAfter = new AtomicInteger();
        AtomicBoolean signalled = new AtomicBoolean();
        Worker waiter = start("waiter", () -> {
            lock.acquire();
            lock.acquire();
            lock.acquire();
            signalled.set(cond.await(Duration.ofSeconds(15)));
            countAfter.set(lock.holdCount());
            lock.release();
            lock.release();
            lock.release();
        });
        waitUntil("the waiter awaits", () -> cond.stats().waiting() == 1);
        assertThat(lock.acquire(false)).as("fully released while waiting").isTrue();
        assertThat(lock.holdCount()).isEqualTo(1);
        cond.signal();
        lock.release();
        waiter.join();
        assertThat(signalled).isTrue();
        assertThat(countAfter).hasValue(3);
        assertThat(lock.locked()).isFalse();
    }

    @Test
    @DisplayName("C-14 locked() follows the underlying lock")
    void lockedFollowsTheLock() {
        RLock lock = new RLock();
        Condition cond = new Condition(lock);
        assertThat(cond.locked()).isFalse();
        cond.acquire();
        assertThat(cond.locked()).isTrue();
        cond.acquire();
        cond.release();
        assertThat(cond.locked()).isTrue();
        lock.release();
        assertThat(cond.locked()).isFalse();
        lock.acquire();
        assertThat(cond.locked()).isTrue();
        lock.release();
    }

    @Test
    @DisplayName("C-15 constructors take the lock (Lock or RLock) and a name; a default one has its own RLock")
    void constructors() {
        Lock lock = new Lock("l");
        RLock rlock = new RLock("r");
        assertThat(new Condition(lock).stats().lockName()).isEqualTo("l");
        assertThat(new Condition(rlock).stats().lockName()).isEqualTo("r");
        assertThat(new Condition("stock", lock).name()).isEqualTo("stock");
        assertThat(new Condition("stock2", rlock).stats().lockName()).isEqualTo("r");
        assertThat(new Condition("own").stats().lockName()).isEqualTo("own.lock");
        assertThat(new Condition().name()).matches("Condition-\\d+");
        assertThatNullPointerException().isThrownBy(() -> new Condition((Lock) null));
        assertThatNullPointerException().isThrownBy(() -> new Condition((RLock) null));
        assertThatNullPointerException().isThrownBy(() -> new Condition((String) null));
    }

    @Test
    @DisplayName("toString shows the name, the lock and the waiters")
    void toStringShowsTheState() {
        Condition cond = new Condition("stock", new Lock("inventory"));
        assertThat(cond).hasToString("Condition[name=stock, lock=Lock[name=inventory, unlocked], waiters=0]");
    }

    // ------------------------------------------------------------------------------------------ interruption

    @Test
    @DisplayName("an interrupted await takes the lock back, then throws InterruptedException with the status cleared")
    void interruptedAwaitReacquiresBeforeThrowing() {
        RLock lock = new RLock();
        Condition cond = new Condition(lock);
        AtomicInteger holdsInCatch = new AtomicInteger();
        AtomicBoolean statusInCatch = new AtomicBoolean(true);
        Worker waiter = start("waiter", () -> {
            lock.acquire();
            lock.acquire();
            try {
                cond.await();
            } catch (InterruptedException e) {
                holdsInCatch.set(lock.holdCount());
                statusInCatch.set(Thread.currentThread().isInterrupted());
            }
            lock.release();
            lock.release();
        });
        waitUntil("the waiter awaits", () -> cond.stats().waiting() == 1);
        waiter.thread.interrupt();
        waiter.join();
        assertThat(holdsInCatch).hasValue(2);
        assertThat(statusInCatch).isFalse();
        assertThat(cond.stats().waiting()).isZero();
        assertThat(cond.stats().contended()).isEqualTo(1);
        assertThat(cond.stats().timeouts()).isZero();
    }

    @Test
    @DisplayName("an interrupt on entry throws at once, without releasing the lock")
    void interruptOnEntryThrowsAtOnce() {
        Condition cond = new Condition();
        try (Guard held = cond.hold()) {
            Thread.currentThread().interrupt();
            assertThatExceptionOfType(InterruptedException.class).isThrownBy(cond::await);
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
            assertThat(cond.locked()).isTrue();
        }
    }

    @Test
    @DisplayName("a timed-out waiter is not counted among the n of signal(n): the signal goes to a live waiter")
    void signalSkipsWaitersThatGaveUp() throws Exception {
        Condition cond = new Condition();
        AtomicBoolean patientWoken = new AtomicBoolean();
        Worker impatient = start("impatient", () -> {
            try (Guard held = cond.hold()) {
                cond.await(Duration.ofMillis(1));
            }
        });
        impatient.join();
        Worker patient = start("patient", () -> {
            try (Guard held = cond.hold()) {
                patientWoken.set(cond.await(Duration.ofSeconds(15)));
            }
        });
        waitUntil("the patient one awaits", () -> cond.stats().waiting() == 1);
        try (Guard held = cond.hold()) {
            cond.signal();
        }
        patient.join();
        assertThat(patientWoken).isTrue();
        assertThat(cond.stats().signals()).isEqualTo(1);
        assertThat(cond.stats().timeouts()).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------ statistics

    @Test
    @DisplayName("stats: waiting threads are counted and named; a 50 ms wait is recorded within 0.6x-10x")
    void statistics() {
        Condition cond = new Condition("stats");
        List<Worker> workers = startAll("awaiting", 2, () -> {
            try (Guard held = cond.hold()) {
                cond.await();
            }
        });
        waitUntil("2 threads await", () -> cond.stats().waiting() == 2);
        assertThat(cond.waitingThreadNames()).containsExactly("awaiting-0", "awaiting-1");
        assertThat(cond).hasToString("Condition[name=stats, lock=RLock[name=stats.lock, unlocked, count=0], waiters=2]");
        long expected = Duration.ofMillis(50).toNanos();
        holdFor(expected);
        try (Guard held = cond.hold()) {
            cond.signalAll();
        }
        joinAll(workers);
        ConditionStats stats = cond.stats();
        assertThat(stats.waiting()).isZero();
        assertThat(stats.signals()).isEqualTo(2);
        assertThat(stats.contended()).isEqualTo(2);
        assertThat(stats.waitMaxNanos()).isBetween(expected * 6 / 10, expected * 10);
        assertThat(cond.waitHistogram().count()).isEqualTo(2);
        assertThat(cond.waitHistogram().snapshot().percentileNanos(0.5)).isBetween(expected * 0.6, expected * 10.0);
        assertThat(cond.waitingThreadNames()).isEmpty();
    }

    @Test
    @DisplayName("stress: 4 producers and 4 consumers move 100k items through a bounded buffer; nothing lost or doubled")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void stress() {
        Condition cond = new Condition("buffer");
        int items = 100_000;
        int capacity = 16;
        java.util.ArrayDeque<Integer> buffer = new java.util.ArrayDeque<>();
        AtomicLong consumedSum = new AtomicLong();
        AtomicInteger consumedCount = new AtomicInteger();
        AtomicBoolean overflow = new AtomicBoolean();
        int producers = 4;
        int perProducer = items / producers;
        List<Worker> workers = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int base = p * perProducer;
            workers.add(start("producer-" + p, () -> {
                for (int i = 0; i < perProducer; i++) {
                    try (Guard held = cond.hold()) {
                        cond.awaitFor(() -> buffer.size() < capacity);
                        buffer.add(base + i);
                        if (buffer.size() > capacity) {
                            overflow.set(true);
                        }
                        cond.signalAll();
                    }
                }
            }));
        }
        for (int c = 0; c < 4; c++) {
            workers.add(start("consumer-" + c, () -> {
                for (;;) {
                    try (Guard held = cond.hold()) {
                        cond.awaitFor(() -> !buffer.isEmpty() || consumedCount.get() == items);
                        if (buffer.isEmpty()) {
                            return;
                        }
                        consumedSum.addAndGet(buffer.poll());
                        if (consumedCount.incrementAndGet() == items) {
                            cond.signalAll();
                            return;
                        }
                        cond.signalAll();
                    }
                }
            }));
        }
        joinAll(workers);
        assertThat(overflow).isFalse();
        assertThat(consumedCount).hasValue(items);
        assertThat(consumedSum.get()).isEqualTo((long) items * (items - 1) / 2);
        assertThat(buffer).isEmpty();
        assertThat(cond.stats().waiting()).isZero();
        assertThat(cond.locked()).isFalse();
    }
}
