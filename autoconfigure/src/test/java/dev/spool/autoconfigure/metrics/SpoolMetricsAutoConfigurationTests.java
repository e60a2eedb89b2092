package dev.spool.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.spool.autoconfigure.SpoolAutoConfiguration;
import dev.spool.futures.TaskGroup;
import dev.spool.futures.TaskGroups;
import dev.spool.futures.ThreadPool;
import dev.spool.metrics.TaskGroupMetrics;
import dev.spool.metrics.TimerFeed;
import dev.spool.metrics.SpoolMetrics;
import dev.spool.threading.Lock;
import dev.spool.threading.Semaphore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/** Which Spool beans get meters, with which settings, and when the auto-configuration backs off. */
@Timeout(30)
class SpoolMetricsAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                    SpoolAutoConfiguration.class, MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                    SpoolMetricsAutoConfiguration.class))
            .withPropertyValues(
                    "spool.executors.io.max-workers=2",
                    "spool.executors.burst.type=virtual",
                    "spool.executors.crunch.type=process",
                    "spool.executors.crunch.max-workers=1",
                    "spool.locks.inventory.reentrant=true",
                    "spool.locks.ledger.reentrant=false",
                    "spool.semaphores.db.permits=3",
                    "spool.events.ready.initially-set=true",
                    "spool.barriers.batch.parties=2",
                    "spool.conditions.stock.lock=inventory");

    @Test
    void everyConfiguredExecutorAndPrimitiveIsBound() {
        runner.run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find("executor.queued").tags("name", "io", "type", "thread").gauge()).isNotNull();
            assertThat(registry.find("executor.queued").tags("name", "burst", "type", "virtual").gauge()).isNotNull();
            assertThat(registry.find("executor.queued").tags("name", "crunch", "type", "process").gauge()).isNotNull();
            assertThat(registry.find("spool.process.workers.started").tag("name", "crunch").functionCounters())
                    .isNotEmpty();
            assertThat(registry.find("spool.process.workers.exited").tag("name", "crunch").functionCounters())
                    .isNotEmpty();
            assertThat(registry.find("spool.process.worker.startup").tag("name", "crunch").timer()).isNotNull();
            assertThat(registry.find("spool.lock.acquisitions").tag("name", "inventory").functionCounter()).isNotNull();
            assertThat(registry.find("spool.lock.held").tag("name", "ledger").timer()).isNotNull();
            assertThat(registry.find("spool.semaphore.permits").tag("name", "db").gauge().value()).isEqualTo(3.0);
            assertThat(registry.find("spool.event.set").tag("name", "ready").gauge().value()).isEqualTo(1.0);
            assertThat(registry.find("spool.barrier.trips").tag("name", "batch").functionCounter()).isNotNull();
            assertThat(registry.find("spool.condition.signals").tag("name", "stock").functionCounter()).isNotNull();
        });
    }

    @Test
    void theApplicationsOwnSpoolBeansAreBoundToo() {
        runner.withUserConfiguration(OwnBeans.class).run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find("executor.active").tag("name", "reports").gauge()).isNotNull();
            assertThat(registry.find("spool.lock.contended").tag("name", "journal").functionCounter()).isNotNull();
        });
    }

    @Test
    void aLazyBeanIsBoundWhenItIsFirstCreated() {
        runner.withUserConfiguration(LazyBean.class).run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find("spool.semaphore.permits").tag("name", "late").gauge()).isNull();
            context.getBean("late");
            assertThat(registry.find("spool.semaphore.permits").tag("name", "late").gauge().value()).isEqualTo(5.0);
        });
    }

    @Test
    void timersFollowThePercentileKeysAndTheReplayTheStepKey() {
        runner.withPropertyValues("spool.metrics.percentiles=0.5,0.99", "spool.metrics.percentile-histogram=true",
                "spool.metrics.step=250ms").run(context -> {
            assertThat(context.getBean(TimerFeed.class).step()).isEqualTo(Duration.ofMillis(250));
            ThreadPool io = context.getBean("io", ThreadPool.class);
            io.submit(() -> 42).result(Duration.ofSeconds(10));
            context.getBean(TimerFeed.class).flush();

            Timer latency = context.getBean(MeterRegistry.class).find("spool.future.latency")
                    .tags("name", "io", "outcome", "success").timer();
            assertThat(latency.count()).isEqualTo(1);
            assertThat(latency.takeSnapshot().percentileValues()).hasSize(2);
        });
    }

    @Test
    void percentileHistogramPublishesBucketsWhereTheRegistryAggregatesThem() {
        runner.withBean(PrometheusMeterRegistry.class, () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .withPropertyValues("spool.metrics.percentile-histogram=true").run(context -> {
                    context.getBean("io", ThreadPool.class).submit(() -> 42).result(Duration.ofSeconds(10));
                    context.getBean(TimerFeed.class).flush();
                    assertThat(context.getBean(PrometheusMeterRegistry.class).scrape())
                            .contains("spool_future_latency_seconds_bucket{name=\"io\",outcome=\"success\"")
                            .contains("spool_lock_wait_seconds_bucket{backend=\"local\",name=\"inventory\"");
                });
    }

    @Test
    void theSpoolMetricsBeanBindsObjectsMadeAtRunTimeTheSameWay() {
        runner.withPropertyValues("spool.metrics.percentiles=0.95").run(context -> {
            SpoolMetrics metrics = context.getBean(SpoolMetrics.class);
            Lock made = metrics.bind(new Lock("made-at-run-time"));
            assertThat(made.name()).isEqualTo("made-at-run-time");
            Timer wait = context.getBean(MeterRegistry.class).find("spool.lock.wait")
                    .tag("name", "made-at-run-time").timer();
            assertThat(wait).isNotNull();
            assertThat(wait.takeSnapshot().percentileValues()).hasSize(1);
            assertThat(metrics.timerFeed()).isSameAs(context.getBean(TimerFeed.class));
        });
    }

    @Test
    void everyTaskGroupIsMeasuredPerNameAndNewNamesStopBeingBoundWithTheContext() {
        MeterRegistry[] registry = new MeterRegistry[1];
        runner.run(context -> {
            registry[0] = context.getBean(MeterRegistry.class);
            assertThat(context).hasSingleBean(TaskGroupMetrics.class);
            assertThat(registry[0].find("spool.taskgroup.active").tag("name", TaskGroups.UNNAMED).gauge())
                    .as("the unnamed group's meters exist before any group").isNotNull();

            ThreadPool io = context.getBean("io", ThreadPool.class);
            try (TaskGroup group = TaskGroup.on(io, "spring-checkout")) {
                group.submit(() -> 42);
                group.join();
            }
            assertThat(registry[0].find("spool.taskgroup.tasks").tags("name", "spring-checkout", "outcome", "success")
                    .functionCounter().count()).isEqualTo(1);
        });
        try (ThreadPool pool = new ThreadPool()) {
            TaskGroup.builder(pool).name("after-the-context").open().join();
        }
        assertThat(registry[0].find("spool.taskgroup.active").tag("name", "after-the-context").gauge()).isNull();
    }

    @Test
    void theReplayStopsWithTheContext() {
        TimerFeed[] replay = new TimerFeed[1];
        runner.run(context -> {
            replay[0] = context.getBean(TimerFeed.class);
            assertThat(replay[0].isClosed()).isFalse();
        });
        assertThat(replay[0].isClosed()).isTrue();
    }

    @Test
    void withoutAMeterRegistryNothingIsBound() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                        SpoolAutoConfiguration.class, SpoolMetricsAutoConfiguration.class))
                .withPropertyValues("spool.executors.io.max-workers=2")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasBean("io");
                    assertThat(context).doesNotHaveBean(SpoolMetrics.class)
                            .doesNotHaveBean(TimerFeed.class)
                            .doesNotHaveBean(SpoolMeterBindingPostProcessor.class);
                });
    }

    @Test
    void withoutMicrometerOnTheClassPathTheRestStillWorks() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer.core")).run(context -> {
            assertThat(context).hasNotFailed().hasBean("io").hasBean("inventory");
            assertThat(context).doesNotHaveBean(SpoolMetricsAutoConfiguration.class);
        });
    }

    @Test
    void anApplicationsOwnSpoolMetricsIsUsed() {
        SimpleMeterRegistry elsewhere = new SimpleMeterRegistry();
        runner.withBean("mySpoolMetrics", SpoolMetrics.class, () -> new SpoolMetrics(elsewhere)).run(context -> {
            assertThat(context).getBean(SpoolMetrics.class).isSameAs(context.getBean("mySpoolMetrics"));
            assertThat(elsewhere.find("executor.queued").tag("name", "io").gauge()).isNotNull();
            assertThat(context.getBean(MeterRegistry.class).find("executor.queued").tag("name", "io").gauge())
                    .isNull();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        @Bean(destroyMethod = "shutdown")
        ThreadPool reports() {
            return ThreadPool.builder().name("reports").maxWorkers(1).build();
        }

        @Bean
        Lock journal() {
            return new Lock("journal");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class LazyBean {
        @Bean
        @Lazy
        Semaphore late() {
            return new Semaphore("late", 5);
        }
    }
}
