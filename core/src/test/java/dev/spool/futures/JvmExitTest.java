package dev.spool.futures;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cases of CPython's test suite about a program that exits (SH-02, SH-07, SH-14): each runs
 * {@link ExitScenarios} in a child JVM and reads what it printed.
 */
@Timeout(60)
class JvmExitTest {

    private record Outcome(int exitCode, String out, String err) {
    }

    private static Outcome run(String scenario) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ExitScenarios.class.getName(), scenario).start();
        process.getOutputStream().close();
        boolean ended = process.waitFor(45, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        assertThat(ended).as("the child JVM exits").isTrue();
        return new Outcome(process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip(),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }

    @Test
    @DisplayName("SH-02 main ends with a task running and no shutdown: the task runs to its end, the JVM exits")
    void theJvmWaitsForARunningTaskWithoutShutdown() throws Exception {
        Outcome outcome = run("no-shutdown");
        assertThat(outcome.out()).isEqualTo("apple");
        assertThat(outcome.err()).isEmpty();
        assertThat(outcome.exitCode()).isZero();
    }

    @Test
    @DisplayName("SH-07 shutdown(wait=false) with a task running, then main ends: the task still runs to its end")
    void theJvmWaitsForARunningTaskAfterShutdownWithoutWait() throws Exception {
        Outcome outcome = run("shutdown-no-wait");
        assertThat(outcome.out()).isEqualTo("apple");
        assertThat(outcome.err()).isEmpty();
        assertThat(outcome.exitCode()).isZero();
    }

    @Test
    @DisplayName("SH-14 shutdown(wait=false, cancelFutures=true) right after submit, then main ends: no error")
    void cancelWithoutWaitThenExitIsClean() throws Exception {
        Outcome outcome = run("cancel-no-wait");
        assertThat(outcome.out()).isIn("apple", "");
        assertThat(outcome.err()).isEmpty();
        assertThat(outcome.exitCode()).isZero();
    }
}
