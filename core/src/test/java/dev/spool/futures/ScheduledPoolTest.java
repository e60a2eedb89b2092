package dev.spool.futures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.testing.Waiting;

/**
 * {@link ScheduledPool}: the JDK's {@code ScheduledExecutorService} contract (delay, fixed rate without overlap,
 * fixed delay, cancel, exceptions end a periodic task, shutdown policies) and its lateness and missed runs. No sleeps:
 * latches, and {@link Waiting} for the passage of time a test needs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScheduledPoolTest {

    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private static void waitFor(Duration elapsed, long sinceNanos) {
        Waiting.until(elapsed + " passed", () -> System.nanoTime() - sinceNanos >= elapsed.toNanos());
    }

    @Test
    void aDelayedCallableRunsOnAWorkerNoEarlierThanItsDelayAndRecordsItsLateness() throws Exception {
        try (ScheduledPool pool = ScheduledPool.builder().name("ticks").build()) {
            long before = System.nanoTime();
            ScheduledTaskFuture<String> future = pool.schedule(() -> Thread.currentThread().getName(),
                    Duration.ofMillis(30));
            assertThat(future.isPeriodic()).isFalse();
            assertThat(future.getDelay(TimeUnit.MILLISECONDS)).isLessThanOrEqualTo(30L);

            assertThat(future.get()).isEqualTo("ticks-0");
            assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
            assertThat(future.runs()).isEqualTo(1);
            assertThat(pool.latenessHistogram().count()).isEqualTo(1);
            assertThat(pool.scheduledCount()).isZero();
            assertThat(pool.type()).isEqualTo(ExecutorType.SCHEDULED);
            Waiting.until("the run is counted", () -> pool.stats().completed() == 1);
        }
    }

    @Test
    void aRunHeldPastItsDueTimeByABusyWorkerShowsThatLateness() throws Exception {
        try (ScheduledPool pool = ScheduledPool.builder().name("busy").maxWorkers(1).build()) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            pool.submit(() -> {
                started.countDown();
                release.await();
                return null;
            });
            started.await();
            ScheduledTaskFuture<?> late = pool.schedule(() -> { }, 0, TimeUnit.SECONDS);
            long scheduled = System.nanoTime(); // after the call, so the run was due no later than this
            Waiting.until("the run waits for the worker", () -> pool.stats().queued() == 1);
            waitFor(Duration.ofMillis(40), scheduled);
            release.countDown();
            late.get();

            assertThat(pool.latenessHistogram().count()).isEqualTo(1);
            assertThat(pool.latenessHistogram().maxNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
            assertThat(pool.missedRuns()).as("a one-shot task has no further runs to miss").isZero();
        }
    }

    @Test
    void fixedRateNeverOverlapsAndARunLongerThanThreePeriodsCountsTheRunsThatFellDueBehindIt() throws Exception {
        try (ScheduledPool pool = ScheduledPool.builder().name("rate").maxWorkers(2).build()) {
            AtomicInteger running = new AtomicInteger();
            AtomicInteger mostAtOnce = new AtomicInteger();
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch firstStarted = new CountDownLatch(1);
            CountDownLatch releaseFirst = new CountDownLatch(1);
            CountDownLatch sixRuns = new CountDownLatch(6);
            ScheduledTaskFuture<?> future = pool.scheduleAtFixedRate(() -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    if (runs.incrementAndGet() == 1) {
                        firstStarted.countDown();
                        releaseFirst.await();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    running.decrementAndGet();
                    sixRuns.countDown();
                }
            }, 0, PERIOD_NANOS, TimeUnit.NANOSECONDS);
            firstStarted.await();
            long firstDue = System.nanoTime() + future.getDelay(TimeUnit.NANOSECONDS);
            // Three more boundaries (firstDue + P, + 2P, + 3P) pass while the first run holds the task.
            Waiting.until("three periods passed", () -> System.nanoTime() - firstDue > 3 * PERIOD_NANOS);
            assertThat(pool.stats().active()).as("no second run while the first one runs").isEqualTo(1);
            releaseFirst.countDown();
            sixRuns.await();
            future.cancel(false);

            assertThat(mostAtOnce.get()).isEqualTo(1);
            // Run 2 (due at P) started after 3P: 2 runs behind it; run 3 (due at 2P) after 3P: 1 behind it.
            assertThat(pool.missedRuns()).isGreaterThanOrEqualTo(3);
            assertThat(pool.latenessHistogram().count()).isGreaterThanOrEqualTo(6);
            assertThat(pool.latenessHistogram().maxNanos()).isGreaterThanOrEqualTo(2 * PERIOD_NANOS);
            assertThat(future.isCancelled()).isTrue();
            assertThat(pool.scheduledCount()).isZero();
        }
    }

    @Test
    void fixedDelayStartsEachRunAtLeastTheDelayAfterThePreviousOneEnded() throws Exception {
        try (ScheduledPool pool = ScheduledPool.builder().name("delay").build()) {
            List<long[]> spans = new CopyOnWriteArrayList<>();
            CountDownLatch fourRuns = new CountDownLatch(4);
            ScheduledTaskFuture<?> future = pool.scheduleWithFixedDelay(() -> {
                long start = System.nanoTime();
                long end = start;
                while (end - start < PERIOD_NANOS / 2) { // a run that takes a measurable time
                    end = System.nanoTime();
                    Thread.onSpinWait();
                }
                spans.add(new long[] {start, end});
                fourRuns.countDown();
            }, 0, PERIOD_NANOS, TimeUnit.NANOSECONDS);
            fourRuns.await();
            future.cancel(false);

            for (int i = 1; i < 4; i++) {
                assertThat(spans.get(i)[0] - spans.get(i - 1)[1]).as("gap before run " + i)
                        .isGreaterThanOrEqualTo(PERIOD_NANOS);
            }
            assertThat(future.isPeriodic()).isTrue();
        }
    }

    @Test
    void anExceptionEndsAPeriodicTaskWithThatExceptionAndNoFurtherRunIsScheduled() throws Exception {
        try (ScheduledPool pool = ScheduledPool.builder().name("fails").build()) {
            AtomicInteger runs = new AtomicInteger();
            IllegalStateException boom = new IllegalStateException("second run fails");
            ScheduledTaskFuture<?> future = pool.scheduleAtFixedRate(() -> {
                if (runs.incrementAndGet() == 2) {
                    throw boom;
                }
            }, 0, 1, TimeUnit.MILLISECONDS);

            assertThatThrownBy(future::get).isInstanceOf(ExecutionException.class).hasCause(boom);
            assertThat(future.runs()).isEqualTo(2);
            assertThat(pool.scheduledCount()).isZero();
            Waiting.until("the failed run is counted", () -> pool.stats().failed() == 1);
            assertThat(runs.get()).isEqualTo(2);
        }
    }

    @Test
    void aPeriodicRunThatReportsAHandledFailureCountsAsFailedAndTheTaskKeepsItsSchedule() throws Exception {
        try (ScheduledPool pool = ScheduledPool.builder().name("handled").build()) {
            AtomicInteger runs = new AtomicInteger();
            List<Boolean> counted = new CopyOnWriteArrayList<>();
            AtomicReference<ScheduledTaskFuture<?>> self = new AtomicReference<>();
            CountDownLatch scheduled = new CountDownLatch(1);
            IllegalStateException boom = new IllegalStateException("odd runs fail, handled inside the run");
            ScheduledTaskFuture<?> future = pool.scheduleWithFixedDelay(() -> {
                int run = runs.incrementAndGet();
                if (run % 2 == 1) {
                    try {
                        throw boom;
                    } catch (IllegalStateException handled) { // what Spring's error handler does
                        counted.add(pool.failCurrentRun(handled));
                        counted.add(pool.failCurrentRun(new IllegalStateException("a second report")));
                    }
                } else if (run == 4) { // the fourth run is the last: no run starts after it
                    try {
                        scheduled.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    self.get().cancel(false);
                }
            }, 0, 1, TimeUnit.MILLISECONDS);
            self.set(future);
            scheduled.countDown();

            assertThatThrownBy(future::get).as("the task went on after its handled failures, to its fourth run")
                    .isInstanceOf(CancellationException.class);
            Waiting.until("the four runs are counted", () -> pool.stats().failed() + pool.stats().completed() == 4);
            assertThat(runs.get()).isEqualTo(4);
            assertThat(pool.stats().failed()).isEqualTo(2);
            assertThat(counted).as("each failing run: the first report counts, a second does not")
                    .containsExactly(true, false, true, false);
        }
    }

    @Test
    void aOneShotRunThatReportsAHandledFailureFailsItsFutureWithIt() {
        try (ScheduledPool pool = ScheduledPool.builder().name("handled-once").build()) {
            IllegalArgumentException boom = new IllegalArgumentException("handled");
            ScheduledTaskFuture<String> future = pool.schedule(() -> pool.failCurrentRun(boom) ? "reported" : "not",
                    Duration.ZERO);

            assertThatThrownBy(future::get).isInstanceOf(ExecutionException.class).hasCause(boom);
            Waiting.until("the failed run is counted", () -> pool.stats().failed() == 1);
            assertThat(pool.stats().completed()).isZero();
        }
    }

    @Test
    void failCurrentRunOutsideAScheduledRunOfThisPoolRecordsNothing() throws Exception {
        try (ScheduledPool pool = ScheduledPool.builder().name("mine").build();
             ScheduledPool other = ScheduledPool.builder().name("other").build()) {
            IllegalStateException boom = new IllegalStateException("not a run of this pool");
            assertThat(pool.failCurrentRun(boom)).as("the test's own thread").isFalse();
            assertThat(pool.submit(() -> pool.failCurrentRun(boom)).get()).as("a submitted task").isFalse();
            assertThat(other.schedule(() -> pool.failCurrentRun(boom), Duration.ZERO).get())
                    .as("a run of another pool").isFalse();
            assertThatThrownBy(() -> pool.failCurrentRun(null)).isInstanceOf(NullPointerException.class);

            Waiting.until("both tasks are counted", () -> pool.stats().completed() == 1
                    && other.stats().completed() == 1);
            assertThat(pool.stats().failed()).isZero();
            assertThat(other.stats().failed()).isZero();
        }
    }

    @Test
    void whatARunThrowsAfterReportingAHandledFailureWinsAndEndsThePeriodicTask() {
        try (ScheduledPool pool = ScheduledPool.builder().name("both").build()) {
            IllegalStateException thrown = new IllegalStateException("thrown");
            ScheduledTaskFuture<?> future = pool.scheduleAtFixedRate(() -> {
                pool.failCurrentRun(new IllegalStateException("reported"));
                throw thrown;
            }, 0, 1, TimeUnit.MILLISECONDS);

            assertThatThrownBy(future::get).isInstanceOf(ExecutionException.class).hasCause(thrown);
            assertThat(future.runs()).isEqualTo(1);
            Waiting.until("the failed run is counted", () -> pool.stats().failed() == 1);
        }
    }

    @Test
    void cancellingADelayedTaskTakesItOutAndCancelTrueInterruptsARunningPeriodicOne() throws Exception {
        try (ScheduledPool pool = ScheduledPool.builder().name("cancel").build()) {
            ScheduledTaskFuture<String> later = pool.schedule(() -> "never", Duration.ofHours(1));
            assertThat(pool.scheduledCount()).isEqualTo(1);
            assertThat(pool.nextDue()).isPositive();
            assertThat(later.cancel(false)).isTrue();
            assertThat(later.isCancelled()).isTrue();
            assertThat(pool.scheduledCount()).isZero();
            assertThat(pool.nextDue()).isNull();
            assertThatThrownBy(later::get).isInstanceOf(CancellationException.class);

            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch interrupted = new CountDownLatch(1);
            ScheduledTaskFuture<?> periodic = pool.scheduleAtFixedRate(() -> {
                started.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
            }, 0, 1, TimeUnit.MILLISECONDS);
            started.await();
            assertThat(periodic.cancel(true)).as("a running periodic task can be cancelled").isTrue();
            interrupted.await();
            Waiting.until("the interrupted run ended", () -> pool.stats().active() == 0);
            assertThat(periodic.runs()).isEqualTo(1);
            assertThat(pool.scheduledCount()).isZero();
        }
    }

    @Test
    void shutdownCancelsPeriodicTasksButLetsADelayedOneRunThenTerminates() throws Exception {
        ScheduledPool pool = ScheduledPool.builder().name("down").build();
        ScheduledTaskFuture<?> periodic = pool.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);
        CountDownLatch release = new CountDownLatch(1);
        ScheduledTaskFuture<String> delayed = pool.schedule(() -> {
            release.await();
            return "ran after shutdown";
        }, Duration.ofMillis(10));

        pool.shutdown();
        assertThat(pool.isShutdown()).isTrue();
        assertThat(periodic.isCancelled()).isTrue();
        assertThatThrownBy(() -> pool.schedule(() -> 1, Duration.ZERO)).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> pool.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class);
        assertThat(pool.isTerminated()).isFalse();
        assertThat(pool.stats().state()).as("shut down, with a delayed task still to run")
                .isEqualTo(ExecutorState.SHUTDOWN);

        release.countDown();
        assertThat(delayed.get()).isEqualTo("ran after shutdown");
        assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.isTerminated()).isTrue();
    }

    @Test
    void shutdownNowCancelsEveryTaskAndReturnsTheOnesThatNeverStarted() throws Exception {
        ScheduledPool pool = ScheduledPool.builder().name("now").build();
        Runnable command = () -> { };
        ScheduledTaskFuture<?> delayed = pool.schedule(command, 1, TimeUnit.HOURS);

        List<Runnable> never = pool.shutdownNow();

        assertThat(never).containsExactly(command);
        assertThat(delayed.isCancelled()).isTrue();
        assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shutdownWithCancelFuturesCancelsTheDelayedTasks() throws Exception {
        ScheduledPool pool = ScheduledPool.builder().name("cancelled").build();
        ScheduledTaskFuture<String> delayed = pool.schedule(() -> "never", Duration.ofHours(1));

        pool.shutdown(true, true);

        assertThat(delayed.isCancelled()).isTrue();
        assertThat(pool.isTerminated()).isTrue();
    }

    @Test
    void submitRunsAtOnceOnAWorkerWithoutTheTimer() throws Exception {
        try (ScheduledPool pool = ScheduledPool.builder().name("plain").threadNamePrefix("plain-w-").build()) {
            assertThat(pool.submit(() -> Thread.currentThread().getName()).get()).isEqualTo("plain-w-0");
            assertThat(pool.latenessHistogram().count()).as("not a scheduled run").isZero();
        }
    }

    @Test
    void builderRefusesWhatAThreadPoolRefuses() {
        assertThatThrownBy(() -> ScheduledPool.builder().maxWorkers(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScheduledPool.builder().name(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScheduledPool.builder().interruptOnRunTimeout(true).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("runTimeout");
        try (ScheduledPool pool = ScheduledPool.builder().build()) {
            assertThatThrownBy(() -> pool.scheduleAtFixedRate(() -> { }, 0, 0, TimeUnit.SECONDS))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("period");
        }
    }

    /** A decorator that carries the scheduling thread's value of {@link #CALLER} into the run, as MDC propagation does. */
    private static final ThreadLocal<String> CALLER = new ThreadLocal<>();

    private static Runnable carryCaller(Runnable run, AtomicInteger decorations) {
        decorations.incrementAndGet();
        String captured = CALLER.get();
        return () -> {
            String before = CALLER.get();
            CALLER.set(captured);
            try {
                run.run();
            } finally {
                CALLER.set(before);
            }
        };
    }

    @Test
    void theDecoratorCapturesTheSchedulingThreadsContextOnceAndSetsItAroundEveryRun() throws Exception {
        AtomicInteger decorations = new AtomicInteger();
        try (ScheduledPool pool = ScheduledPool.builder().name("ctx")
                .taskDecorator(run -> carryCaller(run, decorations)).build()) {
            CALLER.set("request-42");
            ScheduledTaskFuture<String> once;
            ScheduledTaskFuture<?> periodic;
            List<String> seen = new CopyOnWriteArrayList<>();
            CountDownLatch threeRuns = new CountDownLatch(3);
            try {
                once = pool.schedule(CALLER::get, Duration.ofMillis(1));
                periodic = pool.scheduleAtFixedRate(() -> {
                    seen.add(CALLER.get());
                    threeRuns.countDown();
                }, 0, 5, TimeUnit.MILLISECONDS);
            } finally {
                CALLER.remove();
            }
            assertThat(once.get()).isEqualTo("request-42");
            assertThat(threeRuns.await(30, TimeUnit.SECONDS)).isTrue();
            periodic.cancel(false);
            assertThat(seen).hasSizeGreaterThanOrEqualTo(3).containsOnly("request-42");
            assertThat(decorations).as("one decoration per scheduled task, not per run").hasValue(2);
        }
    }

    @Test
    void aWrapperThatSkipsTheTaskFailsTheRunAndADecoratorThatThrowsSchedulesNothing() {
        try (ScheduledPool skipping = ScheduledPool.builder().name("skip").taskDecorator(run -> () -> { }).build()) {
            ScheduledTaskFuture<String> future = skipping.schedule(() -> "never", Duration.ZERO);
            assertThatThrownBy(future::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("without running the task");
        }
        try (ScheduledPool refusing = ScheduledPool.builder().name("refuse").taskDecorator(run -> {
            throw new IllegalStateException("no context here");
        }).build()) {
            assertThatThrownBy(() -> refusing.schedule(() -> "never", Duration.ZERO))
                    .isInstanceOf(IllegalStateException.class).hasMessage("no context here");
            assertThat(refusing.scheduledCount()).isZero();
        }
    }

    @Test
    void aRunInterruptedAtItsRunTimeoutEndsItsPeriodicTaskSoNoRunOverlapsIt() throws Exception {
        try (ScheduledPool pool = ScheduledPool.builder().name("hung").maxWorkers(2)
                .runTimeout(Duration.ofMillis(50)).interruptOnRunTimeout(true).build()) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch interrupted = new CountDownLatch(1);
            AtomicInteger runs = new AtomicInteger();
            ScheduledTaskFuture<?> task = pool.scheduleAtFixedRate(() -> {
                runs.incrementAndGet();
                for (;;) { // a run that ignores the interrupt: it goes on after its future is cancelled
                    try {
                        release.await();
                        return;
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                    }
                }
            }, 0, 1, TimeUnit.MILLISECONDS);
            assertThat(interrupted.await(30, TimeUnit.SECONDS)).as("the watch interrupts the hung run").isTrue();
            Waiting.until("the task is cancelled", task::isCancelled);
            assertThat(pool.scheduledCount()).as("no further run is scheduled").isZero();
            release.countDown();
            Waiting.until("the interrupted run has returned", () -> pool.stats().active() == 0);
            assertThat(runs).hasValue(1);
            assertThat(pool.scheduledCount()).isZero();
        }
    }
}
