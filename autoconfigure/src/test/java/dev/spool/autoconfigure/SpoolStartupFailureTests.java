package dev.spool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Objects;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * Every bad configuration stops start-up, and the failure analysis a person reads names the key and says what to
 * write instead. The analyses are those Boot prints: found through {@code META-INF/spring.factories}, in order.
 */
@Timeout(30)
@ExtendWith(OutputCaptureExtension.class)
class SpoolStartupFailureTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, SpoolAutoConfiguration.class,
                    SpoolDefaultExecutorAutoConfiguration.class));

    @Test
    void aNameUsedByTwoKinds() {
        assertFailure(new String[] {"spool.executors.io.max-workers=2", "spool.locks.io.reentrant=true"},
                "spool.locks.io: uses the name 'io', already taken by spool.executors.io",
                "spool.locks.io: rename one of the two");
    }

    @Test
    void anUnknownTypeListsTheValuesAsWrittenInYaml() {
        assertFailure(new String[] {"spool.executors.io.type=proces"},
                "spool.executors.io.type: 'proces' is not one of thread, virtual, process, scheduled",
                "spool.executors.io.type: write one of thread, virtual, process, scheduled");
    }

    @Test
    void anUnknownRejectionPolicyListsTheValuesAsWrittenInYaml() {
        assertFailure(new String[] {"spool.executors.io.rejection-policy=callers-run"},
                "'callers-run' is not one of abort, caller-runs, discard, discard-oldest",
                "spool.executors.io.rejection-policy: write one of abort, caller-runs, discard, discard-oldest");
    }

    @Test
    void aWordWhereANumberBelongsIsLeftToBootsAnalysisWhichNamesTheKey() {
        FailureAnalysis analysis = analyze("spool.executors.io.max-workers=lots");
        assertThat(analysis.getDescription()).contains("spool.executors.io.max-workers").contains("lots");
        assertThat(analysis.getAction()).contains("Update your application's configuration");
    }

    @Test
    void zeroAndNegativeSizes() {
        FailureAnalysis analysis = analyze("spool.executors.io.max-workers=0", "spool.executors.io.queue-capacity=-5",
                "spool.semaphores.db.permits=-1", "spool.barriers.batch.parties=0",
                "spool.executors.crunch.type=process", "spool.executors.crunch.max-tasks-per-child=0");
        assertThat(analysis.getDescription())
                .contains("spool.executors.io.max-workers: must be at least 1, was 0")
                .contains("spool.executors.io.queue-capacity: must be 0 or more, was -5")
                .contains("spool.semaphores.db.permits: must not be negative, was -1")
                .contains("spool.barriers.batch.parties: must be at least 1, was 0")
                .contains("spool.executors.crunch.max-tasks-per-child: must be at least 1, was 0");
        assertThat(analysis.getAction())
                .contains("spool.executors.io.max-workers: set it to 1 or more")
                .contains("spool.barriers.batch.parties: set it to the number of threads");
    }

    @Test
    void processOnlyKeysOnAThreadPool() {
        assertFailure(new String[] {"spool.executors.io.max-tasks-per-child=100", "spool.executors.io.jvm-options=-Xmx1g"},
                "spool.executors.io.max-tasks-per-child: applies to process pools only; this one is type thread",
                "spool.executors.io.jvm-options: remove it, or set type: process");
    }

    @Test
    void prestartOnAVirtualPoolAndAThreadNamePrefixOnAProcessPool() {
        assertFailure(new String[] {"spool.executors.burst.type=virtual", "spool.executors.burst.prestart=true",
                        "spool.executors.crunch.type=process", "spool.executors.crunch.thread-name-prefix=c-"},
                "spool.executors.burst.prestart: does not apply to a virtual pool",
                "spool.executors.crunch.thread-name-prefix: remove it, or change type to thread or virtual");
    }

    @Test
    void aConditionNamingAMissingLock() {
        assertFailure(new String[] {"spool.locks.inventory.reentrant=true", "spool.conditions.stock.lock=inventroy"},
                "spool.conditions.stock.lock: names lock 'inventroy', which spool.locks does not define",
                "spool.conditions.stock.lock: define spool.locks.inventroy, name one of [inventory]");
    }

    @Test
    void aDefaultExecutorThatDoesNotExist() {
        assertFailure(new String[] {"spool.executors.io.max-workers=2", "spool.default-executor=oi"},
                "spool.default-executor: names executor 'oi', which spool.executors does not define",
                "spool.default-executor: name one of [io]");
    }

    @Test
    void aDefaultExecutorThatIsAProcessPool() {
        assertFailure(new String[] {"spool.executors.crunch.type=process", "spool.default-executor=crunch"},
                "spool.default-executor: names 'crunch', a process pool, which cannot run @Async methods",
                "submit SerializableCallable tasks to the process pool directly");
    }

    @Test
    void aDurationThatIsNotPositive() {
        assertFailure(new String[] {"spool.executors.io.keep-alive=0s", "spool.barriers.b.parties=2",
                        "spool.barriers.b.timeout=-1s", "spool.executors.io.shutdown.await-termination=-1s"},
                "spool.executors.io.keep-alive: must be positive, was PT0S",
                "spool.executors.io.shutdown.await-termination: set a duration such as 30s");
    }

    @Test
    void everyProblemIsReportedInOneStartUp() {
        FailureAnalysis analysis = analyze("spool.executors.io.max-workers=0", "spool.locks.io.fair=true",
                "spool.conditions.c.lock=nope", "spool.default-executor=missing");
        assertThat(analysis.getDescription().lines().filter(line -> line.startsWith("    spool."))).hasSize(4);
    }

    // ---------------------------------------------------------------------------------------------- unknown keys

    @Test
    void aMisspelledExecutorKeyStopsStartUpWithTheKeyItsOriginAndTheNearestValidKey() {
        FailureAnalysis analysis = analyze("spool.executors.io.max-worker=4");
        assertThat(analysis.getDescription()).contains("    spool.executors.io.max-worker: is not a Spool key (")
                .contains("from property source");
        assertThat(analysis.getAction()).contains(
                "    spool.executors.io.max-worker: did you mean `spool.executors.io.max-workers`? remove or rename it, "
                        + "or set spool.unknown-keys: warn");
    }

    @Test
    void unknownKeysAreFoundAtEveryDepthAndKindWithTheirNearestKey() {
        FailureAnalysis analysis = analyze("spool.executors.io.shutdown.await-terminaton=5s",
                "spool.executor.cpu.max-workers=2", "spool.locks.inventory.reentrnt=true",
                "spool.semaphores.db.permit=3", "spool.events.ready.initialy-set=true", "spool.barriers.b.parties=2",
                "spool.barriers.b.timout=1s", "spool.conditions.c.lok=x", "spool.metrics.percentile=0.5",
                "spool.endpoints.write.enable=true", "spool.health.saturation=0.5", "spool.propagate-mcd=false",
                "spool.locks.inventory.permits=1", "spool.executors.io.jvm-option[0]=-Xmx1g");
        assertThat(analysis.getAction())
                .contains("spool.executors.io.shutdown.await-terminaton: did you mean "
                        + "`spool.executors.io.shutdown.await-termination`?")
                .contains("spool.executor.cpu.max-workers: did you mean `spool.executors.cpu.max-workers`?")
                .contains("spool.locks.inventory.reentrnt: did you mean `spool.locks.inventory.reentrant`?")
                .contains("spool.semaphores.db.permit: did you mean `spool.semaphores.db.permits`?")
                .contains("spool.events.ready.initialy-set: did you mean `spool.events.ready.initially-set`?")
                .contains("spool.barriers.b.timout: did you mean `spool.barriers.b.timeout`?")
                .contains("spool.conditions.c.lok: did you mean `spool.conditions.c.lock`?")
                .contains("spool.metrics.percentile: did you mean `spool.metrics.percentiles`?")
                .contains("spool.endpoints.write.enable: did you mean `spool.endpoints.write.enabled`?")
                .contains("spool.propagate-mcd: did you mean `spool.propagate-mdc`?")
                .contains("spool.executors.io.jvm-option[0]: did you mean `spool.executors.io.jvm-options`?")
                .as("a key of another kind, with nothing near it")
                .contains("spool.locks.inventory.permits: remove or rename it");
        assertThat(analysis.getDescription().lines().filter(line -> line.startsWith("    spool."))).hasSize(13);
    }

    @Test
    void unknownKeysAreReportedWithTheOtherProblemsInOneStartUp() {
        FailureAnalysis analysis = analyze("spool.executors.io.max-worker=4", "spool.executors.io.max-workers=0");
        assertThat(analysis.getDescription()).contains("spool.executors.io.max-worker: is not a Spool key")
                .contains("spool.executors.io.max-workers: must be at least 1, was 0");
    }

    @Test
    void aYamlFileGivesTheFileAndLine() {
        FailureAnalysis[] result = new FailureAnalysis[1];
        runner.withInitializer(context -> {
            try {
                new org.springframework.boot.env.YamlPropertySourceLoader()
                        .load("typo", new org.springframework.core.io.ClassPathResource("unknown-key.yml"))
                        .forEach(context.getEnvironment().getPropertySources()::addFirst);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).run(context -> result[0] = analysisOf(context.getStartupFailure()));
        assertThat(result[0].getDescription())
                .contains("spool.executors.io.max-worker: is not a Spool key (class path resource [unknown-key.yml] "
                        + "- 4:19)");
    }

    @Test
    void withUnknownKeysWarnStartUpGoesOnAndEachKeyIsLogged(CapturedOutput output) {
        runner.withPropertyValues("spool.unknown-keys=warn", "spool.executors.io.type=thread",
                "spool.executors.io.max-worker=4", "spool.locks.l.fair=true",
                "spool.locks.l.fare=true").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasBean("io").hasBean("l");
                });
        assertThat(output).containsPattern("WARN .*Spool ignores spool.executors.io.max-worker \\(.*\\): it is not a "
                        + "Spool key; did you mean `spool.executors.io.max-workers`\\? remove or rename it")
                .contains("Spool ignores spool.locks.l.fare");
    }

    @Test
    void everyValidKeyIsKnown() {
        runner.withPropertyValues("spool.unknown-keys=fail", "spool.default-executor=io", "spool.propagate-mdc=true",
                "spool.executors.io.type=thread", "spool.executors.io.max-workers=2",
                "spool.executors.io.queue-capacity=5", "spool.executors.io.rejection-policy=caller-runs",
                "spool.executors.io.thread-name-prefix=io-", "spool.executors.io.keep-alive=30s",
                "spool.executors.io.prestart=true", "spool.executors.io.shutdown.await-termination=1s",
                "spool.executors.io.shutdown.cancel-futures=true", "spool.locks.l.reentrant=true",
                "spool.locks.l.fair=true", "spool.semaphores.s.permits=2", "spool.semaphores.s.bounded=true",
                "spool.semaphores.s.fair=true", "spool.events.e.initially-set=true", "spool.barriers.b.parties=2",
                "spool.barriers.b.timeout=5s", "spool.conditions.c.lock=l", "spool.metrics.percentiles[0]=0.5",
                "spool.metrics.step=1s", "spool.endpoints.write.enabled=false",
                "spool.health.saturation-threshold=0.8", "spool.executors.io.maxWorkers=2")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aRunTimeoutOrQueueTimeoutThatIsNotPositive() {
        assertFailure(new String[] {"spool.executors.io.run-timeout=0s"},
                "spool.executors.io.run-timeout: must be positive, was PT0S",
                "spool.executors.io.run-timeout: set a duration longer than its slowest task should take");
        assertFailure(new String[] {"spool.executors.io.queue-timeout=-1s"},
                "spool.executors.io.queue-timeout: must be positive, was PT-1S",
                "spool.executors.io.queue-timeout: set a duration such as 5s");
        assertFailure(new String[] {"spool.executor-defaults.run-timeout=0ms", "spool.executors.io.max-workers=1"},
                "spool.executor-defaults.run-timeout: must be positive, was PT0S",
                "spool.executor-defaults.run-timeout: set a duration longer than any task should take");
    }

    @Test
    void interruptOnRunTimeoutWithoutARunTimeout() {
        assertFailure(new String[] {"spool.executors.io.interrupt-on-run-timeout=true"},
                "spool.executors.io.interrupt-on-run-timeout: needs a run-timeout, and neither"
                        + " spool.executors.io.run-timeout nor spool.executor-defaults.run-timeout is set",
                "spool.executors.io.interrupt-on-run-timeout: set spool.executors.io.run-timeout (such as 30s),"
                        + " or remove interrupt-on-run-timeout");
        runner.withPropertyValues("spool.executors.io.interrupt-on-run-timeout=true",
                        "spool.executor-defaults.run-timeout=1m")
                .run(context -> assertThat(context).as("the default run-timeout is one").hasNotFailed());
    }

    @Test
    void cancelOnQueueTimeoutWithoutAQueueTimeout() {
        assertFailure(new String[] {"spool.executors.io.cancel-on-queue-timeout=true"},
                "spool.executors.io.cancel-on-queue-timeout: needs a queue-timeout",
                "spool.executors.io.cancel-on-queue-timeout: set spool.executors.io.queue-timeout (such as 5s),"
                        + " or remove cancel-on-queue-timeout");
    }

    @Test
    void interruptOnRunTimeoutOnAProcessPool() {
        assertFailure(new String[] {"spool.executors.crunch.type=process", "spool.executors.crunch.run-timeout=1m",
                        "spool.executors.crunch.interrupt-on-run-timeout=true"},
                "spool.executors.crunch.interrupt-on-run-timeout: does not apply to a process pool",
                "spool.executors.crunch.interrupt-on-run-timeout: remove it; run-timeout still reports hung tasks,"
                        + " and ProcessPool.terminateWorkers() ends the running tasks");
    }

    @Test
    void aBlankHungTasksStatus() {
        assertFailure(new String[] {"spool.health.hung-tasks-status= "},
                "spool.health.hung-tasks-status: must name a health status",
                "spool.health.hung-tasks-status: set DOWN (the default), OUT_OF_SERVICE");
    }

    private void assertFailure(String[] properties, String description, String action) {
        FailureAnalysis analysis = analyze(properties);
        assertThat(analysis.getDescription()).contains(description);
        assertThat(analysis.getAction()).contains(action);
    }

    private FailureAnalysis analyze(String... properties) {
        FailureAnalysis[] result = new FailureAnalysis[1];
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            result[0] = analysisOf(context.getStartupFailure());
        });
        assertThat(result[0]).as("a failure analysis").isNotNull();
        return result[0];
    }

    /** What Boot would print: the first analysis of the analyzers registered in spring.factories, in their order. */
    static FailureAnalysis analysisOf(Throwable failure) {
        SpringFactoriesLoader.ArgumentResolver arguments = SpringFactoriesLoader.ArgumentResolver
                .of(BeanFactory.class, new DefaultListableBeanFactory())
                .and(Environment.class, new StandardEnvironment());
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, arguments, (type, name, cause) -> {
                    // as Boot: an analyzer whose classes are missing (web, JDBC) is left out
                });
        return analyzers.stream().filter(Objects::nonNull).map(analyzer -> analyzer.analyze(failure))
                .filter(Objects::nonNull).findFirst().orElse(null);
    }
}
