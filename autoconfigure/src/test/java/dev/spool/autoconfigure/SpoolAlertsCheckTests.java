package dev.spool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.autoconfigure.alerts.SpoolAlertsAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A wrong {@code spool.alerts.*} value stops start-up, and the analysis names the key and what to write. */
@Timeout(30)
class SpoolAlertsCheckTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, SpoolAutoConfiguration.class,
                    SpoolAlertsAutoConfiguration.class));

    @Test
    void theDefaultsPass() {
        runner.withPropertyValues("spool.executors.io.queue-capacity=10").run(context ->
                assertThat(context).hasNotFailed());
    }

    @Test
    void everyWrongValueIsNamedByItsKeyInOneReport() {
        FailureAnalysis analysis = analyze("spool.alerts.check-interval=0s", "spool.alerts.silence=-1s",
                "spool.alerts.queue-usage.threshold=1.5", "spool.alerts.worker-usage.threshold=0",
                "spool.alerts.rejections.threshold=0", "spool.alerts.run-timeout.threshold=-1",
                "spool.alerts.queue-timeout.names.io.threshold=0", "spool.alerts.lock-wait.threshold=0ms",
                "spool.alerts.queue-usage.names.batch.threshold=2", "spool.alerts.lock-wait.names.ledger.threshold=-5s");

        assertThat(analysis.getDescription())
                .contains("spool.alerts.check-interval: must be positive, was PT0S")
                .contains("spool.alerts.silence: must be zero or positive, was PT-1S")
                .contains("spool.alerts.queue-usage.threshold: must be above 0 and at most 1, was 1.5")
                .contains("spool.alerts.worker-usage.threshold: must be above 0 and at most 1, was 0.0")
                .contains("spool.alerts.rejections.threshold: must be at least 1, was 0")
                .contains("spool.alerts.run-timeout.threshold: must be at least 1, was -1")
                .contains("spool.alerts.queue-timeout.names.io.threshold: must be at least 1, was 0")
                .contains("spool.alerts.lock-wait.threshold: must be positive, was PT0S")
                .contains("spool.alerts.queue-usage.names.batch.threshold: must be above 0 and at most 1, was 2.0")
                .contains("spool.alerts.lock-wait.names.ledger.threshold: must be positive, was PT-5S");
        assertThat(analysis.getAction())
                .contains("spool.alerts.check-interval: set a positive duration such as 10s")
                .contains("spool.alerts.queue-usage.threshold: set a fraction of the queue capacity such as 0.8")
                .contains("spool.alerts.worker-usage.threshold: set a fraction of the workers such as 0.9")
                .contains("spool.alerts.rejections.threshold: set it to 1 (fire on any) or more")
                .contains("spool.alerts.lock-wait.threshold: set a duration such as 500ms");
    }

    @Test
    void aMisspelledAlertKeyIsAnUnknownKeyWithTheNearestValidOne() {
        FailureAnalysis analysis = analyze("spool.alerts.queue-usage.treshold=0.5");
        assertThat(analysis.getDescription()).contains("spool.alerts.queue-usage.treshold: is not a Spool key");
        assertThat(analysis.getAction()).contains("did you mean `spool.alerts.queue-usage.threshold`?");
    }

    @Test
    void aWordWhereADurationBelongsNamesTheKey() {
        FailureAnalysis analysis = analyze("spool.alerts.lock-wait.threshold=slow");
        assertThat(analysis.getDescription()).contains("spool.alerts.lock-wait.threshold").contains("slow");
    }

    private FailureAnalysis analyze(String... properties) {
        FailureAnalysis[] result = new FailureAnalysis[1];
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            result[0] = SpoolStartupFailureTests.analysisOf(context.getStartupFailure());
        });
        assertThat(result[0]).as("a failure analysis").isNotNull();
        return result[0];
    }
}
