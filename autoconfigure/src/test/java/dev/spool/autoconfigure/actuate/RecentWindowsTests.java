package dev.spool.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import dev.spool.autoconfigure.actuate.RecentWindows.Window;
import dev.spool.futures.ThreadPool;
import dev.spool.threading.Event;
import dev.spool.threading.Lock;
import dev.spool.threading.Primitive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sampler behind {@code lastMinute}, on a clock of the test's own: each step is a call of {@link
 * RecentWindows#sample()}, each "10 s later" a move of the clock. Durations go straight into the primitives' live
 * histograms, which is what a wait that blocked does, so every count is known.
 */
@Timeout(60)
class RecentWindowsTests {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final List<Object> sources = new CopyOnWriteArrayList<>();
    private final RecentWindows windows = new RecentWindows(() -> sources, clock::get, RecentWindows.INTERVAL,
            RecentWindows.WINDOW);

    @Test
    void theWindowCountsOnlyWhatWasRecordedSinceTheNewestSampleAMinuteOld() {
        Lock lock = new Lock("ledger");
        sources.add(lock);
        record(lock, 3, 1_000_000);
        sampleEvery10sUntil(20);
        record(lock, 2, 5_000_000); // between the samples at 20 s and 30 s
        sampleEvery10sUntil(70, 30);

        Window at70 = recent(lock, Distribution.WAIT_TIMES);
        assertThat(at70.sinceStart()).isFalse();
        assertThat(at70.seconds()).as("from the sample at 10 s").isEqualTo(60.0);
        assertThat(at70.snapshot().count()).as("the 2 recorded after 20 s, not the 3 before").isEqualTo(2);
        assertThat(at70.snapshot().totalNanos()).isEqualTo(10_000_000);
        assertThat(at70.snapshot().maxNanos()).isEqualTo(5_000_000);
        assertThat(lock.waitHistogram().snapshot().count()).as("since start").isEqualTo(5);

        clock.set(at(85));
        assertThat(recent(lock, Distribution.WAIT_TIMES).seconds()).as("from the sample at 20 s, between two steps")
                .isEqualTo(65.0);
        assertThat(recent(lock, Distribution.WAIT_TIMES).snapshot().count()).isEqualTo(2);

        sampleEvery10sUntil(90, 80);
        Window at90 = recent(lock, Distribution.WAIT_TIMES);
        assertThat(at90.seconds()).as("from the sample at 30 s").isEqualTo(60.0);
        assertThat(at90.snapshot().count()).as("nothing since 30 s").isZero();
        assertThat(at90.snapshot().maxNanos()).isZero();
        assertThat(recent(lock, Distribution.CONTENDED_HOLD_TIMES).snapshot().count()).as("the lock's other one")
                .isZero();
    }

    @Test
    void beforeAMinuteOfSamplesTheWindowIsSinceStart() {
        Event ready = new Event("ready");
        sources.add(ready);
        record(ready, 4, 2_000_000);
        sampleEvery10sUntil(50);
        clock.set(at(55));

        Window window = recent(ready, Distribution.WAIT_TIMES);
        assertThat(window.sinceStart()).isTrue();
        assertThat(window.seconds()).as("since the sampler first saw it").isEqualTo(55.0);
        assertThat(window.snapshot().count()).isEqualTo(4);

        clock.set(at(60));
        assertThat(recent(ready, Distribution.WAIT_TIMES).sinceStart()).as("the first sample is a minute old")
                .isFalse();
        assertThat(recent(ready, Distribution.WAIT_TIMES).snapshot().count()).isZero();
    }

    @Test
    void theRingKeepsOnlyTheSamplesAWindowCanStartAt() {
        Lock lock = new Lock();
        sources.add(lock);
        for (int t = 0; t <= 600; t += 10) {
            clock.set(at(t));
            windows.sample();
            assertThat(windows.samples(lock, Distribution.WAIT_TIMES)).as("at %d s", t).isLessThanOrEqualTo(7);
        }
        assertThat(windows.samples(lock, Distribution.WAIT_TIMES)).as("540 s to 600 s").isEqualTo(7);
        clock.set(at(605));
        assertThat(recent(lock, Distribution.WAIT_TIMES).seconds()).as("from the oldest kept, at 540 s")
                .isEqualTo(65.0);
    }

    @Test
    void aLateStepStillLeavesAStartAtLeastAWindowOld() {
        Lock lock = new Lock();
        sources.add(lock);
        sampleEvery10sUntil(60);
        clock.set(at(95)); // the thread was held up for 25 s
        windows.sample();
        clock.set(at(100));
        assertThat(recent(lock, Distribution.WAIT_TIMES).seconds()).as("from the sample at 40 s").isEqualTo(60.0);
        clock.set(at(150));
        assertThat(recent(lock, Distribution.WAIT_TIMES).seconds()).as("from the sample at 60 s, 90 s old")
                .isEqualTo(90.0);
    }

    @Test
    void anExecutorHasItsThreeDistributionsAndAPrimitiveOnlyItsOwn() {
        ThreadPool pool = ThreadPool.builder().name("windows").maxWorkers(1).build();
        try {
            pool.submit(() -> 1).result(Duration.ofSeconds(10));
            Lock lock = new Lock();
            Event event = new Event();
            sources.addAll(List.of(pool, lock, event));
            windows.sample();
            for (Distribution distribution : List.of(Distribution.QUEUE_WAIT, Distribution.EXECUTION,
                    Distribution.LATENCY)) {
                assertThat(windows.samples(pool, distribution)).as(distribution.name()).isEqualTo(1);
            }
            assertThat(windows.samples(pool, Distribution.WAIT_TIMES)).isZero();
            assertThat(windows.samples(lock, Distribution.WAIT_TIMES)).isEqualTo(1);
            assertThat(windows.samples(lock, Distribution.CONTENDED_HOLD_TIMES)).isEqualTo(1);
            assertThat(windows.samples(event, Distribution.CONTENDED_HOLD_TIMES)).isZero();
            assertThat(Distribution.LATENCY.snapshot(pool).count()).as("every outcome").isEqualTo(1);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aSourceThatIsGoneIsForgottenAtTheNextStepAndOneThatReplacesItStartsAfresh() {
        Lock first = new Lock("ledger");
        sources.add(first);
        record(first, 1, 1_000);
        sampleEvery10sUntil(70);
        assertThat(recent(first, Distribution.WAIT_TIMES).sinceStart()).isFalse();

        sources.clear();
        Lock second = new Lock("ledger"); // the same bean name, another object
        sources.add(second);
        clock.set(at(80));
        windows.sample();
        assertThat(windows.sources()).isEqualTo(1);
        assertThat(windows.samples(first, Distribution.WAIT_TIMES)).isZero();
        Window window = recent(second, Distribution.WAIT_TIMES);
        assertThat(window.sinceStart()).isTrue();
        assertThat(window.seconds()).isZero();
    }

    @Test
    void aSourceCreatedSinceTheLastStepIsKnownFromItsFirstRead() {
        sampleEvery10sUntil(20);
        Event later = new Event("later");
        record(later, 1, 7_000);
        Window first = recent(later, Distribution.WAIT_TIMES);
        assertThat(first.sinceStart()).isTrue();
        assertThat(first.seconds()).isZero();
        assertThat(first.snapshot().count()).isEqualTo(1);
        clock.set(at(85));
        Window later85 = recent(later, Distribution.WAIT_TIMES);
        assertThat(later85.sinceStart()).as("its first read, at 20 s, is a sample").isFalse();
        assertThat(later85.seconds()).isEqualTo(65.0);
        assertThat(later85.snapshot().count()).isZero();
    }

    @Test
    void theSamplerDoesNotKeepASourceAlive() {
        Lock lock = new Lock();
        WeakReference<Lock> reference = new WeakReference<>(lock);
        sources.add(lock);
        record(lock, 2, 1_000);
        windows.sample();
        assertThat(windows.samples(lock, Distribution.WAIT_TIMES)).isEqualTo(1);
        sources.clear();
        lock = null;
        List<byte[]> pressure = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            System.gc();
            pressure.add(new byte[1 << 16]);
            if (pressure.size() > 64) {
                pressure.clear();
            }
            return reference.get() == null;
        });
        windows.sample();
        assertThat(windows.sources()).isZero();
    }

    @Test
    void theThreadSamplesFromTheStartAndStopDropsEverything() {
        Lock lock = new Lock();
        sources.add(lock);
        RecentWindows running = new RecentWindows(() -> sources, System::nanoTime, Duration.ofMillis(50),
                RecentWindows.WINDOW);
        running.start();
        try {
            assertThat(running.isRunning()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> running.samples(lock, Distribution.WAIT_TIMES) >= 2);
        } finally {
            running.stop();
        }
        assertThat(running.isRunning()).isFalse();
        assertThat(running.sources()).isZero();
        assertThat(running.getPhase()).as("stops after Spool's executors have drained (a lower phase stops later)")
                .isLessThan(dev.spool.autoconfigure.SpoolLifecycle.PHASE);
    }

    @Test
    void anIntervalOrWindowThatIsNotPositiveIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RecentWindows(List::of, System::nanoTime,
                Duration.ZERO, RecentWindows.WINDOW)).withMessageContaining("interval and window must be positive");
        assertThatIllegalArgumentException().isThrownBy(() -> new RecentWindows(List::of, System::nanoTime,
                RecentWindows.INTERVAL, Duration.ofSeconds(-1)));
    }

    private Window recent(Object source, Distribution distribution) {
        return windows.recent(source, distribution, distribution.snapshot(source));
    }

    /** Samples at 0 s, 10 s, ... up to {@code until} seconds. */
    private void sampleEvery10sUntil(int until) {
        sampleEvery10sUntil(until, 0);
    }

    private void sampleEvery10sUntil(int until, int from) {
        for (int t = from; t <= until; t += 10) {
            clock.set(at(t));
            windows.sample();
        }
    }

    private static long at(int seconds) {
        return 1_000 * SECOND + seconds * SECOND;
    }

    private static void record(Primitive<?> primitive, int times, long nanos) {
        for (int i = 0; i < times; i++) {
            primitive.waitHistogram().record(nanos);
        }
    }
}
