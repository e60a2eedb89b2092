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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Submitters race a cancelling shutdown, round after round, on every engine (platform, virtual with and without a
 * limit, process), and every task must end with exactly one outcome: refused at submit (never run, never handed back
 * by {@code shutdownNow}, counted rejected) or accepted (then run, or cancelled: counted cancelled and, after
 * {@code shutdownNow}, in its list exactly once). The pool's counters must equal the submitters' own counts. Bounded: a fixed number of rounds, each
 * over in milliseconds (fewer for process pools, whose rounds start worker JVMs).
 */
class ShutdownRaceStressTest {
    private static final int SUBMITTERS = 4;

    enum Engine {
        PLATFORM(60), VIRTUAL(60), VIRTUAL_UNLIMITED(60), PROCESS(8);

        final int rounds;

        Engine(int rounds) {
            this.rounds = rounds;
        }

        ManagedExecutor newPool() {
            return switch (this) {
                case PLATFORM -> ThreadPool.builder().name("race").maxWorkers(2).build();
                case VIRTUAL -> ThreadPool.builder().name("race").maxWorkers(2).virtualThreads(true).build();
                case VIRTUAL_UNLIMITED -> ThreadPool.builder().name("race").virtualThreads(true).build();
                case PROCESS -> ProcessPool.builder().name("race").maxWorkers(2).build();
            };
        }
    }

    /**
     * One submitted task: its identity is how shutdownNow's list is matched to it. A process pool runs a copy in a
     * worker JVM, where {@code runs} is null: only a thread pool's runs are counted.
     */
    private static final class Task implements SerializableRunnable {
        private static final long serialVersionUID = 1L;
        final transient AtomicInteger runs = new AtomicInteger();
        transient volatile boolean rejected;
        transient volatile TaskFuture<?> future;

        @Override
        public void run() {
            if (runs != null) {
                runs.incrementAndGet();
            }
        }
    }

    @ParameterizedTest(name = "{0}, shutdownNow={1}")
    @CsvSource({"PLATFORM,false", "PLATFORM,true", "VIRTUAL,false", "VIRTUAL,true",
            "VIRTUAL_UNLIMITED,false", "VIRTUAL_UNLIMITED,true", "PROCESS,false", "PROCESS,true"})
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void everyTaskHasExactlyOneOutcome(Engine engine, boolean now) throws Exception {
        for (int round = 0; round < engine.rounds; round++) {
            oneRound(engine, now);
        }
    }

    private void oneRound(Engine engine, boolean now) throws Exception {
        ManagedExecutor pool = engine.newPool();
        boolean countsRuns = engine != Engine.PROCESS;
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
                        task.future = pool.submit((Runnable) task);
                    } catch (RejectedExecutionException refused) {
                        task.rejected = true;
                        return; // every later submit is refused too
                    }
                }
            }, "submitter-" + i);
            submitter.start();
            submitters.add(submitter);
        }
        start.countDown();
        int threshold = ThreadLocalRandom.current().nextInt(50, 2_000);
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
                if (countsRuns) {
                    assertThat(task.runs).as("a rejected task never runs").hasValue(0);
                }
                assertThat(listed).as("shutdownNow never hands back a rejected task").doesNotContainKey(task);
                continue;
            }
            TaskFuture<?> future = task.future;
            assertThat(future.done()).as("every accepted task ends once the pool has terminated").isTrue();
            if (future.cancelled()) {
                cancelled++;
                if (countsRuns) {
                    assertThat(task.runs).as("a cancelled task never runs").hasValue(0);
                }
                if (now) {
                    assertThat(listed.get(task)).as("shutdownNow lists an accepted, cancelled task once").isEqualTo(1);
                }
            } else {
                ran++;
                assertThat(future.exception()).as("an accepted task that was not cancelled ran to its end").isNull();
                if (countsRuns) {
                    assertThat(task.runs).as("an accepted task that was not cancelled runs once").hasValue(1);
                }
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

    /**
     * Readers take snapshots while submitters fill a small queue and workers drain it: the levels must stay within
     * what the pool can hold at once, whatever moves while a snapshot is taken.
     */
    @ParameterizedTest(name = "virtual={0}")
    @CsvSource({"false", "true"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void levelsNeverExceedWhatThePoolCanHold(boolean virtual) throws Exception {
        int capacity = 8;
        int workers = 2;
        ThreadPool pool = ThreadPool.builder().name("levels").maxWorkers(workers).queueCapacity(capacity)
                .rejectionPolicy(RejectionPolicy.DISCARD).virtualThreads(virtual).build();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> submitters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread submitter = new Thread(() -> {
                for (int n = 0; n < 100_000 && !stop.get(); n++) {
                    pool.submit(() -> { });
                }
            }, "submitter-" + i);
            submitter.start();
            submitters.add(submitter);
        }
        int snapshots = 0;
        try {
            while (submitters.stream().anyMatch(Thread::isAlive) && snapshots < 200_000) {
                ExecutorStats stats = pool.stats();
                assertThat(stats.queued()).isBetween(0, capacity);
                assertThat(stats.active()).isBetween(0, workers);
                assertThat(stats.queueRemaining()).isBetween(0, capacity);
                snapshots++;
            }
        } finally {
            stop.set(true);
            for (Thread submitter : submitters) {
                Conditions.join(submitter);
            }
            pool.close();
        }
        assertThat(snapshots).isPositive();
    }
}
