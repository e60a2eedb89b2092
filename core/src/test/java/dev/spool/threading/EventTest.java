package dev.spool.threading;

import static dev.spool.threading.Concurrently.holdFor;
import static dev.spool.threading.Concurrently.joinAll;
import static dev.spool.threading.Concurrently.start;
import static dev.spool.threading.Concurrently.startAll;
import static dev.spool.threading.Concurrently.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.threading.Concurrently.Worker;

/** {@link Event}: CPython's {@code EventTests}, E-01…E-06 (every case applies), plus interruption and statistics. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class EventTest {

    @Test
    @DisplayName("E-01 isSet: false fresh; set, set again: true; clear, clear again: false")
    void isSetFollowsSetAndClear() {
        Event event = new Event();
        assertThat(event.isSet()).isFalse();
        event.set();
        assertThat(event.isSet()).isTrue();
        event.set();
        assertThat(event.isSet()).isTrue();
        event.clear();
        assertThat(event.isSet()).isFalse();
        event.clear();
        assertThat(event.isSet()).isFalse();
    }

    @Test
    @DisplayName("E-02 5 threads each await twice: all blocked until set(); again after set(); clear()")
    void setWakesEveryWaiter() {
        Event event = new Event();
        checkNotify(event);
        event.set();
        event.clear();
        checkNotify(event);
    }

    private static void checkNotify(Event event) {
        List<Boolean> results1 = Collections.synchronizedList(new ArrayList<>());
        List<Boolean> results2 = Collections.synchronizedList(new ArrayList<>());
        List<Worker> workers = startAll("waiter", 5, () -> {
            event.await();
            results1.add(true);
            results2.add(event.await(Duration.ofSeconds(15)));
        });
        waitUntil("5 threads wait", () -> event.stats().waiting() == 5);
        assertThat(results1).isEmpty();
        event.set();
        joinAll(workers);
        assertThat(results1).containsExactly(true, true, true, true, true);
        assertThat(results2).containsExactly(true, true, true, true, true);
    }

    @Test
    @DisplayName("E-03 unset: await(0) false, await(200 ms) false after its time; set: both true at once")
    void timedAwaits() {
        Event event = new Event();
        long timeout = Duration.ofMillis(200).toNanos();
        List<Long> elapsed = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger wrong = new AtomicInteger();
        joinAll(startAll("unset", 5, () -> {
            if (event.await(Duration.ZERO)) {
                wrong.incrementAndGet();
            }
            long t0 = System.nanoTime();
            if (event.await(Duration.ofNanos(timeout))) {
                wrong.incrementAndGet();
            }
            elapsed.add(System.nanoTime() - t0);
        }));
        assertThat(wrong).hasValue(0);
        assertThat(elapsed).hasSize(5).allSatisfy(e -> assertThat(e).isBetween(timeout, 10 * timeout));
        assertThat(event.stats().timeouts()).isEqualTo(5);

        event.set();
        elapsed.clear();
        joinAll(startAll("set", 5, () -> {
            if (!event.await(Duration.ZERO)) {
                wrong.incrementAndGet();
            }
            long t0 = System.nanoTime();
            if (!event.await(Duration.ofNanos(timeout))) {
                wrong.incrementAndGet();
            }
            elapsed.add(System.nanoTime() - t0);
        }));
        assertThat(wrong).hasValue(0);
        assertThat(elapsed).hasSize(5).allSatisfy(e -> assertThat(e).isLessThan(timeout));
    }

    @Test
    @DisplayName("E-04 5 threads blocked in a long await: set() then clear() at once still lets all 5 through")
    void setThenClearLosesNoWakeUp() {
        Event event = new Event();
        AtomicInteger trues = new AtomicInteger();
        List<Worker> workers = startAll("waiter", 5, () -> {
            if (event.await(Duration.ofSeconds(15))) {
                trues.incrementAndGet();
            }
        });
        waitUntil("5 threads wait", () -> event.stats().waiting() == 5);
        event.set();
        event.clear();
        joinAll(workers);
        assertThat(trues).hasValue(5);
        assertThat(event.isSet()).isFalse();
    }

    @Test
    @DisplayName("E-05 toString shows unset, then set")
    void toStringShowsTheFlag() {
        Event event = new Event("ready");
        assertThat(event).hasToString("Event[name=ready, unset]");
        event.set();
        assertThat(event).hasToString("Event[name=ready, set]");
    }

    @Test
    @DisplayName("E-06 unset: await(-1s) returns false at once")
    void negativeTimeoutNeverBlocks() throws Exception {
        Event event = new Event();
        long t0 = System.nanoTime();
        assertThat(event.await(Duration.ofSeconds(-1))).isFalse();
        assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(1).toNanos());
        assertThat(event.stats().contended()).isZero();
        assertThatNullPointerException().isThrownBy(() -> event.await(null))
                .withMessageContaining("overload without a Duration");
    }

    @Test
    @DisplayName("constructors: initially set, names given or Event-n")
    void constructors() throws Exception {
        Event set = new Event("ready", true);
        assertThat(set.isSet()).isTrue();
        set.await();
        assertThat(new Event(true).isSet()).isTrue();
        assertThat(new Event().name()).matches("Event-\\d+");
        assertThat(new Event("x").isSet()).isFalse();
    }

    @Test
    @DisplayName("await is interruptible: InterruptedException with the status cleared; a set event ignores it")
    void interruption() throws Exception {
        Event event = new Event();
        AtomicBoolean threw = new AtomicBoolean();
        Worker waiter = start("waiter", () -> {
            try {
                event.await();
            } catch (InterruptedException e) {
                threw.set(!Thread.currentThread().isInterrupted());
            }
        });
        waitUntil("the waiter waits", () -> event.stats().waiting() == 1);
        waiter.thread.interrupt();
        waiter.join();
        assertThat(threw).isTrue();
        assertThat(event.stats().waiting()).isZero();
        assertThat(event.stats().timeouts()).isZero();

        event.set();
        Thread.currentThread().interrupt();
        try {
            event.await();
            assertThat(event.await(Duration.ofSeconds(1))).isTrue();
        } finally {
            assertThat(Thread.interrupted()).isTrue();
        }
        Thread.currentThread().interrupt();
        event.clear();
        assertThatExceptionOfType(InterruptedException.class).isThrownBy(() -> event.await(Duration.ofSeconds(1)));
    }

    @Test
    @DisplayName("stats: waits on a set event are counted but not contended; blocked ones are named and timed (50 ms)")
    void statistics() throws Exception {
        Event event = new Event("stats", true);
        for (int i = 0; i < 100; i++) {
            event.await();
        }
        assertThat(event.stats().waits()).isEqualTo(100);
        assertThat(event.stats().contended()).isZero();
        event.clear();
        List<Worker> workers = startAll("blocked", 2, event::await);
        waitUntil("2 threads wait", () -> event.stats().waiting() == 2);
        assertThat(event.waitingThreadNames()).containsExactly("blocked-0", "blocked-1");
        long expected = Duration.ofMillis(50).toNanos();
        holdFor(expected);
        event.set();
        joinAll(workers);
        EventStats stats = event.stats();
        assertThat(stats.set()).isTrue();
        assertThat(stats.waits()).isEqualTo(102);
        assertThat(stats.contended()).isEqualTo(2);
        assertThat(stats.waiting()).isZero();
        assertThat(stats.waitMaxNanos()).isBetween(expected * 6 / 10, expected * 10);
        assertThat(event.waitHistogram().snapshot().percentileNanos(0.0)).isBetween(expected * 0.6, expected * 10.0);
    }

    @Test
    @DisplayName("stress: 8 threads, 100k calls of set, clear, isSet and non-blocking or set-event awaits: counters add up")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void stressWithoutBlocking() {
        Event event = new Event("mixed");
        int perThread = 100_000 / 8;
        AtomicInteger awaits = new AtomicInteger();
        List<Worker> workers = startAll("mixed", 8, () -> {
            java.util.SplittableRandom random = new java.util.SplittableRandom(Thread.currentThread().threadId());
            for (int i = 0; i < perThread; i++) {
                switch (random.nextInt(5)) {
                    case 0 -> event.set();
                    case 1 -> event.clear();
                    case 2 -> event.isSet();
                    case 3 -> {
                        awaits.incrementAndGet();
                        event.await(Duration.ZERO);
                    }
                    default -> {
                        event.set();
                        awaits.incrementAndGet();
                        event.await(); // passes, or (cleared meanwhile) blocks until a set: at the latest, main's
                    }
                }
            }
        });
        while (!workers.stream().allMatch(Worker::finished)) {
            event.set(); // the last threads may block in await after everyone else has finished
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
        joinAll(workers);
        event.set();
        EventStats stats = event.stats();
        assertThat(stats.waits()).isEqualTo(awaits.get());
        assertThat(stats.waiting()).isZero();
        assertThat(stats.timeouts()).isZero();
        assertThat(event.isSet()).isTrue();
    }

    /** Every waiter has left the previous round and is registered as waiting (so it has read the event). */
    private static boolean allBlockedIn(int round, AtomicIntegerArray awaiting, Event event) {
        for (int i = 0; i < awaiting.length(); i++) {
            if (awaiting.get(i) != round) {
                return false;
            }
        }
        return event.stats().waiting() == awaiting.length();
    }

    @Test
    @DisplayName("stress: 7 waiters and a toggler, 2,000 rounds of set(); clear() with everyone blocked: no wake-up lost")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void stress() {
        Event event = new Event("stress");
        int waiters = 7;
        int rounds = 2_000; // each round: 7 awaits, a set and a clear; 100k more calls are in stressWithoutBlocking
        AtomicInteger round = new AtomicInteger();
        AtomicInteger late = new AtomicInteger();
        AtomicIntegerArray awaiting = new AtomicIntegerArray(waiters); // the round each waiter is about to await
        List<Worker> workers = new ArrayList<>();
        for (int w = 0; w < waiters; w++) {
            int id = w;
            workers.add(start("waiter-" + w, () -> {
                for (int k = 1; k <= rounds; k++) {
                    awaiting.set(id, k);
                    if (k % 2 == 0) {
                        event.await();
                    } else {
                        assertThat(event.await(Duration.ofSeconds(30))).isTrue();
                    }
                    if (round.get() != k) {
                        late.incrementAndGet(); // released in a later round: a wake-up was lost
                    }
                    while (event.isSet()) {
                        Thread.yield(); // until the toggler's clear(): an await now would pass at once, as it should
                    }
                }
            }));
        }
        Worker toggler = start("toggler", () -> {
            for (int r = 1; r <= rounds; r++) {
                long deadline = System.nanoTime() + Concurrently.PATIENCE.toNanos();
                while (!allBlockedIn(r, awaiting, event)) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new AssertionError("round " + r + ": waiters never all blocked: " + awaiting);
                    }
                    Thread.yield();
                }
                round.set(r);
                event.set();
                event.clear();
            }
        });
        toggler.join();
        joinAll(workers);
        assertThat(late).hasValue(0);
        EventStats stats = event.stats();
        assertThat(stats.waits()).isEqualTo((long) waiters * rounds);
        assertThat(stats.contended()).isEqualTo((long) waiters * rounds);
        assertThat(stats.waiting()).isZero();
        assertThat(stats.timeouts()).isZero();
    }
}
