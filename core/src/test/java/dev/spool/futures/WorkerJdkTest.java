package dev.spool.futures;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker JVM runs on the JDK of its parent (its {@code java.home}), so a build that selected a JDK for the tests,
 * or an application started on one, gets the same Java in its process pool whatever {@code java} is on the PATH.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerJdkTest {

    @Test
    void aWorkerRunsOnTheParentsJavaHome() {
        try (ProcessPool pool = ProcessPool.builder().name("jdk").maxWorkers(1).build()) {
            String workerHome = pool.submit(() -> System.getProperty("java.home")).result();
            String workerVersion = pool.submit(() -> Runtime.version().toString()).result();

            assertThat(workerHome).isEqualTo(System.getProperty("java.home"));
            assertThat(workerVersion).isEqualTo(Runtime.version().toString());
        }
    }
}
