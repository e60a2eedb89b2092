package dev.spool.threading;

import static dev.spool.threading.Concurrently.joinAll;
import static dev.spool.threading.Concurrently.startAll;
import static dev.spool.threading.Concurrently.waitUntilParked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Timer}: CPython's {@code TimerTests} and the documented behaviour, T-02…T-06, plus the cancel race.
 *
 * <p>Not applicable, and why: T-01 (the default {@code args}/{@code kwargs} are fresh objects, not shared between
 * timers) and the argument half of T-03 ({@code Timer(0, f, args=[1], kwargs={'x': 2})}): a Java timer runs a
 * {@link Runnable}, which carries its own arguments; there are no shared defaults to mutate.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TimerTest {

    @Test
    @DisplayName("T-02 start() then cancel() at once: the function never runs and join() returns")
    void cancelRightAfterStart() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Timer timer = new Timer(Duration.ofSeconds(30), runs::incrementAndGet);
        timer.start();
        timer.cancel();
        timer.join();
        assertThat(runs).hasValue(0);
        assertThat(timer.cancelled()).isTrue();
        assertThat(timer.isAlive()).isFalse();
        assertThat(timer.toString()).endsWith(", cancelled]");
    }

    @Test
    @DisplayName("T-03 Timer(0, f) calls f once, in the timer's own thread")
    void zeroIntervalRunsOnce() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<String> thread = new AtomicReference<>();
        Timer timer = new Timer(Duration.ZERO, () -> {
            runs.incrementAndGet();
            thread.set(Thread.currentThread().getName());
        });
        timer.start();
        timer.join();
        assertThat(runs).hasValue(1);
        assertThat(thread.get()).isEqualTo(timer.name()).matches("Timer-\\d+");
        assertThat(timer.toString()).endsWith(", finished]");
        Timer negative = new Timer("negative", Duration.ofSeconds(-1), runs::incrementAndGet);
        negative.start();
        negative.join();
        assertThat(runs).hasValue(2);
    }

    @Test
    @DisplayName("T-04 start() on a started timer throws IllegalStateException")
    void startTwiceThrows() throws Exception {
        Timer timer = new Timer(Duration.ZERO, () -> { });
        timer.start();
        assertThatIllegalStateException().isThrownBy(timer::start).withMessageContaining("only be started once");
        timer.join();
        assertThatIllegalStateException().isThrownBy(timer::start);
    }

    @Test
    @DisplayName("T-05 cancel() after the function ran does nothing")
    void cancelAfterRunIsANoOp() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Timer timer = new Timer(Duration.ZERO, runs::incrementAndGet);
        timer.start();
        timer.join();
        timer.cancel();
        assertThat(timer.cancelled()).isFalse();
        assertThat(runs).hasValue(1);
    }

    @Test
    @DisplayName("T-06 join, join(Duration), isAlive and daemon work as on a thread; not a daemon by default")
    void threadLikeApi() throws Exception {
        Timer timer = new Timer("t06", Duration.ofSeconds(30), () -> { });
        assertThat(timer.isAlive()).isFalse();
        assertThat(timer.isDaemon()).isFalse();
        assertThatIllegalStateException().isThrownBy(timer::join).withMessageContaining("before it is started");
        assertThatIllegalStateException().isThrownBy(() -> timer.join(Duration.ZERO));
        timer.setDaemon(true);
        assertThat(timer.isDaemon()).isTrue();
        timer.start();
        assertThatIllegalStateException().isThrownBy(() -> timer.setDaemon(false));
        assertThat(timer.isAlive()).isTrue();
        assertThat(timer.toString()).isEqualTo("Timer[name=t06, pending]");
        assertThat(timer.join(Duration.ZERO)).isFalse();
        long t0 = System.nanoTime();
        assertThat(timer.join(Duration.ofMillis(20))).isFalse();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
        timer.cancel();
        assertThat(timer.join(Duration.ofSeconds(Long.MAX_VALUE))).isTrue();
        assertThat(timer.isAlive()).isFalse();
        assertThatNullPointerException().isThrownBy(() -> timer.join(null));
    }

    @Test
    @DisplayName("the function runs no sooner than the interval (1x-10x of 50 ms)")
    void runsAfterTheInterval() throws Exception {
        long interval = Duration.ofMillis(50).toNanos();
        CountDownLatch ran = new CountDownLatch(1);
        long[] at = {0};
        Timer timer = new Timer(Duration.ofNanos(interval), () -> {
            at[0] = System.nanoTime();
            ran.countDown();
        });
        long t0 = System.nanoTime();
        timer.start();
        ran.await();
        timer.join();
        assertThat(at[0] - t0).isBetween(interval, 10 * interval);
        assertThat(timer.interval()).isEqualTo(Duration.ofNanos(interval));
    }

    @Test
    @DisplayName("interrupting the timer thread does not end its wait; the function runs with the status set")
    void interruptDoesNotCancel() throws Exception {
        AtomicBoolean interruptedInside = new AtomicBoolean();
        Timer timer = new Timer("interrupted-timer", Duration.ofMillis(500),
                () -> interruptedInside.set(Thread.currentThread().isInterrupted()));
        timer.start();
        Thread thread = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("interrupted-timer")).findFirst().orElseThrow();
        waitUntilParked(thread);
        thread.interrupt();
        // Only meaningful if the interrupt came while the timer still waited (not on a machine so loaded that 500 ms
        // passed already); then its wait goes on to the deadline and the function sees the interrupt.
        assumeTrue(timer.toString().endsWith("pending]"), "the interrupt came after the deadline");
        timer.join();
        assertThat(interruptedInside).isTrue();
        assertThat(timer.cancelled()).isFalse();
    }

    @Test
    @DisplayName("constructor arguments: null is refused")
    void nullsAreRefused() {
        assertThatNullPointerException().isThrownBy(() -> new Timer(null, () -> { }));
        assertThatNullPointerException().isThrownBy(() -> new Timer(Duration.ZERO, null));
        assertThatNullPointerException().isThrownBy(() -> new Timer(null, Duration.ZERO, () -> { }));
    }

    @Test
    @DisplayName("join is interruptible: InterruptedException with the status cleared")
    void joinIsInterruptible() {
        Timer timer = new Timer(Duration.ofSeconds(30), () -> { });
        timer.start();
        try {
            Thread.currentThread().interrupt();
            assertThatExceptionOfType(InterruptedException.class).isThrownBy(timer::join);
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        } finally {
            timer.cancel();
        }
    }

    /** A timer of the stress test and how often its function ran. */
    private record Tracked(Timer timer, AtomicInteger runs) {
    }

    @Test
    @DisplayName("stress: 8 threads, 100k calls on ~2,000 shared timers (start, cancel from any thread, isAlive, "
            + "cancelled, join) racing their deadlines: each runs once or is cancelled, never both")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void stress() throws InterruptedException {
        int perThread = 100_000 / 8;
        AtomicReferenceArray<Tracked> slots = new AtomicReferenceArray<>(32);
        Queue<Tracked> all = new ConcurrentLinkedQueue<>();
        AtomicInteger created = new AtomicInteger();
        joinAll(startAll("stress", 8, () -> {
            SplittableRandom random = new SplittableRandom(Thread.currentThread().threadId());
            for (int i = 0; i < perThread; i++) {
                int op = random.nextInt(100);
                if (op < 2) { // a new timer, due in 0-300 µs: cancels land before, at and after the deadline
                    AtomicInteger runs = new AtomicInteger();
                    Timer timer = new Timer("stress-" + created.incrementAndGet(),
                            Duration.ofNanos(random.nextLong(0, 300_000)), runs::incrementAndGet);
                    timer.setDaemon(true);
                    timer.start();
                    Tracked tracked = new Tracked(timer, runs);
                    all.add(tracked);
                    slots.set(random.nextInt(slots.length()), tracked);
                    continue;
                }
                Tracked tracked = slots.get(random.nextInt(slots.length()));
                if (tracked == null) {
                    continue;
                }
                Timer timer = tracked.timer();
                if (op < 40) {
                    timer.cancel();
                    if (timer.cancelled()) {
                        assertThat(tracked.runs()).hasValue(0);
                    }
                } else if (op < 60) {
                    timer.isAlive();
                } else if (op < 80) {
                    timer.cancelled();
                } else {
                    timer.join(Duration.ZERO);
                }
            }
        }));
        assertThat(all).hasSizeGreaterThan(1_000);
        int ran = 0;
        for (Tracked tracked : all) {
            assertThat(tracked.timer().join(Duration.ofSeconds(10))).isTrue();
            int runs = tracked.runs().get();
            assertThat(runs).isBetween(0, 1);
            assertThat(tracked.timer().cancelled()).as(tracked.timer() + " ran " + runs).isEqualTo(runs == 0);
            ran += runs;
        }
        assertThat(ran).isBetween(0, all.size());
    }
}
