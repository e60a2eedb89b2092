package dev.spool.futures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import dev.spool.process.ProcessEngine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Limits that hold whatever the task does (issue 11 items 3, 4 and 8): the frame cap counted while serializing, on
 * both sides; {@code execute} that refuses what cannot be sent and reports what fails; workers that cannot start
 * reported at {@link ProcessPool#awaitReady} and at the first submit, naming the setting.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProcessPoolLimitsTest {
    private static final int MIB = 1024 * 1024;

    /** A value that is small in memory but writes {@code bytes} bytes when serialized, in 64 KiB pieces. */
    static final class Streamed implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final long bytes;

        Streamed(long bytes) {
            this.bytes = bytes;
        }

        @Serial
        private void writeObject(ObjectOutputStream out) throws IOException {
            out.defaultWriteObject();
            byte[] piece = new byte[64 * 1024];
            for (long written = 0; written < bytes; written += piece.length) {
                out.write(piece);
            }
        }

        @Serial
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            byte[] piece = new byte[64 * 1024];
            for (long read = 0; read < bytes; read += piece.length) {
                in.readFully(piece);
            }
        }
    }

    /** A task that carries a {@link Streamed} argument. */
    record Carrying(Streamed argument) implements SerializableCallable<Integer> {
        @Override
        public Integer call() {
            return 1;
        }
    }

    static Streamed twoHundredMegabytes() {
        return new Streamed(200L * MIB);
    }

    static long pid() {
        return ProcessHandle.current().pid();
    }

    private static ProcessPool smallHeapPool(String name) {
        List<String> options = new ArrayList<>(ProcessPool.DEFAULT_JVM_OPTIONS);
        options.replaceAll(option -> option.startsWith("-Xmx") ? "-Xmx64m" : option);
        return ProcessPool.builder().name(name).maxWorkers(1).jvmOptions(options).build();
    }

    // ------------------------------------------------------------------------------------------ A: frame cap

    @Test
    void theDefaultFrameLimitIsAtMostAQuarterOfTheWorkersHeap() {
        assertThat(ProcessEngine.defaultFrameLimit(List.of("-Xmx64m"))).isEqualTo(16 * MIB);
        assertThat(ProcessEngine.defaultFrameLimit(List.of("-XX:MaxHeapSize=128M"))).isEqualTo(32 * MIB);
        assertThat(ProcessEngine.defaultFrameLimit(List.of("-Xmx4g"))).isEqualTo(ProcessPool.DEFAULT_MAX_FRAME_BYTES);
        assertThat(ProcessEngine.defaultFrameLimit(ProcessPool.DEFAULT_JVM_OPTIONS)).isEqualTo(64 * MIB);
        assertThat(ProcessEngine.defaultFrameLimit(List.of("-Xmx2g", "-Xmx32m"))).as("the last one wins")
                .isEqualTo(8 * MIB);
        assertThat(ProcessEngine.defaultFrameLimit(List.of("-XX:+UseSerialGC")))
                .isEqualTo(ProcessPool.DEFAULT_MAX_FRAME_BYTES);
    }

    @Test
    void aResultFarLargerThanTheWorkerHeapFailsOnlyItsOwnFuture() {
        try (ProcessPool pool = smallHeapPool("big-result")) {
            long worker = pool.submit(ProcessPoolLimitsTest::pid).result();
            TaskFuture<Streamed> huge = pool.submit(ProcessPoolLimitsTest::twoHundredMegabytes);
            assertThat(huge.exception()).isInstanceOf(IOException.class)
                    .hasMessageContaining("result (" + Streamed.class.getName() + ")")
                    .hasMessageContaining("frame limit of " + 16 * MIB + " bytes")
                    .hasMessageContaining("ProcessPool.Builder.maxFrameBytes");
            assertThat(pool.submit(ProcessPoolLimitsTest::pid).result()).as("the same worker goes on").isEqualTo(worker);
            assertThat(pool.stats().state()).isEqualTo(ExecutorState.RUNNING);
        }
    }

    @Test
    void anArgumentFarLargerThanTheLimitFailsOnlyItsOwnFuture() {
        try (ProcessPool pool = smallHeapPool("big-argument")) {
            TaskFuture<Integer> huge = pool.submit(new Carrying(twoHundredMegabytes()));
            assertThat(huge.done()).as("failed at submit").isTrue();
            assertThat(huge.exception()).isInstanceOf(IOException.class)
                    .hasMessageContaining("task (" + Carrying.class.getName() + ")")
                    .hasMessageContaining("frame limit of " + 16 * MIB + " bytes")
                    .hasMessageContaining("ProcessPool.Builder.maxFrameBytes");
            assertThat(pool.submit(new Carrying(new Streamed(1024))).result()).isOne();
        }
    }

    @Test
    void aMapChunkOverTheLimitFailsWithTheSameMessage() {
        try (ProcessPool pool = smallHeapPool("big-chunk")) {
            var results = pool.map((Integer n) -> new Streamed(n * (long) MIB), List.of(1, 200)).iterator();
            assertThat(results.next()).isInstanceOf(Streamed.class);
            assertThatThrownBy(results::next).isInstanceOf(TaskFailedException.class).cause()
                    .isInstanceOf(IOException.class).hasMessageContaining("frame limit of " + 16 * MIB + " bytes");
            assertThat(pool.submit(() -> 7).result()).isEqualTo(7);
        }
    }

    // ------------------------------------------------------------------------------------------ B: execute

    @Test
    void executeRefusesAtTheCallWhatCannotBeSent() {
        try (ProcessPool pool = ProcessPool.builder().name("execute-refuses").maxWorkers(1).build()) {
            long rejectedBefore = pool.stats().rejected();
            assertThatThrownBy(() -> pool.execute(new FutureTask<>(() -> 1)))
                    .isInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("is not serializable")
                    .hasCauseInstanceOf(NotSerializableException.class);
            assertThat(pool.stats().rejected() - rejectedBefore).isOne();
        }
    }

    @Test
    void aCompletionServiceOverAProcessPoolFailsFastInsteadOfHanging() {
        try (ProcessPool pool = ProcessPool.builder().name("completion-service").maxWorkers(1).build()) {
            ExecutorCompletionService<Integer> service = new ExecutorCompletionService<>(pool);
            // it hands execute() a FutureTask, which cannot travel to a worker
            assertThatThrownBy(() -> service.submit((SerializableCallable<Integer>) () -> 1))
                    .isInstanceOf(RejectedExecutionException.class).hasMessageContaining("QueueingFuture");
            assertThat(service.poll()).as("nothing was queued").isNull();
        }
    }

    @Test
    void aCommandThatThrowsInAWorkerReachesAnUncaughtExceptionHandler() throws Exception {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        CompletableFuture<Throwable> reported = new CompletableFuture<>();
        Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> reported.complete(failure));
        try (ProcessPool pool = ProcessPool.builder().name("execute-reports").maxWorkers(1).build()) {
            pool.execute((SerializableRunnable) () -> { }); // one that succeeds reports nothing
            pool.execute((SerializableRunnable) () -> {
                throw new IllegalStateException("from the worker");
            });
            assertThat(reported.get(60, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("from the worker");
            assertThat(pool.submit(() -> 2).result()).as("the pool goes on").isEqualTo(2);
            assertThat(pool.stats().completed()).as("the command that succeeded, and submit's").isEqualTo(2);
            assertThat(pool.stats().failed()).isOne();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }

    // ------------------------------------------------------------------------------------------ C: start failures

    @Test
    void awaitReadyQuotesTheWorkerJvmAndNamesTheKey() {
        ProcessPool pool = ProcessPool.builder().name("no-such-option").maxWorkers(1)
                .jvmOptions(List.of("-XX:+NoSuchOption")).configurationPrefix("spool.executors.cpu").build();
        try {
            assertThatThrownBy(() -> pool.awaitReady(Duration.ofSeconds(60)))
                    .isInstanceOf(ProcessPoolStartException.class)
                    .hasMessageContaining("could not start")
                    .hasMessageContaining("Unrecognized VM option 'NoSuchOption'")
                    .hasMessageContaining("spool.executors.cpu.jvm-options (ProcessPool.Builder.jvmOptions)");
            assertThatThrownBy(() -> pool.submit(() -> 1)).isInstanceOf(BrokenProcessPoolException.class)
                    .hasMessageContaining("spool.executors.cpu.jvm-options");
        } finally {
            pool.close();
        }
    }

    @Test
    void withoutAwaitReadyTheFirstSubmitNamesTheSetting() {
        try (ProcessPool pool = ProcessPool.builder().name("no-such-option-lazy").maxWorkers(1)
                .jvmOptions(List.of("-XX:+NoSuchOption")).build()) {
            TaskFuture<Integer> first = pool.submit(() -> 1);
            assertThat(first.exception()).isInstanceOf(BrokenProcessPoolException.class)
                    .hasMessageContaining("Unrecognized VM option 'NoSuchOption'")
                    .hasMessageContaining("ProcessPool.Builder.jvmOptions");
        }
    }

    @Test
    void awaitReadyReturnsOnceEveryWorkerIsReady() throws InterruptedException {
        try (ProcessPool pool = ProcessPool.builder().name("ready").maxWorkers(2).build()) {
            pool.awaitReady(Duration.ofSeconds(60));
            assertThat(pool.workers()).hasSize(2).allSatisfy(worker ->
                    assertThat(worker.state()).isEqualTo(WorkerInfo.State.IDLE));
            pool.awaitReady(Duration.ofSeconds(60)); // again: nothing to start
            assertThat(pool.workerStatistics().totalStarted()).isEqualTo(2);
        }
    }
}
