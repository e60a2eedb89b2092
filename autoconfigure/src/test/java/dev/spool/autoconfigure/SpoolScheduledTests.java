package dev.spool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.spool.autoconfigure.actuate.ExecutorsEndpoint;
import dev.spool.autoconfigure.actuate.SpoolEndpointsAutoConfiguration;
import dev.spool.autoconfigure.metrics.SpoolMetricsAutoConfiguration;
import dev.spool.futures.RunningTask;
import dev.spool.futures.ScheduledPool;
import dev.spool.futures.ScheduledTaskFuture;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.support.PeriodicTrigger;

/**
 * {@code type: scheduled} pools in a context: {@code @Scheduled(scheduler = "ticks")} runs on the pool's workers and
 * moves its lateness timer, Boot's {@code taskScheduler} stays for the other {@code @Scheduled} methods, and the
 * endpoint shows the schedule.
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(60)
class SpoolScheduledTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                    TaskSchedulingAutoConfiguration.class, SpoolAutoConfiguration.class,
                    MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SpoolMetricsAutoConfiguration.class,
                    SpoolEndpointsAutoConfiguration.class))
            .withUserConfiguration(Jobs.class)
            .withPropertyValues("spool.executors.ticks.type=scheduled", "spool.executors.ticks.max-workers=2",
                    "spool.metrics.step=50ms", "management.endpoints.web.exposure.include=executors");

    @Test
    void aScheduledMethodNamingTheSpoolPoolRunsOnItsWorkersAndRecordsLateness() {
        runner.run(context -> {
            Ticker ticker = context.getBean(Ticker.class);
            assertThat(ticker.threeTicks.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(ticker.tickThreads).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("ticks-"));

            ScheduledPool ticks = context.getBean("ticks", ScheduledPool.class);
            assertThat(ticks.latenessHistogram().count()).isGreaterThanOrEqualTo(3);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Timer lateness = registry.find("spool.executor.schedule.lateness")
                        .tags("name", "ticks", "type", "scheduled").timer();
                assertThat(lateness).isNotNull();
                assertThat(lateness.count()).isGreaterThanOrEqualTo(3);
            });
            assertThat(registry.find("spool.executor.schedule.missed").tag("name", "ticks").functionCounter())
                    .isNotNull();
            assertThat(registry.find("spool.executor.schedule.pending").tag("name", "ticks").gauge().value())
                    .as("the fixed-rate task, between runs or running").isBetween(0.0, 1.0);
        });
    }

    @Test
    void bootsTaskSchedulerStaysForScheduledMethodsWithoutAScheduler() {
        runner.run(context -> {
            assertThat(context.getBean(TaskScheduler.class)).as("what an unqualified TaskScheduler resolves to")
                    .isSameAs(context.getBean("taskScheduler"));
            Ticker ticker = context.getBean(Ticker.class);
            assertThat(ticker.oneDefaultTick.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(ticker.defaultThreads).allSatisfy(name -> assertThat(name).startsWith("scheduling-"));
        });
    }

    @Test
    void aScheduledMethodThatThrowsCountsItsRunsAsFailedAndKeepsRunningAsSpringLogsIt(CapturedOutput output) {
        runner.withUserConfiguration(FailingJobs.class).run(context -> {
            Flaky flaky = context.getBean(Flaky.class);
            assertThat(flaky.fourRuns.await(20, TimeUnit.SECONDS)).as("runs go on after the two failures").isTrue();
            ScheduledPool ticks = context.getBean("ticks", ScheduledPool.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(ticks.stats().failed()).isEqualTo(2);
                assertThat(registry.find("spool.executor.tasks").tags("name", "ticks", "outcome", "failure")
                        .functionCounter().count()).isEqualTo(2.0);
            });
            assertThat(ticks.stats().completed()).as("the runs after the failures").isPositive();
            assertThat(output).contains("Unexpected error occurred in scheduled task")
                    .contains("run 1 of the flaky job fails").contains("run 2 of the flaky job fails");
        });
    }

    @Test
    void aScheduledMethodsRunIsNamedAfterTheMethodInTheRunningTasks() {
        runner.withUserConfiguration(HeldJobs.class).run(context -> {
            Held held = context.getBean(Held.class);
            assertThat(held.started.await(20, TimeUnit.SECONDS)).isTrue();
            ScheduledPool ticks = context.getBean("ticks", ScheduledPool.class);
            try {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ticks.runningTasks(false))
                        .extracting(RunningTask::description).contains(Held.class.getName() + ".hold"));
            } finally {
                held.release.countDown();
            }
        });
    }

    @Test
    void aTriggerTaskOnTheQualifiedTaskSchedulerCountsItsFailingRunsAndGoesOn() {
        runner.withUserConfiguration(QualifiedSchedulerUser.class).run(context -> {
            TaskScheduler scheduler = context.getBean(QualifiedSchedulerUser.class).scheduler;
            assertThat(scheduler).isNotSameAs(context.getBean("taskScheduler"));
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch fourRuns = new CountDownLatch(4);
            ScheduledFuture<?> task = scheduler.schedule(() -> { // the path of a cron method: one run at a time
                fourRuns.countDown();
                if (runs.incrementAndGet() <= 2) {
                    throw new IllegalStateException("trigger run " + runs.get() + " fails");
                }
            }, new PeriodicTrigger(Duration.ofMillis(5)));
            assertThat(fourRuns.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat((Object) task).isNotNull();
            task.cancel(false);
            ScheduledPool ticks = context.getBean("ticks", ScheduledPool.class);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ticks.stats().failed())
                    .isEqualTo(2));
        });
    }

    @Test
    void aCronMethodsRunIsNamedAfterTheMethodInTheRunningTasks() {
        runner.withUserConfiguration(HeldCronJobs.class).run(context -> {
            HeldCron held = context.getBean(HeldCron.class);
            assertThat(held.started.await(20, TimeUnit.SECONDS)).as("a cron run within a second or two").isTrue();
            ScheduledPool ticks = context.getBean("ticks", ScheduledPool.class);
            try {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ticks.runningTasks(false))
                        .extracting(RunningTask::description).contains(HeldCron.class.getName() + ".hold"));
            } finally {
                held.release.countDown();
            }
        });
    }

    @Test
    void aTriggerScheduleCancelledDuringARunLetsTheRunEndAndRunsNoMore() {
        // no scheduled methods of its own: the pool's only task is the schedule below
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                        TaskSchedulingAutoConfiguration.class, SpoolAutoConfiguration.class))
                .withUserConfiguration(SchedulingOnly.class, QualifiedSchedulerUser.class)
                .withPropertyValues("spool.executors.ticks.type=scheduled").run(context -> {
                    TaskScheduler scheduler = context.getBean(QualifiedSchedulerUser.class).scheduler;
                    ScheduledPool ticks = context.getBean("ticks", ScheduledPool.class);
                    AtomicInteger runs = new AtomicInteger();
                    CountDownLatch running = new CountDownLatch(1);
                    CountDownLatch release = new CountDownLatch(1);
                    AtomicBoolean ranToItsEnd = new AtomicBoolean();
                    ScheduledFuture<?> schedule = scheduler.schedule(() -> {
                        runs.incrementAndGet();
                        running.countDown();
                        try {
                            ranToItsEnd.set(release.await(20, TimeUnit.SECONDS));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, new PeriodicTrigger(Duration.ofMillis(5)));
                    assertThat((Object) schedule).isNotNull();
                    assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();

                    assertThat(schedule.cancel(false)).isTrue();
                    assertThat(schedule.isCancelled()).isTrue();
                    assertThat(schedule.cancel(false)).as("stopped already").isFalse();
                    release.countDown();
                    // the next run would be scheduled as this one returns, before the pool counts it ended
                    await().atMost(Duration.ofSeconds(20)).until(() -> ticks.stats().active() == 0);
                    assertThat(ranToItsEnd).as("cancel(false) lets the run go on").isTrue();
                    assertThat(ticks.scheduledCount()).as("no next run").isZero();
                    assertThat(runs).hasValue(1);
                    assertThat(schedule.isDone()).isTrue();
                });
    }

    @Test
    void aTriggerScheduleWhoseRunThePoolsShutdownCancelsIsCancelledAndDone() {
        runner.withUserConfiguration(QualifiedSchedulerUser.class).run(context -> {
            TaskScheduler scheduler = context.getBean(QualifiedSchedulerUser.class).scheduler;
            PeriodicTrigger inAnHour = new PeriodicTrigger(Duration.ofHours(1));
            inAnHour.setInitialDelay(Duration.ofHours(1));
            ScheduledFuture<?> schedule = scheduler.schedule(() -> { }, inAnHour);
            assertThat((Object) schedule).isNotNull();
            assertThat(schedule.isDone()).isFalse();
            assertThat(schedule.getDelay(TimeUnit.MINUTES)).isBetween(58L, 60L);

            context.getBean("ticks", ScheduledPool.class).shutdownNow();
            assertThat(schedule.isCancelled()).as("its waiting run was cancelled").isTrue();
            assertThat(schedule.isDone()).isTrue();
            assertThat(schedule.cancel(false)).as("nothing left to stop").isFalse();
        });
    }

    @Test
    void withoutATaskSchedulerOfItsOwnTheContextGetsNoneFromSpoolAndIsToldWhy(CapturedOutput output) {
        runner.withUserConfiguration(OwnScheduledExecutor.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeanNamesForType(TaskScheduler.class)).isEmpty();
            assertThat(output).contains("Spool registers no TaskScheduler for the scheduled pools [ticks]");
        });
    }

    @Test
    void aScheduledMethodNamingAThreadPoolStopsStartUpNamingTheMethodAndTheTypeThatWouldSchedule() {
        runner.withPropertyValues("spool.executors.io.max-workers=2").withUserConfiguration(OnThreadPool.class)
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = SpoolStartupFailureTests.analysisOf(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("@Scheduled on bean 'spoolScheduledTests.OnThreadPool' names a scheduler that does not exist or "
                                    + "cannot schedule:")
                            .contains("@Scheduled(scheduler = \"io\") " + OnThreadPool.class.getName() + ".poll(): "
                                    + "'io' is a Spool ThreadPool (spool.executors.io), which cannot schedule")
                            .contains("The schedulers of this application: taskScheduler, ticks.");
                    assertThat(analysis.getAction()).contains("make the pool a scheduled pool")
                            .contains("spool:\n      executors:\n        io:\n          type: scheduled");
                });
    }

    @Test
    void aScheduledMethodNamingNoBeanStopsStartUpNamingTheSchedulersThatExist() {
        runner.withUserConfiguration(OnMisspeltScheduler.class).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = SpoolStartupFailureTests.analysisOf(context.getStartupFailure());
            assertThat(analysis.getDescription())
                    .contains("@Scheduled(scheduler = \"tick\") " + OnMisspeltScheduler.class.getName()
                            + ".poll(): no bean is named 'tick'")
                    .contains("The schedulers of this application: taskScheduler, ticks.");
            assertThat(analysis.getAction()).contains("or define a scheduled pool");
        });
    }

    @Test
    void scheduledMethodsWithoutEnableSchedulingAreNamedInOneWarning(CapturedOutput output) {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SpoolAutoConfiguration.class))
                .withPropertyValues("spool.executors.ticks.type=scheduled")
                .withUserConfiguration(SchedulingNotEnabled.class).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(output).contains("@Scheduled method " + NeverRuns.class.getName() + ".poll() (bean "
                            + "'neverRuns') never runs: scheduling is not enabled. Add @EnableScheduling");
                });
    }

    @Test
    void theEndpointShowsTheScheduleOfAScheduledPool() {
        runner.run(context -> {
            assertThat(context.getBean(Ticker.class).threeTicks.await(20, TimeUnit.SECONDS)).isTrue();
            ExecutorsEndpoint endpoint = context.getBean(ExecutorsEndpoint.class);
            assertThat(endpoint.executors().executors().get("ticks").type()).isEqualTo("scheduled");
            ExecutorsEndpoint.ExecutorDetails details = endpoint.executor("ticks");
            assertThat(details).isNotNull();
            assertThat(details.schedule()).isNotNull();
            assertThat(details.schedule().lateness().count()).isGreaterThanOrEqualTo(3);
            assertThat(details.schedule().scheduled()).isBetween(0, 1);
            assertThat(details.workers()).isNotEmpty();
        });
    }

    @Test
    void atTheAwaitTerminationDeadlineTheDelayedTasksStillWaitingAreCancelledAndLogged(CapturedOutput output) {
        runner.withPropertyValues("spool.executors.ticks.shutdown.await-termination=100ms").run(context -> {
            ScheduledPool ticks = context.getBean("ticks", ScheduledPool.class);
            ScheduledTaskFuture<String> later = ticks.schedule(() -> "in an hour", Duration.ofHours(1));
            context.close();
            assertThat(later.isCancelled()).isTrue();
            assertThat(ticks.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(output).contains("Executor 'ticks' did not terminate within 100ms of shutdown")
                    .contains("1 scheduled; the scheduled tasks are cancelled");
        });
    }

    @Test
    void asyncNamingAScheduledPoolRunsTheMethodOnItsWorkersAtOnce() {
        runner.withUserConfiguration(AsyncJobs.class).run(context -> {
            assertThat(context).hasNotFailed();
            String thread = context.getBean(AsyncJob.class).whereAmI().get(10, TimeUnit.SECONDS);
            assertThat(thread).startsWith("ticks-");
        });
    }

    @Test
    void keysThatDoNotApplyToAScheduledPoolStopStartUpNamingThem() {
        runner.withPropertyValues("spool.executors.ticks.queue-capacity=10",
                "spool.executors.ticks.rejection-policy=caller-runs", "spool.executors.ticks.queue-timeout=1s",
                "spool.executors.ticks.cancel-on-queue-timeout=true").run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            while (failure != null && !(failure instanceof InvalidSpoolConfigurationException)) {
                failure = failure.getCause();
            }
            assertThat(failure).isInstanceOf(InvalidSpoolConfigurationException.class);
            List<String> keys = ((InvalidSpoolConfigurationException) failure).problems().stream()
                    .map(InvalidSpoolConfigurationException.Problem::key).toList();
            assertThat(keys).containsExactlyInAnyOrder("spool.executors.ticks.queue-capacity",
                    "spool.executors.ticks.rejection-policy", "spool.executors.ticks.queue-timeout",
                    "spool.executors.ticks.cancel-on-queue-timeout");
        });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class AsyncJobs {
        @Bean
        AsyncJob asyncJob() {
            return new AsyncJob();
        }
    }

    static class AsyncJob {
        @Async("ticks")
        public CompletableFuture<String> whereAmI() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class Jobs {
        @Bean
        Ticker ticker() {
            return new Ticker();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FailingJobs {
        @Bean
        Flaky flaky() {
            return new Flaky();
        }
    }

    static class Flaky {
        final AtomicInteger runs = new AtomicInteger();
        final CountDownLatch fourRuns = new CountDownLatch(4);

        @Scheduled(fixedDelay = 5, scheduler = "ticks")
        void run() {
            int run = runs.incrementAndGet();
            fourRuns.countDown();
            if (run <= 2) {
                throw new IllegalStateException("run " + run + " of the flaky job fails");
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class HeldJobs {
        @Bean
        Held held() {
            return new Held();
        }
    }

    static class Held {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Scheduled(fixedDelay = 10, scheduler = "ticks")
        void hold() throws InterruptedException {
            started.countDown();
            release.await();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class HeldCronJobs {
        @Bean
        HeldCron heldCron() {
            return new HeldCron();
        }
    }

    static class HeldCron {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Scheduled(cron = "* * * * * *", scheduler = "ticks")
        void hold() throws InterruptedException {
            started.countDown();
            release.await();
        }
    }

    /** Scheduling on, so that Boot makes its scheduler and Spool its own, with nothing scheduled. */
    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class SchedulingOnly {
    }

    @Configuration(proxyBeanMethods = false)
    static class QualifiedSchedulerUser {
        @Autowired
        @Qualifier("ticks")
        TaskScheduler scheduler;
    }

    /** A context with a ScheduledExecutorService of its own: Boot then makes no taskScheduler. */
    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class OwnScheduledExecutor {
        @Bean(destroyMethod = "shutdownNow")
        ScheduledExecutorService ownScheduler() {
            return Executors.newSingleThreadScheduledExecutor();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OnThreadPool {
        @Scheduled(fixedRate = 1000, scheduler = "io")
        void poll() {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OnMisspeltScheduler {
        @Scheduled(fixedRate = 1000, scheduler = "tick")
        void poll() {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SchedulingNotEnabled {
        @Bean
        NeverRuns neverRuns() {
            return new NeverRuns();
        }
    }

    static class NeverRuns {
        @Scheduled(fixedRate = 1000, scheduler = "ticks")
        void poll() {
        }
    }

    static class Ticker {
        final Set<String> tickThreads = ConcurrentHashMap.newKeySet();
        final Set<String> defaultThreads = ConcurrentHashMap.newKeySet();
        final CountDownLatch threeTicks = new CountDownLatch(3);
        final CountDownLatch oneDefaultTick = new CountDownLatch(1);

        @Scheduled(fixedRate = 10, scheduler = "ticks")
        void tick() {
            tickThreads.add(Thread.currentThread().getName());
            threeTicks.countDown();
        }

        @Scheduled(fixedRate = 1000)
        void onBootsScheduler() {
            defaultThreads.add(Thread.currentThread().getName());
            oneDefaultTick.countDown();
        }
    }
}
