package dev.spool.futures;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The process-pool twin of {@link ShutdownRaceStressTest}: submitters race {@code shutdown(cancelFutures=true)} or
 * {@code shutdownNow()}, and every task ends with exactly one outcome (refused at submit and never handed back, or
 * accepted and then run or cancelled, listed by {@code shutdownNow} once), with the pool's counters equal to the
 * submitters' own counts. Fewer rounds than the thread-pool test: each round starts worker JVMs.
 */
class ProcessShutdownRaceStressTest {
    private static final int ROUNDS = 8;
    private static final int SUBMITTERS = 3;

    /** A task the worker runs; its identity in the parent is how shutdownNow's list is matched to it. */
    private static final class Task implements SerializableRunnable {
        private static final long serialVersionUID = 1L;
        transient volatile boolean rejected;
        transient volatile TaskFuture<?> future;

        @Override
        public void run() {
        }
    }

    @ParameterizedTest(name = "shutdownNow={0}")
    @ValueSource(booleans = {false, true})
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void everyTaskHasExactlyOneOutcome(boolean now) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            oneRound(now);
        }
    }

    private void oneRound(boolean now) throws Exception {
        ProcessPool pool = ProcessPool.builder().name("process-race").maxWorkers(2).build();
        ConcurrentLinkedQueue<Task> tasks = new ConcurrentLinkedQueue<>();
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> submitters = new ArrayList<>();
        for (int i = 0; i < SUBMITTERS; i++) {
            Thread submitter = new Thread(() -> {
                Conditions.await(start);
                for (;;) {
                    Task task = new Task();
                    tasks.add(task);
                    attempts.incrementAndGet();
                    try {
                        task.future = pool.submit(task);
                    } catch (RejectedExecutionException refused) {
                        task.rejected = true;
                        return; // every later submit is refused too
                    }
                }
            }, "process-submitter-" + i);
            submitter.start();
            submitters.add(submitter);
        }
        start.countDown();
        int threshold = ThreadLocalRandom.current().nextInt(50, 1_000);
        while (attempts.get() < threshold) { // the submitters are under way: shut down in the middle of them
            Thread.onSpinWait();
        }
        List<Runnable> handedBack = now ? pool.shutdownNow() : List.of();
        if (!now) {
            pool.shutdown(false, true);
        }
        for (Thread submitter : submitters) {
            Conditions.join(submitter);
        }
        assertThat(pool.awaitTermination(Conditions.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        Map<Runnable, Integer> listed = new IdentityHashMap<>();
        for (Runnable work : handedBack) {
            listed.merge(work, 1, Integer::sum);
        }
        int rejected = 0;
        int cancelled = 0;
        int ran = 0;
        for (Task task : tasks) {
            if (task.rejected) {
                rejected++;
                assertThat(listed).as("shutdownNow never hands back a rejected task").doesNotContainKey(task);
                continue;
            }
            TaskFuture<?> future = task.future;
            assertThat(future.done()).as("every accepted task ends once the pool has terminated").isTrue();
            if (future.cancelled()) {
                cancelled++;
                if (now) {
                    assertThat(listed.get(task)).as("shutdownNow lists an accepted, cancelled task once").isEqualTo(1);
                }
            } else {
                ran++;
                assertThat(future.exception()).as("an accepted task that was not cancelled ran to its end").isNull();
                assertThat(listed).doesNotContainKey(task);
            }
        }
        assertThat(rejected).as("every submitter is refused once, then stops").isEqualTo(SUBMITTERS);
        assertThat(listed.size()).isEqualTo(now ? cancelled : 0);
        ExecutorStats stats = pool.stats();
        assertThat(stats.submitted()).isEqualTo(attempts.get());
        assertThat(stats.rejected()).isEqualTo(rejected);
        assertThat(stats.cancelled()).isEqualTo(cancelled);
        assertThat(stats.completed()).isEqualTo(ran);
        assertThat(stats.failed()).isZero();
        assertThat(stats.queued()).isZero();
        assertThat(stats.active()).isZero();
    }
}
