package dev.spool.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.spool.autoconfigure.SpoolAutoConfiguration;
import dev.spool.autoconfigure.actuate.PrimitivesEndpoint.DeadlockDescriptor;
import dev.spool.autoconfigure.actuate.SpoolHealthIndicator.Saturation;
import dev.spool.futures.BrokenProcessPoolException;
import dev.spool.futures.BrokenThreadPoolException;
import dev.spool.futures.ExecutorState;
import dev.spool.futures.ProcessPool;
import dev.spool.futures.RejectionPolicy;
import dev.spool.futures.ThreadPool;
import dev.spool.threading.Lock;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** When the {@code spool} health component goes DOWN, and what its details say. */
@Timeout(60)
class SpoolHealthIndicatorTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                    SpoolAutoConfiguration.class, SpoolHealthAutoConfiguration.class))
            .withPropertyValues("spool.executors.io.max-workers=1", "spool.executors.io.queue-capacity=10",
                    "spool.executors.open.max-workers=1",
                    "spool.locks.a.reentrant=false", "spool.locks.b.reentrant=false");

    @Test
    void upWithEveryDetailWhenNothingIsWrong() {
        runner.run(context -> {
            Health health = context.getBean(SpoolHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsExactly(
                    Map.entry("executors", Map.of("io", "RUNNING", "open", "RUNNING")),
                    Map.entry("brokenExecutors", List.of()),
                    Map.entry("saturatedExecutors", Map.of()),
                    Map.entry("deadlocks", List.of()),
                    Map.entry("hungTasks", Map.of()));
            context.getBean("io", ThreadPool.class).shutdown(true, false);
            assertThat(context.getBean(SpoolHealthIndicator.class).health().getDetails())
                    .extractingByKey("executors").isEqualTo(Map.of("io", "SHUTDOWN", "open", "RUNNING"));
        });
    }

    @Test
    void aQueueAtTheThresholdIsListedAsSaturatedAndStaysUp() throws Exception {
        runner.run(context -> {
            ThreadPool io = context.getBean("io", ThreadPool.class);
            SpoolHealthIndicator indicator = context.getBean(SpoolHealthIndicator.class);
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            io.submit(() -> {
                started.countDown();
                return release.await(30, TimeUnit.SECONDS);
            }); // the only worker, busy
            try {
                // counted as queued until it runs: wait, so that only the next ones count
                assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
                for (int i = 0; i < 8; i++) {
                    io.submit(() -> 1);
                }
                assertThat(indicator.health().getDetails()).as("8 of 10 < 0.9")
                        .containsEntry("saturatedExecutors", Map.of());
                io.submit(() -> 1);
                Health health = indicator.health();
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails()).containsEntry("saturatedExecutors", Map.of("io", new Saturation(9, 10)))
                        .containsEntry("brokenExecutors", List.of());
            } finally {
                release.countDown();
            }
        });
    }

    @Test
    void theThresholdIsConfigurable() {
        runner.withPropertyValues("spool.health.saturation-threshold=0.1").run(context -> {
            ThreadPool io = context.getBean("io", ThreadPool.class);
            CountDownLatch release = new CountDownLatch(1);
            io.submit(() -> release.await(30, TimeUnit.SECONDS));
            try {
                io.submit(() -> 1);
                assertThat(context.getBean(SpoolHealthIndicator.class).health().getDetails())
                        .extractingByKey("saturatedExecutors").asInstanceOf(InstanceOfAssertFactories.MAP)
                        .containsOnlyKeys("io");
            } finally {
                release.countDown();
            }
        });
    }

    @Test
    void unboundedAndHandOffQueuesAreNeverSaturated() {
        // a hand-off pool (queue capacity 0) of the application's own
        runner.withBean("handoff", ThreadPool.class, () -> ThreadPool.builder().name("handoff").maxWorkers(1)
                .queueCapacity(0).rejectionPolicy(RejectionPolicy.DISCARD).build()).run(context -> {
            CountDownLatch release = new CountDownLatch(1);
            ThreadPool open = context.getBean("open", ThreadPool.class);
            ThreadPool handoff = context.getBean("handoff", ThreadPool.class);
            CountDownLatch started = new CountDownLatch(1);
            open.submit(() -> {
                started.countDown();
                return release.await(30, TimeUnit.SECONDS);
            });
            handoff.submit(() -> release.await(30, TimeUnit.SECONDS));
            try {
                assertThat(started.await(30, TimeUnit.SECONDS)).isTrue(); // queued until it runs: wait for it
                for (int i = 0; i < 100; i++) {
                    open.submit(() -> 1);
                    handoff.submit(() -> 1);
                }
                assertThat(open.stats().queued()).isEqualTo(100);
                assertThat(context.getBean(SpoolHealthIndicator.class).health().getDetails())
                        .containsEntry("saturatedExecutors", Map.of());
            } finally {
                release.countDown();
            }
        });
    }

    @Test
    void aBrokenThreadPoolIsDown() {
        runner.withBean("fragile", ThreadPool.class, () -> ThreadPool.builder().name("fragile").initializer(() -> {
            throw new IllegalStateException("no database");
        }).build()).run(context -> {
            ThreadPool fragile = context.getBean("fragile", ThreadPool.class);
            assertThat(fragile.submit(() -> 1).exception(Duration.ofSeconds(10)))
                    .isInstanceOf(BrokenThreadPoolException.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> fragile.stats().state() == ExecutorState.BROKEN);
            Health health = context.getBean(SpoolHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("brokenExecutors", List.of("fragile"));
        });
    }

    @Test
    void aBrokenProcessPoolIsDown() {
        runner.withBean("crunch", ProcessPool.class, () -> ProcessPool.builder().name("crunch").maxWorkers(1)
                .initializer(() -> {
                    throw new IllegalStateException("no native library");
                }).build()).run(context -> {
            ProcessPool crunch = context.getBean("crunch", ProcessPool.class);
            assertThat(crunch.submit((dev.spool.futures.SerializableCallable<Integer>) () -> 1)
                    .exception(Duration.ofSeconds(30))).isInstanceOf(BrokenProcessPoolException.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> crunch.stats().state() == ExecutorState.BROKEN);
            Health health = context.getBean(SpoolHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("brokenExecutors", List.of("crunch"));
        });
    }

    @Test
    void aDeadlockBetweenTwoNamedLocksIsDownWithTheCycle() throws Exception {
        runner.run(context -> {
            Lock a = context.getBean("a", Lock.class);
            Lock b = context.getBean("b", Lock.class);
            BoundedDeadlock deadlock = BoundedDeadlock.between(a, b);
            try {
                Health health = context.getBean(SpoolHealthIndicator.class).health();
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                @SuppressWarnings("unchecked")
                List<DeadlockDescriptor> cycles = (List<DeadlockDescriptor>) health.getDetails().get("deadlocks");
                assertThat(cycles).singleElement().satisfies(cycle -> {
                    assertThat(cycle.locks()).containsExactlyInAnyOrder("a", "b");
                    assertThat(cycle.waits()).extracting(PrimitivesEndpoint.WaitDescriptor::thread)
                            .containsExactlyInAnyOrder("first", "second");
                    assertThat(cycle.description()).contains("waits for lock a held by", "waits for lock b held by");
                });
            } finally {
                deadlock.breakIt();
            }
            assertThat(context.getBean(SpoolHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
        });
    }
}
