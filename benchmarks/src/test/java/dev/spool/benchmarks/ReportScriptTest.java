package dev.spool.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the unit tests of {@code report.py} ({@code test_report.py}) inside the Maven build, so CI runs them with the
 * Java tests. Skipped, not failed, on a machine without {@code python3}: {@code benchmarks/run} needs it anyway.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReportScriptTest {
    @Test
    void reportScriptUnitTestsPass() throws IOException, InterruptedException {
        assumeTrue(python3Available(), "python3 is not on the PATH");
        Path output = Files.createTempFile("test_report", ".txt");
        try {
            Process process = new ProcessBuilder("python3", "-W", "error", "-m", "unittest", "-v", "test_report")
                    .directory(Path.of("").toAbsolutePath().toFile()) // Surefire runs in the module: benchmarks/
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("test_report.py finished").isTrue();
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(log).isZero();
            assertThat(log).contains("OK");
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static boolean python3Available() throws InterruptedException {
        try {
            Process probe = new ProcessBuilder("python3", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
