package dev.spool.futures;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A caller that submits right after its last result finds the pool's idle worker spinning, and hands it the task
 * without the queue (see {@code PlatformEngine.handOff}). These round trips take that path most of the time on a
 * machine with 2 CPUs or more; whichever path a task takes, it runs once, with its own result, and is counted once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpinnerHandOffTest {
    private final TestPools pools = new TestPools();

    @AfterEach
    void closePools() {
        pools.close();
    }

    @Test
    void roundTripsOnOneWorkerRunOnceEachWithTheirOwnResultAndAreCountedOnce() {
        ThreadPool pool = pools.build(ThreadPool.builder().name("round-trips").maxWorkers(1));
        int rounds = 20_000;
        for (int i = 0; i < rounds; i++) {
            int n = i;
            assertThat(pool.submit(() -> n).result()).isEqualTo(n);
        }
        ExecutorStats stats = pool.stats();
        assertThat(stats.submitted()).isEqualTo(rounds);
        assertThat(stats.completed()).isEqualTo(rounds);
        assertThat(stats.queueWait().count()).as("each start recorded once").isEqualTo(rounds);
        assertThat(stats.queued()).isZero();
        assertThat(stats.poolSize()).isEqualTo(1);
    }

    @Test
    void callersRacingAShutdownGetExactlyOneOutcomePerTask() throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            ThreadPool pool = pools.build(ThreadPool.builder().name("race-" + attempt).maxWorkers(2));
            CountDownLatch someRan = new CountDownLatch(200);
            ConcurrentLinkedQueue<TaskFuture<Integer>> accepted = new ConcurrentLinkedQueue<>();
            List<Thread> callers = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                Thread caller = new Thread(() -> {
                    try {
                        for (int n = 0; ; n++) {
                            int value = n;
                            TaskFuture<Integer> future = pool.submit(() -> {
                                someRan.countDown();
                                return value;
                            });
                            accepted.add(future);
                            assertThat(future.result()).isEqualTo(value); // the next submit finds the worker spinning
                        }
                    } catch (RejectedExecutionException shutDown) {
                        // the pool is shut down: this caller is done
                    }
                }, "caller-" + c);
                caller.start();
                callers.add(caller);
            }
            Conditions.await(someRan);
            pool.shutdown();
            for (Thread caller : callers) {
                Conditions.join(caller);
            }
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            ExecutorStats stats = pool.stats();
            assertThat(accepted).allSatisfy(f -> assertThat(f.done()).isTrue());
            assertThat(stats.completed()).as("each accepted task ran once").isEqualTo(accepted.size());
            assertThat(stats.cancelled()).isZero();
            assertThat(stats.rejected()).as("the callers' last submits").isEqualTo(3);
            assertThat(stats.submitted()).isEqualTo(stats.completed() + stats.rejected());
            assertThat(stats.queued()).isZero();
            assertThat(stats.active()).isZero();
        }
    }
}
