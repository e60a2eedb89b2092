package dev.spool.futures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.spool.process.Gate;

/**
 * A pool breaks, and nothing hangs: PP-02, PP-03, PP-06, IN-02, the D-* cases of CPython's test suite that break
 * it, the frame cap, and terminateWorkers/killWorkers (PP-15..PP-19). Each test has a pool of its own.
 *
 * <p>Cases of CPython's test suite with no test of their own, and why:
 * <ul>
 *   <li>D-04 (a crash while the task is read) and D-09 ({@code sys.exit} while the result is written): in a JVM both
 *       end the worker process like D-02 and D-08, which are tested; there is no Java {@code SystemExit} to catch.</li>
 *   <li>D-12 (the parent's unpickling calls {@code sys.exit}): the parent deserializes in the application's own JVM
 *       behind its {@code ObjectInputFilter}; a {@code System.exit} there ends the application, not the pool.</li>
 *   <li>D-14 (an unpicklable argument, then {@code shutdown(false)}): a task is serialized at submit, in the caller,
 *       so it fails its own future there ({@code ProcessPoolTest.aTaskThatCannotBeSerializedFailsOnlyItsFutureAtSubmit})
 *       and never reaches the manager thread.</li>
 *   <li>D-16 (a bounded wake-up channel): the manager thread's event queue is unbounded, a submit never blocks on it.</li>
 *   <li>PP-01 (Windows' 61-worker limit) and PP-14 (interpreter finalization): no JVM analogue.</li>
 * </ul>
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProcessPoolBrokenTest {

    // ------------------------------------------------------------------------------------------ tasks

    record Blocking(Gate.Ticket ticket, int value) implements SerializableCallable<Integer> {
        @Override
        public Integer call() {
            ticket.enterAndWait();
            return value;
        }
    }

    record Value(int value) implements SerializableCallable<Integer> {
        @Override
        public Integer call() {
            return value;
        }
    }

    static Integer exit3() {
        System.exit(3);
        return 0;
    }

    static Integer crashTheJvm() throws ReflectiveOperationException {
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        unsafeClass.getMethod("putAddress", long.class, long.class).invoke(theUnsafe.get(null), 0L, 0L);
        return 0;
    }

    static Integer exhaustTheHeap() {
        List<long[]> hog = new ArrayList<>();
        while (true) {
            hog.add(new long[1 << 20]);
        }
    }

    static void failingInitializer() {
        throw new IllegalStateException("error in initializer");
    }

    /** D-02: a task whose deserialization ends the worker. */
    record ExitsWhenRead(int value) implements SerializableCallable<Integer> {
        @Override
        public Integer call() {
            return value;
        }

        @java.io.Serial
        private Object readResolve() {
            System.exit(7);
            return this;
        }
    }

    /** D-08: a result whose serialization ends the worker. */
    static final class HaltsWhenWritten implements Serializable {
        @java.io.Serial
        private void writeObject(ObjectOutputStream out) {
            Runtime.getRuntime().halt(70);
        }

        @java.io.Serial
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
        }
    }

    /** A worker that ignores SIGTERM: its shutdown hook never returns. */
    record IgnoresSigterm(Gate.Ticket ticket) implements SerializableCallable<Integer> {
        @Override
        public Integer call() {
            CountDownLatch never = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            ticket.enterAndWait();
            return 0;
        }
    }

    private static void assertBroken(ProcessPool pool) {
        assertThat(pool.stats().state()).isEqualTo(ExecutorState.BROKEN);
        assertThatThrownBy(() -> pool.submit(new Value(1))).isInstanceOf(BrokenProcessPoolException.class);
        assertThat(terminates(pool)).isTrue();
    }

    private static boolean terminates(ProcessPool pool) {
        try {
            return pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertExits(long pid) {
        ProcessHandle.of(pid).ifPresent(handle -> assertThat(handle.onExit()).succeedsWithin(Duration.ofSeconds(10)));
    }

    // ------------------------------------------------------------------------------------------ PP-02, PP-03

    @Test
    void aWorkerKilledMidTaskFailsEveryPendingFutureWithinASecond() {
        try (Gate gate = new Gate(); ProcessPool pool = ProcessPool.builder().name("killed").maxWorkers(2).build()) {
            List<TaskFuture<Integer>> futures = new ArrayList<>();
            futures.add(pool.submit(new Blocking(gate.ticket(0), 0)));
            futures.add(pool.submit(new Blocking(gate.ticket(1), 1)));
            gate.awaitArrival();
            gate.awaitArrival();
            IntStream.range(2, 5).forEach(i -> futures.add(pool.submit(new Value(i))));
            List<Long> pids = pool.workers().stream().map(WorkerInfo::pid).toList();
            long victim = pids.get(0);

            long killed = System.nanoTime();
            assertThat(ProcessHandle.of(victim).orElseThrow().destroyForcibly()).isTrue();
            Set<Throwable> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
            for (TaskFuture<Integer> future : futures) {
                Throwable failure = future.exception(Duration.ofSeconds(1).minusNanos(System.nanoTime() - killed));
                assertThat(failure).isInstanceOf(BrokenProcessPoolException.class);
                distinct.add(failure);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(1));
            assertThat(distinct).hasSize(5); // PP-03: one instance per future
            assertThat(distinct.iterator().next().getMessage()).contains("pid " + victim)
                    .contains("exit code 137").contains("SIGKILL");
            assertBroken(pool);
            pids.forEach(ProcessPoolBrokenTest::assertExits); // the other worker is ended too
            assertThat(pool.workerStatistics().exited()).containsEntry(ProcessPool.ExitCause.CRASHED, 1L)
                    .containsEntry(ProcessPool.ExitCause.KILLED, 1L);
            assertThat(pool.stats().failed()).isEqualTo(5);
        }
    }

    // ------------------------------------------------------------------------------------------ PP-06, D-06

    @Test
    void systemExitInATaskBreaksThePoolAndTheMessageNamesTheExitCode() {
        try (ProcessPool pool = ProcessPool.builder().name("exit3").maxWorkers(1).build()) {
            long pid = pool.submit(() -> ProcessHandle.current().pid()).result();
            Throwable failure = pool.submit(ProcessPoolBrokenTest::exit3).exception();
            assertThat(failure).isInstanceOf(BrokenProcessPoolException.class)
                    .hasMessageContaining("terminated abruptly").hasMessageContaining("pid " + pid)
                    .hasMessageContaining("exit code 3").hasMessageContaining("System.exit(3)");
            assertBroken(pool);
        }
    }

    // ------------------------------------------------------------------------------------------ IN-02

    @Test
    void anInitializerThatThrowsBreaksThePool() {
        List<ProcessPool.ExitCause> exits = new CopyOnWriteArrayList<>();
        try (ProcessPool pool = ProcessPool.builder().name("badinit").maxWorkers(2)
                .initializer(ProcessPoolBrokenTest::failingInitializer)
                .workerListener(new ProcessPool.WorkerListener() {
                    @Override
                    public void workerExited(WorkerInfo worker, ProcessPool.ExitCause cause, int exitCode) {
                        exits.add(cause);
                    }
                }).build()) {
            Throwable failure = pool.submit(new Value(1)).exception();
            assertThat(failure).isInstanceOf(BrokenProcessPoolException.class).hasMessageContaining("initializer")
                    .hasCauseInstanceOf(IllegalStateException.class);
            assertThat(failure.getCause()).hasMessage("error in initializer");
            assertBroken(pool);
            assertThat(exits).contains(ProcessPool.ExitCause.INIT_FAILED);
        }
    }

    // ------------------------------------------------------------------------------------------ D-02, D-05, D-08, OOM

    @Test
    void aWorkerThatExitsWhileReadingItsTaskBreaksThePool() {
        try (ProcessPool pool = ProcessPool.builder().name("d02").maxWorkers(2).build()) {
            assertThat(pool.submit(new ExitsWhenRead(1)).exception()).isInstanceOf(BrokenProcessPoolException.class)
                    .hasMessageContaining("exit code 7");
            assertBroken(pool);
        }
    }

    @Test
    void aJvmCrashInATaskBreaksThePool(@TempDir Path errors) {
        List<String> options = new ArrayList<>(ProcessPool.DEFAULT_JVM_OPTIONS);
        options.addAll(List.of("-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=" + errors.resolve("hs_err_%p.log")));
        try (ProcessPool pool = ProcessPool.builder().name("d05").maxWorkers(1).jvmOptions(options).build()) {
            Throwable failure = pool.submit(ProcessPoolBrokenTest::crashTheJvm).exception();
            assertThat(failure).isInstanceOf(BrokenProcessPoolException.class)
                    .hasMessageContaining("SIGSEGV");
            assertBroken(pool);
        }
    }

    @Test
    void aWorkerThatDiesWhileWritingItsResultBreaksThePool() {
        try (ProcessPool pool = ProcessPool.builder().name("d08").maxWorkers(1).build()) {
            assertThat(pool.submit((SerializableCallable<Object>) HaltsWhenWritten::new).exception())
                    .isInstanceOf(BrokenProcessPoolException.class).hasMessageContaining("exit code 70");
            assertBroken(pool);
        }
    }

    @Test
    void aWorkerOutOfMemoryDiesAndSaysSo() {
        try (ProcessPool pool = ProcessPool.builder().name("oom").maxWorkers(1)
                .jvmOptions(List.of("-XX:+UseSerialGC", "-Xmx24m", "-XX:+ExitOnOutOfMemoryError")).build()) {
            assertThat(pool.submit(ProcessPoolBrokenTest::exhaustTheHeap).exception())
                    .isInstanceOf(BrokenProcessPoolException.class).hasMessageContaining("exit code 3")
                    .hasMessageContaining("OutOfMemoryError");
            assertBroken(pool);
        }
    }

    // ------------------------------------------------------------------------------------------ D-13, D-15

    @Test
    void aCrashFollowedAtOnceByShutdownWaitReturnsAndTheFutureIsBroken() {
        ProcessPool pool = ProcessPool.builder().name("d13").maxWorkers(2).build();
        TaskFuture<Integer> crash = pool.submit(ProcessPoolBrokenTest::exit3);
        pool.shutdown(true, false);
        assertThat(pool.isTerminated()).isTrue();
        assertThat(crash.exception()).isInstanceOf(BrokenProcessPoolException.class);
    }

    @Test
    void aCrashWhileLargePayloadsAreInFlightBreaksThePoolCleanly() {
        try (ProcessPool pool = ProcessPool.builder().name("d15").maxWorkers(2).build()) {
            List<byte[]> payloads = IntStream.range(0, 10).mapToObj(i -> {
                byte[] big = new byte[4 * 1024 * 1024];
                big[0] = (byte) i;
                return big;
            }).toList();
            assertThatThrownBy(() -> pool.map((byte[] b) -> {
                if (b[0] == 3) {
                    Runtime.getRuntime().halt(9);
                }
                return b.length;
            }, payloads).toList()).isInstanceOf(TaskFailedException.class)
                    .hasCauseInstanceOf(BrokenProcessPoolException.class);
            assertBroken(pool);
        }
    }

    // ------------------------------------------------------------------------------------------ frame cap

    @Test
    void aTaskOrResultOverTheFrameCapFailsAloneAndThePoolGoesOn() {
        try (ProcessPool pool = ProcessPool.builder().name("cap").maxWorkers(1).maxFrameBytes(64 * 1024).build()) {
            byte[] big = new byte[100 * 1024];
            TaskFuture<Integer> tooBigTask = pool.submit(() -> big.length);
            assertThat(tooBigTask.done()).isTrue();
            assertThat(tooBigTask.exception()).isInstanceOf(IOException.class).hasMessageContaining("frame limit");
            TaskFuture<byte[]> tooBigResult = pool.submit(() -> new byte[100 * 1024]);
            assertThat(tooBigResult.exception()).isInstanceOf(IOException.class).hasMessageContaining("frame limit");
            assertThat(pool.submit(new Value(5)).result()).isEqualTo(5);
            assertThat(pool.stats().state()).isEqualTo(ExecutorState.RUNNING);
        }
    }

    // ------------------------------------------------------------------------------------------ start failures

    @Test
    void aWorkerThatCannotStartBreaksThePoolWithWhatItSaid() {
        try (ProcessPool pool = ProcessPool.builder().name("badopt").maxWorkers(1)
                .jvmOptions(List.of("-XX:+NoSuchOptionAnywhere")).build()) {
            assertThat(pool.submit(new Value(1)).exception()).isInstanceOf(BrokenProcessPoolException.class)
                    .hasMessageContaining("ended before it was ready").hasMessageContaining("NoSuchOptionAnywhere");
            assertBroken(pool);
        }
        try (ProcessPool pool = ProcessPool.builder().name("noprogram").maxWorkers(1)
                .command(List.of("/no/such/program")).build()) {
            assertThat(pool.submit(new Value(1)).exception()).isInstanceOf(BrokenProcessPoolException.class)
                    .hasMessageContaining("could not be started").hasMessageContaining("/no/such/program");
            assertBroken(pool);
        }
    }

    @Test
    void aWorkerThatNeverConnectsTimesOut() {
        try (ProcessPool pool = ProcessPool.builder().name("silent").maxWorkers(1).startTimeout(Duration.ofMillis(300))
                .command(List.of("sleep", "30")).build()) {
            assertThat(pool.submit(new Value(1)).exception()).isInstanceOf(BrokenProcessPoolException.class)
                    .hasMessageContaining("did not connect within 300 ms");
            assertBroken(pool);
        }
    }

    // ------------------------------------------------------------------------------------------ PP-15..PP-19

    @Test
    void terminateWorkersEndsATaskStuckForever() {
        try (Gate gate = new Gate(); ProcessPool pool = ProcessPool.builder().name("terminate").maxWorkers(1).build()) {
            TaskFuture<Integer> stuck = pool.submit(new Blocking(gate.ticket(0), 0));
            gate.awaitArrival();
            TaskFuture<Integer> queued = pool.submit(new Value(1));
            long pid = pool.workers().get(0).pid();
            pool.terminateWorkers();
            assertThat(stuck.exception()).isInstanceOf(BrokenProcessPoolException.class)
                    .hasMessageContaining("terminateWorkers()");
            assertThat(queued.cancelled()).isTrue();
            assertExits(pid);
            assertThat(terminates(pool)).isTrue();
            assertThat(pool.stats().state()).isEqualTo(ExecutorState.SHUTDOWN);
            assertThatThrownBy(() -> pool.submit(new Value(2))).isExactlyInstanceOf(RejectedExecutionException.class);
            assertThat(pool.workerStatistics().exited()).containsEntry(ProcessPool.ExitCause.KILLED, 1L);
        }
    }

    @Test
    void killWorkersEndsAWorkerThatIgnoresSigterm() {
        try (Gate gate = new Gate(); ProcessPool pool = ProcessPool.builder().name("kill").maxWorkers(1).build()) {
            TaskFuture<Integer> stubborn = pool.submit(new IgnoresSigterm(gate.ticket(0)));
            gate.awaitArrival();
            long pid = pool.workers().get(0).pid();
            pool.terminateWorkers(); // SIGTERM: its shutdown hook never returns
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
            pool.killWorkers();
            assertThat(stubborn.exception()).isInstanceOf(BrokenProcessPoolException.class);
            assertExits(pid);
            assertThat(terminates(pool)).isTrue();
        }
    }

    @Test
    void forcedShutdownOfABrokenPoolOrOfAPoolWithoutWorkersDoesNoHarm() {
        try (ProcessPool pool = ProcessPool.builder().name("pp17").maxWorkers(1).build()) {
            assertThat(pool.submit(ProcessPoolBrokenTest::exit3).exception()).isInstanceOf(BrokenProcessPoolException.class);
            assertThatCode(pool::terminateWorkers).doesNotThrowAnyException();
            assertThatCode(pool::killWorkers).doesNotThrowAnyException();
            assertThat(pool.stats().state()).isEqualTo(ExecutorState.BROKEN);
        }
        try (ProcessPool pool = ProcessPool.builder().name("pp18").maxWorkers(1).build()) {
            assertThatCode(pool::killWorkers).doesNotThrowAnyException();
            assertThat(terminates(pool)).isTrue();
            assertThat(pool.workerStatistics().totalStarted()).isZero();
            assertThatThrownBy(() -> pool.submit(new Value(2))).isInstanceOf(RejectedExecutionException.class);
        }
    }
}
