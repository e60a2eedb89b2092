package dev.spool.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.spool.autoconfigure.SpoolAutoConfiguration;
import dev.spool.autoconfigure.SpoolBeans;
import dev.spool.autoconfigure.actuate.ExecutorsEndpoint.ExecutorDescriptor;
import dev.spool.autoconfigure.actuate.ExecutorsEndpoint.ExecutorDetails;
import dev.spool.autoconfigure.actuate.ExecutorsEndpoint.ProcessWorker;
import dev.spool.autoconfigure.actuate.ExecutorsEndpoint.ThreadWorker;
import dev.spool.autoconfigure.actuate.ExecutorsEndpointWebExtension.ErrorDescriptor;
import dev.spool.futures.ExecutorStats;
import dev.spool.futures.ProcessPool;
import dev.spool.futures.SerializableCallable;
import dev.spool.futures.ThreadPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/** What {@code /actuator/executors} reads, and what its write operation accepts, called without HTTP. */
@Timeout(60)
class ExecutorsEndpointTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                    SpoolAutoConfiguration.class, SpoolEndpointsAutoConfiguration.class))
            .withUserConfiguration(OwnExecutors.class)
            .withPropertyValues("management.endpoints.web.exposure.include=executors",
                    "spool.endpoints.write.enabled=true",
                    "spool.executors.io.max-workers=2", "spool.executors.io.queue-capacity=10",
                    "spool.executors.burst.type=virtual",
                    "spool.metrics.percentiles=0.5,0.99");

    @Test
    void listsEveryCreatedExecutorByBeanNameTheApplicationsOwnIncluded() {
        runner.run(context -> {
            ExecutorsEndpoint endpoint = context.getBean(ExecutorsEndpoint.class);
            assertThat(endpoint.executors().executors()).containsOnlyKeys("reports", "io", "burst");
            ExecutorDescriptor io = endpoint.executors().executors().get("io");
            assertThat(io).isEqualTo(new ExecutorDescriptor("thread", "RUNNING", 2, 0, 0, 0, 10, 0, 0, 0, 0, false));
            assertThat(endpoint.executors().executors().get("burst").maxWorkers()).as("an unlimited virtual pool")
                    .isEqualTo("unbounded");
            assertThat(endpoint.executors().executors().get("burst").queueCapacity()).as("an unbounded queue")
                    .isEqualTo("unbounded");
            assertThat(endpoint.executor("burst").queueCapacity()).isEqualTo("unbounded");

            context.getBean("later");
            assertThat(endpoint.executors().executors()).as("a lazy pool, once created").containsKey("later");
        });
    }

    @Test
    void oneExecutorAddsLatenciesFromTheEngineAndItsWorkerThreads() {
        runner.run(context -> {
            ThreadPool io = context.getBean("io", ThreadPool.class);
            for (int i = 0; i < 5; i++) {
                io.submit(() -> 1).result(Duration.ofSeconds(10));
            }
            assertThat(io.submit(() -> {
                throw new IllegalStateException("boom");
            }).exception(Duration.ofSeconds(10))).isInstanceOf(IllegalStateException.class);

            ExecutorDetails details = context.getBean(ExecutorsEndpoint.class).executor("io");
            assertThat(details.completed()).isEqualTo(5);
            assertThat(details.failed()).isEqualTo(1);
            assertThat(details.submitted()).isEqualTo(6);
            assertThat(details.latency().count()).as("every outcome").isEqualTo(6);
            assertThat(details.execution().count()).isEqualTo(6);
            assertThat(details.queueWait().count()).isEqualTo(6);
            assertThat(details.latency().percentilesMillis()).containsOnlyKeys("0.5", "0.99");
            assertThat(details.latency().maxMillis()).isGreaterThanOrEqualTo(details.latency().meanMillis());
            assertThat(details.workers()).isNotEmpty().allSatisfy(worker ->
                    assertThat(((ThreadWorker) worker).name()).startsWith("io-"));
        });
    }

    @Test
    void lastMinuteCountsOnlyTheTasksSinceTheSampleAMinuteOldWhileSinceStartCountsAll() {
        runner.run(context -> {
            AtomicLong clock = new AtomicLong();
            SpoolBeans beans = SpoolBeans.of(context.getBeanFactory());
            RecentWindows windows = RecentWindows.of(beans, clock::get);
            ExecutorsEndpoint endpoint = new ExecutorsEndpoint(beans, List.of(0.5, 0.99), windows);
            ThreadPool io = context.getBean("io", ThreadPool.class);
            run(io, 4);
            windows.sample(); // at 0 s
            run(io, 2);
            clock.set(TimeUnit.SECONDS.toNanos(10));
            windows.sample(); // at 10 s

            clock.set(TimeUnit.SECONDS.toNanos(60));
            ExecutorDetails details = endpoint.executor("io");
            assertThat(details.latency().count()).as("since start").isEqualTo(6);
            DurationSummary.WindowSummary lastMinute = details.latency().lastMinute();
            assertThat(lastMinute).isNotNull();
            assertThat(lastMinute.count()).as("after the sample at 0 s").isEqualTo(2);
            assertThat(lastMinute.windowSeconds()).isEqualTo(60.0);
            assertThat(lastMinute.sinceStart()).isFalse();
            assertThat(lastMinute.percentilesMillis()).containsOnlyKeys("0.5", "0.99");
            assertThat(lastMinute.maxMillis()).isLessThanOrEqualTo(details.latency().maxMillis());
            assertThat(details.queueWait().lastMinute().count()).isEqualTo(2);
            assertThat(details.execution().lastMinute().count()).isEqualTo(2);

            clock.set(TimeUnit.SECONDS.toNanos(70));
            ExecutorDetails later = endpoint.executor("io");
            assertThat(later.latency().lastMinute().count()).as("nothing after the sample at 10 s").isZero();
            assertThat(later.latency().lastMinute().maxMillis()).isZero();
            assertThat(later.latency().count()).isEqualTo(6);
        });
    }

    @Test
    void theSamplerPicksUpALazyPoolOnceCreatedAndForgetsADestroyedOne() {
        runner.run(context -> {
            RecentWindows windows = RecentWindows.of(SpoolBeans.of(context.getBeanFactory()), System::nanoTime);
            windows.sample();
            int before = windows.sources();
            assertThat(before).as("io, burst and reports").isEqualTo(3);
            ThreadPool later = context.getBean("later", ThreadPool.class);
            windows.sample();
            assertThat(windows.samples(later, Distribution.LATENCY)).isEqualTo(1);
            ((DefaultListableBeanFactory) context.getBeanFactory()).destroySingleton("later");
            windows.sample();
            assertThat(windows.samples(later, Distribution.LATENCY)).isZero();
            assertThat(windows.sources()).isEqualTo(before);
        });
    }

    @Test
    void theEndpointOfTheContextShowsLastMinuteFromItsRunningSampler() {
        runner.run(context -> {
            assertThat(context.getBean(RecentWindows.class).isRunning()).isTrue();
            run(context.getBean("io", ThreadPool.class), 3);
            ExecutorDetails details = context.getBean(ExecutorsEndpoint.class).executor("io");
            assertThat(details.latency().lastMinute()).isNotNull();
            assertThat(details.latency().lastMinute().sinceStart()).as("a context seconds old").isTrue();
            assertThat(details.latency().lastMinute().count()).isEqualTo(details.latency().count()).isEqualTo(3);
        });
    }

    @Test
    void anUnknownNameIsNullWhichBootAnswers404() {
        runner.run(context -> assertThat(context.getBean(ExecutorsEndpoint.class).executor("nope")).isNull());
    }

    @Test
    void aProcessPoolShowsItsWorkerProcesses() {
        runner.withPropertyValues("spool.executors.crunch.type=process", "spool.executors.crunch.max-workers=1")
                .run(context -> {
                    ProcessPool crunch = context.getBean("crunch", ProcessPool.class);
                    long pid = crunch.submit((SerializableCallable<Long>) () -> ProcessHandle.current().pid())
                            .result(Duration.ofSeconds(30));
                    ExecutorsEndpoint endpoint = context.getBean(ExecutorsEndpoint.class);
                    await().atMost(Duration.ofSeconds(30)).until(() ->
                            ((ProcessWorker) endpoint.executor("crunch").workers().get(0)).tasksRun() == 1);
                    ProcessWorker worker = (ProcessWorker) endpoint.executor("crunch").workers().get(0);
                    assertThat(worker.pid()).isEqualTo(pid).isNotEqualTo(ProcessHandle.current().pid());
                    assertThat(worker.name()).startsWith("crunch-worker-");
                    assertThat(worker.state()).isEqualTo("IDLE");
                    assertThat(Instant.parse(worker.startedAt())).isBeforeOrEqualTo(Instant.now());
                    assertThat(endpoint.executor("crunch").type()).isEqualTo("process");
                });
    }

    @Test
    void resizeAppliesBothValues() {
        runner.run(context -> {
            WebEndpointResponse<OperationResponseBody> response = write(context).resize("io", "3", "20");
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(((ExecutorDescriptor) response.getBody()).maxWorkers()).isEqualTo(3);
            ExecutorStats stats = context.getBean("io", ThreadPool.class).stats();
            assertThat(stats.maxWorkers()).isEqualTo(3);
            assertThat(stats.queueCapacity()).isEqualTo(20);
        });
    }

    @Test
    void resizeAppliesOneValueAndLeavesTheOther() {
        runner.run(context -> {
            assertThat(write(context).resize("io", null, " 50 ").getStatus()).isEqualTo(200);
            ExecutorStats stats = context.getBean("io", ThreadPool.class).stats();
            assertThat(stats.maxWorkers()).isEqualTo(2);
            assertThat(stats.queueCapacity()).isEqualTo(50);
        });
    }

    @Test
    void anInvalidMaxWorkersIsA400AndTheValidCapacityIsNotAppliedEither() {
        runner.run(context -> {
            assertBadRequest(write(context).resize("io", "0", "20"), "maxWorkers must be greater than 0, was 0");
            assertUnchanged(context.getBean("io", ThreadPool.class));
            assertBadRequest(write(context).resize("io", "20000000", "20"),
                    "maxWorkers must be at most 16777215, was 20000000");
            assertUnchanged(context.getBean("io", ThreadPool.class));
        });
    }

    @Test
    void anInvalidCapacityIsA400AndTheValidMaxWorkersIsNotAppliedEither() {
        runner.run(context -> {
            assertBadRequest(write(context).resize("io", "5", "-1"), "queueCapacity must be 0 or more, was -1");
            assertUnchanged(context.getBean("io", ThreadPool.class));
        });
    }

    @Test
    void aValueThatIsNotAWholeNumberIsA400() {
        runner.run(context -> {
            assertBadRequest(write(context).resize("io", "2.5", null),
                    "maxWorkers must be a whole number up to 2147483647, or \"unbounded\", was \"2.5\"");
            assertBadRequest(write(context).resize("io", null, "many"),
                    "queueCapacity must be a whole number up to 2147483647, or \"unbounded\", was \"many\"");
            assertBadRequest(write(context).resize("io", "99999999999", null),
                    "maxWorkers must be a whole number up to 2147483647, or \"unbounded\", was \"99999999999\"");
            assertUnchanged(context.getBean("io", ThreadPool.class));
        });
    }

    @Test
    void aWriteWithNeitherValueIsA400() {
        runner.run(context -> assertBadRequest(write(context).resize("io", null, null),
                "give maxWorkers, queueCapacity or both, for instance {\"maxWorkers\": 8}"));
    }

    @Test
    void aProcessPoolCannotBeResized() {
        runner.withPropertyValues("spool.executors.crunch.type=process", "spool.executors.crunch.max-workers=1")
                .run(context -> {
                    assertBadRequest(write(context).resize("crunch", "2", null), "executor 'crunch' is a process pool,"
                            + " whose maxWorkers and queueCapacity cannot change at run time");
                    assertThat(context.getBean("crunch", ProcessPool.class).stats().maxWorkers()).isEqualTo(1);
                });
    }

    @Test
    void aVirtualPoolCanBeMadeUnlimited() {
        runner.withPropertyValues("spool.executors.burst.max-workers=10").run(context -> {
            assertThat(write(context).resize("burst", "2147483647", null).getStatus()).isEqualTo(200);
            assertThat(context.getBean("burst", ThreadPool.class).stats().maxWorkers()).isEqualTo(Integer.MAX_VALUE);
            write(context).resize("burst", "10", "5");
            WebEndpointResponse<OperationResponseBody> unbounded = write(context).resize("burst", "unbounded",
                    "unbounded");
            assertThat(unbounded.getStatus()).isEqualTo(200);
            assertThat(unbounded.getBody()).isInstanceOfSatisfying(ExecutorDescriptor.class, after -> {
                assertThat(after.maxWorkers()).isEqualTo("unbounded");
                assertThat(after.queueCapacity()).isEqualTo("unbounded");
            });
            assertThat(context.getBean("burst", ThreadPool.class).stats().queueCapacity()).isEqualTo(Integer.MAX_VALUE);
        });
    }

    @Test
    void writingToAnUnknownNameIsA404() {
        runner.run(context -> {
            WebEndpointResponse<OperationResponseBody> response = write(context).resize("nope", "2", null);
            assertThat(response.getStatus()).isEqualTo(404);
            assertThat(((ErrorDescriptor) response.getBody()).message()).isEqualTo("no executor is named 'nope'");
        });
    }

    @Test
    void growingAPoolLetsQueuedTasksStartAtOnce() {
        runner.run(context -> {
            ThreadPool io = context.getBean("io", ThreadPool.class);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch thirdStarted = new CountDownLatch(1);
            io.submit(() -> release.await(30, TimeUnit.SECONDS));
            io.submit(() -> release.await(30, TimeUnit.SECONDS));
            io.submit(() -> {
                thirdStarted.countDown();
                return release.await(30, TimeUnit.SECONDS);
            });
            assertThat(thirdStarted.getCount()).as("two workers, both busy").isEqualTo(1);
            assertThat(write(context).resize("io", "3", null).getStatus()).isEqualTo(200);
            assertThat(thirdStarted.await(30, TimeUnit.SECONDS)).isTrue();
            release.countDown();
        });
    }

    private static void run(ThreadPool pool, int tasks) {
        for (int i = 0; i < tasks; i++) {
            pool.submit(() -> 1).result(Duration.ofSeconds(10));
        }
    }

    private static ExecutorsEndpointWebExtension write(
            org.springframework.context.ApplicationContext context) {
        return context.getBean(ExecutorsEndpointWebExtension.class);
    }

    private static void assertBadRequest(WebEndpointResponse<OperationResponseBody> response, String message) {
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getBody()).isEqualTo(new ErrorDescriptor(400, "Bad Request", message));
    }

    private static void assertUnchanged(ThreadPool io) {
        assertThat(io.stats().maxWorkers()).isEqualTo(2);
        assertThat(io.stats().queueCapacity()).isEqualTo(10);
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnExecutors {
        @Bean(destroyMethod = "shutdown")
        ThreadPool reports() {
            return ThreadPool.builder().name("reports").maxWorkers(1).build();
        }

        @Bean(destroyMethod = "shutdown")
        @Lazy
        ThreadPool later() {
            return ThreadPool.builder().name("later").maxWorkers(1).build();
        }
    }
}
