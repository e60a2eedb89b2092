package dev.spool.metrics;

import dev.spool.testing.Waiting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.futures.Futures;
import dev.spool.futures.TaskFuture;
import dev.spool.futures.TaskOutcome;
import dev.spool.futures.ThreadPool;
import dev.spool.stats.DurationHistogram;
import dev.spool.threading.Event;
import dev.spool.threading.Lock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@link TimerFeed}: timers agree with the engine's histograms exactly, distribution options apply, sources are
 * held weakly, bindings are idempotent and replaceable, and the thread replays every step.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimerFeedTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TimerFeed replay = new TimerFeed(Duration.ofHours(1));

    @AfterEach
    void closeReplay() {
        replay.close();
    }

    private static void spin(long nanos) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < nanos) {
            Thread.onSpinWait();
        }
    }

    private void assertReplays(Timer timer, DurationHistogram histogram) {
        DurationHistogram.Snapshot snapshot = histogram.snapshot();
        assertThat(timer.count()).as("%s count", timer.getId()).isEqualTo(snapshot.count());
        // A snapshot that caught a record half-way in a busy bucket puts part of a sum off (ReplayedTimer, "owed"):
        // nothing is lost, the timer's total and what is owed make the histogram's total exactly.
        long owed = replay.replayedTimer(timer).owedNanos();
        assertThat(timer.totalTime(TimeUnit.NANOSECONDS) + owed).as("%s total + owed", timer.getId())
                .isEqualTo((double) snapshot.totalNanos());
        assertThat(Math.abs(owed)).as("%s owed: at most a few durations", timer.getId())
                .isLessThanOrEqualTo(Math.max(snapshot.maxNanos(), 1) * 8);
        if (snapshot.count() > 0) {
            assertThat(timer.max(TimeUnit.NANOSECONDS)).as("%s max, within its bucket", timer.getId())
                    .isCloseTo(snapshot.maxNanos(), within(snapshot.maxNanos() / 16.0 + 1));
        }
    }

    @Test
    void timersMatchTheEnginesHistogramsExactlyAfterReplaysDuringTheWork() throws InterruptedException {
        AtomicBoolean working = new AtomicBoolean(true);
        Thread flusher = Thread.ofPlatform().name("flusher").start(() -> {
            while (working.get()) {
                replay.flush(); // snapshots taken while tasks record: some catch a record half-way
            }
        });
        Lock lock = new Lock("hot");
        try (ThreadPool pool = ThreadPool.builder().name("work").maxWorkers(4).build()) {
            new ExecutorMetrics(pool, Tags.empty(), TimerOptions.DEFAULTS, replay).bindTo(registry);
            new LockMetrics(lock, Tags.empty(), TimerOptions.DEFAULTS, replay).bindTo(registry);
            SplittableRandom random = new SplittableRandom(7);
            List<TaskFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                long work = random.nextLong(20_000);
                boolean fails = random.nextInt(20) == 0;
                TaskFuture<Integer> f = pool.submit(() -> {
                    try (var held = lock.hold()) {
                        spin(work / 4);
                    }
                    spin(work);
                    if (fails) {
                        throw new IllegalStateException("expected by the test");
                    }
                    return 1;
                });
                if (random.nextInt(50) == 0) {
                    f.cancel();
                }
                futures.add(f);
            }
            Futures.wait(futures);
            working.set(false);
            flusher.join();
            // Everything has been recorded: a look a settle period later (as after a quiet second) takes every
            // growth the busy flusher left deferred.
            replay.flushAt(System.nanoTime() + ReplayedTimer.SETTLE_NANOS);

            Meters m = new Meters(registry, "name", "work");
            assertReplays(m.timer("spool.executor.queue.wait"), pool.queueWaitHistogram());
            assertReplays(m.timer("spool.executor.execution"), pool.executionHistogram());
            for (TaskOutcome outcome : TaskOutcome.values()) {
                assertReplays(m.timer("spool.future.latency", "outcome", outcome.tag()), pool.latencyHistogram(outcome));
                assertThat((double) m.timerCount("spool.future.latency", "outcome", outcome.tag()))
                        .isEqualTo(m.counter("spool.executor.tasks", "outcome", outcome.tag()));
            }
            assertThat(m.timerCount("spool.future.latency", "outcome", "failure")).isPositive();
            assertThat(m.timerCount("spool.future.latency", "outcome", "cancelled")).isPositive();
            Meters l = new Meters(registry, "name", "hot");
            assertThat(lock.waitHistogram().count()).as("four workers contend").isPositive();
            assertReplays(l.timer("spool.lock.wait"), lock.waitHistogram());
            assertReplays(l.timer("spool.lock.held"), lock.holdHistogram());
        } finally {
            working.set(false);
        }
    }

    @Test
    void aTimerBoundLateReceivesTheHistoryItsCountersAlreadyShow() {
        try (ThreadPool pool = ThreadPool.builder().name("early").maxWorkers(2).build()) {
            for (int i = 0; i < 100; i++) {
                pool.submit(() -> 1).result();
            }
            new ExecutorMetrics(pool, Tags.empty(), TimerOptions.DEFAULTS, replay).bindTo(registry);
            replay.flush();
            Meters m = new Meters(registry, "name", "early");
            assertThat(m.timerCount("spool.future.latency", "outcome", "success")).isEqualTo(100);
            assertThat(m.counter("executor.completed")).isEqualTo(100);
        }
    }

    // ------------------------------------------------------------------------------------------ distribution

    /** A timer fed through a binding from a histogram the test records into. */
    private Timer replayedTimer(TimerOptions options, DurationHistogram histogram) {
        SourceMeters binding = new SourceMeters(registry, new SourceMeters.Key("test", Tags.of("name", "t")), histogram, options);
        binding.timer("test.timer", "a test timer", histogram, DurationHistogram::snapshot);
        binding.replay(System.nanoTime());
        return (Timer) binding.meters().getFirst();
    }

    @Test
    void percentilesConfiguredInTimerOptionsArePublished() {
        DurationHistogram histogram = new DurationHistogram();
        for (int micros = 1; micros <= 1000; micros++) {
            histogram.record(TimeUnit.MICROSECONDS.toNanos(micros));
        }
        Timer timer = replayedTimer(TimerOptions.DEFAULTS.withPercentiles(0.5, 0.99), histogram);
        ValueAtPercentile[] percentiles = timer.takeSnapshot().percentileValues();
        assertThat(percentiles).extracting(ValueAtPercentile::percentile).containsExactly(0.5, 0.99);
        assertThat(percentiles[0].value(TimeUnit.MICROSECONDS)).isCloseTo(500, within(50.0));
        assertThat(percentiles[1].value(TimeUnit.MICROSECONDS)).isCloseTo(990, within(99.0));
        assertThat(timer.count()).isEqualTo(1000);
    }

    @Test
    void aPercentileHistogramPublishesBucketsWhereTheRegistrySupportsThem() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DurationHistogram histogram = new DurationHistogram();
        for (int millis = 1; millis <= 100; millis++) {
            histogram.record(TimeUnit.MILLISECONDS.toNanos(millis));
        }
        SourceMeters binding = new SourceMeters(prometheus, new SourceMeters.Key("test", Tags.of("name", "t")), histogram,
                TimerOptions.DEFAULTS.withPercentileHistogram(true));
        binding.timer("test.timer", "a test timer", histogram, DurationHistogram::snapshot);
        binding.replay(System.nanoTime());
        assertThat(prometheus.scrape())
                .contains("test_timer_seconds_bucket{name=\"t\",le=\"+Inf\"} 100")
                .contains("test_timer_seconds_bucket{name=\"t\",le=\"0.050331646\"} 50")
                .contains("test_timer_seconds_count{name=\"t\"} 100");
        assertThat(TimerOptions.DEFAULTS.percentiles()).isEmpty();
        assertThatThrownBy(() -> TimerOptions.DEFAULTS.withPercentiles(1.5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRegistrysMeterFiltersApplyToSpoolTimers() {
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                return id.getName().startsWith("spool.executor")
                        ? DistributionStatisticConfig.builder().percentiles(0.9).build().merge(config)
                        : config;
            }
        });
        try (ThreadPool pool = ThreadPool.builder().name("filtered").maxWorkers(1).build()) {
            new ExecutorMetrics(pool, Tags.empty(), TimerOptions.DEFAULTS.withPercentiles(0.5), replay)
                    .bindTo(registry);
            pool.submit(() -> 1).result();
            replay.flush();
            Meters m = new Meters(registry, "name", "filtered");
            assertThat(m.timer("spool.executor.execution").takeSnapshot().percentileValues())
                    .extracting(ValueAtPercentile::percentile).containsExactly(0.9);
            assertThat(m.timer("spool.future.latency", "outcome", "success").takeSnapshot().percentileValues())
                    .extracting(ValueAtPercentile::percentile).containsExactly(0.5);
        }
    }

    // ------------------------------------------------------------------------------------------ bindings

    /** Binds a lock that nothing else references, and returns a weak reference to it. */
    private WeakReference<Lock> bindForgottenLock(ReferenceQueue<Object> queue) throws InterruptedException {
        Lock lock = new Lock("forgotten");
        new LockMetrics(lock, Tags.empty(), TimerOptions.DEFAULTS, replay).bindTo(registry);
        lock.acquire();
        Thread waiter = Thread.ofPlatform().start(() -> {
            lock.acquire();
            lock.release();
        });
        Waiting.until("the waiter waits", () -> lock.stats().waiting() == 1);
        lock.release();
        waiter.join();
        return new WeakReference<>(lock, queue);
    }

    /** Binds a closed pool that nothing else references, and returns a weak reference to it. */
    private WeakReference<ThreadPool> bindForgottenPool(ReferenceQueue<Object> queue) {
        ThreadPool pool = ThreadPool.builder().name("forgotten").maxWorkers(1).build();
        new ExecutorMetrics(pool, Tags.empty(), TimerOptions.DEFAULTS, replay).bindTo(registry);
        pool.submit(() -> 1).result();
        pool.close();
        return new WeakReference<>(pool, queue);
    }

    private static void awaitCollected(WeakReference<?> reference, ReferenceQueue<Object> queue)
            throws InterruptedException {
        while (reference.get() != null) {
            System.gc();
            queue.remove(100); // wakes as soon as the collector enqueues it
        }
    }

    @Test
    void aGarbageCollectedSourceIsDroppedWithItsMeters() throws InterruptedException {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Lock> lock = bindForgottenLock(queue);
        WeakReference<ThreadPool> pool = bindForgottenPool(queue);
        replay.flush();
        assertThat(replay.bindings(registry)).hasSize(2);
        assertThat(registry.find("spool.lock.wait").timer().count()).isEqualTo(1);
        assertThat(registry.find("executor.completed").functionCounter().count()).isEqualTo(1);

        awaitCollected(lock, queue);
        awaitCollected(pool, queue);
        replay.flush();

        assertThat(replay.bindings(registry)).isEmpty();
        assertThat(registry.getMeters()).as("nothing left of either").isEmpty();
    }

    @Test
    void bindingTheSameSourceTwiceDuplicatesNothing() throws InterruptedException {
        Lock lock = new Lock("twice");
        new LockMetrics(lock, Tags.empty(), TimerOptions.DEFAULTS, replay).bindTo(registry);
        int meters = registry.getMeters().size();
        new LockMetrics(lock, Tags.empty(), TimerOptions.DEFAULTS, replay).bindTo(registry);
        SpoolMetrics metrics = new SpoolMetrics(registry, Tags.empty(), TimerOptions.DEFAULTS, replay);
        assertThat(metrics.bind(lock)).isSameAs(lock);
        assertThat(registry.getMeters()).hasSize(meters);
        assertThat(replay.bindings(registry)).hasSize(1);

        lock.acquire();
        Thread waiter = Thread.ofPlatform().start(() -> {
            lock.acquire();
            lock.release();
        });
        Waiting.until("the waiter waits", () -> lock.stats().waiting() == 1);
        lock.release();
        waiter.join();
        replay.flush();
        assertThat(new Meters(registry, "name", "twice").timerCount("spool.lock.wait"))
                .as("fed once").isEqualTo(1);
    }

    @Test
    void anotherSourceWithTheSameNameReplacesTheFirstsMeters() {
        Lock first = new Lock("shared-name");
        Lock second = new Lock("shared-name");
        new LockMetrics(first, Tags.empty(), TimerOptions.DEFAULTS, replay).bindTo(registry);
        Meter firstCounter = registry.find("spool.lock.acquisitions").functionCounter();
        int meters = registry.getMeters().size();
        first.acquire();
        first.release();

        new LockMetrics(second, Tags.empty(), TimerOptions.DEFAULTS, replay).bindTo(registry);
        assertThat(registry.getMeters()).hasSize(meters);
        assertThat(registry.getMeters()).as("meters equal by id; the first's is gone")
                .noneMatch(meter -> meter == firstCounter);
        assertThat(new Meters(registry, "name", "shared-name").counter("spool.lock.acquisitions"))
                .as("the second lock's count").isZero();
        assertThat(replay.bindings(registry)).singleElement().extracting(SourceMeters::source).isSameAs(second);
        first.acquire();
        first.release();
        assertThat(new Meters(registry, "name", "shared-name").counter("spool.lock.acquisitions"))
                .as("the first lock is no longer measured").isZero();
    }

    @Test
    void unbindingRemovesTheMetersAtOnce() {
        Lock lock = new Lock("brief");
        Event event = new Event("brief-event");
        LockMetrics binder = new LockMetrics(lock, Tags.empty(), TimerOptions.DEFAULTS, replay);
        binder.bindTo(registry);
        SpoolMetrics metrics = new SpoolMetrics(registry, Tags.of("app", "a"), TimerOptions.DEFAULTS, replay);
        metrics.bind(event);
        assertThat(registry.find("spool.event.set").tag("app", "a").gauge()).isNotNull();

        binder.unbindFrom(registry);
        metrics.unbind(event);
        assertThat(registry.getMeters()).isEmpty();
        assertThat(replay.bindings(registry)).isEmpty();
        assertThatThrownBy(() -> metrics.bind("not a primitive")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.String");
    }

    // ------------------------------------------------------------------------------------------ thread

    @Test
    void theThreadReplaysEveryStepWithoutFlush() throws InterruptedException {
        try (TimerFeed ticking = new TimerFeed(Duration.ofMillis(10))) {
            Event event = new Event("tick");
            new EventMetrics(event, Tags.empty(), TimerOptions.DEFAULTS, ticking).bindTo(registry);
            Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    event.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Waiting.until("the waiter waits", () -> event.stats().waiting() == 1);
            event.set();
            waiter.join();
            Timer timer = new Meters(registry, "name", "tick").timer("spool.event.wait");
            Waiting.until("the replay thread feeds the timer", () -> timer.count() == 1);
            assertThat(Thread.getAllStackTraces().keySet()).anySatisfy(thread -> {
                assertThat(thread.getName()).isEqualTo("spool-metrics");
                assertThat(thread.isDaemon()).isTrue();
            });
        }
    }

    @Test
    void closeReplaysALastTimeAndRefusesNewBindings() {
        TimerFeed closing = new TimerFeed(Duration.ofHours(1));
        try (ThreadPool pool = ThreadPool.builder().name("closing").maxWorkers(1).build()) {
            new ExecutorMetrics(pool, Tags.empty(), TimerOptions.DEFAULTS, closing).bindTo(registry);
            pool.submit(() -> 1).result();
            closing.close();
            closing.close();
            assertThat(closing.isClosed()).isTrue();
            assertThat(new Meters(registry, "name", "closing").timerCount("spool.future.latency", "outcome", "success"))
                    .isEqualTo(1);
            assertThatIllegalStateException().isThrownBy(() -> new LockMetrics(new Lock(), Tags.empty(),
                    TimerOptions.DEFAULTS, closing).bindTo(registry));
        }
        assertThatThrownBy(() -> TimerFeed.shared().close())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new TimerFeed(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bindingsOfAClosedRegistryAreDropped() {
        SimpleMeterRegistry closed = new SimpleMeterRegistry();
        new LockMetrics(new Lock("gone-with-registry"), Tags.empty(), TimerOptions.DEFAULTS, replay).bindTo(closed);
        assertThat(replay.bindings(closed)).hasSize(1);
        closed.close();
        replay.flush();
        assertThat(replay.bindings(closed)).isEmpty();
    }
}
