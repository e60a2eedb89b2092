package dev.spool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Objects;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * Every bad configuration stops start-up, and the failure analysis a person reads names the key and says what to
 * write instead. The analyses are those Boot prints: found through {@code META-INF/spring.factories}, in order.
 */
@Timeout(30)
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
                "spool.executors.io.type: 'proces' is not one of thread, virtual, process",
                "spool.executors.io.type: write one of thread, virtual, process");
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
