package dev.spool.futures;

import static dev.spool.futures.ThreadPoolSizingTest.assertCountersAddUp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The counters of {@link ThreadPool#stats()}: every task counted once, and counted before anyone sees it done. */
@Timeout(60)
class ThreadPoolStatisticsTest {

    /** Runs n tasks of which ~10 % throw and ~10 % are cancelled right after submit; checks the counters. */
    private static void countersAddUp(ThreadPool.Builder builder, int n) {
        try (ThreadPool pool = builder.build()) {
            SplittableRandom random = new SplittableRandom(42);
            List<TaskFuture<Integer>> fs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                boolean fails = random.nextInt(10) == 0;
                TaskFuture<Integer> f = pool.submit(() -> {
                    if (fails) {
                        throw new IllegalStateException("random failure");
                    }
                    return 1;
                });
                if (random.nextInt(10) == 0) {
                    f.cancel();
                }
                fs.add(f);
            }
            Futures.wait(fs);
            ExecutorStats stats = pool.stats();
            long succeeded = fs.stream().filter(f -> f.state() == Future.State.SUCCESS).count();
            long failed = fs.stream().filter(f -> f.state() == Future.State.FAILED).count();
            long cancelled = fs.stream().filter(TaskFuture::cancelled).count();
            assertThat(stats.submitted()).isEqualTo(n);
            assertThat(stats.completed()).isEqualTo(succeeded);
            assertThat(stats.failed()).isEqualTo(failed);
            assertThat(stats.cancelled()).isEqualTo(cancelled);
            assertThat(stats.rejected()).isZero();
            assertThat(stats.queued()).isZero();
            assertThat(stats.active()).isZero();
            assertThat(cancelled).isPositive();
            assertThat(failed).isPositive();
            assertCountersAddUp(stats);
            assertThat(stats.latency().count()).isEqualTo(n);
            assertThat(stats.execution().count()).isEqualTo(succeeded + failed);
            assertThat(stats.queueWait().count()).isEqualTo(succeeded + failed);
            assertThat(stats.finished()).isEqualTo(succeeded + failed);
        }
    }

    @Test
    void countersAddUpAfter100kTasksWithRandomFailuresAndCancels() {
        countersAddUp(ThreadPool.builder().name("stats").maxWorkers(4), 100_000);
    }

    @Test
    void countersAddUpInVirtualMode() {
        countersAddUp(ThreadPool.builder().name("stats-virtual").virtualThreads(true).maxWorkers(4), 20_000);
    }

    @Test
    void aTaskIsCountedBeforeItsFutureIsSeenDone() {
        try (ThreadPool pool = ThreadPool.builder().maxWorkers(2).build()) {
            for (int i = 1; i <= 2_000; i++) {
                pool.submit(() -> 1).result();
                ExecutorStats stats = pool.stats();
                assertThat(stats.completed()).isEqualTo(i);
                assertThat(stats.active()).isZero();
                assertThat(stats.queued()).isZero();
            }
        }
    }

    @Test
    void aTaskListenerSeesEveryTaskEndOnceAndCanBeRemoved() {
        try (ThreadPool pool = ThreadPool.builder().maxWorkers(2).build()) {
            AtomicInteger ended = new AtomicInteger();
            TaskListener listener = (future, outcome) -> {
                assertThat(future.endedNanos()).isNotZero();
                ended.incrementAndGet();
            };
            pool.addTaskListener(listener);
            for (int i = 0; i < 100; i++) {
                pool.submit(() -> 1).result();
            }
            pool.removeTaskListener(listener);
            pool.submit(() -> 1).result();
            assertThat(ended).hasValue(100);
        }
    }

    @Test
    void theLatencyHistogramsAreLiveAndCountEveryTaskAsTheSnapshotDoes() {
        try (ThreadPool pool = ThreadPool.builder().maxWorkers(2).build()) {
            assertThat(pool.queueWaitHistogram()).isSameAs(pool.queueWaitHistogram());
            for (int i = 0; i < 50; i++) {
                pool.submit(() -> 1).result();
            }
            TaskFuture<Integer> cancelled = new TaskFuture<>();
            assertThat(cancelled.cancel()).isTrue(); // not the pool's: must not show up
            ExecutorStats stats = pool.stats();
            assertThat(pool.queueWaitHistogram().count()).isEqualTo(50).isEqualTo(stats.queueWait().count());
            assertThat(pool.executionHistogram().count()).isEqualTo(50).isEqualTo(stats.execution().count());
            assertThat(pool.latencyHistogram(TaskOutcome.SUCCESS).count()).isEqualTo(50).isEqualTo(stats.latency().count());
            assertThat(pool.latencyHistogram(TaskOutcome.SUCCESS).totalNanos()).isEqualTo(stats.latency().totalNanos())
                    .isGreaterThanOrEqualTo(pool.executionHistogram().totalNanos());
            pool.submit(() -> 1).result();
            assertThat(pool.latencyHistogram(TaskOutcome.SUCCESS).count()).as("live, cumulative").isEqualTo(51);
        }
    }

    @Test
    void eachOutcomeHasItsOwnLatencyHistogramWhoseCountIsItsCounter() {
        try (ThreadPool pool = ThreadPool.builder().maxWorkers(1).build()) {
            pool.submit(() -> 1).result();
            assertThat(pool.submit(() -> { throw new IllegalStateException("boom"); }).exception())
                    .isInstanceOf(IllegalStateException.class);
            ExecutorStats stats = pool.stats();
            assertThat(pool.latencyHistogram(TaskOutcome.SUCCESS).count()).isEqualTo(1).isEqualTo(stats.completed());
            assertThat(pool.latencyHistogram(TaskOutcome.FAILURE).count()).isEqualTo(1).isEqualTo(stats.failed());
            assertThat(pool.latencyHistogram(TaskOutcome.CANCELLED).count()).isZero();
            assertThat(stats.latency().count()).isEqualTo(2);
            assertThat(pool.latencyHistogram(TaskOutcome.SUCCESS).snapshot()
                    .plus(pool.latencyHistogram(TaskOutcome.FAILURE).snapshot()).totalNanos())
                    .isEqualTo(stats.latency().totalNanos());
        }
    }
}
