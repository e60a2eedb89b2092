package dev.spool.futures;

import static dev.spool.futures.Conditions.await;
import static dev.spool.futures.Conditions.awaitBlocked;
import static dev.spool.futures.Conditions.join;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A platform worker that takes its next task at once after one that ended unwatched starts it at that one's end stamp
 * (one clock read less per task under load), and reads the clock whenever anything ran after the end stamp.
 */
@Timeout(60)
class StartStampReuseTest {

    /**
     * The pool's one worker runs a first task that waits for a gate while a second one is queued behind it; then
     * {@code onFirst} gets the first task's future, and the gate opens.
     *
     * @return the first task's end stamp and the second's start stamp
     */
    private static long[] endAndNextStart(ThreadPool pool, Consumer<TaskFuture<?>> onFirst) {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        TaskFuture<?> first = pool.submit(() -> {
            running.countDown();
            await(gate);
            return null;
        });
        await(running);
        TaskFuture<?> second = pool.submit(() -> null);
        onFirst.accept(first);
        gate.countDown();
        second.result();
        return new long[] {first.endedNanos(), second.startedNanos()};
    }

    private static ThreadPool.Builder oneWorker() {
        return ThreadPool.builder().name("stamps").maxWorkers(1);
    }

    @Test
    @DisplayName("a task taken at once after one that ended unwatched starts at that one's end stamp")
    void theNextTaskStartsAtTheEndStampOfAnUnwatchedOne() {
        try (ThreadPool pool = oneWorker().build()) {
            long[] stamps = endAndNextStart(pool, first -> { });
            assertThat(stamps[1]).isEqualTo(stamps[0]);
        }
    }

    @Test
    @DisplayName("a done-callback, a waiting thread, a task listener or a task decorator: the next start reads the clock")
    void anythingThatRunsAfterTheEndStampMakesTheNextStartReadTheClock() {
        try (ThreadPool pool = oneWorker().build()) {
            long[] stamps = endAndNextStart(pool, first -> first.addDoneCallback(f -> { }));
            assertThat(stamps[1]).as("after a done-callback").isGreaterThan(stamps[0]);
        }
        try (ThreadPool pool = oneWorker().build()) {
            Thread[] waiting = new Thread[1];
            long[] stamps = endAndNextStart(pool, first -> {
                waiting[0] = Thread.ofPlatform().start(first::result);
                awaitBlocked(waiting[0]);
            });
            join(waiting[0]);
            assertThat(stamps[1]).as("after waking a waiting thread").isGreaterThan(stamps[0]);
        }
        try (ThreadPool pool = oneWorker().build()) {
            pool.addTaskListener((future, outcome) -> { });
            long[] stamps = endAndNextStart(pool, first -> { });
            assertThat(stamps[1]).as("after a task listener").isGreaterThan(stamps[0]);
        }
        UnaryOperator<Runnable> decorator = task -> task::run;
        try (ThreadPool pool = oneWorker().taskDecorator(decorator).build()) {
            long[] stamps = endAndNextStart(pool, first -> { });
            assertThat(stamps[1]).as("after a task decorator's wrapper").isGreaterThan(stamps[0]);
        }
    }

    @Test
    @DisplayName("a start stamp before the submit stamp counts as the submit stamp: the queue wait is never negative")
    void aStartStampBeforeTheSubmitCountsAsTheSubmit() {
        TaskFuture<Object> early = new TaskFuture<>();
        assertThat(early.setRunningOrNotifyCancel(early.submittedNanos() - 1_000)).isTrue();
        assertThat(early.startedNanos()).isEqualTo(early.submittedNanos());

        TaskFuture<Object> late = new TaskFuture<>();
        long stamp = late.submittedNanos() + 1_000;
        assertThat(late.setRunningOrNotifyCancel(stamp)).isTrue();
        assertThat(late.startedNanos()).isEqualTo(stamp);
    }
}
