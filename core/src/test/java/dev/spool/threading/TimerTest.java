package dev.spool.threading;

import static dev.spool.threading.Concurrently.joinAll;
import static dev.spool.threading.Concurrently.startAll;
import static dev.spool.threading.Concurrently.waitUntil;
import static dev.spool.threading.Concurrently.waitUntilParked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

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
        Timer timer = new Timer("interrupted-timer", Duration.ofMillis(100),
                () -> interruptedInside.set(Thread.currentThread().isInterrupted()));
        timer.start();
        Thread thread = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("interrupted-timer")).findFirst().orElseThrow();
        waitUntilParked(thread);
        thread.interrupt();
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

    @Test
    @DisplayName("stress: 8 threads x 1,800 timers (100k calls: new, setDaemon, start, cancel, join, isAlive, cancelled) racing their deadlines")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void cancelRacingTheDeadlineNeverRunsAfterCancel() {
        int perThread = 1_800;
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();
        AtomicInteger inconsistent = new AtomicInteger();
        joinAll(startAll("canceller", 8, () -> {
            SplittableRandom random = new SplittableRandom(Thread.currentThread().threadId());
            for (int i = 0; i < perThread; i++) {
                AtomicBoolean didRun = new AtomicBoolean();
                long interval = random.nextLong(0, 200_000); // 0-200 µs: cancel lands before, at or after it
                Timer timer = new Timer("race-" + i, Duration.ofNanos(interval), () -> didRun.set(true));
                timer.setDaemon(true);
                timer.start();
                if (random.nextBoolean()) {
                    long until = System.nanoTime() + interval;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }
                timer.cancel();
                assertThat(timer.join(Duration.ofSeconds(10))).isTrue();
                assertThat(timer.isAlive()).isFalse();
                // cancel() either won (the function never ran, and never will) or found it already started
                if (timer.cancelled() == didRun.get()) {
                    inconsistent.incrementAndGet();
                }
                (didRun.get() ? ran : cancelled).incrementAndGet();
            }
        }));
        assertThat(inconsistent).hasValue(0);
        assertThat(ran.get() + cancelled.get()).isEqualTo(8 * perThread);
    }
}
