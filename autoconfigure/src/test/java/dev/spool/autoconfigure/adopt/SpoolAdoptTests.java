package dev.spool.autoconfigure.adopt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.spool.autoconfigure.InvalidSpoolConfigurationException;
import dev.spool.autoconfigure.SpoolAutoConfiguration;
import dev.spool.autoconfigure.SpoolDefaultExecutorAutoConfiguration;
import dev.spool.autoconfigure.actuate.ExecutorsEndpoint;
import dev.spool.autoconfigure.actuate.ExecutorsEndpoint.ExecutorDescriptor;
import dev.spool.autoconfigure.actuate.ExecutorsEndpointWebExtension;
import dev.spool.autoconfigure.actuate.SpoolEndpointsAutoConfiguration;
import dev.spool.autoconfigure.actuate.SpoolHealthAutoConfiguration;
import dev.spool.autoconfigure.actuate.SpoolHealthIndicator;
import dev.spool.autoconfigure.metrics.SpoolMetricsAutoConfiguration;
import dev.spool.futures.AdoptedExecutor;
import dev.spool.futures.ExecutorType;
import dev.spool.futures.RunningTask;
import dev.spool.futures.TaskOutcome;
import dev.spool.metrics.TimerFeed;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.task.TaskExecutorMetricsAutoConfiguration;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.boot.task.ThreadPoolTaskExecutorCustomizer;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * {@code spool.adopt.*} in real Boot contexts: an adopted pool behaves as Boot's pool does without Spool (thread
 * names, queue capacity, rejection) while Spool's meters move and the endpoint lists it.
 */
@Timeout(60)
class SpoolAdoptTests {

    private static final String EXECUTOR = "applicationTaskExecutor";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                    TaskSchedulingAutoConfiguration.class, SpoolAutoConfiguration.class,
                    SpoolDefaultExecutorAutoConfiguration.class, MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                    TaskExecutorMetricsAutoConfiguration.class, SpoolMetricsAutoConfiguration.class,
                    SpoolEndpointsAutoConfiguration.class, SpoolHealthAutoConfiguration.class,
                    SpoolAdoptAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=executors",
                    "spool.endpoints.write.enabled=true");

    /** One worker and a queue of one, as Boot's keys set them: the third task is the one refused. */
    private static final String[] BOUNDED = {"spring.task.execution.pool.core-size=1",
            "spring.task.execution.pool.max-size=1", "spring.task.execution.pool.queue-capacity=1"};

    /** What three tasks on the bounded pool do: where the first two ran and what the third was told. */
    private record Filled(List<String> threads, Class<?> refusal, int queueCapacity) {
    }

    private static Filled fill(AssertableApplicationContext context) throws Exception {
        ThreadPoolTaskExecutor executor = context.getBean(EXECUTOR, ThreadPoolTaskExecutor.class);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> threads = new CopyOnWriteArrayList<>();
        Future<?> first = executor.submit(() -> {
            threads.add(Thread.currentThread().getName());
            started.countDown();
            release.await(20, TimeUnit.SECONDS);
            return null;
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        Future<?> second = executor.submit(() -> threads.add(Thread.currentThread().getName()));
        Throwable refusal = null;
        try {
            executor.submit(() -> { });
        } catch (TaskRejectedException refused) {
            refusal = refused;
        }
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
        assertThat(refusal).as("the third task is refused").isNotNull();
        return new Filled(List.copyOf(threads), refusal.getClass(), executor.getQueueCapacity());
    }

    @Test
    void anAdoptedExecutorKeepsItsThreadNamesQueueCapacityAndRejectionWhileItsMetersMove() throws Exception {
        Filled[] without = new Filled[1];
        runner.withPropertyValues(BOUNDED).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(AdoptedExecutor.class);
            without[0] = fill(context);
        });
        runner.withPropertyValues(BOUNDED).withPropertyValues("spool.adopt.application-task-executor=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Filled with = fill(context);
                    assertThat(with).isEqualTo(without[0]);
                    assertThat(with.threads()).containsOnly("task-1");

                    AdoptedExecutor adopted = context.getBean(AdoptedExecutor.class);
                    assertThat(adopted.name()).isEqualTo(EXECUTOR);
                    assertThat(adopted.type()).isEqualTo(ExecutorType.THREAD);
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> adopted.latencyHistogram(TaskOutcome.SUCCESS).count() == 2);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(tasks(registry, "rejected")).isEqualTo(1.0);
                    assertThat(tasks(registry, "success")).isEqualTo(2.0);
                    context.getBean(TimerFeed.class).flush();
                    assertThat(timer(registry, "spool.executor.queue.wait").count()).isEqualTo(2);
                    assertThat(timer(registry, "spool.executor.execution").count()).isEqualTo(2);
                    assertThat(registry.get("executor.pool.max").tags("name", EXECUTOR, "type", "thread")
                            .gauge().value()).isEqualTo(1.0);
                    assertThat(registry.get("executor.queue.remaining").tags("name", EXECUTOR, "type", "thread")
                            .gauge().value()).isEqualTo(1.0);
                });
    }

    /** @return what started the failure: the exception that has no cause */
    private static Throwable root(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }

    private static double tasks(MeterRegistry registry, String outcome) {
        return registry.get("spool.executor.tasks").tags("name", EXECUTOR, "type", "thread", "outcome", outcome)
                .functionCounter().count();
    }

    private static Timer timer(MeterRegistry registry, String name) {
        return registry.get(name).tags("name", EXECUTOR, "type", "thread").timer();
    }

    @Test
    void bootsOwnExecutorSeriesOfAnAdoptedPoolGiveWayToSpools() {
        runner.run(context -> assertThat(context.getBean(MeterRegistry.class).find("executor.active")
                .tags("name", EXECUTOR).gauges()).as("Boot's series, without adoption").singleElement()
                .satisfies(gauge -> assertThat(gauge.getId().getTag("type")).isNull()));
        runner.withPropertyValues("spool.adopt.application-task-executor=true").run(context -> {
            assertThat(context.getBean(MeterRegistry.class).find("executor.active").tags("name", EXECUTOR).gauges())
                    .as("one series per pool: Spool's").singleElement()
                    .satisfies(gauge -> assertThat(gauge.getId().getTag("type")).isEqualTo("thread"));
        });
    }

    @Test
    void theEndpointAndHealthListTheAdoptedPoolAndAResizeIsRefused() {
        runner.withPropertyValues(BOUNDED).withPropertyValues("spool.adopt.application-task-executor=true")
                .run(context -> {
                    ExecutorsEndpoint endpoint = context.getBean(ExecutorsEndpoint.class);
                    ExecutorDescriptor pool = endpoint.executors().executors().get(EXECUTOR);
                    assertThat(pool).isNotNull();
                    assertThat(pool.adopted()).isTrue();
                    assertThat(pool.maxWorkers()).isEqualTo(1);
                    assertThat(pool.queueCapacity()).isEqualTo(1);
                    assertThat(endpoint.executor(EXECUTOR).adopted()).isTrue();

                    WebEndpointResponse<?> refused = context.getBean(ExecutorsEndpointWebExtension.class)
                            .resize(EXECUTOR, "4", null);
                    assertThat(refused.getStatus()).isEqualTo(400);
                    assertThat(refused.getBody()).asString().contains("adopted", "spring.task.execution.pool");
                    assertThat(context.getBean(EXECUTOR, ThreadPoolTaskExecutor.class).getMaxPoolSize())
                            .isEqualTo(1);
                    assertThat(context.getBean(SpoolHealthIndicator.class).health().getDetails().get("executors"))
                            .as("the health component lists it too")
                            .isEqualTo(java.util.Map.of(EXECUTOR, "RUNNING"));
                });
    }

    @Test
    void theVirtualThreadExecutorIsObservedAndStillRunsVirtualThreadsOfTheSameName() throws Exception {
        String[] without = new String[1];
        runner.withPropertyValues("spring.threads.virtual.enabled=true").run(context ->
                without[0] = runOnce(context.getBean(EXECUTOR, SimpleAsyncTaskExecutor.class)));
        runner.withPropertyValues("spring.threads.virtual.enabled=true", "spool.adopt.application-task-executor=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    String with = runOnce(context.getBean(EXECUTOR, SimpleAsyncTaskExecutor.class));
                    assertThat(with).isEqualTo(without[0]).startsWith("virtual:");
                    AdoptedExecutor adopted = context.getBean(AdoptedExecutor.class);
                    assertThat(adopted.type()).isEqualTo(ExecutorType.VIRTUAL);
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> adopted.latencyHistogram(TaskOutcome.SUCCESS).count() == 1);
                    assertThat(adopted.queueWaitHistogram().count()).isEqualTo(1);
                    assertThat(context.getBean(MeterRegistry.class).get("spool.executor.tasks")
                            .tags("name", EXECUTOR, "type", "virtual", "outcome", "success").functionCounter().count())
                            .isEqualTo(1.0);
                });
    }

    /** @return "virtual:" or "platform:", then the thread's name */
    private static String runOnce(AsyncTaskExecutor executor) throws Exception {
        return executor.submit(() -> (Thread.currentThread().isVirtual() ? "virtual:" : "platform:")
                + Thread.currentThread().getName().replaceAll("\\d+$", "N")).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aTaskDecoratorOfTheContextStillDecoratesTheAdoptedPoolsTasks() throws Exception {
        runner.withPropertyValues("spool.adopt.application-task-executor=true")
                .withUserConfiguration(Decorating.class).run(context -> {
                    Decorating.TAG.set("caller");
                    try {
                        String seen = context.getBean(EXECUTOR, ThreadPoolTaskExecutor.class)
                                .submit(Decorating.TAG::get).get(10, TimeUnit.SECONDS);
                        assertThat(seen).isEqualTo("caller");
                    } finally {
                        Decorating.TAG.remove();
                    }
                    AdoptedExecutor adopted = context.getBean(AdoptedExecutor.class);
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> adopted.latencyHistogram(TaskOutcome.SUCCESS).count() == 1);
                });
    }

    @Test
    void anAsyncMethodsTaskOnTheAdoptedExecutorIsNamedAfterTheMethodAndAPlainSubmitAfterItsClass() throws Exception {
        runner.withPropertyValues("spool.adopt.application-task-executor=true")
                .withUserConfiguration(Holding.class).run(context -> {
                    assertThat(context).hasNotFailed();
                    Holding holding = context.getBean(Holding.class);
                    ThreadPoolTaskExecutor executor = context.getBean(EXECUTOR, ThreadPoolTaskExecutor.class);
                    AdoptedExecutor adopted = context.getBean(AdoptedExecutor.class);
                    Future<String> async = holding.hold();
                    Future<?> plain = executor.submit(holding::awaitRelease);
                    await().atMost(Duration.ofSeconds(10)).until(() -> adopted.runningTasks(false).size() == 2);
                    assertThat(adopted.runningTasks(false)).extracting(RunningTask::description)
                            .containsExactlyInAnyOrder(Holding.class.getName() + ".hold",
                                    "java.util.concurrent.FutureTask"); // a plain submit: as without Spool
                    holding.release().countDown();
                    assertThat(async.get(10, TimeUnit.SECONDS)).startsWith("task-");
                    plain.get(10, TimeUnit.SECONDS);
                });
    }

    @ParameterizedTest(name = "decorator replaced={0}")
    @ValueSource(booleans = {false, true})
    void tasksTheAdoptedExecutorRanUnseenAreWarnedOfOnceNamingTheKey(boolean replaced) throws Exception {
        ApplicationContextRunner adopting = runner.withPropertyValues("spool.adopt.application-task-executor=true");
        if (replaced) {
            adopting = adopting.withUserConfiguration(ReplacingDecorator.class);
        }
        adopting.run(context -> {
            assertThat(context).hasNotFailed();
            ThreadPoolTaskExecutor executor = context.getBean(EXECUTOR, ThreadPoolTaskExecutor.class);
            AdoptedExecutor adopted = context.getBean(AdoptedExecutor.class);
            runTwentyNoOps(executor);
            List<String> warnings = warningsOfTwoReads(adopted);
            String warning = "executor 'applicationTaskExecutor' ran at least";
            if (replaced) {
                assertThat(adopted.stats().submitted()).as("Spool saw none of them").isZero();
                assertThat(warnings).singleElement().asString().startsWith(warning)
                        .contains("its task decorator was replaced after Spool set it")
                        .contains("spool.adopt.application-task-executor is true: give the decorator to Boot as a"
                                + " TaskDecorator bean");
            } else {
                assertThat(adopted.stats().submitted()).isEqualTo(20);
                assertThat(warnings).isEmpty();
            }
        });
    }

    @ParameterizedTest(name = "decorator replaced={0}")
    @ValueSource(booleans = {false, true})
    void runsTheAdoptedSchedulerMadeUnseenAreWarnedOfOnceNamingTheKey(boolean replaced) throws Exception {
        ApplicationContextRunner adopting = runner.withPropertyValues("spool.adopt.task-scheduler=true")
                .withUserConfiguration(Scheduling.class);
        if (replaced) {
            adopting = adopting.withUserConfiguration(ReplacingSchedulerDecorator.class);
        }
        adopting.run(context -> {
            assertThat(context).hasNotFailed();
            ThreadPoolTaskScheduler scheduler = context.getBean("taskScheduler", ThreadPoolTaskScheduler.class);
            AdoptedExecutor adopted = context.getBean(AdoptedExecutor.class);
            CountDownLatch thirtyRuns = new CountDownLatch(30);
            ScheduledFuture<?> periodic = scheduler.scheduleAtFixedRate(thirtyRuns::countDown, Duration.ofMillis(1));
            assertThat(thirtyRuns.await(10, TimeUnit.SECONDS)).isTrue();
            periodic.cancel(false);
            runTwentyNoOps(scheduler);
            List<String> warnings = warningsOfTwoReads(adopted);
            String warning = "executor 'taskScheduler' ran at least";
            if (replaced) {
                assertThat(context.getBean(ReplacingSchedulerDecorator.class).decorated)
                        .as("the application's decorator is the one the scheduler keeps").hasValue(21);
                assertThat(adopted.stats().submitted()).as("Spool saw none of them").isZero();
                assertThat(warnings).singleElement().asString().startsWith(warning)
                        .contains("its task decorator was replaced after Spool set it")
                        .contains("spool.adopt.task-scheduler is true: give the decorator to Boot as a TaskDecorator"
                                + " bean").contains("instead of calling setTaskDecorator on the scheduler");
            } else {
                // every periodic run and every submit, seen
                assertThat(adopted.stats().submitted()).isGreaterThanOrEqualTo(50);
                assertThat(warnings).isEmpty();
            }
        });
    }

    /** Submits 20 no-op tasks and waits for each. */
    private static void runTwentyNoOps(AsyncTaskExecutor executor) throws Exception {
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(executor.submit(() -> { }));
        }
        for (Future<?> future : futures) {
            future.get(10, TimeUnit.SECONDS);
        }
    }

    /** @return what the engine warned of while the pool's statistics were read twice (a warning is logged once) */
    private static List<String> warningsOfTwoReads(AdoptedExecutor adopted) {
        try (EngineLog log = new EngineLog()) {
            adopted.stats();
            adopted.stats();
            return log.warnings();
        }
    }

    /**
     * The warnings the engine logs on {@code dev.spool.futures} while open. Read from the logger itself: the JDK's
     * console handler keeps the {@code System.err} of when it was made, which output capture cannot follow.
     */
    static final class EngineLog extends Handler implements AutoCloseable {
        private final Logger logger = Logger.getLogger("dev.spool.futures");
        private final List<String> warnings = new CopyOnWriteArrayList<>();

        EngineLog() {
            logger.addHandler(this);
        }

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record.getMessage());
            }
        }

        List<String> warnings() {
            return List.copyOf(warnings);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }

    /** Boot makes its {@code taskScheduler} only for a context that schedules. */
    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class Scheduling {
    }

    /**
     * A scheduler customizer that sets a decorator of its own. Boot's scheduler builder runs its customizers in the
     * order their beans were registered, which puts this one before Spool's.
     */
    @Configuration(proxyBeanMethods = false)
    static class ReplacingSchedulerDecorator {
        final AtomicInteger decorated = new AtomicInteger();

        @Bean
        ThreadPoolTaskSchedulerCustomizer replacesTheDecorator() {
            return scheduler -> scheduler.setTaskDecorator(task -> {
                decorated.incrementAndGet();
                return task;
            });
        }
    }

    /** A customizer that sets a decorator of its own, after Spool's (the first customizer) set Spool's. */
    @Configuration(proxyBeanMethods = false)
    static class ReplacingDecorator {
        @Bean
        ThreadPoolTaskExecutorCustomizer replacesTheDecorator() {
            return executor -> executor.setTaskDecorator(task -> task);
        }
    }

    /** An {@code @Async} method on Boot's executor, held until released (read through methods: it is proxied). */
    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class Holding {
        private final CountDownLatch release = new CountDownLatch(1);

        public CountDownLatch release() {
            return release;
        }

        @Async
        public Future<String> hold() throws InterruptedException {
            awaitRelease();
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }

        public boolean awaitRelease() throws InterruptedException {
            return release.await(20, TimeUnit.SECONDS);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Decorating {
        static final ThreadLocal<String> TAG = new ThreadLocal<>();

        @Bean
        TaskDecorator carryTag() {
            return task -> {
                String tag = TAG.get();
                return () -> {
                    TAG.set(tag);
                    try {
                        task.run();
                    } finally {
                        TAG.remove();
                    }
                };
            };
        }
    }

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {false, true})
    void theSchedulerIsObservedAndItsTasksRunOnItsOwnThreads(boolean virtual) throws Exception {
        String[] without = new String[1];
        runner.withPropertyValues("spring.threads.virtual.enabled=" + virtual).withUserConfiguration(Ticking.class)
                .run(context -> without[0] = context.getBean(Ticking.class).threeTicks());
        runner.withPropertyValues("spring.threads.virtual.enabled=" + virtual, "spool.adopt.task-scheduler=true")
                .withUserConfiguration(Ticking.class).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Ticking.class).threeTicks()).isEqualTo(without[0]);
                    AdoptedExecutor adopted = context.getBean(AdoptedExecutor.class);
                    assertThat(adopted.name()).isEqualTo("taskScheduler");
                    assertThat(adopted.type()).isEqualTo(virtual ? ExecutorType.VIRTUAL : ExecutorType.THREAD);
                    await().atMost(Duration.ofSeconds(10)).until(() -> adopted.executionHistogram().count() >= 3);
                    assertThat(adopted.latencyHistogram(TaskOutcome.SUCCESS).count()).isGreaterThanOrEqualTo(3);
                    assertThat(context.getBean(MeterRegistry.class).get("spool.executor.execution")
                            .tags("name", "taskScheduler", "type", adopted.type().tag()).timer()).isNotNull();
                });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class Ticking {
        private final CountDownLatch ticks = new CountDownLatch(3);
        private final List<String> threads = new CopyOnWriteArrayList<>();

        @Scheduled(fixedRate = 5)
        void tick() {
            threads.add((Thread.currentThread().isVirtual() ? "virtual:" : "platform:")
                    + Thread.currentThread().getName().replaceAll("\\d+$", "N"));
            ticks.countDown();
        }

        /** @return the kind and name pattern of the threads the first three ticks ran on */
        String threeTicks() throws InterruptedException {
            assertThat(ticks.await(10, TimeUnit.SECONDS)).isTrue();
            return String.join(",", List.copyOf(threads).subList(0, 3)); // a copy: the ticks go on
        }
    }

    @Test
    void adoptingTheExecutorThatSpoolDefaultExecutorReplacesStopsStartUp() {
        runner.withPropertyValues("spool.adopt.application-task-executor=true", "spool.default-executor=io",
                "spool.executors.io.max-workers=2").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(root(context.getStartupFailure()))
                            .isInstanceOf(InvalidSpoolConfigurationException.class)
                            .hasMessageContaining("spool.adopt.application-task-executor")
                            .hasMessageContaining("spool.default-executor=io");
                });
    }

    @Test
    void aSpoolPoolNamedLikeAnAdoptedOneStopsStartUp() {
        runner.withPropertyValues("spool.adopt.tomcat=true", "spool.executors.tomcat.max-workers=2")
                .run(context -> assertThat(root(context.getStartupFailure()))
                        .hasMessageContaining("spool.executors.tomcat").hasMessageContaining("spool.adopt.tomcat"));
    }

    @Test
    void adoptingASchedulerThatBootDidNotMakeStopsStartUpSayingWhatToDo() {
        runner.withPropertyValues("spool.adopt.task-scheduler=true").run(context -> {
            assertThat(context).hasFailed();
            assertThat(root(context.getStartupFailure()))
                    .isInstanceOf(InvalidSpoolConfigurationException.class)
                    .hasMessageContaining("spool.adopt.task-scheduler")
                    .satisfies(failure -> assertThat(((InvalidSpoolConfigurationException) failure).problems())
                            .singleElement().satisfies(p -> assertThat(p.action()).contains("@EnableScheduling")));
        });
    }

    @Test
    void adoptingAnExecutorTheApplicationBuiltItselfStopsStartUp() {
        runner.withPropertyValues("spool.adopt.application-task-executor=true")
                .withBean(EXECUTOR, ThreadPoolTaskExecutor.class, ThreadPoolTaskExecutor::new).run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(root(context.getStartupFailure()))
                            .isInstanceOf(InvalidSpoolConfigurationException.class)
                            .hasMessageContaining("spool.adopt.application-task-executor")
                            .hasMessageContaining("was not built by Spring Boot's ThreadPoolTaskExecutorBuilder");
                });
    }

    @Test
    void aMisspeltAdoptKeyStopsStartUpNamingIt() {
        runner.withPropertyValues("spool.adopt.application-task-executer=true").run(context -> {
            assertThat(context).hasFailed();
            assertThat(root(context.getStartupFailure()))
                    .hasMessageContaining("spool.adopt.application-task-executer");
        });
    }

    @Test
    void anExecutorBuiltWithBootsBuilderButNotAdoptedRecordsNothing() {
        runner.withPropertyValues("spool.adopt.application-task-executor=true").run(context -> {
            ThreadPoolTaskExecutor own = context.getBean(ThreadPoolTaskExecutorBuilder.class)
                    .threadNamePrefix("reports-").build();
            own.initialize();
            try {
                assertThat(own.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS))
                        .startsWith("reports-");
            } finally {
                own.shutdown();
            }
            AdoptedExecutor adopted = context.getBean(AdoptedExecutor.class);
            assertThat(adopted.stats().submitted()).as("only the adopted bean's tasks are recorded").isZero();
        });
    }

    /**
     * A lazy definition is not created when the singletons are (Spring's lifecycle start creates it later, as a
     * SmartLifecycle): the end-of-start-up check lets it be, and the adoption at its creation still binds its meters.
     */
    @Test
    void aLazyExecutorIsAdoptedWhenCreatedWithItsMeters() {
        // without Boot's executor metrics, which create every executor bean to bind it
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                        SpoolAutoConfiguration.class, MetricsAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                        SpoolMetricsAutoConfiguration.class, SpoolAdoptAutoConfiguration.class))
                .withPropertyValues("spool.adopt.application-task-executor=true")
                .withInitializer(context -> context.addBeanFactoryPostProcessor(
                        new org.springframework.boot.LazyInitializationBeanFactoryPostProcessor()))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    context.getBean(EXECUTOR, ThreadPoolTaskExecutor.class).submit(() -> 1).get(10, TimeUnit.SECONDS);
                    AdoptedExecutor adopted = context.getBean(AdoptedExecutor.class);
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> adopted.latencyHistogram(TaskOutcome.SUCCESS).count() == 1);
                    assertThat(tasks(context.getBean(MeterRegistry.class), "success")).isEqualTo(1.0);
                });
    }
}
