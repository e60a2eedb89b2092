package dev.spool.futures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.process.Gate;
import org.junit.jupiter.api.Assumptions;
import java.nio.file.Path;
import java.nio.file.Files;
import java.io.IOException;

/**
 * Worker life cycle and shutdown: on-demand start and reuse (PP-07, SH-15), maxTasksPerChild (PP-08, PP-10..PP-12),
 * initializer (IN-01), shutdown (SH-01, SH-05, SH-06, SH-09), argument checks (X-11, PP-09).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProcessPoolLifecycleTest {

    static long pid() {
        return ProcessHandle.current().pid();
    }

    static String initialized() {
        return System.getProperty("spool.test.init", "not initialized") + "@" + ProcessHandle.current().pid();
    }

    static void initialize() {
        System.setProperty("spool.test.init", "initialized");
    }

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

    private static Set<Long> pids(ProcessPool pool) {
        Set<Long> pids = new HashSet<>();
        pool.workers().forEach(w -> pids.add(w.pid()));
        return pids;
    }

    private static void assertAllExited(Set<Long> pids) {
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(handle -> assertThat(handle.onExit()).succeedsWithin(Duration.ofSeconds(10)));
        }
    }

    // ------------------------------------------------------------------------------------------ PP-07, SH-15, SH-10

    @Test
    void blockedTasksStartExactlyAsManyWorkersAndTheyAllExitAtShutdown() {
        Set<Long> seen;
        try (Gate gate = new Gate(); ProcessPool pool = ProcessPool.builder().name("saturate").maxWorkers(3).build()) {
            List<TaskFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                futures.add(pool.submit(new Blocking(gate.ticket(i), i)));
            }
            Set<Integer> arrived = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                arrived.add(gate.awaitArrival());
            }
            assertThat(arrived).containsExactlyInAnyOrder(0, 1, 2);
            assertThat(pool.workers()).hasSize(3).allSatisfy(w -> assertThat(w.state()).isEqualTo(WorkerInfo.State.BUSY));
            assertThat(pool.stats().active()).isEqualTo(3);
            seen = pids(pool);
            gate.releaseAll();
            assertThat(futures).extracting(TaskFuture::result).containsExactly(0, 1, 2);
            pool.shutdown(true, false);
            assertThat(pool.workers()).isEmpty();
            assertThat(pool.workerStatistics().exited()).containsEntry(ProcessPool.ExitCause.SHUTDOWN, 3L);
        }
        assertAllExited(seen);
    }

    @Test
    void sequentialTasksReuseOneWorker() {
        try (ProcessPool pool = ProcessPool.builder().name("reuse").maxWorkers(4).build()) {
            Set<Long> pids = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                pids.add(pool.submit(ProcessPoolLifecycleTest::pid).result());
            }
            assertThat(pids).hasSize(1);
            assertThat(pool.workers()).hasSize(1);
            assertThat(pool.workerStatistics().started()).containsEntry(ProcessPool.StartReason.INITIAL, 1L);
        }
    }

    @Test
    void noWorkerStartsBeforeTheFirstTaskUnlessPrestarted() throws Exception {
        List<WorkerInfo> ready = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch twoReady = new java.util.concurrent.CountDownLatch(2);
        try (ProcessPool lazy = ProcessPool.builder().name("lazy").maxWorkers(2).build();
             ProcessPool eager = ProcessPool.builder().name("eager").maxWorkers(2).prestart(true)
                     .workerListener(new ProcessPool.WorkerListener() {
                         @Override
                         public void workerStarted(WorkerInfo worker, ProcessPool.StartReason reason, Duration startup) {
                             ready.add(worker);
                             twoReady.countDown();
                         }
                     }).build()) {
            assertThat(lazy.workers()).isEmpty();
            assertThat(eager.stats().poolSize()).isEqualTo(2);
            assertThat(twoReady.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(ready).extracting(WorkerInfo::name).containsExactlyInAnyOrder("eager-worker-1", "eager-worker-2");
            assertThat(eager.workerStatistics().startup().count()).isEqualTo(2);
            assertThat(eager.workerStatistics().startup().maxNanos()).isPositive();
        }
    }

    // ------------------------------------------------------------------------------------------ PP-08, PP-10, PP-11, PP-12

    @Test
    void maxTasksPerChildGivesANewProcessForTheFourthTask() {
        List<ProcessPool.ExitCause> exits = new CopyOnWriteArrayList<>();
        try (ProcessPool pool = ProcessPool.builder().name("recycle").maxWorkers(1).maxTasksPerChild(3)
                .workerListener(new ProcessPool.WorkerListener() {
                    @Override
                    public void workerExited(WorkerInfo worker, ProcessPool.ExitCause cause, int exitCode) {
                        exits.add(cause);
                    }
                }).build()) {
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                pids.add(pool.submit(ProcessPoolLifecycleTest::pid).result());
                assertThat(pool.workers().size()).isLessThanOrEqualTo(1);
            }
            assertThat(pids.subList(0, 3)).containsOnly(pids.get(0));
            assertThat(pids.get(3)).isNotEqualTo(pids.get(0));
            assertThat(pool.workerStatistics().started())
                    .containsEntry(ProcessPool.StartReason.INITIAL, 1L).containsEntry(ProcessPool.StartReason.RECYCLE, 1L);
            assertThat(exits).containsExactly(ProcessPool.ExitCause.RECYCLED);
            assertThat(pool.stats().state()).isEqualTo(ExecutorState.RUNNING);
        }
    }

    @Test
    void recycledWorkersAreReplacedWithTasksQueued() {
        int[][] cases = {{1, 2, 6}, {2, 2, 8}, {3, 1, 6}};
        for (int[] c : cases) {
            try (ProcessPool pool = ProcessPool.builder().name("queued-" + c[0]).maxWorkers(c[0]).maxTasksPerChild(c[1])
                    .build()) {
                List<TaskFuture<Long>> futures = new ArrayList<>();
                for (int i = 0; i < c[2]; i++) {
                    futures.add(pool.submit(ProcessPoolLifecycleTest::pid));
                }
                pool.shutdown(false, false); // PP-10: the queued ones still run, on replacements
                Set<Long> pids = new HashSet<>();
                futures.forEach(f -> pids.add(f.result(Duration.ofSeconds(30))));
                assertThat(pids).as("workers %d, max tasks %d", c[0], c[1]).hasSizeGreaterThanOrEqualTo(c[2] / c[1]);
            }
        }
    }

    @Test
    void shutdownWithoutWaitStillRunsQueuedTasksOnReplacementWorkers() {
        try (Gate gate = new Gate();
             ProcessPool pool = ProcessPool.builder().name("pp12").maxWorkers(1).maxTasksPerChild(1).build()) {
            TaskFuture<Integer> first = pool.submit(new Blocking(gate.ticket(1), 1));
            TaskFuture<Integer> second = pool.submit(new Value(2));
            gate.awaitArrival();
            pool.shutdown(false, false);
            gate.releaseAll();
            assertThat(List.of(first.result(), second.result())).containsExactly(1, 2);
        }
    }

    // ------------------------------------------------------------------------------------------ IN-01

    @Test
    void theInitializerRunsInEveryWorkerReplacementsToo() {
        try (ProcessPool pool = ProcessPool.builder().name("init").maxWorkers(2).maxTasksPerChild(1)
                .initializer(ProcessPoolLifecycleTest::initialize).build()) {
            List<TaskFuture<String>> futures = IntStream.range(0, 4)
                    .mapToObj(i -> pool.submit(ProcessPoolLifecycleTest::initialized)).toList();
            List<String> seen = futures.stream().map(TaskFuture::result).toList();
            assertThat(seen).allSatisfy(s -> assertThat(s).startsWith("initialized@"));
            assertThat(new HashSet<>(seen)).hasSize(4); // four processes, each initialized
        }
    }

    // ------------------------------------------------------------------------------------------ shutdown (SH-*)

    @Test
    void submitAfterShutdownIsRejectedAndShutdownTwiceIsFine() {
        ProcessPool pool = ProcessPool.builder().name("closed").maxWorkers(1).build();
        pool.shutdown(true, false);
        pool.shutdown(true, false);
        pool.close();
        assertThat(pool.isShutdown()).isTrue();
        assertThat(pool.isTerminated()).isTrue();
        assertThat(pool.stats().state()).isEqualTo(ExecutorState.SHUTDOWN);
        assertThatThrownBy(() -> pool.submit(new Value(1))).isExactlyInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("after shutdown");
        assertThatThrownBy(() -> pool.map((Integer x) -> x, List.of(1))).isInstanceOf(RejectedExecutionException.class);
        assertThat(pool.stats().rejected()).isEqualTo(2);
    }

    @Test
    void shutdownWithCancelFuturesCancelsTheQueuedTasksAndTheRunningOneFinishes() throws InterruptedException {
        try (Gate gate = new Gate(); ProcessPool pool = ProcessPool.builder().name("sh06").maxWorkers(1).build()) {
            TaskFuture<Integer> running = pool.submit(new Blocking(gate.ticket(0), 0));
            gate.awaitArrival();
            List<TaskFuture<Integer>> queued = IntStream.range(1, 6).mapToObj(i -> pool.submit(new Value(i))).toList();
            Thread releaser = Thread.ofVirtual().start(() -> {
                // shutdown(wait=true) blocks until the running task ends: let it end once the queue is cancelled
                queued.forEach(f -> f.addDoneCallback(x -> { }));
                for (TaskFuture<Integer> f : queued) {
                    try {
                        f.exception();
                    } catch (CancellationException expected) {
                        // cancelled, as it should be
                    }
                }
                gate.releaseAll();
            });
            pool.shutdown(true, true);
            assertThat(running.result()).isZero();
            assertThat(queued).allSatisfy(f -> assertThat(f.cancelled()).isTrue());
            assertThat(pool.stats().cancelled()).isEqualTo(5);
            assertThat(releaser.join(Duration.ofSeconds(10))).isTrue();
        }
    }

    /**
     * Ctrl+C in a terminal sends SIGINT to the whole process group, workers included: they ignore it (and SIGHUP), so
     * the parent's graceful shutdown can still wait for their running tasks.
     */
    @Test
    void workersIgnoreSigintAndSighupSoARunningTaskOutlivesCtrlC() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux /proc");
        try (Gate gate = new Gate(); ProcessPool pool = ProcessPool.builder().name("sigint").maxWorkers(1).build()) {
            TaskFuture<Integer> running = pool.submit(new Blocking(gate.ticket(0), 42));
            gate.awaitArrival();
            long pid = pool.workers().getFirst().pid();
            long ignored = ignoredSignals(pid);
            assertThat(ignored & 0b11).as("SigIgn of worker %d has SIGHUP (1) and SIGINT (2)", pid).isEqualTo(0b11);
            // an ignored signal is discarded when it is sent: once kill returns, it can no longer end the worker
            assertThat(new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor()).isZero();
            gate.releaseAll();
            assertThat(running.result()).isEqualTo(42);
            assertThat(pool.stats().state()).isEqualTo(ExecutorState.RUNNING);
            assertThat(pool.submit(new Value(7)).result()).isEqualTo(7);
        }
    }

    /** The SigIgn mask of a process, from /proc: bit n-1 set when signal n is ignored. */
    private static long ignoredSignals(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("SigIgn:")) {
                return Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
            }
        }
        throw new AssertionError("no SigIgn line for " + pid);
    }

    @Test
    void shutdownWithoutCancelFuturesRunsEveryQueuedTask() {
        try (ProcessPool pool = ProcessPool.builder().name("sh-drain").maxWorkers(2).build()) {
            List<TaskFuture<Integer>> futures = IntStream.range(0, 20).mapToObj(i -> pool.submit(new Value(i))).toList();
            pool.shutdown(true, false);
            assertThat(futures).extracting(TaskFuture::result).isEqualTo(IntStream.range(0, 20).boxed().toList());
            assertThat(pool.isTerminated()).isTrue();
        }
    }

    @Test
    void shutdownNowReturnsTheTasksThatNeverStarted() {
        try (Gate gate = new Gate(); ProcessPool pool = ProcessPool.builder().name("now").maxWorkers(1).build()) {
            TaskFuture<Integer> running = pool.submit(new Blocking(gate.ticket(0), 0));
            gate.awaitArrival();
            Value later = new Value(7);
            TaskFuture<Integer> queued = pool.submit(later);
            List<Runnable> neverStarted = pool.shutdownNow();
            assertThat(neverStarted).hasSize(1);
            assertThat(queued.cancelled()).isTrue();
            gate.releaseAll();
            assertThat(running.result()).isZero();
        }
    }

    // ------------------------------------------------------------------------------------------ arguments (X-11, PP-09)

    @Test
    void badArgumentsAreRejectedWithAClearMessage() {
        ProcessPool.Builder builder = ProcessPool.builder();
        assertThatThrownBy(() -> builder.maxWorkers(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxWorkers must be greater than 0, was 0");
        assertThatThrownBy(() -> builder.maxWorkers(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.maxTasksPerChild(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxTasksPerChild must be >= 1, was 0");
        assertThatThrownBy(() -> builder.maxFrameBytes(10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.name(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.command(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.jvmOptions(List.of("-Xmx1g", ""))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.javaExecutable(java.nio.file.Path.of("/no/such/java")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/no/such/java");
        assertThatThrownBy(() -> builder.serialFilter("maxdepth=x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("serialFilter");
        assertThatThrownBy(() -> builder.startTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.shutdownGracePeriod(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        Object notSerializable = new Object();
        assertThatThrownBy(() -> ProcessPool.builder().initializer(() -> notSerializable.hashCode()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initializer");
        assertThat(ProcessPool.builder().build()).satisfies(pool -> {
            assertThat(pool.stats().maxWorkers()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(pool.name()).startsWith("process-pool-");
            pool.close();
        });
    }
}
