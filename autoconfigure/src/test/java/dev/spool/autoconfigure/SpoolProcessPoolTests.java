package dev.spool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import dev.spool.futures.BrokenProcessPoolException;
import dev.spool.futures.ExecutorType;
import dev.spool.futures.ProcessPool;
import dev.spool.futures.SerializableCallable;
import dev.spool.futures.TaskFuture;
import dev.spool.futures.WorkerInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** {@code type: process}: a real {@link ProcessPool} with its keys, and its shutdown. Each worker is a JVM: few here. */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(60)
class SpoolProcessPoolTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, SpoolAutoConfiguration.class))
            .withPropertyValues("spool.executors.crunch.type=process", "spool.executors.crunch.max-workers=1");

    @Test
    void prestartedWorkersThatCannotStartStopStartUpNamingTheKeyAndQuotingTheJvm() {
        runner.withPropertyValues("spool.executors.crunch.prestart=true",
                "spool.executors.crunch.jvm-options[0]=-XX:+NoSuchOption").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = SpoolStartupFailureTests.analysisOf(context.getStartupFailure());
            assertThat(analysis).as("a failure analysis").isNotNull();
            assertThat(analysis.getDescription()).contains("process pool 'crunch' could not start")
                    .contains("Unrecognized VM option 'NoSuchOption'");
            assertThat(analysis.getAction()).contains("spool.executors.crunch.jvm-options");
        });
    }

    @Test
    void withoutPrestartTheFirstTaskNamesTheKey() {
        runner.withPropertyValues("spool.executors.crunch.jvm-options[0]=-XX:+NoSuchOption").run(context -> {
            assertThat(context).hasNotFailed();
            ProcessPool crunch = context.getBean("crunch", ProcessPool.class);
            Throwable failure = crunch.submit((SerializableCallable<Integer>) () -> 1).exception(Duration.ofSeconds(30));
            assertThat(failure).isInstanceOf(BrokenProcessPoolException.class)
                    .hasMessageContaining("Unrecognized VM option 'NoSuchOption'")
                    .hasMessageContaining("spool.executors.crunch.jvm-options");
        });
    }

    @Test
    void processKeysShapeTheWorkerJvms() {
        runner.withPropertyValues("spool.executors.crunch.max-tasks-per-child=1", "spool.executors.crunch.prestart=true",
                "spool.executors.crunch.jvm-options=-Xmx96m,-XX:+UseSerialGC,-XX:TieredStopAtLevel=1,"
                        + "-XX:+ExitOnOutOfMemoryError,-Dspool.test.marker=crunch").run(context -> {
            ProcessPool crunch = context.getBean("crunch", ProcessPool.class);
            assertThat(crunch.name()).isEqualTo("crunch");
            assertThat(crunch.type()).isEqualTo(ExecutorType.PROCESS);
            assertThat(crunch.stats().maxWorkers()).isEqualTo(1);
            assertThat(crunch.stats().poolSize()).as("prestarted").isEqualTo(1);

            List<String> first = crunch.submit((SerializableCallable<List<String>>) () -> {
                List<String> facts = new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments());
                facts.add("pid=" + ProcessHandle.current().pid());
                return facts;
            }).result(Duration.ofSeconds(30));
            assertThat(first).contains("-Xmx96m", "-Dspool.test.marker=crunch")
                    .doesNotContain("pid=" + ProcessHandle.current().pid());
            long second = crunch.submit((SerializableCallable<Long>) () -> ProcessHandle.current().pid())
                    .result(Duration.ofSeconds(30));
            assertThat(first).as("max-tasks-per-child=1: a new worker for the second task")
                    .doesNotContain("pid=" + second);
        });
    }

    @Test
    void aWorkerStillBusyAtTheDeadlineIsNamedByPidAndTerminated(CapturedOutput output) {
        runner.withPropertyValues("spool.executors.crunch.shutdown.await-termination=200ms").run(context -> {
            ProcessPool crunch = context.getBean("crunch", ProcessPool.class);
            TaskFuture<Integer> stuck = crunch.submit((SerializableCallable<Integer>) () -> {
                new CountDownLatch(1).await(); // a task that never ends on its own
                return 1;
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> crunch.workers().stream()
                    .anyMatch(worker -> worker.state() == WorkerInfo.State.BUSY));
            long pid = crunch.workers().get(0).pid();
            context.close();
            assertThat(output).contains("Executor 'crunch' did not terminate within 200ms of shutdown")
                    .contains("in worker processes [pid " + pid + " (crunch-worker-")
                    .contains("terminating the workers: their tasks fail");
            assertThat(stuck.exception(Duration.ofSeconds(30))).isInstanceOf(BrokenProcessPoolException.class);
            await().atMost(Duration.ofSeconds(30)).until(crunch::isTerminated);
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        });
    }
}
