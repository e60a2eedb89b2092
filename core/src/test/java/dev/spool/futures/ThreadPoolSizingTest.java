package dev.spool.futures;

import static dev.spool.futures.Conditions.await;
import static dev.spool.futures.Conditions.awaitCondition;
import static dev.spool.futures.Conditions.join;
import static dev.spool.futures.Conditions.pass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.FutureTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What Spool adds to Python's thread pool: a bounded queue with rejection policies, run-time resize and queue
 * capacity, keep-alive retirement and prestart. Every submitted task must end exactly once and the counters must add
 * up, whatever the interleaving.
 */
@Timeout(30)
class ThreadPoolSizingTest {
    private final TestPools pools = new TestPools();
    private final CountDownLatch gate = pools.gate();

    private ThreadPool pool(ThreadPool.Builder builder) {
        return pools.build(builder);
    }

    @AfterEach
    void shutdownPools() {
        pools.close();
    }

    /** Occupies every worker of a pool with a task that waits for the gate; returns once they all run. */
    private void occupy(ThreadPool pool, int workers) {
        CountDownLatch started = new CountDownLatch(workers);
        for (int i = 0; i < workers; i++) {
            pool.submit(() -> {
                started.countDown();
                pass(gate);
            });
        }
        await(started);
    }

    static void assertCountersAddUp(ExecutorStats s) {
        assertThat(s.submitted()).as("submitted = completed + failed + cancelled + rejected + queued + active in %s", s)
                .isEqualTo(s.completed() + s.failed() + s.cancelled() + s.rejected() + s.queued() + s.active());
    }

    // ---------------------------------------------------------------------------------------- rejection policies

    @Test
    void abortThrowsWhenTheQueueIsFull() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1).queueCapacity(2));
        occupy(pool, 1);
        pool.submit(() -> 1);
        pool.submit(() -> 2);
        assertThatThrownBy(() -> pool.submit(() -> 3)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("queue capacity is 2");
        ExecutorStats stats = pool.stats();
        assertThat(stats.rejected()).isOne();
        assertThat(stats.queued()).isEqualTo(2);
        assertThat(stats.queueCapacity()).isEqualTo(2);
        assertThat(stats.queueRemaining()).isZero();
        assertCountersAddUp(stats);
    }

    @Test
    void callerRunsRunsTheTaskInTheSubmittingThread() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1).queueCapacity(1)
                .rejectionPolicy(RejectionPolicy.CALLER_RUNS));
        occupy(pool, 1);
        pool.submit(() -> 1);
        TaskFuture<Thread> ranBy = pool.submit(Thread::currentThread);
        assertThat(ranBy.done()).isTrue();
        assertThat(ranBy.result()).isSameAs(Thread.currentThread());
        ExecutorStats stats = pool.stats();
        assertThat(stats.completed()).isOne();
        assertThat(stats.rejected()).isZero();
        assertCountersAddUp(stats);
    }

    @Test
    void discardReturnsACancelledFutureCountedAsRejected() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1).queueCapacity(1)
                .rejectionPolicy(RejectionPolicy.DISCARD));
        occupy(pool, 1);
        TaskFuture<Integer> kept = pool.submit(() -> 1);
        TaskFuture<Integer> dropped = pool.submit(() -> 2);
        assertThat(dropped.cancelled()).isTrue();
        assertThatThrownBy(dropped::result).isInstanceOf(CancellationException.class);
        ExecutorStats stats = pool.stats();
        assertThat(stats.rejected()).isOne();
        assertThat(stats.cancelled()).isZero();
        gate.countDown();
        assertThat(kept.result()).isOne();
    }

    @Test
    void discardOldestDropsTheOldestWaitingTask() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1).queueCapacity(2)
                .rejectionPolicy(RejectionPolicy.DISCARD_OLDEST));
        occupy(pool, 1);
        TaskFuture<Integer> oldest = pool.submit(() -> 1);
        TaskFuture<Integer> middle = pool.submit(() -> 2);
        TaskFuture<Integer> newest = pool.submit(() -> 3);
        assertThat(oldest.cancelled()).isTrue();
        assertThat(pool.stats().rejected()).isOne();
        gate.countDown();
        assertThat(middle.result()).isEqualTo(2);
        assertThat(newest.result()).isEqualTo(3);
        assertCountersAddUp(pool.stats());
    }

    @Test
    void discardOldestWithNothingWaitingDropsTheNewTask() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1).queueCapacity(0)
                .rejectionPolicy(RejectionPolicy.DISCARD_OLDEST));
        occupy(pool, 1);
        assertThat(pool.submit(() -> 1).cancelled()).isTrue();
        assertThat(pool.stats().rejected()).isOne();
    }

    /** An adapter (Spring's TaskExecutorAdapter) hands execute() a FutureTask: a drop must reach its waiters. */
    @Test
    void aFutureHandedToExecuteIsCancelledWhenADiscardPolicyDropsIt() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1).queueCapacity(1)
                .rejectionPolicy(RejectionPolicy.DISCARD_OLDEST));
        ThreadPool discarding = pool(ThreadPool.builder().maxWorkers(1).queueCapacity(0)
                .rejectionPolicy(RejectionPolicy.DISCARD));
        occupy(pool, 1);
        occupy(discarding, 1);
        FutureTask<Integer> oldest = new FutureTask<>(() -> 1);
        FutureTask<Integer> newest = new FutureTask<>(() -> 2);
        FutureTask<Integer> dropped = new FutureTask<>(() -> 3);
        pool.execute(oldest);
        pool.execute(newest);
        discarding.execute(dropped);
        assertThat(oldest.isCancelled()).isTrue();
        assertThat(dropped.isCancelled()).isTrue();
        gate.countDown();
        assertThat(newest).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(2);
    }

    @Test
    void shutdownWithCancelFuturesCancelsAFutureHandedToExecute() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1));
        occupy(pool, 1);
        FutureTask<Integer> queued = new FutureTask<>(() -> 1);
        pool.execute(queued);
        pool.shutdown(false, true);
        assertThat(queued.isCancelled()).isTrue();
    }

    @Test
    void aZeroCapacityHandsTasksOnlyToIdleOrNewWorkers() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(2).queueCapacity(0));
        assertThat(pool.submit(() -> 1).result()).isOne(); // a new worker, then idle
        assertThat(pool.submit(() -> 2).result()).isEqualTo(2); // the idle one
        occupy(pool, 2);
        assertThatThrownBy(() -> pool.submit(() -> 3)).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void policiesHoldUnderConcurrentSubmits() throws InterruptedException {
        for (RejectionPolicy policy : RejectionPolicy.values()) {
            ThreadPool pool = pool(ThreadPool.builder().maxWorkers(2).queueCapacity(4).rejectionPolicy(policy));
            List<TaskFuture<Integer>> accepted = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger refused = new AtomicInteger();
            Thread[] submitters = new Thread[3];
            for (int t = 0; t < submitters.length; t++) {
                submitters[t] = new Thread(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        try {
                            accepted.add(pool.submit(() -> 1));
                        } catch (RejectedExecutionException e) {
                            refused.incrementAndGet();
                        }
                    }
                });
                submitters[t].start();
            }
            for (Thread t : submitters) {
                join(t);
            }
            pool.close();
            ExecutorStats stats = pool.stats();
            assertThat(stats.submitted()).isEqualTo(6_000);
            assertThat(stats.queued() + stats.active()).isZero();
            assertCountersAddUp(stats);
            assertThat(accepted).allSatisfy(f -> assertThat(f.done()).isTrue());
            assertThat(refused.get()).isEqualTo(policy == RejectionPolicy.ABORT ? stats.rejected() : 0);
            if (policy == RejectionPolicy.CALLER_RUNS) {
                assertThat(stats.rejected()).isZero();
            }
        }
    }

    // ---------------------------------------------------------------------------------------- resize

    @Test
    void growingStartsWorkersForWaitingTasksAtOnce() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1));
        occupy(pool, 1);
        CountDownLatch started = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            pool.submit(() -> {
                started.countDown();
                pass(gate);
            });
        }
        assertThat(pool.stats().queued()).isEqualTo(3);
        pool.resize(4);
        await(started);
        ExecutorStats stats = pool.stats();
        assertThat(stats.poolSize()).isEqualTo(4);
        assertThat(stats.active()).isEqualTo(4);
        assertThat(stats.maxWorkers()).isEqualTo(4);
    }

    @Test
    void shrinkingLetsExtraWorkersEndWhenIdle() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(4));
        occupy(pool, 4);
        pool.resize(1);
        assertThat(pool.stats().poolSize()).as("running tasks are never interrupted").isEqualTo(4);
        gate.countDown();
        awaitCondition("the pool shrinks to one worker", () -> pool.stats().poolSize() == 1);
        // A worker leaves the count first, then the thread map on its way out: its name goes a moment later.
        awaitCondition("the extra workers' threads are gone", () -> pool.threadNames().size() == 1);
        assertThat(pool.stats().poolSize()).isEqualTo(1);
        assertThat(pool.submit(() -> 5).result()).isEqualTo(5);
    }

    @Test
    void shrinkingWakesIdleWorkersSoTheyEnd() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(4).prestart(true));
        assertThat(pool.stats().poolSize()).isEqualTo(4);
        pool.resize(2);
        awaitCondition("idle extra workers end", () -> pool.stats().poolSize() == 2);
    }

    @Test
    void resizeUnderLoadLosesNoTask() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(4).queueCapacity(50)
                .rejectionPolicy(RejectionPolicy.CALLER_RUNS));
        AtomicBoolean stop = new AtomicBoolean();
        Thread resizer = new Thread(() -> {
            SplittableRandom random = new SplittableRandom(1);
            while (!stop.get()) {
                pool.resize(1 + random.nextInt(8));
                pool.setQueueCapacity(random.nextInt(60));
                LockSupport.parkNanos(50_000);
            }
        }, "resizer");
        resizer.start();
        List<TaskFuture<Integer>> fs = Collections.synchronizedList(new ArrayList<>());
        Thread[] submitters = new Thread[2];
        for (int t = 0; t < submitters.length; t++) {
            int seed = t;
            submitters[t] = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                for (int i = 0; i < 10_000; i++) {
                    int spin = random.nextInt(200);
                    fs.add(pool.submit(() -> {
                        for (int k = 0; k < spin; k++) {
                            Thread.onSpinWait();
                        }
                        return 1;
                    }));
                }
            });
            submitters[t].start();
        }
        for (Thread t : submitters) {
            join(t);
        }
        stop.set(true);
        join(resizer);
        assertThat(Futures.wait(fs, Duration.ofSeconds(20), ReturnWhen.ALL_COMPLETED).notDone()).isEmpty();
        assertThat(fs).allSatisfy(f -> assertThat(f.resultNow()).isOne());
        ExecutorStats stats = pool.stats();
        assertThat(stats.completed()).isEqualTo(20_000);
        assertThat(stats.poolSize()).isLessThanOrEqualTo(8);
        assertCountersAddUp(stats);
    }

    @Test
    void invalidSizesAreRefusedAndChangeNothing() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(3).queueCapacity(5));
        assertThatIllegalArgumentException().isThrownBy(() -> pool.resize(-1));
        assertThatIllegalArgumentException().isThrownBy(() -> pool.setQueueCapacity(-1));
        assertThatIllegalArgumentException().isThrownBy(() -> pool.resize(Integer.MAX_VALUE));
        assertThatIllegalArgumentException().isThrownBy(() -> ThreadPool.builder().queueCapacity(-1));
        assertThatIllegalArgumentException().isThrownBy(() -> ThreadPool.builder().keepAlive(Duration.ZERO));
        assertThatIllegalArgumentException().isThrownBy(() -> ThreadPool.builder().name(" "));
        ExecutorStats stats = pool.stats();
        assertThat(stats.maxWorkers()).isEqualTo(3);
        assertThat(stats.queueCapacity()).isEqualTo(5);
    }

    // ---------------------------------------------------------------------------------------- queue capacity

    @Test
    void shrinkingTheCapacityBelowTheDepthKeepsTheWaitingTasks() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1).queueCapacity(10));
        occupy(pool, 1);
        List<TaskFuture<Integer>> waiting = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiting.add(pool.submit(() -> 1));
        }
        pool.setQueueCapacity(2);
        assertThat(pool.stats().queued()).isEqualTo(5);
        assertThatThrownBy(() -> pool.submit(() -> 2)).isInstanceOf(RejectedExecutionException.class);
        gate.countDown();
        assertThat(waiting).allSatisfy(f -> assertThat(f.result()).isOne());
        pool.setQueueCapacity(Integer.MAX_VALUE);
        assertThat(pool.stats().queueCapacity()).isEqualTo(Integer.MAX_VALUE);
        assertThat(pool.submit(() -> 3).result()).isEqualTo(3);
    }

    @Test
    void growingTheCapacityAdmitsMoreAtOnce() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1).queueCapacity(1));
        occupy(pool, 1);
        pool.submit(() -> 1);
        assertThatThrownBy(() -> pool.submit(() -> 2)).isInstanceOf(RejectedExecutionException.class);
        pool.setQueueCapacity(3);
        pool.submit(() -> 2);
        pool.submit(() -> 3);
        assertThat(pool.stats().queued()).isEqualTo(3);
    }

    // ---------------------------------------------------------------------------------------- keep-alive, prestart

    @Test
    void idleWorkersRetireAfterKeepAlive() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(3).keepAlive(Duration.ofMillis(50)));
        occupy(pool, 3);
        assertThat(pool.stats().poolSize()).isEqualTo(3);
        gate.countDown();
        // A retiring worker leaves the count first, then the thread list, as its last step: await both.
        awaitCondition("every idle worker retires",
                () -> pool.stats().poolSize() == 0 && pool.threadNames().isEmpty());
        assertThat(pool.submit(() -> 1).result()).as("workers start again on demand").isOne();
        assertThat(pool.stats().poolSize()).isOne();
    }

    @Test
    void keepAliveRetirementNeverStrandsATask() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(2).keepAlive(Duration.ofNanos(20_000)));
        SplittableRandom random = new SplittableRandom(7);
        java.util.Set<String> threads = new java.util.HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            threads.add(pool.submit(() -> Thread.currentThread().getName()).result(Duration.ofSeconds(10)));
            LockSupport.parkNanos(random.nextInt(40_000)); // around the keep-alive, so submits meet retirements
        }
        assertThat(threads).as("workers retired and new ones started").hasSizeGreaterThan(10);
        ExecutorStats stats = pool.stats();
        assertThat(stats.completed()).isEqualTo(2_000);
        assertCountersAddUp(stats);
    }

    @Test
    void prestartStartsEveryWorkerAndRunsItsInitializer() {
        CountDownLatch initialized = new CountDownLatch(3);
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(3).prestart(true).initializer(initialized::countDown));
        assertThat(pool.stats().poolSize()).isEqualTo(3);
        await(initialized);
        assertThat(pool.threadNames()).hasSize(3);
        assertThat(pool.submit(() -> 1).result()).isOne();
        assertThat(pool.stats().poolSize()).isEqualTo(3);
    }

    @Test
    void aTaskSubmittedFromATaskOfTheSamePoolRuns() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1));
        AtomicReference<TaskFuture<Integer>> inner = new AtomicReference<>();
        pool.submit(() -> inner.set(pool.submit(() -> 2))).result();
        assertThat(inner.get().result()).isEqualTo(2);
    }
}
