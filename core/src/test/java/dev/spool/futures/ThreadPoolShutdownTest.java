package dev.spool.futures;

import static dev.spool.futures.Conditions.await;
import static dev.spool.futures.Conditions.awaitBlocked;
import static dev.spool.futures.Conditions.awaitCollected;
import static dev.spool.futures.Conditions.join;
import static dev.spool.futures.Conditions.pass;
import static dev.spool.futures.ThreadPoolTest.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Python's {@code test_shutdown.py} (CPython's test suite, SH-*) on {@link ThreadPool}. The cases about the
 * process exiting (SH-02, SH-07, SH-14) run a child JVM: {@link JvmExitTest}.
 *
 * <p>Not applicable: SH-03 (submitting after interpreter shutdown: the JVM has no such phase for user code),
 * SH-15, SH-16 and SH-17 (process pools).
 */
@Timeout(20)
class ThreadPoolShutdownTest {
    private final TestPools pools = new TestPools();
    private final CountDownLatch gate = pools.gate();

    private ThreadPool pool(ThreadPool.Builder builder) {
        return pools.build(builder);
    }

    private ThreadPool pool(int maxWorkers) {
        return pool(ThreadPool.builder().name("shutdown-test").maxWorkers(maxWorkers));
    }

    @AfterEach
    void shutdownPools() {
        pools.close();
    }

    private Callable<Integer> gated(CountDownLatch started) {
        return () -> {
            started.countDown();
            pass(gate);
            return 1;
        };
    }

    @Test
    @DisplayName("SH-01 submit, execute and map after shutdown throw RejectedExecutionException, counted as rejected")
    void submittingAfterShutdownIsRejected() {
        ThreadPool pool = pool(2);
        pool.shutdown();
        assertThatThrownBy(() -> pool.submit(() -> 2)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("cannot schedule new tasks after shutdown");
        assertThatThrownBy(() -> pool.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> pool.map(x -> x, range(3))).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> pool.map(x -> x, List.of())).isInstanceOf(RejectedExecutionException.class);
        ExecutorStats stats = pool.stats();
        assertThat(stats.rejected()).isEqualTo(2);
        assertThat(stats.submitted()).isEqualTo(2);
        assertThat(stats.state()).isEqualTo(ExecutorState.SHUTDOWN);
    }

    @Test
    @DisplayName("SH-04 shutdown lets every queued task finish")
    void shutdownLetsQueuedTasksFinish() throws InterruptedException {
        ThreadPool pool = pool(5);
        List<TaskFuture<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fs.add(pool.submit(gated(new CountDownLatch(1))));
        }
        pool.shutdown();
        gate.countDown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        for (TaskFuture<Integer> f : fs) {
            assertThat(f.result(Duration.ZERO)).isOne();
        }
    }

    @Test
    @DisplayName("SH-04 shutdown(wait) returns once every queued task has run")
    void shutdownWithWaitReturnsWhenTasksAreDone() {
        ThreadPool pool = pool(5);
        List<TaskFuture<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fs.add(pool.submit(gated(new CountDownLatch(1))));
        }
        Thread opener = Conditions.whenBlocked(Thread.currentThread(), gate::countDown);
        pool.shutdown(true, false);
        assertThat(fs).allSatisfy(f -> assertThat(f.result(Duration.ZERO)).isOne());
        assertThat(pool.isTerminated()).isTrue();
        join(opener);
    }

    @Test
    @DisplayName("SH-05 shutdown(cancelFutures) cancels the waiting tasks, not the running ones")
    void shutdownWithCancelFuturesCancelsOnlyWaitingTasks() throws InterruptedException {
        ThreadPool pool = pool(5);
        CountDownLatch started = new CountDownLatch(5);
        List<TaskFuture<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fs.add(pool.submit(gated(started)));
        }
        await(started);
        pool.shutdown(false, true);
        gate.countDown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(fs.stream().filter(TaskFuture::cancelled).count()).isEqualTo(45);
        assertThat(fs.stream().filter(f -> !f.cancelled()))
                .hasSize(5)
                .allSatisfy(f -> assertThat(f.exception(Duration.ZERO)).isNull());
        ExecutorStats stats = pool.stats();
        assertThat(stats.cancelled()).isEqualTo(45);
        assertThat(stats.completed()).isEqualTo(5);
    }

    @Test
    @DisplayName("SH-06 shutdown(wait, cancelFutures): the running task completes, the 5 queued are cancelled")
    void shutdownWaitCancelFuturesWithOneRunningFiveQueued() {
        ThreadPool pool = pool(1);
        CountDownLatch started = new CountDownLatch(1);
        TaskFuture<Integer> running = pool.submit(gated(started));
        await(started);
        List<TaskFuture<Integer>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            queued.add(pool.submit(() -> 2));
        }
        Thread closer = new Thread(() -> pool.shutdown(true, true), "closer");
        closer.start();
        assertThat(Futures.wait(queued, Duration.ofSeconds(10), ReturnWhen.ALL_COMPLETED).notDone()).isEmpty();
        assertThat(queued).allSatisfy(f -> assertThat(f.cancelled()).isTrue());
        assertThat(closer.isAlive()).as("shutdown(wait) waits for the running task").isTrue();
        gate.countDown();
        join(closer);
        assertThat(running.cancelled()).isFalse();
        assertThat(running.result(Duration.ZERO)).isOne();
    }

    @Test
    @DisplayName("SH-08 cancelling a task right before shutdown(wait) does not hang")
    void cancelThenShutdownReturns() {
        ThreadPool pool = pool(2);
        pool.submit(() -> 1).cancel();
        pool.shutdown(true, false);
        assertThat(pool.isTerminated()).isTrue();
    }

    @Test
    @DisplayName("SH-09 shutdown twice is fine")
    void shutdownTwiceIsFine() {
        ThreadPool pool = pool(2);
        pool.submit(() -> 1).result();
        pool.shutdown();
        pool.shutdown();
        pool.close();
        pool.shutdown(true, true);
        assertThat(pool.shutdownNow()).isEmpty();
        assertThat(pool.isTerminated()).isTrue();
    }

    @Test
    @DisplayName("SH-10 3 blocked tasks use exactly 3 threads; after release and shutdown they all end")
    void blockedTasksUseThatManyThreadsWhichEndAfterShutdown() {
        ThreadPool pool = pool(5);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch started = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            pool.submit(() -> {
                threads.add(Thread.currentThread());
                started.countDown();
                pass(gate);
            });
        }
        await(started);
        assertThat(threads).hasSize(3);
        assertThat(pool.stats().poolSize()).isEqualTo(3);
        gate.countDown();
        pool.shutdown(true, false);
        assertThat(threads).allSatisfy(t -> assertThat(t.isAlive()).isFalse());
        assertThat(pool.stats().poolSize()).isZero();
        assertThat(pool.threadNames()).isEmpty();
    }

    @Test
    @DisplayName("SH-11 try-with-resources around a map; the threads have ended afterwards")
    void tryWithResourcesMapThenThreadsEnd() {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        List<Integer> result;
        try (ThreadPool pool = ThreadPool.builder().name("with").maxWorkers(5).build()) {
            result = pool.map((Integer x) -> {
                threads.add(Thread.currentThread());
                return Math.abs(x);
            }, range(10).stream().map(x -> x - 5).toList()).toList();
        }
        assertThat(result).containsExactly(5, 4, 3, 2, 1, 0, 1, 2, 3, 4);
        assertThat(threads).isNotEmpty().allSatisfy(t -> assertThat(t.isAlive()).isFalse());
    }

    @Test
    @DisplayName("SH-12 shutdown without waiting: the queued map tasks still run, then the workers end")
    void shutdownWithoutWaitFinishesQueuedMapTasks() throws InterruptedException {
        ThreadPool pool = pool(2);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        Stream<Integer> results = pool.map((Integer x) -> {
            threads.add(Thread.currentThread());
            pass(gate);
            return x * x;
        }, range(10));
        pool.shutdown(false, false);
        gate.countDown();
        assertThat(results.toList()).isEqualTo(range(10).stream().map(x -> x * x).toList());
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        threads.forEach(Conditions::join);
    }

    @Test
    @DisplayName("SH-12 a pool that becomes unreachable finishes its queued tasks, then its workers end")
    void anUnreachablePoolFinishesItsWorkAndItsThreadsEnd() {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        AtomicReference<List<TaskFuture<Integer>>> futures = new AtomicReference<>();
        WeakReference<ThreadPool> ref = submitAndDrop(threads, futures);
        awaitCollected(ref);
        gate.countDown();
        for (TaskFuture<Integer> f : futures.get()) {
            assertThat(f.result(Duration.ofSeconds(10))).isOne();
        }
        assertThat(threads).isNotEmpty();
        threads.forEach(Conditions::join);
    }

    private WeakReference<ThreadPool> submitAndDrop(Set<Thread> threads,
                                                   AtomicReference<List<TaskFuture<Integer>>> futures) {
        ThreadPool pool = ThreadPool.builder().name("dropped").maxWorkers(2).build();
        List<TaskFuture<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            fs.add(pool.submit(() -> {
                threads.add(Thread.currentThread());
                pass(gate);
                return 1;
            }));
        }
        futures.set(fs);
        return new WeakReference<>(pool);
    }

    @Test
    @DisplayName("SH-13 thread names follow the prefix")
    void threadNamesFollowThePrefix() {
        assertThat(namesOf(pool(ThreadPool.builder().threadNamePrefix("SpecialPool").maxWorkers(5))))
                .allMatch(n -> n.matches("^SpecialPool_[0-4]$"));
        assertThat(namesOf(pool(ThreadPool.builder().name("io").maxWorkers(5))))
                .allMatch(n -> n.matches("^io-[0-4]$"));
        assertThat(namesOf(pool(ThreadPool.builder().threadNamePrefix("worker-").maxWorkers(5))))
                .allMatch(n -> n.matches("^worker-[0-4]$"));
        ThreadPool unnamed = new ThreadPool();
        pools.add(unnamed);
        assertThat(unnamed.submit(() -> Thread.currentThread().getName()).result())
                .matches("^ThreadPool-\\d+-0$");
    }

    /** Starts all five workers (each task waits for the others) and returns their names. */
    private List<String> namesOf(ThreadPool pool) {
        CountDownLatch all = new CountDownLatch(5);
        List<TaskFuture<String>> fs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fs.add(pool.submit(() -> {
                all.countDown();
                pass(all);
                return Thread.currentThread().getName();
            }));
        }
        List<String> names = fs.stream().map(TaskFuture::result).toList();
        assertThat(names).doesNotHaveDuplicates().hasSize(5);
        assertThat(pool.threadNames()).containsExactlyInAnyOrderElementsOf(names);
        return names;
    }

    // ---------------------------------------------------------------------------------------- JDK shutdown family

    @Test
    void shutdownNowCancelsWaitingTasksInterruptsRunningOnesAndReturnsTheirWork() throws InterruptedException {
        ThreadPool pool = pool(1);
        CountDownLatch started = new CountDownLatch(1);
        TaskFuture<Object> running = pool.submit(() -> {
            started.countDown();
            new CountDownLatch(1).await(); // only an interrupt ends it
            return null;
        });
        await(started);
        Runnable work = () -> { };
        Callable<Integer> callable = () -> 3;
        TaskFuture<?> a = pool.submit(work);
        TaskFuture<Integer> b = pool.submit(callable);
        List<Runnable> never = pool.shutdownNow();
        assertThat(never).hasSize(2);
        assertThat(never.get(0)).isSameAs(work);
        assertThat(a.cancelled()).isTrue();
        assertThat(b.cancelled()).isTrue();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(running.exception()).isInstanceOf(InterruptedException.class);
        assertThat(pool.isShutdown()).isTrue();
    }

    @Test
    void closeInterruptedCallsShutdownNowKeepsWaitingAndRestoresTheInterrupt() {
        ThreadPool pool = pool(1);
        CountDownLatch started = new CountDownLatch(1);
        TaskFuture<Object> running = pool.submit(() -> {
            started.countDown();
            new CountDownLatch(1).await();
            return null;
        });
        await(started);
        TaskFuture<Integer> queued = pool.submit(() -> 2);
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        Thread closer = new Thread(() -> {
            pool.close();
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        }, "closer");
        closer.start();
        awaitBlocked(closer);
        closer.interrupt();
        join(closer);
        assertThat(interruptedAfter).isTrue();
        assertThat(pool.isTerminated()).isTrue();
        assertThat(queued.cancelled()).isTrue();
        assertThat(running.exception()).isInstanceOf(InterruptedException.class);
    }

    @Test
    void awaitTerminationTimesOutWhileATaskRuns() throws InterruptedException {
        ThreadPool pool = pool(1);
        CountDownLatch started = new CountDownLatch(1);
        pool.submit(gated(started));
        await(started);
        pool.shutdown();
        assertThat(pool.isShutdown()).isTrue();
        assertThat(pool.awaitTermination(50, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(pool.isTerminated()).isFalse();
        gate.countDown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aPoolShutDownBeforeItStartedAThreadIsTerminatedAtOnce() {
        ThreadPool pool = pool(2);
        pool.shutdown();
        assertThat(pool.isTerminated()).isTrue();
    }

    @Test
    void aWaitingShutdownFromAPoolThreadThrowsInsteadOfWaitingForItself() {
        ThreadPool pool = pool(1);
        TaskFuture<Object> f = pool.submit(() -> {
            pool.close();
            return null;
        });
        assertThat(f.exception()).isInstanceOf(IllegalStateException.class).hasMessageContaining("wait for itself");
        assertThat(pool.isShutdown()).as("the shutdown started all the same").isTrue();
    }

    @Test
    void aSubmitRacingWithShutdownIsEitherRunOrRejected() throws InterruptedException {
        for (int round = 0; round < 200; round++) {
            ThreadPool pool = pool(2);
            pool.submit(() -> 0).result();
            List<TaskFuture<Integer>> accepted = new ArrayList<>();
            Thread submitter = new Thread(() -> {
                for (int i = 0; i < 100; i++) {
                    try {
                        accepted.add(pool.submit(() -> 1));
                    } catch (RejectedExecutionException expected) {
                        return;
                    }
                }
            });
            submitter.start();
            pool.shutdown(round % 2 == 0, round % 4 < 2);
            join(submitter);
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(accepted).allSatisfy(f -> assertThat(f.done()).isTrue());
            ExecutorStats stats = pool.stats();
            assertThat(stats.submitted())
                    .isEqualTo(stats.completed() + stats.failed() + stats.cancelled() + stats.rejected());
            assertThat(stats.queued() + stats.active()).isZero();
        }
    }
}
