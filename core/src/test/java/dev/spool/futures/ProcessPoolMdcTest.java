package dev.spool.futures;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.spool.testing.Waiting;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.MDC;

/**
 * {@link ProcessPool.Builder#propagateMdc}: the submitter's SLF4J MDC in the worker while its task runs. One worker
 * per pool, so that every task here meets what the ones before it left behind; its initializer gives the worker an
 * MDC of its own, which a task must not see when the submitter's travels.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProcessPoolMdcTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    static ProcessPool carrying;
    static ProcessPool plain;

    @BeforeAll
    static void start() {
        carrying = ProcessPool.builder().name("mdc").maxWorkers(1).propagateMdc(true)
                .initializer(ProcessPoolMdcTest::workerOwnMdc).build();
        plain = ProcessPool.builder().name("no-mdc").maxWorkers(1)
                .initializer(ProcessPoolMdcTest::workerOwnMdc).build();
    }

    @AfterAll
    static void stop() {
        carrying.close();
        plain.close();
    }

    @AfterEach
    void clear() {
        MDC.clear();
    }

    static void workerOwnMdc() {
        MDC.put("worker", "own");
    }

    /** The worker's MDC as the task sees it, sorted; and it leaves a key behind, which no later task may see. */
    static Map<String, String> mdcInTask() {
        Map<String, String> seen = MDC.getCopyOfContextMap();
        MDC.put("left-by-a-task", "x");
        return seen == null ? new TreeMap<>() : new TreeMap<>(seen);
    }

    static String requestOf(int item) {
        return item + ":" + MDC.get("request");
    }

    @Test
    void aTaskRunsWithExactlyTheSubmittersMdc() {
        MDC.put("request", "42");
        MDC.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(carrying.submit((SerializableCallable<Map<String, String>>) ProcessPoolMdcTest::mdcInTask)
                .result(WAIT)).containsExactlyInAnyOrderEntriesOf(
                Map.of("request", "42", "traceId", "4bf92f3577b34da6a3ce929d0e0e4736"));
        MDC.put("request", "43");
        MDC.remove("traceId");
        assertThat(carrying.submit((SerializableCallable<Map<String, String>>) ProcessPoolMdcTest::mdcInTask)
                .result(WAIT)).as("the next task: its own submitter's MDC, nothing the last one left")
                .containsExactlyEntriesOf(Map.of("request", "43"));
    }

    @Test
    void aSubmitterWithoutMdcGetsATaskWithout() {
        assertThat(carrying.submit((SerializableCallable<Map<String, String>>) ProcessPoolMdcTest::mdcInTask)
                .result(WAIT)).as("neither the worker's own MDC nor a former task's").isEmpty();
    }

    @Test
    void everyChunkOfAMapCarriesIt() {
        MDC.put("request", "7");
        List<String> seen = carrying.map((SerializableFunction<Integer, String>) ProcessPoolMdcTest::requestOf,
                List.of(1, 2, 3, 4, 5), MapOptions.defaults().withChunkSize(2)).toList();
        assertThat(seen).containsExactly("1:7", "2:7", "3:7", "4:7", "5:7");
    }

    @Test
    void withoutPropagationTheTaskSeesTheWorkersOwnMdc() {
        MDC.put("request", "42");
        assertThat(plain.submit((SerializableCallable<Map<String, String>>) ProcessPoolMdcTest::mdcInTask)
                .result(WAIT)).containsEntry("worker", "own").doesNotContainKey("request");
    }

    /** Runs where SLF4J is missing: touches no MDC. */
    record Answer(int value) implements SerializableCallable<Integer> {
        @Override
        public Integer call() {
            return value;
        }
    }

    @Test
    void aWorkerWithoutSlf4jRunsTheTasksWithoutAndSaysSoOnce() {
        // the worker's class path: Spool and these tests, no SLF4J
        String classPath = Path.of("target", "classes").toAbsolutePath() + File.pathSeparator
                + Path.of("target", "test-classes").toAbsolutePath();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                classPath, ProcessPool.WORKER_MAIN_CLASS);
        Logger workerLog = Logger.getLogger("dev.spool.process.no-slf4j");
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        workerLog.addHandler(capture);
        try (ProcessPool pool = ProcessPool.builder().name("no-slf4j").maxWorkers(1).propagateMdc(true)
                .command(command).build()) {
            MDC.put("request", "42");
            assertThat(pool.submit(new Answer(1)).result(WAIT)).isEqualTo(1);
            assertThat(pool.submit(new Answer(2)).result(WAIT)).isEqualTo(2);
            Waiting.until("the worker's line about the missing MDC", () -> lines.stream()
                    .anyMatch(line -> line.contains("org.slf4j.MDC is not on this worker's class path")));
        } finally {
            workerLog.removeHandler(capture);
        }
        assertThat(lines).filteredOn(line -> line.contains("org.slf4j.MDC")).hasSize(1);
    }
}
