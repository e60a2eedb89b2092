package dev.spool.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.futures.Futures;
import dev.spool.futures.ProcessPool;
import dev.spool.futures.ScheduledPool;
import dev.spool.futures.SerializableCallable;
import dev.spool.futures.TaskFuture;
import dev.spool.futures.TaskOutcome;
import dev.spool.futures.ThreadPool;
import dev.spool.testing.Waiting;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** {@link ExecutorMetrics} on a {@link SimpleMeterRegistry}: levels, counts and timers move as their names say. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExecutorMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** Never ticks on its own during a test: {@code flush()} replays. */
    private final TimerFeed replay = new TimerFeed(Duration.ofHours(1));

    @AfterEach
    void closeReplay() {
        replay.close();
    }

    private void bind(ThreadPool pool) {
        new ExecutorMetrics(pool, Tags.empty(), TimerOptions.DEFAULTS, replay).bindTo(registry);
    }

    @Test
    void oneBlockedWorkerAndFiveQueuedShowAsActiveOneQueuedFiveThenSixCompleted() throws InterruptedException {
        try (ThreadPool pool = ThreadPool.builder().name("io").maxWorkers(1).queueCapacity(8).build()) {
            bind(pool);
            Meters m = new Meters(registry, "name", "io", "type", "thread");
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<TaskFuture<?>> futures = new ArrayList<>();
            futures.add(pool.submit(() -> {
                started.countDown();
                release.await();
                return null;
            }));
            started.await();
            for (int i = 0; i < 5; i++) {
                futures.add(pool.submit(() -> 1));
            }

            assertThat(m.gauge("executor.queued")).isEqualTo(5);
            assertThat(m.gauge("executor.active")).isEqualTo(1);
            assertThat(m.gauge("executor.queue.remaining")).isEqualTo(3);
            assertThat(m.gauge("executor.pool.size")).isEqualTo(1);
            assertThat(m.gauge("executor.pool.max")).isEqualTo(1);
            assertThat(m.counter("executor.completed")).isZero();

            release.countDown();
            Futures.wait(futures);
            replay.flush();

            assertThat(m.gauge("executor.queued")).isZero();
            assertThat(m.gauge("executor.active")).isZero();
            assertThat(m.counter("executor.completed")).isEqualTo(6);
            assertThat(m.counter("spool.executor.tasks", "outcome", "success")).isEqualTo(6);
            assertThat(m.timerCount("spool.future.latency", "outcome", "success")).isEqualTo(6);
            assertThat(m.timerCount("spool.executor.queue.wait")).isEqualTo(6);
            assertThat(m.timerCount("spool.executor.execution")).isEqualTo(6);
            assertThat(m.timer("spool.executor.execution").max(TimeUnit.NANOSECONDS))
                    .as("the blocked task ran longest; its time is replayed within its bucket")
                    .isPositive();
        }
    }

    @Test
    void aRejectedTaskCountsUnderOutcomeRejected() throws InterruptedException {
        try (ThreadPool pool = ThreadPool.builder().name("tight").maxWorkers(1).queueCapacity(0).build()) {
            bind(pool);
            Meters m = new Meters(registry, "name", "tight");
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            TaskFuture<?> blocker = pool.submit(() -> {
                started.countDown();
                release.await();
                return null;
            });
            started.await();
            assertThatThrownBy(() -> pool.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class);

            assertThat(m.counter("spool.executor.tasks", "outcome", "rejected")).isEqualTo(1);
            assertThat(m.gauge("executor.queue.remaining")).isZero();
            release.countDown();
            blocker.result();
            replay.flush();
            assertThat(m.timerCount("spool.future.latency", "outcome", "rejected")).isEqualTo(1);
            assertThat(m.counter("executor.completed")).as("a rejected task never ran").isEqualTo(1);
        }
    }

    @Test
    void failedAndCancelledTasksCountUnderTheirOutcomes() throws InterruptedException {
        try (ThreadPool pool = ThreadPool.builder().name("mixed").maxWorkers(1).build()) {
            bind(pool);
            Meters m = new Meters(registry, "name", "mixed");
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            TaskFuture<?> blocker = pool.submit(() -> {
                started.countDown();
                release.await();
                return null;
            });
            started.await();
            TaskFuture<Integer> failing = pool.submit(() -> {
                throw new IllegalStateException("expected by the test");
            });
            TaskFuture<Integer> cancelled = pool.submit(() -> 1);
            assertThat(cancelled.cancel()).isTrue();
            release.countDown();
            Futures.wait(List.of(blocker, failing, cancelled));
            replay.flush();

            assertThat(m.counter("spool.executor.tasks", "outcome", "success")).isEqualTo(1);
            assertThat(m.counter("spool.executor.tasks", "outcome", "failure")).isEqualTo(1);
            assertThat(m.counter("spool.executor.tasks", "outcome", "cancelled")).isEqualTo(1);
            assertThat(m.counter("spool.executor.tasks", "outcome", "rejected")).isZero();
            assertThat(m.counter("executor.completed")).as("success and failure ran to an end").isEqualTo(2);
            assertThat(m.timerCount("spool.future.latency", "outcome", "failure")).isEqualTo(1);
            assertThat(m.timerCount("spool.future.latency", "outcome", "cancelled")).isEqualTo(1);
            assertThat(m.timerCount("spool.executor.execution")).as("the cancelled task never ran").isEqualTo(2);
        }
    }

    @Test
    void everyMeterIsTaggedWithNameTypeAndTheExtraTagsWhichCannotReplaceThem() {
        try (ThreadPool pool = ThreadPool.builder().name("vt").virtualThreads(true).build()) {
            new ExecutorMetrics(pool, Tags.of("app", "shop", "name", "impostor"), TimerOptions.DEFAULTS, replay)
                    .bindTo(registry);
            assertThat(registry.getMeters()).isNotEmpty().allSatisfy(meter -> {
                assertThat(meter.getId().getTag("name")).isEqualTo("vt");
                assertThat(meter.getId().getTag("type")).isEqualTo("virtual");
                assertThat(meter.getId().getTag("app")).isEqualTo("shop");
            });
            assertThat(new Meters(registry, "name", "vt").gauge("executor.pool.max"))
                    .as("an unlimited virtual pool").isEqualTo(Integer.MAX_VALUE);
        }
    }

    @Test
    void aProcessPoolAlsoShowsItsWorkerStartsExitsAndStartupTimes() {
        ProcessPool pool = ProcessPool.builder().name("workers").maxWorkers(1).maxTasksPerChild(1).build();
        try {
            new ExecutorMetrics(pool, Tags.empty(), TimerOptions.DEFAULTS, replay).bindTo(registry);
            Meters m = new Meters(registry, "name", "workers", "type", "process");
            SerializableCallable<Integer> answer = () -> 42;
            assertThat(pool.submit(answer).result()).isEqualTo(42);
            assertThat(pool.submit(answer).result()).isEqualTo(42);
        } finally {
            pool.close();
        }
        replay.flush();
        Meters m = new Meters(registry, "name", "workers", "type", "process");
        ProcessPool.WorkerStatistics workers = pool.workerStatistics();
        assertThat(m.counter("spool.process.workers.started", "reason", "initial")).isEqualTo(1);
        assertThat(m.counter("spool.process.workers.started", "reason", "recycle"))
                .as("maxTasksPerChild 1: the second task needs a fresh worker").isEqualTo(1);
        double exited = 0;
        for (ProcessPool.ExitCause cause : ProcessPool.ExitCause.values()) {
            double count = m.counter("spool.process.workers.exited", "cause", cause.name().toLowerCase());
            assertThat(count).isEqualTo(workers.exited().get(cause).doubleValue());
            exited += count;
        }
        assertThat(exited).as("both workers have exited once the pool is closed").isEqualTo(2);
        assertThat(m.counter("spool.process.workers.exited", "cause", "recycled")).isPositive();
        assertThat(m.timerCount("spool.process.worker.startup")).isEqualTo(2).isEqualTo(workers.totalStarted());
        assertThat(m.timer("spool.process.worker.startup").totalTime(TimeUnit.NANOSECONDS))
                .isEqualTo((double) workers.startup().totalNanos());
        assertThat(m.counter("executor.completed")).isEqualTo(2);
        assertThat(m.timerCount("spool.future.latency", "outcome", TaskOutcome.SUCCESS.tag())).isEqualTo(2);
    }

    @Test
    void aScheduledPoolAlsoShowsLatenessMissedRunsAndPendingTasks() throws Exception {
        ScheduledPool pool = ScheduledPool.builder().name("ticks").build();
        try {
            new ExecutorMetrics(pool, Tags.empty(), TimerOptions.DEFAULTS, replay).bindTo(registry);
            Meters m = new Meters(registry, "name", "ticks", "type", "scheduled");
            pool.schedule(() -> "later", Duration.ofHours(1));
            assertThat(m.gauge("spool.executor.schedule.pending")).isEqualTo(1);

            assertThat(pool.schedule(() -> "now", Duration.ZERO).get()).isEqualTo("now");
            // The scheduled future is done when the run returns; its worker records the run just after.
            Waiting.until("the worker has recorded the run", () -> pool.executionHistogram().count() == 1);
            replay.flush();

            assertThat(m.timerCount("spool.executor.schedule.lateness")).isEqualTo(1)
                    .isEqualTo(pool.latenessHistogram().count());
            assertThat(m.counter("spool.executor.schedule.missed")).isEqualTo((double) pool.missedRuns());
            assertThat(m.gauge("spool.executor.schedule.pending")).isEqualTo(1);
            assertThat(m.timerCount("spool.executor.execution")).as("the run went through the workers").isEqualTo(1);
        } finally {
            pool.shutdownNow(); // close() would wait for the delayed task, as the JDK's policy says
        }
        assertThat(registry.find("spool.executor.schedule.lateness").tag("type", "thread").timer())
                .as("only scheduled pools have it").isNull();
    }
}
