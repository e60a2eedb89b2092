package dev.spool.futures;

import static dev.spool.futures.Conditions.await;
import static dev.spool.futures.Conditions.awaitCondition;
import static dev.spool.futures.Conditions.pass;
import static dev.spool.futures.ThreadPoolSizingTest.assertCountersAddUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A {@link ThreadPool} built with {@code virtualThreads(true)}: one virtual thread per task, a limit of tasks at once. */
@Timeout(20)
class VirtualThreadPoolTest {
    private final TestPools pools = new TestPools();
    private final CountDownLatch gate = pools.gate();

    private ThreadPool pool(ThreadPool.Builder builder) {
        return pools.build(builder.virtualThreads(true));
    }

    @AfterEach
    void shutdownPools() {
        pools.close();
    }

    private List<TaskFuture<Integer>> blocked(ThreadPool pool, int n, CountDownLatch started) {
        List<TaskFuture<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fs.add(pool.submit(() -> {
                started.countDown();
                pass(gate);
                return 1;
            }));
        }
        return fs;
    }

    @Test
    void runsAtMostMaxWorkersTasksAtOnceAndQueuesTheRest() {
        ThreadPool pool = pool(ThreadPool.builder().name("v").maxWorkers(3));
        CountDownLatch started = new CountDownLatch(3);
        List<TaskFuture<Integer>> fs = blocked(pool, 10, started);
        await(started);
        ExecutorStats stats = pool.stats();
        assertThat(stats.active()).isEqualTo(3);
        assertThat(stats.queued()).isEqualTo(7);
        assertThat(stats.poolSize()).isEqualTo(3);
        assertThat(stats.maxWorkers()).isEqualTo(3);
        assertThat(pool.threadNames()).as("unnamed without a prefix, shown by thread id")
                .hasSize(3).allMatch(n -> n.matches("#\\d+"));
        gate.countDown();
        assertThat(Futures.wait(fs).done()).hasSize(10);
        pool.close();
        assertThat(pool.stats().completed()).isEqualTo(10);
        assertThat(pool.stats().poolSize()).isZero();
    }

    @Test
    void neverMoreThanTheLimitRunAtOnce() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(4));
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<TaskFuture<Object>> fs = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            fs.add(pool.submit(() -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                Thread.yield();
                running.decrementAndGet();
                return null;
            }));
        }
        Futures.wait(fs);
        assertThat(most.get()).isBetween(1, 4);
        assertCountersAddUp(pool.stats());
    }

    @Test
    void everyTaskRunsInAVirtualThreadOfItsOwn() {
        ThreadPool pool = pool(ThreadPool.builder().threadNamePrefix("job"));
        assertThat(pool.type()).isEqualTo(ExecutorType.VIRTUAL);
        Set<Thread> threads = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            Thread t = pool.submit(Thread::currentThread).result();
            assertThat(t.isVirtual()).isTrue();
            assertThat(t.getName()).matches("job_\\d+");
            threads.add(t);
        }
        assertThat(threads).hasSize(10);
        ThreadPool unnamed = pool(ThreadPool.builder().name("plain"));
        assertThat(unnamed.submit(() -> Thread.currentThread().getName()).result()).as("like the JDK's").isEmpty();
    }

    @Test
    void unlimitedByDefault() {
        ThreadPool pool = pool(ThreadPool.builder());
        assertThat(pool.stats().maxWorkers()).isEqualTo(Integer.MAX_VALUE);
        CountDownLatch started = new CountDownLatch(200);
        blocked(pool, 200, started);
        await(started);
        assertThat(pool.stats().active()).isEqualTo(200);
        assertThat(pool.stats().queued()).isZero();
    }

    @Test
    void growingTheLimitStartsWaitingTasks() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1));
        CountDownLatch started = new CountDownLatch(4);
        blocked(pool, 4, started);
        awaitCondition("the first task runs", () -> started.getCount() == 3);
        assertThat(pool.stats().queued()).isEqualTo(3);
        pool.resize(Integer.MAX_VALUE);
        await(started);
        assertThat(pool.stats().active()).isEqualTo(4);
        assertThat(pool.stats().maxWorkers()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void shrinkingTheLimitLetsRunningTasksFinish() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(3));
        CountDownLatch started = new CountDownLatch(3);
        List<TaskFuture<Integer>> fs = blocked(pool, 6, started);
        await(started);
        pool.resize(1);
        gate.countDown();
        assertThat(Futures.wait(fs, Duration.ofSeconds(10), ReturnWhen.ALL_COMPLETED).notDone()).isEmpty();
    }

    @Test
    void aFullQueueAppliesThePolicy() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1).queueCapacity(1));
        CountDownLatch started = new CountDownLatch(1);
        blocked(pool, 1, started);
        await(started);
        pool.submit(() -> 2);
        assertThatThrownBy(() -> pool.submit(() -> 3)).isInstanceOf(RejectedExecutionException.class);
        assertThat(pool.stats().rejected()).isOne();
    }

    @Test
    void shutdownWithCancelFuturesCancelsWaitingTasks() throws InterruptedException {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(2));
        CountDownLatch started = new CountDownLatch(2);
        List<TaskFuture<Integer>> fs = blocked(pool, 5, started);
        await(started);
        pool.shutdown(false, true);
        assertThat(fs.subList(2, 5)).allSatisfy(f -> assertThat(f.cancelled()).isTrue());
        assertThatThrownBy(() -> pool.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class);
        gate.countDown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(fs.subList(0, 2)).allSatisfy(f -> assertThat(f.result()).isOne());
    }

    @Test
    void shutdownLetsWaitingTasksRun() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1));
        CountDownLatch started = new CountDownLatch(1);
        List<TaskFuture<Integer>> fs = blocked(pool, 4, started);
        await(started);
        pool.shutdown();
        gate.countDown();
        pool.close();
        assertThat(fs).allSatisfy(f -> assertThat(f.result(Duration.ZERO)).isOne());
    }

    @Test
    void shutdownNowInterruptsRunningTasks() throws InterruptedException {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1));
        CountDownLatch started = new CountDownLatch(1);
        TaskFuture<Object> running = pool.submit(() -> {
            started.countDown();
            new CountDownLatch(1).await();
            return null;
        });
        TaskFuture<Integer> waiting = pool.submit(() -> 1);
        await(started);
        assertThat(pool.shutdownNow()).hasSize(1);
        assertThat(waiting.cancelled()).isTrue();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(running.exception()).isInstanceOf(InterruptedException.class);
    }

    @Test
    void aWaitingShutdownFromATaskThreadThrowsInsteadOfWaitingForItself() {
        ThreadPool pool = pool(ThreadPool.builder());
        TaskFuture<Object> f = pool.submit(() -> {
            pool.close();
            return null;
        });
        assertThat(f.exception()).isInstanceOf(IllegalStateException.class).hasMessageContaining("wait for itself");
        assertThat(pool.isShutdown()).as("the shutdown started all the same").isTrue();
        pool.close(); // from a thread that is not the pool's: waits, and does not throw
        assertThat(pool.isTerminated()).isTrue();
    }

    @Test
    void theInitializerRunsInEveryTaskThread() {
        ThreadLocal<String> state = new ThreadLocal<>();
        AtomicInteger runs = new AtomicInteger();
        ThreadPool pool = pool(ThreadPool.builder().initializer(() -> {
            runs.incrementAndGet();
            state.set("ready");
        }));
        for (int i = 0; i < 5; i++) {
            assertThat(pool.submit(state::get).result()).isEqualTo("ready");
        }
        assertThat(runs).hasValue(5);
    }

    @Test
    void aFailingInitializerBreaksTheVirtualPool() {
        try (Conditions.LogCapture ignored = new Conditions.LogCapture()) {
            ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1).initializer(() -> {
                pass(gate);
                throw new IllegalStateException("no");
            }));
            List<TaskFuture<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                fs.add(pool.submit(() -> 1));
            }
            gate.countDown();
            assertThat(fs).allSatisfy(f ->
                    assertThat(f.exception(Duration.ofSeconds(10))).isInstanceOf(BrokenThreadPoolException.class));
            assertThatThrownBy(() -> pool.submit(() -> 1)).isInstanceOf(BrokenThreadPoolException.class);
            assertThat(pool.stats().state()).isEqualTo(ExecutorState.BROKEN);
        }
    }

    @Test
    void aFutureDoesNotKeepTheDeadThreadOfItsTask() throws InterruptedException {
        ThreadPool pool = pool(ThreadPool.builder());
        TaskFuture<Thread> succeeded = pool.submit(Thread::currentThread);
        AtomicReference<Thread> failing = new AtomicReference<>();
        TaskFuture<Object> failed = pool.submit(() -> {
            failing.set(Thread.currentThread());
            throw new IllegalStateException("no");
        });
        Thread first = succeeded.result();
        assertThat(failed.exception()).isInstanceOf(IllegalStateException.class);
        first.join();
        failing.get().join();
        assertThat(((PoolTask<?>) succeeded).runner()).isNull();
        assertThat(((PoolTask<?>) failed).runner()).isNull();
    }

    @Test
    void prestartDoesNotApplyToVirtualThreads() {
        assertThatIllegalStateException().isThrownBy(() -> ThreadPool.builder().virtualThreads(true).prestart(true).build());
    }
}
