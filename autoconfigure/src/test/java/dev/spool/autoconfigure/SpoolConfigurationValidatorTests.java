package dev.spool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.util.List;
import java.util.Map;

import dev.spool.autoconfigure.InvalidSpoolConfigurationException.Problem;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.diagnostics.FailureAnalysis;

class SpoolConfigurationValidatorTests {

    @Test
    void aConfigurationWithEveryKindPasses() {
        assertThatNoException().isThrownBy(() -> validate(Map.of(
                "spool.default-executor", "io",
                "spool.executors.io.max-workers", "4",
                "spool.executors.io.queue-capacity", "100",
                "spool.executors.crunch.type", "process",
                "spool.executors.crunch.max-tasks-per-child", "10",
                "spool.locks.inventory.reentrant", "true",
                "spool.semaphores.db.permits", "0",
                "spool.barriers.batch.parties", "4",
                "spool.conditions.stock.lock", "inventory")));
    }

    @Test
    void aNameUsedByTwoKindsIsReportedAtTheSecondKey() {
        List<Problem> problems = problemsOf(Map.of("spool.executors.io.max-workers", "2",
                "spool.locks.io.reentrant", "true"));
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("spool.locks.io");
            assertThat(p.description()).contains("spool.executors.io");
            assertThat(p.action()).contains("rename");
        });
    }

    @Test
    void zeroOrNegativeSizesNameTheirKey() {
        List<Problem> problems = problemsOf(Map.of(
                "spool.executors.io.max-workers", "0",
                "spool.executors.io.queue-capacity", "-1",
                "spool.semaphores.db.permits", "-2",
                "spool.barriers.batch.parties", "0"));
        assertThat(problems).extracting(Problem::key).containsExactlyInAnyOrder(
                "spool.executors.io.max-workers", "spool.executors.io.queue-capacity",
                "spool.semaphores.db.permits", "spool.barriers.batch.parties");
        assertThat(problems).allSatisfy(p -> assertThat(p.action()).isNotBlank());
    }

    @Test
    void aZeroQueueCapacityIsDirectHandOffAndPasses() {
        assertThat(problemsOf(Map.of("spool.executors.io.queue-capacity", "0"))).isEmpty();
    }

    @Test
    void moreWorkersThanAThreadPoolCanCountIsReportedAtStartUp() {
        assertThat(problemsOf(Map.of("spool.executors.io.max-workers", "16777216"))).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("spool.executors.io.max-workers");
            assertThat(p.description()).contains("at most 16777215");
        });
        assertThat(problemsOf(Map.of("spool.executors.io.type", "virtual",
                "spool.executors.io.max-workers", "16777216"))).isEmpty(); // a virtual pool: no limit then
    }

    @Test
    void aBlankJvmOptionIsReported() {
        assertThat(problemsOf(Map.of("spool.executors.crunch.type", "process",
                "spool.executors.crunch.jvm-options[0]", "-Xmx64m",
                "spool.executors.crunch.jvm-options[1]", " "))).singleElement()
                .satisfies(p -> assertThat(p.key()).isEqualTo("spool.executors.crunch.jvm-options"));
    }

    @Test
    void processOnlyKeysOnAThreadPoolAreRejected() {
        List<Problem> problems = problemsOf(Map.of("spool.executors.io.max-tasks-per-child", "100",
                "spool.executors.io.jvm-options[0]", "-Xmx64m"));
        assertThat(problems).extracting(Problem::key)
                .containsExactlyInAnyOrder("spool.executors.io.max-tasks-per-child", "spool.executors.io.jvm-options");
        assertThat(problems.get(0).action()).contains("type: process");
    }

    @Test
    void aConditionNamingAMissingLockSaysWhichLocksExist() {
        List<Problem> problems = problemsOf(Map.of("spool.locks.inventory.reentrant", "true",
                "spool.conditions.stock.lock", "inventroy"));
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("spool.conditions.stock.lock");
            assertThat(p.description()).contains("inventroy");
            assertThat(p.action()).contains("[inventory]");
        });
    }

    @Test
    void aDefaultExecutorThatDoesNotExistOrIsAProcessPoolIsRejected() {
        assertThat(problemsOf(Map.of("spool.default-executor", "oi", "spool.executors.io.max-workers", "2")))
                .singleElement().satisfies(p -> {
                    assertThat(p.key()).isEqualTo("spool.default-executor");
                    assertThat(p.action()).contains("[io]");
                });
        assertThat(problemsOf(Map.of("spool.default-executor", "crunch", "spool.executors.crunch.type", "process")))
                .singleElement().satisfies(p -> assertThat(p.description()).contains("process pool"));
    }

    @Test
    void barriersAndConditionsRefuseRedisButStayLocalUnderTheDefault() {
        assertThat(problemsOf(Map.of("spool.barriers.batch.parties", "2", "spool.barriers.batch.backend", "redis",
                "spool.conditions.stock.backend", "redis")))
                .extracting(Problem::key)
                .containsExactlyInAnyOrder("spool.barriers.batch.backend", "spool.conditions.stock.backend");
        assertThat(problemsOf(Map.of("spool.barriers.batch.parties", "2", "spool.barriers.batch.backend", "redis")))
                .singleElement().satisfies(p -> {
                    assertThat(p.description()).contains("always local");
                    assertThat(p.action()).contains("set it to local");
                });
        assertThat(problemsOf(Map.of("spool.barriers.batch.parties", "2", "spool.barriers.batch.backend", "local")))
                .isEmpty();
    }

    @Test
    void aLeaseOnALocalPrimitiveOrTooShortALeaseIsReported() {
        assertThat(problemsOf(Map.of("spool.locks.inventory.lease", "10s"))).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("spool.locks.inventory.lease");
            assertThat(p.description()).contains("redis only");
            assertThat(p.action()).contains("backend: redis");
        });
        assertThat(problemsOf(Map.of("spool.semaphores.db.backend", "redis", "spool.semaphores.db.lease", "200ms")))
                .extracting(Problem::key)
                .contains("spool.semaphores.db.lease");
    }

    @Test
    void aConditionOverARedisLockAndAnInitiallySetRedisEventAreReported() {
        assertThat(problemsOf(Map.of("spool.locks.inventory.backend", "redis", "spool.conditions.stock.lock",
                "inventory", "spool.events.ready.backend", "redis", "spool.events.ready.initially-set", "true")))
                .extracting(Problem::key)
                .contains("spool.conditions.stock.lock", "spool.events.ready.initially-set");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThat(problemsOf(Map.of("spool.executors.io.max-workers", "-1", "spool.barriers.b.parties", "0",
                "spool.health.saturation-threshold", "1.5", "spool.metrics.percentiles[0]", "95"))).hasSize(4);
    }

    @Test
    void theFailureAnalysisListsEachKeyWithItsFix() {
        InvalidSpoolConfigurationException failure = new InvalidSpoolConfigurationException(problemsOf(
                Map.of("spool.executors.io.max-workers", "0")));
        FailureAnalysis analysis = new SpoolConfigurationFailureAnalyzer().analyze(new IllegalStateException(failure));
        assertThat(analysis.getDescription()).contains("spool.executors.io.max-workers: must be at least 1, was 0");
        assertThat(analysis.getAction()).contains("spool.executors.io.max-workers: set it to 1 or more");
    }

    private static List<Problem> problemsOf(Map<String, String> properties) {
        try {
            validate(properties);
        } catch (InvalidSpoolConfigurationException failure) {
            return failure.problems();
        }
        return List.of();
    }

    private static void validate(Map<String, String> properties) {
        Binder binder = new Binder(new MapConfigurationPropertySource(properties));
        SpoolProperties bound = binder.bind("spool", Bindable.of(SpoolProperties.class)).orElseGet(SpoolProperties::new);
        SpoolConfigurationValidator.validate(bound);
    }
}
