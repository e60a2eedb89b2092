package dev.spool.futures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JDK-named {@code cancel(true)} keeps {@code FutureTask}'s contract on pool tasks (it cancels and interrupts a
 * running task), while {@code cancel()} and {@code cancel(false)} keep Python's (a running future cannot be
 * cancelled). Code written against {@code java.util.concurrent}, such as a time limiter, relies on the first.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JdkCancelContractTest {
    private final TestPools pools = new TestPools();

    @AfterEach
    void closePools() {
        pools.close();
    }

    private ThreadPool pool(boolean virtual) {
        return pools.build(ThreadPool.builder().name("cancel").maxWorkers(1).virtualThreads(virtual));
    }

    /** A task that runs until interrupted, then says so. */
    private static Callable<String> untilInterrupted(CountDownLatch started, CountDownLatch interrupted) {
        return () -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return "ended";
        };
    }

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {false, true})
    void cancelTrueCancelsAndInterruptsARunningTask(boolean virtual) {
        ThreadPool pool = pool(virtual);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        TaskFuture<String> future = pool.submit(untilInterrupted(started, interrupted));
        Conditions.await(started);

        assertThat(future.cancel(true)).isTrue();

        assertThat(future.isDone()).isTrue();
        assertThat(future.isCancelled()).isTrue();
        assertThat(future.state()).isEqualTo(Future.State.CANCELLED);
        assertThatThrownBy(future::get).isInstanceOf(CancellationException.class);
        assertThatThrownBy(future::result).isInstanceOf(CancellationException.class);
        Conditions.await(interrupted);
        assertThat(future.cancel(true)).as("cancelled already: true, as FutureTask answers").isTrue();
        pool.close();
        ExecutorStats stats = pool.stats();
        assertThat(stats.cancelled()).isOne();
        assertThat(stats.completed()).as("what the task returned after the interrupt is dropped").isZero();
    }

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {false, true})
    void cancelAndCancelFalseKeepPythonsRule(boolean virtual) {
        ThreadPool pool = pool(virtual);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        TaskFuture<String> future = pool.submit(() -> {
            started.countDown();
            Conditions.pass(pools.gate());
            interrupted.set(Thread.currentThread().isInterrupted());
            return "done";
        });
        Conditions.await(started);

        assertThat(future.cancel()).isFalse();
        assertThat(future.cancel(false)).isFalse();
        assertThat(future.running()).isTrue();
        pools.gate().countDown();
        assertThat(future.result()).isEqualTo("done");
        assertThat(interrupted).isFalse();
    }

    @Test
    void aBareFutureWithNoPoolThreadIsNotCancelledWhileItRuns() {
        TaskFuture<String> future = new TaskFuture<>();
        assertThat(future.setRunningOrNotifyCancel()).isTrue();
        assertThat(future.cancel(true)).isFalse();
        assertThat(future.running()).isTrue();
        future.setResult("mine");
        assertThat(future.result()).isEqualTo("mine");
    }

    @Test
    void cancelTrueOfAPendingTaskCancelsItWithoutInterruptingAnyone() {
        ThreadPool pool = pool(false);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean firstInterrupted = new AtomicBoolean();
        TaskFuture<?> first = pool.submit(() -> {
            started.countDown();
            Conditions.pass(pools.gate());
            firstInterrupted.set(Thread.currentThread().isInterrupted());
        });
        Conditions.await(started);
        AtomicInteger ran = new AtomicInteger();
        TaskFuture<?> queued = pool.submit(ran::incrementAndGet);

        assertThat(queued.cancel(true)).isTrue();
        assertThat(queued.futureState()).isEqualTo(FutureState.CANCELLED);
        pools.gate().countDown();
        first.result();
        pool.close();
        assertThat(ran).hasValue(0);
        assertThat(firstInterrupted).as("the worker running another task is left alone").isFalse();
    }

    /** The time-limiter idiom of java.util.concurrent: wait a while, then cancel(true) what is no longer wanted. */
    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {false, true})
    void aTimeLimitersCancelTrueStopsARunningTask(boolean virtual) throws Exception {
        ThreadPool pool = pool(virtual);
        AtomicBoolean stoppedByInterrupt = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        Future<Long> future = pool.submit(() -> {
            long spins = 0;
            while (!Thread.currentThread().isInterrupted()) { // busy work that checks for an interrupt
                spins++;
                Thread.onSpinWait();
            }
            stoppedByInterrupt.set(true);
            stopped.countDown();
            return spins;
        });
        try {
            future.get(50, TimeUnit.MILLISECONDS);
        } catch (TimeoutException tooSlow) {
            future.cancel(true);
        }
        Conditions.await(stopped);
        assertThat(stoppedByInterrupt).isTrue();
        assertThat(future.isCancelled()).isTrue();
        pool.close();
        assertThat(pool.stats().active()).isZero();
    }

    /**
     * cancel(true) racing a task's own end, round after round on one worker: the future ends with exactly one outcome,
     * and the interrupt never reaches the task after it (the worker clears none meant for it, and none is left over).
     */
    @Test
    void theInterruptOfCancelTrueNeverReachesTheNextTask() {
        ThreadPool pool = pool(false);
        AtomicInteger nextInterrupted = new AtomicInteger();
        int cancelled = 0;
        int completed = 0;
        for (int round = 0; round < 2_000; round++) {
            CountDownLatch started = new CountDownLatch(1);
            TaskFuture<Integer> racing = pool.submit(() -> {
                started.countDown();
                for (int i = 0; i < 200; i++) {
                    Thread.onSpinWait();
                }
                return 1;
            });
            Conditions.await(started);
            boolean wasCancelled = racing.cancel(true);
            TaskFuture<Boolean> next = pool.submit(() -> Thread.currentThread().isInterrupted());
            if (next.result()) {
                nextInterrupted.incrementAndGet();
            }
            assertThat(racing.done()).isTrue();
            if (wasCancelled) {
                cancelled++;
                assertThat(racing.isCancelled()).isTrue();
            } else {
                completed++;
                assertThat(racing.result()).isOne();
            }
        }
        assertThat(nextInterrupted).as("a task that followed a cancel(true) saw its interrupt").hasValue(0);
        pool.close();
        assertThat(pool.stats().cancelled()).isEqualTo(cancelled);
        assertThat(pool.stats().completed()).isEqualTo(completed + 2_000);
    }

    @Test
    void invokeAnyInterruptsTheLosersThatStillRun() throws Exception {
        ThreadPool pool = pools.build(ThreadPool.builder().name("any").maxWorkers(2));
        CountDownLatch loserStarted = new CountDownLatch(1);
        CountDownLatch loserInterrupted = new CountDownLatch(1);
        Callable<String> loser = untilInterrupted(loserStarted, loserInterrupted);
        Callable<String> winner = () -> {
            Conditions.await(loserStarted); // the loser is running when the winner wins
            return "won";
        };
        assertThat(pool.invokeAny(List.of(loser, winner))).isEqualTo("won");
        Conditions.await(loserInterrupted);
        pool.close();
        assertThat(pool.stats().cancelled()).isOne();
        assertThat(pool.stats().completed()).isOne();
    }
}
