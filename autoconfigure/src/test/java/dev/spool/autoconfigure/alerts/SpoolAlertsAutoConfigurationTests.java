package dev.spool.autoconfigure.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.spool.autoconfigure.SpoolAutoConfiguration;
import dev.spool.futures.ThreadPool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * The alerts in a Spring context: an {@code @EventListener} bean hears them, the schedule runs them on its own thread
 * and stops with the context, the counter is in the application's registry, and the auto-configuration backs off as
 * documented.
 */
@Timeout(30)
@ExtendWith(OutputCaptureExtension.class)
class SpoolAlertsAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                    SpoolAutoConfiguration.class, MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                    SpoolAlertsAutoConfiguration.class))
            .withUserConfiguration(Listener.class)
            .withPropertyValues("spool.executors.io.max-workers=1", "spool.executors.io.queue-capacity=2",
                    "spool.locks.ledger.reentrant=false");

    /** An application's listener. */
    @Configuration(proxyBeanMethods = false)
    static class Listener {
        final List<SpoolAlertEvent> heard = new CopyOnWriteArrayList<>();

        final List<SpoolAlertEvent> queueOnly = new CopyOnWriteArrayList<>();

        @EventListener
        void onAlert(SpoolAlertEvent alert) {
            heard.add(alert);
        }

        /** The condition's form docs/operations.md shows. */
        @EventListener(condition = "#root.event.alert().name() == 'QUEUE_USAGE'")
        void onQueueUsage(SpoolAlertEvent alert) {
            queueOnly.add(alert);
        }
    }

    @Test
    void anEventListenerBeanHearsTheAlertAndTheCounterCountsIt() {
        runner.run(context -> {
            ThreadPool io = context.getBean("io", ThreadPool.class);
            try (Occupied occupied = Occupied.occupy(io, 1, 2)) {
                List<SpoolAlertEvent> published = context.getBean(AlertSchedule.class).evaluator()
                        .evaluate(Instant.now());

                List<SpoolAlertEvent> heard = context.getBean(Listener.class).heard;
                assertThat(heard).isEqualTo(published);
                assertThat(heard).extracting(SpoolAlertEvent::alert)
                        .containsExactlyInAnyOrder(SpoolAlert.QUEUE_USAGE, SpoolAlert.WORKER_USAGE);
                assertThat(context.getBean(Listener.class).queueOnly).extracting(SpoolAlertEvent::alert)
                        .containsExactly(SpoolAlert.QUEUE_USAGE);
                assertThat(heard).filteredOn(e -> e.alert() == SpoolAlert.QUEUE_USAGE).singleElement()
                        .satisfies(event -> {
                            assertThat(event.name()).isEqualTo("io");
                            assertThat(event.getSource()).isSameAs(io);
                            assertThat(event.message())
                                    .isEqualTo("executor io: queue 100 % full (2 of 2), threshold 80 %");
                        });
                Counter counter = context.getBean(MeterRegistry.class).find("spool.alerts")
                        .tags("alert", "queue_usage", "name", "io").counter();
                assertThat(counter).isNotNull();
                assertThat(counter.count()).isEqualTo(1.0);
            }
        });
    }

    @Test
    void theScheduleChecksOnItsOwnThreadAndStopsWithTheContext() {
        Thread[] worker = new Thread[1];
        runner.withPropertyValues("spool.alerts.check-interval=20ms").run(context -> {
            ThreadPool io = context.getBean("io", ThreadPool.class);
            try (Occupied occupied = Occupied.occupy(io, 1, 2)) {
                List<SpoolAlertEvent> heard = context.getBean(Listener.class).heard;
                await().atMost(Duration.ofSeconds(10)).until(() -> !heard.isEmpty());
                assertThat(heard).extracting(SpoolAlertEvent::alert)
                        .contains(SpoolAlert.QUEUE_USAGE, SpoolAlert.WORKER_USAGE);
                worker[0] = context.getBean(AlertSchedule.class).worker();
                assertThat(worker[0]).isNotNull();
                assertThat(worker[0].getName()).isEqualTo("spool-alerts");
                assertThat(worker[0].isDaemon()).isTrue();
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> !worker[0].isAlive());
    }

    @Test
    void everyCounterIsThereAtZeroFromStartUpWithItsTagsAndPrometheusName() {
        runner.withBean(PrometheusMeterRegistry.class, () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    java.util.Collection<Meter> meters = registry.find("spool.alerts").meters();
                    assertThat(meters).extracting(m -> m.getId().getTag("alert") + " " + m.getId().getTag("name"))
                            .containsExactlyInAnyOrder("queue_usage io", "worker_usage io", "rejections io",
                                    "run_timeout io", "queue_timeout io", "lock_wait ledger");
                    assertThat(meters).allSatisfy(meter -> {
                        assertThat(meter.getId().getType()).isEqualTo(Meter.Type.COUNTER);
                        assertThat(meter.getId().getBaseUnit()).isNull();
                        assertThat(meter.getId().getDescription()).isNotBlank();
                        assertThat(meter.getId().getTags()).extracting(tag -> tag.getKey())
                                .containsExactlyInAnyOrder("alert", "name");
                    });
                    String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
                    assertThat(scrape).contains("spool_alerts_total{alert=\"queue_usage\",name=\"io\"} 0")
                            .contains("spool_alerts_total{alert=\"lock_wait\",name=\"ledger\"} 0")
                            .contains("# HELP spool_alerts_total Alert events Spool published");
                });
    }

    @Test
    void withoutMicrometerTheAlertsStillFire() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer")).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerAlertMeters.class);
            ThreadPool io = context.getBean("io", ThreadPool.class);
            try (Occupied occupied = Occupied.occupy(io, 1, 2)) {
                context.getBean(AlertSchedule.class).evaluator().evaluate(Instant.now());
                assertThat(context.getBean(Listener.class).heard).extracting(SpoolAlertEvent::alert)
                        .contains(SpoolAlert.QUEUE_USAGE);
            }
        });
    }

    @Test
    void spoolAlertsEnabledFalseLeavesThemOut() {
        runner.withPropertyValues("spool.alerts.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(AlertSchedule.class);
            assertThat(context.getBean(MeterRegistry.class).find("spool.alerts").meters()).isEmpty();
        });
    }

    @Test
    void anOverrideOfANameThatMatchesNothingIsSaidAtStartUp(CapturedOutput output) {
        runner.withPropertyValues("spool.alerts.queue-usage.names.oi.threshold=0.5",
                "spool.alerts.lock-wait.names.ledger.threshold=2s").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).contains("spool.alerts.queue-usage.names.oi names no executor (known: io); it"
                    + " applies to none until a bean of that name exists: check the spelling");
            assertThat(output).doesNotContain("spool.alerts.lock-wait.names.ledger names no");
        });
    }
}
