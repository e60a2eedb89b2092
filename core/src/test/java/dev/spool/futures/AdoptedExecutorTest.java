package dev.spool.futures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.spool.testing.Waiting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link AdoptedExecutor} over a JDK {@link ThreadPoolExecutor} it does not own: the pool keeps its threads, queue and
 * rejection; the wrappers record queue wait, execution and outcomes, and the handler counts refusals.
 */
@Timeout(30)
class AdoptedExecutorTest {

    private final AtomicInteger threads = new AtomicInteger();
    private final ThreadFactory named = task -> new Thread(task, "foreign-" + threads.incrementAndGet());
    private ThreadPoolExecutor pool;

    /** One worker, a queue of one, the JDK's AbortPolicy (counted): the shape of Boot's bounded pool. */
    private AdoptedExecutor adopt(RejectedExecutionHandler handler) {
        pool = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1), named, handler);
        AdoptedExecutor adopted = AdoptedExecutor.builder("foreign", ExecutorType.THREAD)
                .poolSize(pool::getPoolSize).maxWorkers(pool::getMaximumPoolSize)
                .queued(() -> pool.getQueue().size())
                .queueCapacity(() -> pool.getQueue().size() + pool.getQueue().remainingCapacity())
                .state(() -> pool.isShutdown() ? ExecutorState.SHUTDOWN : ExecutorState.RUNNING)
                .build();
        pool.setRejectedExecutionHandler(adopted.countingRejections(handler));
        return adopted;
    }

    @AfterEach
    void shutDown() throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void tasksRunOnThePoolsOwnThreadsAndEveryOneIsTimed() throws Exception {
        AdoptedExecutor adopted = adopt(new ThreadPoolExecutor.AbortPolicy());
        List<String> ranOn = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            runBlocking(adopted, () -> {
                ranOn.add(Thread.currentThread().getName());
                done.countDown();
            });
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        Waiting.until("three tasks recorded", () -> adopted.latencyHistogram(TaskOutcome.SUCCESS).count() == 3);

        assertThat(ranOn).containsOnly("foreign-1");
        assertThat(adopted.queueWaitHistogram().count()).isEqualTo(3);
        assertThat(adopted.executionHistogram().count()).isEqualTo(3);
        ExecutorStats stats = adopted.stats();
        assertThat(stats.submitted()).isEqualTo(3);
        assertThat(stats.completed()).isEqualTo(3);
        assertThat(stats.rejected()).isZero();
        assertThat(stats.maxWorkers()).isEqualTo(1);
        assertThat(stats.queueCapacity()).isEqualTo(1);
        assertThat(adopted.name()).isEqualTo("foreign");
        assertThat(adopted.type()).isEqualTo(ExecutorType.THREAD);
    }

    /** Waits until the previous task has left the queue, so each of the three is accepted by the queue of one. */
    private void runBlocking(AdoptedExecutor adopted, Runnable task) {
        Waiting.until("the queue is free", () -> pool.getQueue().isEmpty());
        pool.execute(adopted.wrap(task));
    }

    @Test
    void aFullPoolRejectsAsBeforeAndTheRejectionIsCounted() throws Exception {
        AdoptedExecutor adopted = adopt(new ThreadPoolExecutor.AbortPolicy());
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        pool.execute(adopted.wrap(() -> {
            started.countDown();
            await(release);
        }));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        pool.execute(adopted.wrap(() -> { }));

        assertThatThrownBy(() -> pool.execute(adopted.wrap(() -> { })))
                .isInstanceOf(RejectedExecutionException.class);

        ExecutorStats stats = adopted.stats();
        assertThat(stats.rejected()).isEqualTo(1);
        assertThat(stats.active()).isEqualTo(1);
        assertThat(stats.queued()).isEqualTo(1);
        assertThat(stats.queueRemaining()).isZero();
        assertThat(adopted.runningTasks(true)).singleElement().satisfies(task -> {
            assertThat(task.worker()).isEqualTo("foreign-1");
            assertThat(task.stack()).isNotEmpty();
            assertThat(task.hung()).isFalse();
        });
        release.countDown();
        Waiting.until("both accepted tasks ended", () -> adopted.latencyHistogram(TaskOutcome.SUCCESS).count() == 2);
        assertThat(adopted.stats().submitted()).isEqualTo(3);
        assertThat(adopted.runningTasks(false)).isEmpty();
    }

    @Test
    void failuresAndCancellationsOfFuturesAreTheirOutcomes() throws Exception {
        AdoptedExecutor adopted = adopt(new ThreadPoolExecutor.AbortPolicy());
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        pool.execute(adopted.wrap(() -> {
            started.countDown();
            await(release);
        }));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        FutureTask<String> cancelled = new FutureTask<>(() -> "never");
        pool.execute(adopted.wrap(cancelled));
        cancelled.cancel(false);
        release.countDown();
        Waiting.until("the cancelled task left the queue",
                () -> adopted.latencyHistogram(TaskOutcome.CANCELLED).count() == 1);
        assertThat(adopted.queueWaitHistogram().count()).as("a cancelled task never started").isEqualTo(1);

        FutureTask<String> failing = new FutureTask<>(() -> {
            throw new IllegalStateException("boom");
        });
        runBlocking(adopted, failing);
        AtomicReference<Throwable> uncaught = new AtomicReference<>();
        CountDownLatch threw = new CountDownLatch(1);
        runBlocking(adopted, () -> {
            Thread.currentThread().setUncaughtExceptionHandler((t, e) -> {
                uncaught.set(e);
                threw.countDown();
            });
            throw new IllegalArgumentException("thrown");
        });
        assertThat(threw.await(10, TimeUnit.SECONDS)).isTrue();
        Waiting.until("both failures recorded", () -> adopted.latencyHistogram(TaskOutcome.FAILURE).count() == 2);
        assertThat(uncaught.get()).as("the task's exception still reaches the pool's thread").hasMessage("thrown");
        assertThat(adopted.stats().completed()).isEqualTo(1);
    }

    @Test
    void aDiscardingPolicyCountsWhatItDropsAndCallerRunsCountsWhatItRuns() throws Exception {
        AdoptedExecutor discarding = adopt(new ThreadPoolExecutor.DiscardPolicy());
        fillAndOffer(discarding);
        assertThat(discarding.stats().rejected()).isEqualTo(1);
        shutDown();

        AdoptedExecutor callerRuns = adopt(new ThreadPoolExecutor.CallerRunsPolicy());
        AtomicReference<String> ranOn = new AtomicReference<>();
        fillAndOffer(callerRuns, () -> ranOn.set(Thread.currentThread().getName()));
        assertThat(ranOn.get()).isEqualTo(Thread.currentThread().getName());
        Waiting.until("the pool's two tasks ended", () -> callerRuns.latencyHistogram(TaskOutcome.SUCCESS).count() == 3);
        assertThat(callerRuns.stats().rejected()).isZero();
        assertThat(callerRuns.stats().submitted()).isEqualTo(3);
    }

    private void fillAndOffer(AdoptedExecutor adopted) throws InterruptedException {
        fillAndOffer(adopted, () -> { });
    }

    /** One task running, one queued, then {@code third} offered to the full pool; the pool is released after. */
    private void fillAndOffer(AdoptedExecutor adopted, Runnable third) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        pool.execute(adopted.wrap(() -> {
            started.countDown();
            await(release);
        }));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        pool.execute(adopted.wrap(() -> { }));
        pool.execute(adopted.wrap(third));
        release.countDown();
    }

    @Test
    void aRepeatingWrapperRecordsEachRunWithoutAQueueWait() {
        AdoptedExecutor adopted = AdoptedExecutor.builder("ticks", ExecutorType.VIRTUAL).build();
        AtomicInteger runs = new AtomicInteger();
        Runnable wrapped = adopted.wrapRepeating(runs::incrementAndGet);
        for (int i = 0; i < 3; i++) {
            wrapped.run();
        }
        assertThat(runs.get()).isEqualTo(3);
        assertThat(adopted.executionHistogram().count()).isEqualTo(3);
        assertThat(adopted.queueWaitHistogram().count()).isZero();
        ExecutorStats stats = adopted.stats();
        assertThat(stats.submitted()).isEqualTo(3);
        assertThat(stats.completed()).isEqualTo(3);
        assertThat(stats.queued()).isZero();
        assertThat(stats.maxWorkers()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void aProcessTypeOrBlankNameIsRefused() {
        assertThatThrownBy(() -> AdoptedExecutor.builder("x", ExecutorType.PROCESS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("thread or virtual");
        assertThatThrownBy(() -> AdoptedExecutor.builder(" ", ExecutorType.THREAD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void executeThroughAPoolWithNoHookRecordsTheTaskAndCountsARefusalOnce() throws Exception {
        AdoptedExecutor adopted = adopt(new ThreadPoolExecutor.AbortPolicy());
        CountDownLatch ran = new CountDownLatch(1);
        adopted.execute(ran::countDown, pool::execute);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        Waiting.until("the task recorded", () -> adopted.latencyHistogram(TaskOutcome.SUCCESS).count() == 1);

        RejectedExecutionException refusal = new RejectedExecutionException("full");
        assertThatThrownBy(() -> adopted.execute(() -> { }, task -> {
            throw refusal;
        })).isSameAs(refusal);
        assertThat(adopted.stats().rejected()).isEqualTo(1);
        assertThat(adopted.stats().submitted()).isEqualTo(2);
        assertThat(adopted.waiting()).as("the refused task no longer waits").isZero();
    }
}
