package dev.spool.futures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.metrics.ExecutorMetrics;
import dev.spool.process.Gate;
import dev.spool.testing.Waiting;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What a process pool's workers run now, and its run-timeout and queue-timeout: a task blocked in a worker (on a
 * {@link Gate} the test holds) shows with its description and a growing running time, turns hung past the
 * run-timeout (gauge, counter, one log line), and a queue-timeout with cancel cancels only the tasks still queued.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProcessPoolRunningTasksTest {

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

    /** Collects the records of logger {@code dev.spool.futures} that name one pool (the task watch is shared). */
    static final class Captured extends Handler implements AutoCloseable {
        private final Logger logger = Logger.getLogger("dev.spool.futures"); // held: JUL keeps loggers weakly
        private final String pool;
        final List<LogRecord> records = new CopyOnWriteArrayList<>();

        Captured(String pool) {
            this.pool = pool;
            logger.addHandler(this);
        }

        @Override
        public void publish(LogRecord record) {
            if (record.getMessage() != null && record.getMessage().contains("process pool " + pool + ":")) {
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }

    @Test
    void aBlockedTaskShowsInRunningTasksAndWorkersWithItsNameOrClassAndAGrowingRunningTime() {
        // the gate closes first, so a failed assertion releases the tasks and the pool's close does not wait forever
        try (ProcessPool pool = ProcessPool.builder().name("running").maxWorkers(2).build(); Gate gate = new Gate()) {
            assertThat(pool.runningTasks(false)).isEmpty();
            Instant before = Instant.now();
            TaskFuture<Integer> named = pool.submit("nightly-report", new Blocking(gate.ticket(1), 1));
            TaskFuture<Integer> unnamed = pool.submit(new Blocking(gate.ticket(2), 2));
            gate.awaitArrival();
            gate.awaitArrival();

            List<RunningTask> running = pool.runningTasks(true);
            assertThat(running).extracting(RunningTask::description)
                    .containsExactlyInAnyOrder("nightly-report", Blocking.class.getName());
            assertThat(running).extracting(RunningTask::worker)
                    .containsExactlyInAnyOrder("running-worker-1", "running-worker-2");
            assertThat(running).allSatisfy(task -> {
                assertThat(task.hung()).isFalse(); // no run-timeout
                assertThat(task.stack()).isEmpty(); // another JVM's
                assertThat(task.startedAt()).isAfterOrEqualTo(before.minusSeconds(1)).isBeforeOrEqualTo(Instant.now());
            });
            assertThat(pool.timeoutStats()).isEqualTo(TimeoutStats.NONE);

            Duration first = running.getFirst().runningFor();
            String worker = running.getFirst().worker();
            Waiting.until("the running time grows", () -> pool.runningTasks(false).stream()
                    .filter(task -> task.worker().equals(worker))
                    .anyMatch(task -> task.runningFor().compareTo(first.plusMillis(20)) > 0));

            List<WorkerInfo> workers = pool.workers();
            assertThat(workers).allSatisfy(info -> assertThat(info.state()).isEqualTo(WorkerInfo.State.BUSY));
            assertThat(workers).extracting(info -> info.task().description())
                    .containsExactlyInAnyOrder("nightly-report", Blocking.class.getName());
            assertThat(workers).allSatisfy(info -> assertThat(info.task().worker()).isEqualTo(info.name()));

            gate.releaseAll();
            assertThat(named.result(Duration.ofSeconds(20))).isEqualTo(1);
            assertThat(unnamed.result(Duration.ofSeconds(20))).isEqualTo(2);
            Waiting.until("no task runs", () -> pool.runningTasks(false).isEmpty()
                    && pool.workers().stream().allMatch(info -> info.task() == null));
        }
    }

    /**
     * Once tasks have been short, the manager sends a task to a busy worker to wait in its socket (it counts as
     * running from then on); the worker begins on it only when the task before it is answered, and that is when its
     * running time starts, not when it was sent. So it neither shows while it waits nor looks as old as the task it
     * waited behind (which would make it hung at once under a run-timeout).
     */
    @Test
    void aTaskThatWaitedInABusyWorkersSocketRunsFromWhenTheTaskBeforeItWasAnswered() {
        try (ProcessPool pool = ProcessPool.builder().name("behind").maxWorkers(1).build(); Gate gate = new Gate()) {
            for (int i = 0; i < 50; i++) { // short tasks: the manager may now queue behind a busy worker
                assertThat(pool.submit(new Value(i)).result(Duration.ofSeconds(20))).isEqualTo(i);
            }
            TaskFuture<Integer> first = pool.submit("first", new Blocking(gate.ticket(1), 1));
            gate.awaitArrival();
            TaskFuture<Integer> second = pool.submit("second", new Blocking(gate.ticket(2), 2));
            Waiting.until("the second task is sent behind the first", second::running);
            assertThat(pool.runningTasks(false)).singleElement()
                    .satisfies(task -> assertThat(task.description()).isEqualTo("first"));

            Duration firstRan = Duration.ofMillis(300);
            Waiting.until("the first task has run a while", () -> pool.runningTasks(false).stream()
                    .allMatch(task -> task.runningFor().compareTo(firstRan) > 0));
            gate.releaseAll();
            assertThat(first.result(Duration.ofSeconds(20))).isEqualTo(1);
            assertThat(gate.awaitArrival()).isEqualTo(2);
            assertThat(pool.runningTasks(false)).singleElement().satisfies(task -> {
                assertThat(task.description()).isEqualTo("second");
                assertThat(task.runningFor()).isLessThan(firstRan); // it was sent more than 300 ms ago
            });
            gate.releaseAll();
            assertThat(second.result(Duration.ofSeconds(20))).isEqualTo(2);
        }
    }

    @Test
    void aTaskPastTheRunTimeoutIsHungCountedAndLoggedOnceAndALateStartIsCounted() throws InterruptedException {
        Duration runTimeout = Duration.ofMillis(200);
        Duration queueTimeout = Duration.ofMillis(300); // well above a free worker's dispatch, even on a loaded machine
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Captured log = new Captured("hung");
             ProcessPool pool = ProcessPool.builder().name("hung").maxWorkers(1).runTimeout(runTimeout)
                     .queueTimeout(queueTimeout).build();
             Gate gate = new Gate()) {
            new ExecutorMetrics(pool).bindTo(registry);
            pool.awaitReady();
            TaskFuture<Integer> stuck = pool.submit("stuck-report", new Blocking(gate.ticket(1), 1));
            gate.awaitArrival();
            TaskFuture<Integer> behind = pool.submit(new Value(2)); // waits for the one worker: starts late
            long pid = pool.workers().getFirst().pid();

            Waiting.until("the watch reports the task", () -> pool.timeoutStats().runTimeouts() == 1);
            assertThat(pool.runningTasks(false)).singleElement().satisfies(task -> {
                assertThat(task.description()).isEqualTo("stuck-report");
                assertThat(task.hung()).isTrue();
                assertThat(task.runningFor()).isGreaterThan(runTimeout);
            });
            assertThat(pool.workers().getFirst().task().hung()).isTrue();
            // the watch looks again and again (here with a clock an hour on): the task is reported once
            long later = System.nanoTime() + Duration.ofHours(1).toNanos();
            pool.tasks().scanTimeouts(later);
            pool.tasks().scanTimeouts(later + 1);
            TimeoutStats stats = pool.timeoutStats();
            assertThat(stats.runTimeout()).isEqualTo(runTimeout);
            assertThat(stats.queueTimeout()).isEqualTo(queueTimeout);
            assertThat(stats.hung()).isEqualTo(1);
            assertThat(stats.runTimeouts()).isEqualTo(1);
            assertThat(registry.get("spool.executor.tasks.hung").tag("name", "hung").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("spool.executor.run.timeouts").tag("name", "hung").functionCounter().count())
                    .isEqualTo(1.0);

            assertThat(log.records).singleElement().satisfies(record -> {
                assertThat(record.getLevel()).isEqualTo(Level.WARNING);
                assertThat(record.getMessage()).contains("stuck-report", "hung-worker-1", "pid " + pid,
                        "run-timeout of 200.0 ms", "terminateWorkers()");
                assertThat(record.getThrown()).isNull(); // no stack: the task runs in another JVM
            });
            assertThat(stats.queueTimeouts()).isZero(); // the one behind has not started yet

            Waiting.until("the task behind has waited past the queue-timeout",
                    () -> System.nanoTime() - behind.submittedNanos() > queueTimeout.toNanos());
            gate.releaseAll();
            assertThat(stuck.result(Duration.ofSeconds(20))).isEqualTo(1);
            assertThat(behind.result(Duration.ofSeconds(20))).isEqualTo(2); // counted, not cancelled
            Waiting.until("nothing is hung", () -> pool.timeoutStats().hung() == 0);
            assertThat(pool.timeoutStats().runTimeouts()).isEqualTo(1);
            assertThat(pool.timeoutStats().queueTimeouts()).isEqualTo(1);
            assertThat(registry.get("spool.executor.tasks.hung").tag("name", "hung").gauge().value()).isZero();
            assertThat(log.records).hasSize(1);
        }
    }

    @Test
    void aQueueTimeoutWithCancelCancelsOnlyTheTasksThatHaveNotStarted() throws InterruptedException {
        try (ProcessPool pool = ProcessPool.builder().name("late").maxWorkers(1).queueTimeout(Duration.ofMillis(300))
                     .cancelOnQueueTimeout(true).build();
             Gate gate = new Gate()) {
            pool.awaitReady(); // a worker JVM's start must not count as waiting in the queue
            TaskFuture<Integer> running = pool.submit(new Blocking(gate.ticket(1), 1));
            gate.awaitArrival();
            TaskFuture<Integer> second = pool.submit(new Value(2));
            TaskFuture<Integer> third = pool.submit("third", new Value(3));

            Waiting.until("the queued tasks are cancelled", () -> second.done() && third.done());
            assertThat(second.cancelled()).isTrue();
            assertThat(third.cancelled()).isTrue();
            assertThatThrownBy(() -> second.result(Duration.ofSeconds(1))).isInstanceOf(CancellationException.class);
            assertThat(running.running()).isTrue();
            assertThat(pool.runningTasks(false)).singleElement()
                    .satisfies(task -> assertThat(task.description()).isEqualTo(Blocking.class.getName()));
            assertThat(pool.timeoutStats().queueTimeouts()).isEqualTo(2);
            assertThat(pool.timeoutStats().runTimeout()).isNull();
            assertThat(pool.stats().cancelled()).isEqualTo(2);

            gate.releaseAll();
            assertThat(running.result(Duration.ofSeconds(20))).isEqualTo(1);
            assertThat(pool.submit(new Value(4)).result(Duration.ofSeconds(20))).isEqualTo(4); // a free worker: on time
            assertThat(pool.timeoutStats().queueTimeouts()).isEqualTo(2);
        }
    }

    @Test
    void theBuilderRefusesTimeoutSettingsThatMeanNothing() {
        assertThatThrownBy(() -> ProcessPool.builder().runTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("runTimeout");
        assertThatThrownBy(() -> ProcessPool.builder().queueTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queueTimeout");
        assertThatThrownBy(() -> ProcessPool.builder().cancelOnQueueTimeout(true).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("queueTimeout(...)");
        try (ProcessPool pool = ProcessPool.builder().name("unnamed").maxWorkers(1).build()) {
            assertThatThrownBy(() -> pool.submit((String) null, new Value(1)))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("name");
            assertThat(pool.stats().submitted()).isZero(); // refused before it became a task
        }
    }
}
