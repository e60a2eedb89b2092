package dev.spool.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.spool.autoconfigure.SpoolAutoConfiguration;
import dev.spool.autoconfigure.actuate.ExecutorsEndpoint.ExecutorDetails;
import dev.spool.autoconfigure.actuate.ExecutorsEndpoint.HungTask;
import dev.spool.autoconfigure.actuate.ExecutorsEndpoint.ThreadWorker;
import dev.spool.autoconfigure.actuate.ExecutorsEndpoint.TimeoutsDescriptor;
import dev.spool.autoconfigure.actuate.SpoolHealthIndicator.HungTasks;
import dev.spool.autoconfigure.metrics.SpoolMetricsAutoConfiguration;
import dev.spool.futures.TaskFuture;
import dev.spool.futures.ThreadPool;
import dev.spool.threading.Lock;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The run-timeout and queue-timeout keys as the starter wires them: a hung task in the endpoint, the meters and
 * health until it ends; queue-timeouts that count or cancel only tasks that have not started; the default run-timeout.
 * The log line and the HTTP view are {@code app.HungTasksHttpTests}'.
 */
@Timeout(60)
class HungTasksTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                    SpoolAutoConfiguration.class, SpoolEndpointsAutoConfiguration.class,
                    SpoolHealthAutoConfiguration.class, MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                    SpoolMetricsAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=executors",
                    "spool.executors.slow.max-workers=2", "spool.executors.slow.prestart=true",
                    "spool.executors.slow.run-timeout=100ms",
                    "spool.executors.quick.max-workers=1");

    @Test
    void aTaskPastItsRunTimeoutIsInTheEndpointTheMetersAndHealthUntilItEnds() {
        runner.run(context -> {
            ThreadPool slow = context.getBean("slow", ThreadPool.class);
            ExecutorsEndpoint endpoint = context.getBean(ExecutorsEndpoint.class);
            SpoolHealthIndicator health = context.getBean(SpoolHealthIndicator.class);
            CountDownLatch release = new CountDownLatch(1);
            TaskFuture<Boolean> blocked = slow.submit("nightly-report", () -> release.await(30, TimeUnit.SECONDS));
            try {
                // hung as soon as it runs past the timeout; counted once the watch has seen it cross
                await().atMost(WAIT).until(() -> !endpoint.executor("slow").hungTasks().isEmpty()
                        && slow.timeoutStats().runTimeouts() == 1);

                ExecutorDetails details = endpoint.executor("slow", true);
                assertThat(details.timeouts()).isEqualTo(new TimeoutsDescriptor(100.0, null, 1, 1, 0));
                HungTask hung = details.hungTasks().get(0);
                assertThat(hung.task()).isEqualTo("nightly-report");
                assertThat(hung.runningMillis()).isGreaterThan(100.0);
                assertThat(Instant.parse(hung.since())).isBefore(Instant.now());

                assertThat(details.workers()).as("both prestarted threads: one busy with it, one idle").hasSize(2);
                ThreadWorker busy = worker(details, hung.worker());
                assertThat(busy.state()).isEqualTo("BUSY");
                assertThat(busy.task()).isEqualTo("nightly-report");
                assertThat(busy.hung()).isTrue();
                assertThat(busy.since()).isEqualTo(hung.since());
                assertThat(busy.stack()).as("?stacks=true").isNotEmpty().allMatch(line -> line.startsWith("at "))
                        .anyMatch(line -> line.contains("CountDownLatch.await"))
                        .anyMatch(line -> line.contains(HungTasksTests.class.getName()));
                ThreadWorker idle = details.workers().stream().map(ThreadWorker.class::cast)
                        .filter(w -> !w.name().equals(hung.worker())).findFirst().orElseThrow();
                assertThat(idle).isEqualTo(new ThreadWorker(idle.name(), "IDLE", null, null, null, false, null));

                assertThat(worker(endpoint.executor("slow"), hung.worker()).stack()).as("no stacks unless asked")
                        .isNull();

                MeterRegistry registry = context.getBean(MeterRegistry.class);
                assertThat(registry.get("spool.executor.tasks.hung").tag("name", "slow").gauge().value())
                        .isEqualTo(1.0);
                assertThat(registry.get("spool.executor.run.timeouts").tag("name", "slow").functionCounter().count())
                        .isEqualTo(1.0);

                Health down = health.health();
                assertThat(down.getStatus()).as("spool.health.hung-tasks-status defaults to DOWN")
                        .isEqualTo(Status.DOWN);
                assertThat(down.getDetails()).extractingByKey("hungTasks").isInstanceOfSatisfying(Map.class,
                        byExecutor -> {
                            assertThat(byExecutor).containsOnlyKeys("slow");
                            HungTasks tasks = (HungTasks) byExecutor.get("slow");
                            assertThat(tasks.count()).isEqualTo(1);
                            assertThat(tasks.tasks()).singleElement().satisfies(task -> {
                                assertThat(task.worker()).isEqualTo(hung.worker());
                                assertThat(task.task()).isEqualTo("nightly-report");
                                assertThat(task.runningMillis()).isGreaterThan(100.0);
                            });
                        });
                assertThat(blocked.done()).as("not stopped without interrupt-on-run-timeout").isFalse();
            } finally {
                release.countDown();
            }
            assertThat(blocked.result(WAIT)).isTrue();
            await().atMost(WAIT).until(() -> context.getBean(MeterRegistry.class).get("spool.executor.tasks.hung")
                    .tag("name", "slow").gauge().value() == 0.0);
            Health up = health.health();
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsEntry("hungTasks", Map.of());
            assertThat(endpoint.executor("slow").hungTasks()).isEmpty();
            assertThat(endpoint.executor("slow").timeouts().runTimeouts()).as("the counter keeps it").isEqualTo(1);
        });
    }

    @Test
    void theHungStatusIsConfigurableInAnyCaseAndDownStillWins() {
        runner.withPropertyValues("spool.health.hung-tasks-status=out_of_service",
                "spool.locks.a.reentrant=false", "spool.locks.b.reentrant=false").run(context -> {
            ThreadPool slow = context.getBean("slow", ThreadPool.class);
            CountDownLatch release = new CountDownLatch(1);
            slow.submit(() -> release.await(30, TimeUnit.SECONDS));
            try {
                SpoolHealthIndicator health = context.getBean(SpoolHealthIndicator.class);
                await().atMost(WAIT).until(() -> slow.timeoutStats().hung() == 1);
                assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                context.getBean("quick", ThreadPool.class).shutdown(true, false);
                assertThat(health.health().getStatus()).as("a shut-down pool is no failure")
                        .isEqualTo(Status.OUT_OF_SERVICE);
                BoundedDeadlock deadlock = BoundedDeadlock.between(context.getBean("a", Lock.class),
                        context.getBean("b", Lock.class));
                try {
                    assertThat(health.health().getStatus()).as("a deadlock is DOWN, hung tasks or not")
                            .isEqualTo(Status.DOWN);
                } finally {
                    deadlock.breakIt();
                }
                assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            } finally {
                release.countDown();
            }
            await().atMost(WAIT).until(() -> slow.timeoutStats().hung() == 0);
            assertThat(context.getBean(SpoolHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void anUnnamedTaskIsDescribedByItsClass() {
        runner.run(context -> {
            ThreadPool slow = context.getBean("slow", ThreadPool.class);
            CountDownLatch release = new CountDownLatch(1);
            slow.submit(() -> release.await(30, TimeUnit.SECONDS));
            try {
                ExecutorsEndpoint endpoint = context.getBean(ExecutorsEndpoint.class);
                await().atMost(WAIT).until(() -> !endpoint.executor("slow").hungTasks().isEmpty());
                assertThat(endpoint.executor("slow").hungTasks().get(0).task())
                        .startsWith(HungTasksTests.class.getName() + "$$Lambda").doesNotContain("/");
            } finally {
                release.countDown();
            }
        });
    }

    @Test
    void interruptOnRunTimeoutCancelsTheHungTaskAndInterruptsItsThread() {
        runner.withPropertyValues("spool.executors.slow.interrupt-on-run-timeout=true").run(context -> {
            ThreadPool slow = context.getBean("slow", ThreadPool.class);
            CountDownLatch interrupted = new CountDownLatch(1);
            TaskFuture<Boolean> hung = slow.submit(() -> {
                try {
                    return new CountDownLatch(1).await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
            });
            assertThat(interrupted.await(30, TimeUnit.SECONDS)).as("its thread interrupted").isTrue();
            // The interrupt reaches the task while the future is being cancelled: wait for that to end first.
            assertThatThrownBy(() -> hung.result(WAIT)).isInstanceOf(CancellationException.class);
            assertThat(hung.cancelled()).isTrue();
            assertThat(slow.timeoutStats().runTimeouts()).isEqualTo(1);
            assertThat(slow.submit(() -> 7).result(WAIT)).as("the pool goes on").isEqualTo(7);
        });
    }

    @Test
    void aQueueTimeoutWithCancelCancelsOnlyTasksThatHaveNotStarted() throws Exception {
        runner.withPropertyValues("spool.executors.one.max-workers=1", "spool.executors.one.queue-timeout=100ms",
                "spool.executors.one.cancel-on-queue-timeout=true").run(context -> {
            ThreadPool one = context.getBean("one", ThreadPool.class);
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            TaskFuture<Boolean> running = one.submit(() -> {
                started.countDown();
                return release.await(30, TimeUnit.SECONDS);
            });
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            AtomicInteger ranLate = new AtomicInteger();
            TaskFuture<?> second = one.submit(ranLate::incrementAndGet);
            TaskFuture<?> third = one.submit(ranLate::incrementAndGet);
            try {
                // the watch cancels them while they wait, before the worker ever reaches them
                await().atMost(WAIT).until(() -> second.cancelled() && third.cancelled());
                assertThat(running.running()).as("the running task is never cancelled by it").isTrue();
                assertThat(one.timeoutStats().queueTimeouts()).isEqualTo(2);
                assertThat(context.getBean(MeterRegistry.class).get("spool.executor.queue.timeouts")
                        .tag("name", "one").functionCounter().count()).isEqualTo(2.0);
                assertThat(one.stats().cancelled()).isEqualTo(2);
            } finally {
                release.countDown();
            }
            assertThat(running.result(WAIT)).isTrue();
            assertThat(one.submit(() -> ranLate.get()).result(WAIT)).as("one worker, in order: they never ran")
                    .isZero();
        });
    }

    @Test
    void aQueueTimeoutWithoutCancelCountsLateTasksAndRunsThem() throws Exception {
        runner.withPropertyValues("spool.executors.one.max-workers=1", "spool.executors.one.queue-timeout=100ms")
                .run(context -> {
                    ThreadPool one = context.getBean("one", ThreadPool.class);
                    CountDownLatch started = new CountDownLatch(1);
                    CountDownLatch release = new CountDownLatch(1);
                    one.submit(() -> {
                        started.countDown();
                        return release.await(30, TimeUnit.SECONDS);
                    });
                    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
                    AtomicBoolean late = new AtomicBoolean();
                    long queuedAt = System.nanoTime();
                    TaskFuture<?> waiting = one.submit(() -> late.set(true));
                    // what the test needs is time: the queued task must wait past the timeout before it may start
                    await().atMost(WAIT).until(() -> System.nanoTime() - queuedAt > Duration.ofMillis(150).toNanos());
                    assertThat(waiting.cancelled()).as("no cancel-on-queue-timeout").isFalse();
                    release.countDown();
                    waiting.result(WAIT);
                    assertThat(late).as("it ran").isTrue();
                    assertThat(one.timeoutStats().queueTimeouts()).isEqualTo(1);
                    assertThat(one.timeoutStats().queueTimeout()).isEqualTo(Duration.ofMillis(100));
                });
    }

    @Test
    void theDefaultRunTimeoutAppliesToEveryExecutorWithoutItsOwn() {
        runner.withPropertyValues("spool.executor-defaults.run-timeout=5s", "spool.executors.burst.type=virtual")
                .run(context -> {
                    assertThat(context.getBean("quick", ThreadPool.class).timeoutStats().runTimeout())
                            .isEqualTo(Duration.ofSeconds(5));
                    assertThat(context.getBean("burst", ThreadPool.class).timeoutStats().runTimeout())
                            .isEqualTo(Duration.ofSeconds(5));
                    assertThat(context.getBean("slow", ThreadPool.class).timeoutStats().runTimeout())
                            .as("its own key wins").isEqualTo(Duration.ofMillis(100));
                    assertThat(context.getBean(ExecutorsEndpoint.class).executor("quick").timeouts())
                            .isEqualTo(new TimeoutsDescriptor(5000.0, null, 0, 0, 0));
                });
        runner.run(context -> assertThat(context.getBean("quick", ThreadPool.class).timeoutStats().runTimeout())
                .as("off unless set").isNull());
    }

    @Test
    void aVirtualPoolListsItsRunningTasksAsItsWorkers() {
        runner.withPropertyValues("spool.executors.burst.type=virtual", "spool.executors.burst.run-timeout=100ms",
                "spool.executors.burst.thread-name-prefix=burst-").run(context -> {
            ThreadPool burst = context.getBean("burst", ThreadPool.class);
            CountDownLatch release = new CountDownLatch(1);
            burst.submit("first", () -> release.await(30, TimeUnit.SECONDS));
            burst.submit("second", () -> release.await(30, TimeUnit.SECONDS));
            try {
                ExecutorsEndpoint endpoint = context.getBean(ExecutorsEndpoint.class);
                await().atMost(WAIT).until(() -> endpoint.executor("burst").hungTasks().size() == 2);
                ExecutorDetails details = endpoint.executor("burst", true);
                assertThat(details.workers()).hasSize(2).map(ThreadWorker.class::cast).allSatisfy(worker -> {
                    assertThat(worker.name()).startsWith("burst-");
                    assertThat(worker.state()).isEqualTo("BUSY");
                    assertThat(worker.hung()).isTrue();
                    assertThat(worker.stack()).anyMatch(line -> line.contains("CountDownLatch.await"));
                }).extracting(ThreadWorker::task).containsExactlyInAnyOrder("first", "second");
                assertThat(details.timeouts().hung()).isEqualTo(2);
            } finally {
                release.countDown();
            }
            await().atMost(WAIT).until(() -> context.getBean(ExecutorsEndpoint.class).executor("burst")
                    .workers().isEmpty());
        });
    }

    private static ThreadWorker worker(ExecutorDetails details, String name) {
        List<ThreadWorker> workers = details.workers().stream().map(ThreadWorker.class::cast)
                .filter(w -> w.name().equals(name)).toList();
        assertThat(workers).as("worker " + name).hasSize(1);
        return workers.get(0);
    }
}
