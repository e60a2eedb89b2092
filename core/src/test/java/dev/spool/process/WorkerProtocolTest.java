package dev.spool.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.futures.BrokenProcessPoolException;
import dev.spool.futures.ExecutorState;
import dev.spool.futures.ProcessPool;
import dev.spool.futures.SerializableCallable;

/**
 * The wire: frame bounds, a worker that breaks the protocol, and workers that never outlive their parent.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkerProtocolTest {

    /** Runs in a worker: writes raw bytes on the worker's own connection, as a corrupted worker would. */
    record Corrupt(byte[] bytes) implements SerializableCallable<Integer> {
        @Override
        public Integer call() throws IOException, InterruptedException {
            WorkerMain.channel.write(ByteBuffer.wrap(bytes));
            Thread.currentThread().join(); // never answer
            return 0;
        }
    }

    @Test
    void aGarbageLengthBreaksThePoolInsteadOfHangingIt() {
        // "2026" read as a length: what a thread dump on a stdout protocol did in the research
        assertCorruptionBreaksThePool("2026-11-23 thread dump".getBytes(StandardCharsets.US_ASCII), "out of bounds");
    }

    @Test
    void anUnknownFrameTypeBreaksThePool() {
        ByteBuffer frame = ByteBuffer.allocate(13).putInt(9).put((byte) 99).putLong(0);
        assertCorruptionBreaksThePool(frame.array(), "unexpected unknown type 99");
    }

    @Test
    void aResultForATaskNobodySentBreaksThePool() {
        ByteBuffer frame = ByteBuffer.allocate(13).putInt(9).put(Frames.RESULT).putLong(424242);
        assertCorruptionBreaksThePool(frame.array(), "RESULT for task 424242");
    }

    private static void assertCorruptionBreaksThePool(byte[] bytes, String expected) {
        try (ProcessPool pool = ProcessPool.builder().name("corrupt").maxWorkers(1).build()) {
            Throwable failure = pool.submit(new Corrupt(bytes)).exception(Duration.ofSeconds(30));
            assertThat(failure).isInstanceOf(BrokenProcessPoolException.class)
                    .hasMessageContaining("broke the protocol").hasMessageContaining(expected);
            assertThat(pool.stats().state()).isEqualTo(ExecutorState.BROKEN);
        }
    }

    // ------------------------------------------------------------------------------------------ frame reader

    @Test
    void theFrameReaderEnforcesTheCapAndReportsTheEnd() throws IOException {
        Pipe pipe = Pipe.open();
        FrameWriter writer = new FrameWriter(pipe.sink());
        writer.write(Frames.TASK, 7, new byte[] {1, 2, 3}, 0, 3);
        writer.queue(Frames.RESULT, 8, new byte[100]);
        writer.queue(Frames.BYE, 0, new byte[0]);
        writer.flush();
        pipe.sink().write(ByteBuffer.allocate(13).putInt(0, 9 + 101));
        pipe.sink().close();
        FrameReader reader = new FrameReader(pipe.source(), 100);
        reader.next();
        assertThat(reader.type()).isEqualTo(Frames.TASK);
        assertThat(reader.id()).isEqualTo(7);
        assertThat(reader.payload()).containsExactly(1, 2, 3);
        reader.next();
        assertThat(reader.payload()).hasSize(100);
        reader.next();
        assertThat(reader.type()).isEqualTo(Frames.BYE);
        assertThatThrownBy(reader::next).isInstanceOf(ProtocolException.class).hasMessageContaining("out of bounds");

        Pipe negative = Pipe.open();
        negative.sink().write(ByteBuffer.allocate(13).putInt(0, -5));
        assertThatThrownBy(new FrameReader(negative.source(), 100)::next).isInstanceOf(ProtocolException.class);

        Pipe truncated = Pipe.open();
        truncated.sink().write(ByteBuffer.allocate(15).putInt(0, 9 + 50));
        truncated.sink().close();
        assertThatThrownBy(new FrameReader(truncated.source(), 100)::next).isInstanceOf(EOFException.class);
    }

    // ------------------------------------------------------------------------------------------ orphans

    /**
     * A parent JVM killed with kill -9 leaves no worker behind: each worker sees its standard input end and halts.
     * Checked from this JVM, which is not the workers' parent.
     */
    @Test
    void workersDieWithTheirParentEvenWhenItIsKilled() throws Exception {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        Process parent = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                OrphanParent.class.getName()).redirectErrorStream(true).start();
        List<Long> workers = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(parent.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("worker ")) {
                    workers.add(Long.parseLong(line.substring(7).trim()));
                }
                if (line.equals("ready")) {
                    break;
                }
            }
            assertThat(workers).hasSize(2);
            for (long pid : workers) {
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
            }
            parent.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();
            for (long pid : workers) {
                ProcessHandle.of(pid).ifPresent(worker ->
                        assertThat(worker.onExit()).succeedsWithin(Duration.ofSeconds(10)));
            }
        } catch (UncheckedIOException | IOException e) {
            parent.destroyForcibly();
            throw e;
        }
    }

    @Test
    void javaToolOptionsReachWorkersOnlyWhenAsked() throws Exception {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                EnvParent.class.getName());
        builder.environment().put("JAVA_TOOL_OPTIONS", "-Dspool.marker=yes");
        Process parent = builder.start();
        String out = new String(parent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(parent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out.lines()).contains("default null|null", "inherit -Dspool.marker=yes|yes");
    }
}
