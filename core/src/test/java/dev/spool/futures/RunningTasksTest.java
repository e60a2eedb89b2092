package dev.spool.futures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import dev.spool.testing.Waiting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a thread pool runs now ({@link ThreadPool#runningTasks(boolean)}) and what its run-timeout and queue-timeout
 * catch ({@link ThreadPool#timeoutStats()}), in both modes. The watch's look at a pool is also called directly with a
 * chosen clock, so "once" is checked over many looks without waiting for any.
 */
@Timeout(30)
class RunningTasksTest {

    private static ThreadPool.Builder pool(boolean virtual) {
        return ThreadPool.builder().name("watched").maxWorkers(1).virtualThreads(virtual)
                .threadNamePrefix("watched-");
    }

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {false, true})
    void aRunningTaskIsListedWithItsWorkerNameStartAndStackUntilItEnds(boolean virtual) throws Exception {
        try (TestPools pools = new TestPools()) {
            ThreadPool pool = pools.build(pool(virtual).maxWorkers(2));
            CountDownLatch started = new CountDownLatch(1);
            TaskFuture<String> blocked = pool.submit("nightly-report", () -> {
                started.countDown();
                pools.gate().await();
                return "done";
            });
            started.await();
            pool.submit(() -> "quick").result(Duration.ofSeconds(10)); // a second worker, idle again now

            List<RunningTask> running = pool.runningTasks(true);
            assertThat(running).singleElement().satisfies(task -> {
                assertThat(task.worker()).isEqualTo(blocked.runner().getName()).startsWith("watched-");
                assertThat(task.description()).isEqualTo("nightly-report");
                assertThat(task.hung()).isFalse();
                assertThat(task.runningFor()).isPositive();
                assertThat(task.stack()).anySatisfy(frame ->
                        assertThat(frame.getClassName()).isEqualTo(CountDownLatch.class.getName()));
            });
            assertThat(pool.runningTasks(false).get(0).stack()).isEmpty();
            assertThat(pool.timeoutStats()).isEqualTo(TimeoutStats.NONE);

            pools.gate().countDown();
            assertThat(blocked.result(Duration.ofSeconds(10))).isEqualTo("done");
            Waiting.until("no task runs", () -> pool.runningTasks(false).isEmpty());
        }
    }

    @Test
    void anUnnamedTaskIsDescribedByItsClassWithoutTheLambdaSuffix() throws Exception {
        try (TestPools pools = new TestPools()) {
            ThreadPool pool = pools.build(pool(false));
            CountDownLatch started = new CountDownLatch(1);
            pool.submit(() -> {
                started.countDown();
                pools.gate().await();
                return null;
            });
            started.await();
            String description = pool.runningTasks(false).get(0).description();
            assertThat(description).startsWith(RunningTasksTest.class.getName() + "$$Lambda").doesNotContain("/");
        }
    }

    @Test
    void aDescribedTaskOrADecoratorsDescribedWrapperSaysWhatTheTaskIsAndASubmittedNameWins() throws Exception {
        try (TestPools pools = new TestPools()) {
            // The decorator describes the tasks submitted while the thread-local says so, as Spool's Spring integration
            // names an @Async method's task.
            ThreadLocal<String> describing = new ThreadLocal<>();
            ThreadPool pool = pools.build(pool(false).maxWorkers(3).taskDecorator(task -> {
                String description = describing.get();
                return description == null ? task : DescribedTask.describedAs(description, task);
            }));
            CountDownLatch started = new CountDownLatch(3);
            Runnable held = () -> {
                started.countDown();
                try {
                    pools.gate().await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            pool.submit(new OwnWords(held));
            describing.set("the decorator's words");
            try {
                pool.submit(held);
                pool.submit("a submitted name", held);
            } finally {
                describing.remove();
            }
            started.await();
            assertThat(pool.runningTasks(false)).extracting(RunningTask::description).containsExactlyInAnyOrder(
                    "the task's own words", "the decorator's words", "a submitted name");
        }
    }

    /** A task that implements {@link DescribedTask} itself. */
    private record OwnWords(Runnable task) implements Runnable, DescribedTask {
        @Override
        public void run() {
            task.run();
        }

        @Override
        public String taskDescription() {
            return "the task's own words";
        }
    }

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {false, true})
    void aTaskPastItsRunTimeoutIsHungCountedAndLoggedOnceWithItsStack(boolean virtual) throws Exception {
        try (TestPools pools = new TestPools(); Conditions.LogCapture log = new Conditions.LogCapture()) {
            ThreadPool pool = pools.build(pool(virtual).runTimeout(Duration.ofMillis(50)));
            CountDownLatch started = new CountDownLatch(1);
            TaskFuture<String> stuck = pool.submit("stuck-import", () -> {
                started.countDown();
                pools.gate().await();
                return "released";
            });
            started.await();

            Waiting.until("the watch reports the task", () -> pool.timeoutStats().runTimeouts() == 1);
            TimeoutStats stats = pool.timeoutStats();
            assertThat(stats.runTimeout()).isEqualTo(Duration.ofMillis(50));
            assertThat(stats.hung()).isEqualTo(1);
            assertThat(pool.runningTasks(false)).singleElement().satisfies(task -> assertThat(task.hung()).isTrue());

            // The watch looks again and again: the task is reported once.
            long later = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
            pool.engine().scanTimeouts(later);
            pool.engine().scanTimeouts(later + 1);
            assertThat(pool.timeoutStats().runTimeouts()).isEqualTo(1);
            List<LogRecord> warnings = log.records().stream().filter(r -> r.getLevel() == Level.WARNING).toList();
            assertThat(warnings).singleElement().satisfies(r -> {
                assertThat(r.getMessage()).contains("thread pool watched", "stuck-import",
                        stuck.runner().getName(), "past its run-timeout of 50.0 ms");
                assertThat(r.getThrown().getStackTrace()).anySatisfy(frame ->
                        assertThat(frame.getClassName()).isEqualTo(CountDownLatch.class.getName()));
            });

            pools.gate().countDown();
            assertThat(stuck.result(Duration.ofSeconds(10))).isEqualTo("released"); // not stopped by default
            Waiting.until("nothing is hung", () -> pool.timeoutStats().hung() == 0);
            assertThat(pool.timeoutStats().runTimeouts()).isEqualTo(1);
        }
    }

    @Test
    void aQuickTaskIsNeverHung() throws Exception {
        try (TestPools pools = new TestPools()) {
            ThreadPool pool = pools.build(pool(false).runTimeout(Duration.ofHours(1)));
            CountDownLatch started = new CountDownLatch(1);
            pool.submit(() -> {
                started.countDown();
                pools.gate().await();
                return null;
            });
            started.await();
            pool.engine().scanTimeouts(System.nanoTime());
            assertThat(pool.timeoutStats().hung()).isZero();
            assertThat(pool.timeoutStats().runTimeouts()).isZero();
            assertThat(pool.runningTasks(false).get(0).hung()).isFalse();
        }
    }

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {false, true})
    void interruptOnRunTimeoutCancelsTheHungTaskAndInterruptsItsThread(boolean virtual) throws Exception {
        try (TestPools pools = new TestPools(); Conditions.LogCapture log = new Conditions.LogCapture()) {
            ThreadPool pool = pools.build(pool(virtual).runTimeout(Duration.ofMillis(50)).interruptOnRunTimeout(true));
            AtomicBoolean interrupted = new AtomicBoolean();
            CountDownLatch ended = new CountDownLatch(1);
            TaskFuture<String> stuck = pool.submit(() -> {
                try {
                    new CountDownLatch(1).await();
                    return "never";
                } catch (InterruptedException e) {
                    interrupted.set(true);
                    throw e;
                } finally {
                    ended.countDown();
                }
            });
            assertThatThrownBy(() -> stuck.result(Duration.ofSeconds(20))).isInstanceOf(CancellationException.class);
            ended.await();
            assertThat(interrupted).isTrue();
            assertThat(pool.timeoutStats().runTimeouts()).isEqualTo(1);
            assertThat(pool.stats().cancelled()).isEqualTo(1);
            assertThat(log.records()).anySatisfy(r -> assertThat(r.getMessage()).contains("cancelling it"));
            assertThat(pool.submit(() -> "next").result(Duration.ofSeconds(10))).isEqualTo("next");
        }
    }

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {false, true})
    void aTaskThatWaitedPastTheQueueTimeoutIsCountedWhenItStarts(boolean virtual) throws Exception {
        try (TestPools pools = new TestPools()) {
            Duration timeout = Duration.ofMillis(20);
            ThreadPool pool = pools.build(pool(virtual).queueTimeout(timeout));
            CountDownLatch started = new CountDownLatch(1);
            TaskFuture<?> first = pool.submit(() -> {
                started.countDown();
                pools.gate().await();
                return null;
            });
            started.await();
            TaskFuture<String> late = pool.submit(() -> "late");
            Waiting.until("the second task has waited past the queue-timeout",
                    () -> System.nanoTime() - late.submittedNanos() > timeout.toNanos() * 2);
            pools.gate().countDown();
            assertThat(late.result(Duration.ofSeconds(10))).isEqualTo("late"); // counted, not cancelled
            first.result(Duration.ofSeconds(10));
            // The first task normally starts at once; on a loaded machine it may start late too, and then it counts.
            long firstLate = waited(first) > timeout.toNanos() ? 1 : 0;
            assertThat(waited(late)).isGreaterThan(timeout.toNanos());
            assertThat(pool.timeoutStats().queueTimeouts()).isEqualTo(1 + firstLate);
            assertThat(pool.timeoutStats().queueTimeout()).isEqualTo(timeout);
        }
    }

    private static long waited(TaskFuture<?> task) {
        return task.startedNanos() - task.submittedNanos();
    }

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {false, true})
    void cancelOnQueueTimeoutCancelsOnlyTasksThatHaveNotStarted(boolean virtual) throws Exception {
        try (TestPools pools = new TestPools()) {
            // Long enough that the first task, which finds its worker free, cannot be late even on a loaded machine.
            ThreadPool pool = pools.build(pool(virtual).queueTimeout(Duration.ofMillis(500)).cancelOnQueueTimeout(true));
            CountDownLatch started = new CountDownLatch(1);
            TaskFuture<String> running = pool.submit(() -> {
                started.countDown();
                pools.gate().await();
                return "ran";
            });
            assertThat(started.await(20, TimeUnit.SECONDS)).as("the first task started").isTrue();
            TaskFuture<String> second = pool.submit(() -> "second");
            TaskFuture<String> third = pool.submit(() -> "third");

            Waiting.until("the watch cancels the waiting tasks", () -> second.cancelled() && third.cancelled());
            assertThat(running.running()).isTrue();
            assertThat(pool.timeoutStats().queueTimeouts()).isEqualTo(2);
            assertThatThrownBy(() -> second.result(Duration.ofSeconds(1))).isInstanceOf(CancellationException.class);

            pools.gate().countDown();
            assertThat(running.result(Duration.ofSeconds(10))).isEqualTo("ran");
            assertThat(pool.submit(() -> "fresh").result(Duration.ofSeconds(10))).isEqualTo("fresh");
            assertThat(pool.stats().cancelled()).isEqualTo(2);
            assertThat(pool.stats().completed()).isEqualTo(2);
            assertThat(pool.timeoutStats().queueTimeouts()).isEqualTo(2);
        }
    }

    @Test
    void aWorkerCancelsALateTaskItReachesBeforeTheWatchDoes() throws Exception {
        try (TestPools pools = new TestPools()) {
            // The watch looks every 250 ms at most here, a worker reaches the task as soon as the gate opens.
            ThreadPool pool = pools.build(pool(false).queueTimeout(Duration.ofSeconds(1)).cancelOnQueueTimeout(true));
            CountDownLatch started = new CountDownLatch(1);
            pool.submit(() -> {
                started.countDown();
                pools.gate().await();
                return null;
            });
            started.await();
            PoolTask<?> late = (PoolTask<?>) pool.submit(() -> "late");
            // Make the task look a second old to the worker that takes it: its submit stamp cannot change, so check
            // the worker's own decision through beforeStart with the pool's settings instead.
            TaskTimeouts timeouts = pool.engine().timeouts;
            assertThat(timeouts.waitedTooLong(late.submittedNanos(), late.submittedNanos() + 2_000_000_000L)).isTrue();
            timeouts.cancelLate(late);
            timeouts.cancelLate(late); // a second attempt (the watch, after the worker) counts nothing
            pools.gate().countDown();
            assertThat(late.cancelled()).isTrue();
            assertThat(pool.timeoutStats().queueTimeouts()).isEqualTo(1);
        }
    }

    @Test
    void timeoutSettingsAreCheckedByTheBuilder() {
        assertThatThrownBy(() -> ThreadPool.builder().runTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("runTimeout must be positive");
        assertThatThrownBy(() -> ThreadPool.builder().queueTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queueTimeout must be positive");
        assertThatThrownBy(() -> ThreadPool.builder().interruptOnRunTimeout(true).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a runTimeout");
        assertThatThrownBy(() -> ThreadPool.builder().cancelOnQueueTimeout(true).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a queueTimeout");
        assertThatThrownBy(() -> new ThreadPool().submit((String) null, () -> 1))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("name");
    }
}
