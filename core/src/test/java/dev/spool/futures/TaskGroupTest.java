package dev.spool.futures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.testing.Waiting;

/**
 * {@link TaskGroup} against asyncio.TaskGroup's contract (CPython's test_taskgroups.py, in Java's terms): the first
 * failure cancels the rest, the group waits for every body, every failure is reported together, the block's
 * exception, nesting, the timeout, interruption, and the refusals of submit. Every wait on a task is a latch; the one
 * real time is the timeout under test.
 */
@Timeout(20)
class TaskGroupTest {
    private final TestPools pools = new TestPools();
    /** The group statistics of this test alone. */
    private final TaskGroups registry = new TaskGroups();
    /** Never opened: tasks that must block until interrupted wait on it. */
    private final CountDownLatch never = new CountDownLatch(1);

    @AfterEach
    void shutdownPools() {
        pools.close();
    }

    private ThreadPool pool(int maxWorkers) {
        return pools.build(ThreadPool.builder().name("tg").maxWorkers(maxWorkers));
    }

    private TaskGroup group(ManagedExecutor pool, String name) {
        return TaskGroup.builder(pool).name(name).statistics(registry).open();
    }

    private TaskGroupStatistics stats(String name) {
        return registry.statistics(name);
    }

    /** A failure the test can tell apart from anything the machinery throws. */
    static final class Boom extends RuntimeException {
        Boom(int n) {
            super("boom " + n);
        }
    }

    /** Waits for {@code latch} whatever interrupts come (and keeps the interrupt status): a task that must not stop. */
    private static void awaitThroughInterrupts(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A task that blocks until the group cancels it, noting the interrupt. */
    private Callable<Object> blocker(CountDownLatch started, AtomicBoolean interrupted) {
        return () -> {
            started.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return null;
        };
    }

    // ------------------------------------------------------------------------------------------ failures

    @Test
    void threeFailingTasksAreReportedTogetherAndTheRestIsCancelled() throws Exception {
        ThreadPool pool = pool(4);
        TaskGroup group = group(pool, "three");
        CountDownLatch running = new CountDownLatch(4);
        CountDownLatch allSubmitted = new CountDownLatch(1);
        AtomicBoolean blockedInterrupted = new AtomicBoolean();
        AtomicBoolean queuedRan = new AtomicBoolean();

        TaskFuture<Object> blocked = group.submit(blocker(running, blockedInterrupted));
        TaskFuture<Object> first = group.submit(() -> {
            running.countDown();
            running.await();
            allSubmitted.await();
            throw new Boom(1);
        });
        List<TaskFuture<Object>> others = new ArrayList<>();
        for (int n = 2; n <= 3; n++) {
            int which = n;
            others.add(group.submit(() -> { // fail only once the group cancels them: after the first failure
                running.countDown();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    throw new Boom(which);
                }
                return null;
            }));
        }
        TaskFuture<?> queued = group.submit(() -> queuedRan.set(true)); // 4 workers are busy: it waits in the queue
        allSubmitted.countDown();

        TaskGroupException failure = catchThrowableOfType(TaskGroupException.class, group::join);

        assertThat(failure.exceptions()).extracting(Throwable::getMessage)
                .containsExactlyInAnyOrder("boom 1", "boom 2", "boom 3");
        assertThat(failure.exceptions().get(0)).isSameAs(first.exceptionNow());
        assertThat(failure.getSuppressed()).containsExactlyElementsOf(failure.exceptions());
        assertThat(failure.getCause()).isNull();
        assertThat(failure).hasMessageStartingWith("TaskGroup[three] failed with 3 exceptions: Boom: boom 1; Boom: ")
                .hasMessageEndingWith("(5 tasks: 3 failed, 2 cancelled)");
        assertThat(others).allSatisfy(f -> assertThat(f.state()).isEqualTo(java.util.concurrent.Future.State.FAILED));
        assertThat(blocked.cancelled()).as("the running task was cancelled").isTrue();
        assertThat(blockedInterrupted).as("by an interrupt").isTrue();
        assertThat(queued.cancelled()).as("the queued task was cancelled").isTrue();
        assertThat(queuedRan).as("and never started").isFalse();

        TaskGroupStatistics stats = stats("three");
        assertThat(stats.tasks(TaskOutcome.FAILURE)).isEqualTo(3);
        assertThat(stats.tasks(TaskOutcome.CANCELLED)).isEqualTo(2);
        assertThat(stats.groups(TaskGroupOutcome.FAILURE)).isEqualTo(1);
        assertThat(stats.active()).isZero();
    }

    @Test
    void joinWaitsUntilEveryBodyHasLeftAlsoAfterAFailure() throws Exception {
        ThreadPool pool = pool(2);
        TaskGroup group = group(pool, "slow-to-stop");
        CountDownLatch slowRunning = new CountDownLatch(1);
        CountDownLatch stopping = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean left = new AtomicBoolean();
        TaskFuture<Object> slow = group.submit(() -> {
            slowRunning.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                stopping.countDown();
                awaitThroughInterrupts(release); // takes its time to stop
                left.set(true);
                throw e;
            }
            return null;
        });
        group.submit(() -> {
            slowRunning.await();
            throw new Boom(1);
        });
        Thread owner = Thread.currentThread();
        AtomicBoolean joined = new AtomicBoolean();
        AtomicBoolean joinedBeforeRelease = new AtomicBoolean(true);
        Thread releaser = Thread.ofPlatform().start(() -> {
            awaitThroughInterrupts(stopping);
            Waiting.parked(owner); // the owner waits in join() while the cancelled task is still stopping
            joinedBeforeRelease.set(joined.get());
            release.countDown();
        });

        assertThatThrownBy(group::join).isInstanceOf(TaskGroupException.class);
        joined.set(true);
        releaser.join();

        assertThat(left).as("join() returned only after the cancelled body left").isTrue();
        assertThat(joinedBeforeRelease).isFalse();
        assertThat(slow.cancelled()).isTrue();
    }

    @Test
    void aTaskCancelledByItsCallerIsStillWaitedFor() throws Exception {
        ThreadPool pool = pool(1);
        TaskGroup group = group(pool, "caller-cancel");
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean left = new AtomicBoolean();
        TaskFuture<Object> task = group.submit(() -> {
            running.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                awaitThroughInterrupts(release);
                left.set(true);
            }
            return "ignored";
        });
        running.await();
        assertThat(task.cancel(true)).isTrue(); // the JDK's cancel: done at once, the body goes on
        assertThat(task.isDone()).isTrue();
        Thread owner = Thread.currentThread();
        Thread.ofPlatform().start(() -> {
            Waiting.parked(owner);
            release.countDown();
        });

        group.join(); // a cancelled task is no failure

        assertThat(left).isTrue();
        assertThat(stats("caller-cancel").tasks(TaskOutcome.CANCELLED)).isEqualTo(1);
        assertThat(stats("caller-cancel").groups(TaskGroupOutcome.SUCCESS)).isEqualTo(1);
    }

    @Test
    void aTaskThatFinishesDespiteTheCancellationKeepsItsResult() throws Exception {
        ThreadPool pool = pool(2);
        TaskGroup group = group(pool, "stubborn");
        CountDownLatch running = new CountDownLatch(1);
        TaskFuture<String> stubborn = group.submit(() -> {
            running.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                return "finished anyway"; // asyncio: a task that swallows its cancellation is not cancelled
            }
            return "unreachable";
        });
        group.submit(() -> {
            running.await();
            throw new Boom(1);
        });

        assertThatThrownBy(group::join).isInstanceOf(TaskGroupException.class);
        assertThat(stubborn.resultNow()).isEqualTo("finished anyway");
    }

    @Test
    void aGroupWithoutFailuresReturnsEveryResult() {
        ThreadPool pool = pool(2);
        try (TaskGroup group = group(pool, "fine")) {
            TaskFuture<Integer> a = group.submit(() -> 6 * 7);
            TaskFuture<?> b = group.submit(() -> { });
            group.join();
            assertThat(a.resultNow()).isEqualTo(42);
            assertThat(b.resultNow()).isNull();
        }
        assertThat(stats("fine").groups(TaskGroupOutcome.SUCCESS)).isEqualTo(1);
        assertThat(stats("fine").tasks(TaskOutcome.SUCCESS)).isEqualTo(2);
    }

    // ------------------------------------------------------------------------------------------ the block

    @Test
    void anExceptionFromTheBlockCancelsTheTasksAndCarriesCloseAsSuppressed() throws Exception {
        ThreadPool pool = pool(2);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicReference<TaskFuture<Object>> blocked = new AtomicReference<>();

        IllegalArgumentException thrown = catchThrowableOfType(IllegalArgumentException.class, () -> {
            try (TaskGroup group = group(pool, "block")) {
                blocked.set(group.submit(blocker(started, interrupted)));
                started.await();
                throw new IllegalArgumentException("the block failed");
            }
        });

        assertThat(thrown).hasMessage("the block failed");
        assertThat(thrown.getSuppressed()).singleElement().isInstanceOf(IllegalStateException.class)
                .extracting(Throwable::getMessage).asString()
                .startsWith("TaskGroup[block] closed without join():").contains("(1 task: 1 cancelled)");
        assertThat(blocked.get().cancelled()).isTrue();
        assertThat(interrupted).isTrue();
        assertThat(stats("block").groups(TaskGroupOutcome.CANCELLED)).isEqualTo(1);
    }

    @Test
    void withTryWithResourcesTheBlocksExceptionHasTheTasksFailuresSuppressed() throws Exception {
        ThreadPool pool = pool(2);
        AtomicReference<TaskGroup> opened = new AtomicReference<>();
        IllegalArgumentException thrown = catchThrowableOfType(IllegalArgumentException.class, () -> {
            try (TaskGroup group = group(pool, "both")) {
                opened.set(group);
                group.submit(() -> {
                    throw new Boom(1);
                }).exception();
                Waiting.until("the group shuts down", () -> group.toString().contains("shutting down"));
                throw new IllegalArgumentException("the block failed");
            }
        });

        assertThat(thrown.getSuppressed()).singleElement().isInstanceOfSatisfying(TaskGroupException.class,
                failure -> assertThat(failure.exceptions()).extracting(Throwable::getMessage).containsExactly("boom 1"));
        assertThat(opened.get().toString()).contains("finished");
    }

    @Test
    void runReportsTheBlocksExceptionTogetherWithTheTasksFailures() throws Exception {
        ThreadPool pool = pool(2);
        TaskGroupException failure = catchThrowableOfType(TaskGroupException.class, () ->
                TaskGroup.builder(pool).name("run").statistics(registry).run(group -> {
                    group.submit(() -> {
                        throw new Boom(1);
                    }).exception();
                    throw new IOException("the block failed too");
                }));

        assertThat(failure.exceptions()).extracting(Throwable::getMessage)
                .containsExactly("boom 1", "the block failed too"); // the block's last, as asyncio appends it
        assertThat(failure).hasMessageContaining("and its block threw");
    }

    @Test
    void runWrapsTheBlocksCheckedExceptionEvenWhenNoTaskFailedAndCancelsTheTasks() throws Exception {
        ThreadPool pool = pool(2);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        List<TaskFuture<Object>> tasks = new CopyOnWriteArrayList<>();

        TaskGroupException failure = catchThrowableOfType(TaskGroupException.class, () ->
                TaskGroup.builder(pool).name("run-checked").statistics(registry).run(group -> {
                    tasks.add(group.submit(blocker(started, interrupted)));
                    started.await();
                    throw new IOException("disk full");
                }));

        assertThat(failure.exceptions()).singleElement().isInstanceOf(IOException.class);
        assertThat(tasks.get(0).cancelled()).isTrue();
        assertThat(interrupted).isTrue();
    }

    @Test
    void runReturnsWhatTheBlockReturnedOnceEveryTaskEnded() {
        ThreadPool pool = pool(2);
        List<TaskFuture<Integer>> squares = TaskGroup.builder(pool).statistics(registry).run(group ->
                List.of(group.submit(() -> 1), group.submit(() -> 4), group.submit(() -> 9)));

        assertThat(squares).allSatisfy(f -> assertThat(f.isDone()).isTrue())
                .extracting(TaskFuture::resultNow).containsExactly(1, 4, 9);
        assertThat(stats(TaskGroups.UNNAMED).groups(TaskGroupOutcome.SUCCESS)).isEqualTo(1);
    }

    @Test
    void leavingTheBlockWithoutJoinCancelsAndSaysSo() {
        ThreadPool pool = pool(1);
        assertThatThrownBy(() -> {
            try (TaskGroup group = group(pool, "forgot")) {
                group.submit(() -> 1);
            }
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed without join()")
                .hasMessageContaining("End the block with group.join()");

        try (TaskGroup empty = group(pool, "empty")) { // nothing submitted: nothing to report
            assertThat(empty.name()).isEqualTo("empty");
        }
        assertThat(stats("empty").groups(TaskGroupOutcome.SUCCESS)).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------ submit's refusals

    @Test
    void theOwnersSubmitAfterAFailureThrowsTheGroupsExceptionWithEveryFailure() {
        ThreadPool pool = pool(2);
        TaskGroupException thrown = catchThrowableOfType(TaskGroupException.class, () -> {
            try (TaskGroup group = group(pool, "late")) {
                group.submit(() -> {
                    throw new Boom(1);
                }).exception();
                Waiting.until("the group shuts down", () -> group.toString().contains("shutting down"));
                group.submit(() -> 2);
                group.join();
            }
        });

        assertThat(thrown.exceptions()).extracting(Throwable::getMessage).containsExactly("boom 1");
        assertThat(thrown.getSuppressed()).as("close() had nothing left to add").hasSize(1);
    }

    @Test
    void otherThreadsSubmitAfterAFailureGetCancellationAndATaskLettingItEscapeCountsAsCancelled() throws Exception {
        ThreadPool pool = pool(3);
        TaskGroup group = group(pool, "refused");
        CountDownLatch running = new CountDownLatch(1);
        AtomicReference<Throwable> refusedInTask = new AtomicReference<>();
        TaskFuture<Object> spawner = group.submit(() -> {
            running.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                try {
                    group.submit(() -> 1); // the group is shutting down
                } catch (CancellationException refused) {
                    refusedInTask.set(refused);
                    throw refused;
                }
            }
            return null;
        });
        group.submit(() -> {
            running.await();
            throw new Boom(1);
        });

        TaskGroupException failure = catchThrowableOfType(TaskGroupException.class, group::join);

        assertThat(failure.exceptions()).as("the refusal is no new failure").singleElement()
                .extracting(Throwable::getMessage).isEqualTo("boom 1");
        assertThat(refusedInTask.get()).isInstanceOf(IllegalStateException.class)
                .hasMessage("TaskGroup[refused] is shutting down (a task failed): submit() refused");
        assertThat(spawner.cancelled()).isTrue();
    }

    @Test
    void submitAfterJoinOrCloseIsRefused() {
        ThreadPool pool = pool(1);
        TaskGroup joined = group(pool, "done");
        joined.submit(() -> 1);
        joined.join();
        assertThatThrownBy(() -> joined.submit(() -> 2)).isInstanceOf(IllegalStateException.class)
                .hasMessage("TaskGroup[done] is finished: submit() after join() or close(); open a new TaskGroup for"
                        + " more tasks");
        joined.close(); // a no-op after join()
        joined.join(); // reports the same again: nothing

        TaskGroup closed = group(pool, "closed");
        closed.close();
        assertThatThrownBy(() -> closed.submit(() -> 2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is finished");
    }

    @Test
    void onlyTheOwnerJoinsOrCloses() throws Exception {
        ThreadPool pool = pool(1);
        TaskGroup group = group(pool, "owned");
        AtomicReference<Throwable> fromJoin = new AtomicReference<>();
        AtomicReference<Throwable> fromClose = new AtomicReference<>();
        AtomicReference<TaskFuture<Integer>> fromSubmit = new AtomicReference<>();
        Thread other = Thread.ofPlatform().name("other").start(() -> {
            fromJoin.set(catchThrowableOfType(WrongThreadException.class, group::join));
            fromClose.set(catchThrowableOfType(WrongThreadException.class, group::close));
            fromSubmit.set(group.submit(() -> 7)); // any thread may submit
        });
        other.join();
        group.join();

        assertThat(fromJoin.get()).hasMessageContaining("call join() in that thread");
        assertThat(fromClose.get()).hasMessageContaining("call close() in that thread");
        assertThat(fromSubmit.get().resultNow()).isEqualTo(7);
    }

    @Test
    void aPoolThatRefusesOrDropsATaskNeverLeavesJoinWaiting() throws Exception {
        ThreadPool discarding = pools.build(ThreadPool.builder().name("discard").maxWorkers(1).queueCapacity(0)
                .rejectionPolicy(RejectionPolicy.DISCARD));
        TaskGroup group = group(discarding, "dropped");
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TaskFuture<Object> first = group.submit(() -> {
            running.countDown();
            release.await();
            return "first";
        });
        running.await();
        TaskFuture<Integer> dropped = group.submit(() -> 2); // no worker, no queue: discarded
        release.countDown();
        group.join();

        assertThat(first.resultNow()).isEqualTo("first");
        assertThat(dropped.cancelled()).isTrue();
        assertThat(stats("dropped").tasks(TaskOutcome.REJECTED)).isEqualTo(1);

        ThreadPool shut = pool(1);
        shut.shutdown();
        TaskGroup refused = group(shut, "refused-by-pool");
        assertThatThrownBy(() -> refused.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class);
        refused.join(); // the group goes on
        assertThat(stats("refused-by-pool").tasks(TaskOutcome.REJECTED)).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------ cancel, interrupt

    @Test
    void cancelStopsTheTasksAndJoinReturnsNormally() throws Exception {
        ThreadPool pool = pool(2);
        TaskGroup group = group(pool, "cancelled");
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        TaskFuture<Object> blocked = group.submit(blocker(started, interrupted));
        started.await();

        group.cancel();
        assertThatThrownBy(() -> group.submit(() -> 1)).isInstanceOf(CancellationException.class)
                .hasMessageContaining("was cancelled (cancel() was called)");
        group.join();

        assertThat(blocked.cancelled()).isTrue();
        assertThat(interrupted).isTrue();
        assertThat(stats("cancelled").groups(TaskGroupOutcome.CANCELLED)).isEqualTo(1);
    }

    @Test
    void anInterruptOfTheOwnerInJoinCancelsTheGroupAndIsKept() throws Exception {
        ThreadPool pool = pool(2);
        TaskGroup group = group(pool, "interrupted");
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        TaskFuture<Object> blocked = group.submit(blocker(started, interrupted));
        started.await();
        Thread owner = Thread.currentThread();
        Thread.ofPlatform().start(() -> {
            Waiting.parked(owner);
            owner.interrupt();
        });

        CancellationException cancelled = catchThrowableOfType(CancellationException.class, group::join);

        assertThat(Thread.interrupted()).as("the interrupt status is set again").isTrue();
        assertThat(cancelled).hasMessageContaining("the thread waiting in join() was interrupted");
        assertThat(blocked.cancelled()).isTrue();
        assertThat(interrupted).isTrue();
        assertThat(stats("interrupted").groups(TaskGroupOutcome.CANCELLED)).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------ timeout

    @Test
    void theTimeoutCancelsEverythingAndJoinThrowsATimeoutException() throws Exception {
        ThreadPool pool = pool(2);
        TaskGroup group = TaskGroup.builder(pool).name("slow").timeout(Duration.ofMillis(100)).statistics(registry)
                .open();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch cancelledAlready = new CountDownLatch(1);
        TaskFuture<Object> blocked = group.submit(() -> {
            started.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
                cancelledAlready.countDown();
                throw e;
            }
            return null;
        });
        cancelledAlready.await(); // the deadline cancels the tasks while the owner is busy elsewhere

        TaskGroupTimeoutException timedOut = catchThrowableOfType(TaskGroupTimeoutException.class, group::join);

        assertThat(timedOut).isInstanceOf(FutureTimeoutException.class)
                .hasMessage("TaskGroup[slow] not done within its timeout of 100 ms (1 task: 1 cancelled)");
        assertThat(timedOut.exceptions()).isEmpty();
        assertThat(blocked.cancelled()).isTrue();
        assertThat(interrupted).isTrue();
        assertThat(stats("slow").groups(TaskGroupOutcome.TIMEOUT)).isEqualTo(1);
        assertThat(stats("slow").durationHistogram(TaskGroupOutcome.TIMEOUT).maxNanos())
                .isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
    }

    @Test
    void aTimeoutCarriesTheFailuresOfTasksThatFailWhileCancelled() {
        ThreadPool pool = pool(1);
        TaskGroupTimeoutException timedOut = catchThrowableOfType(TaskGroupTimeoutException.class, () -> {
            try (TaskGroup group = TaskGroup.on(pool, "slow-fail", Duration.ofMillis(500))) {
                group.submit(() -> {
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        throw new Boom(1); // not an interruption: a failure, reported with the timeout
                    }
                    return null;
                });
                group.join();
            }
        });

        assertThat(timedOut.exceptions()).as(timedOut.getMessage()).extracting(Throwable::getMessage).containsExactly("boom 1");
        assertThat(timedOut.getSuppressed()).containsExactlyElementsOf(timedOut.exceptions());
        assertThat(timedOut).hasMessageEndingWith("; 1 exception: Boom: boom 1");
    }

    // ------------------------------------------------------------------------------------------ nesting

    @Test
    void aGroupInsideATaskIsCancelledWithItsParent() throws Exception {
        ThreadPool pool = pool(4);
        TaskGroup outer = group(pool, "outer");
        CountDownLatch innerRunning = new CountDownLatch(1);
        AtomicBoolean innerInterrupted = new AtomicBoolean();
        AtomicReference<Throwable> innerJoin = new AtomicReference<>();
        TaskFuture<Object> holder = outer.submit(() -> {
            try (TaskGroup inner = group(pool, "inner")) {
                inner.submit(blocker(innerRunning, innerInterrupted));
                try {
                    inner.join();
                } catch (RuntimeException e) {
                    innerJoin.set(e);
                    throw e;
                }
            }
            return null;
        });
        outer.submit(() -> {
            innerRunning.await();
            throw new Boom(1);
        });

        TaskGroupException failure = catchThrowableOfType(TaskGroupException.class, outer::join);

        assertThat(failure.exceptions()).extracting(Throwable::getMessage).containsExactly("boom 1");
        assertThat(innerInterrupted).as("cancellation flowed down to the inner group's task").isTrue();
        assertThat(innerJoin.get()).isInstanceOf(CancellationException.class);
        assertThat(holder.cancelled()).as("the task holding the inner group counts as cancelled").isTrue();
        assertThat(stats("inner").groups(TaskGroupOutcome.CANCELLED)).isEqualTo(1);
    }

    @Test
    void aGroupInsideTheBlockOfAnotherEndsWithTheParentsFailure() throws Exception {
        ThreadPool pool = pool(4);
        CountDownLatch innerRunning = new CountDownLatch(1);
        AtomicBoolean innerInterrupted = new AtomicBoolean();
        AtomicReference<TaskFuture<Object>> innerTask = new AtomicReference<>();

        TaskGroupException failure = catchThrowableOfType(TaskGroupException.class, () -> {
            try (TaskGroup outer = group(pool, "outer-block")) {
                outer.submit(() -> {
                    innerRunning.await();
                    throw new Boom(1);
                });
                try (TaskGroup inner = group(pool, "inner-block")) {
                    innerTask.set(inner.submit(blocker(innerRunning, innerInterrupted)));
                    inner.join(); // the owner waits here when the outer group's task fails
                }
                outer.join();
            }
        });

        assertThat(failure.exceptions()).extracting(Throwable::getMessage).containsExactly("boom 1");
        assertThat(failure.getSuppressed()).as("neither close() had more to say").hasSize(1);
        assertThat(innerTask.get().cancelled()).isTrue();
        assertThat(innerInterrupted).isTrue();
        assertThat(stats("inner-block").groups(TaskGroupOutcome.CANCELLED)).isEqualTo(1);
        assertThat(stats("outer-block").groups(TaskGroupOutcome.FAILURE)).isEqualTo(1);
    }

    @Test
    void aFailureInsideAnInnerGroupIsTheOuterGroupsFailure() {
        ThreadPool pool = pool(2);
        TaskGroupException failure = catchThrowableOfType(TaskGroupException.class, () ->
                TaskGroup.builder(pool).name("outer-run").statistics(registry).run(outer -> {
                    try (TaskGroup inner = group(pool, "inner-run")) {
                        inner.submit(() -> {
                            throw new Boom(1);
                        });
                        inner.join();
                    }
                    return null;
                }));

        // asyncio's test_taskgroup_14: the inner ExceptionGroup is one exception of the outer one
        assertThat(failure.exceptions()).singleElement().isInstanceOfSatisfying(TaskGroupException.class,
                inner -> assertThat(inner.exceptions()).extracting(Throwable::getMessage).containsExactly("boom 1"));
    }

    // ------------------------------------------------------------------------------------------ pools

    @Test
    void tasksSubmitTasksToTheirGroupWhileTheOwnerWaits() {
        ThreadPool pool = pool(3);
        AtomicInteger ran = new AtomicInteger();
        try (TaskGroup group = group(pool, "tree")) {
            group.submit(() -> spawn(group, 3, ran));
            group.join();
        }
        assertThat(ran).hasValue(15); // 1 + 2 + 4 + 8
        assertThat(stats("tree").tasks(TaskOutcome.SUCCESS)).isEqualTo(15);
    }

    private static Void spawn(TaskGroup group, int depth, AtomicInteger ran) {
        ran.incrementAndGet();
        if (depth > 0) {
            group.submit(() -> spawn(group, depth - 1, ran));
            group.submit(() -> spawn(group, depth - 1, ran));
        }
        return null;
    }

    @Test
    void aNestedGroupOnAFullPoolDoesNotDeadlock() {
        for (ThreadPool pool : List.of(pool(1), pools.build(ThreadPool.builder().name("vt").virtualThreads(true)
                .maxWorkers(1)))) {
            List<Thread> threads = new CopyOnWriteArrayList<>();
            try (TaskGroup outer = group(pool, "full")) {
                TaskFuture<Integer> sum = outer.submit(() -> {
                    threads.add(Thread.currentThread());
                    try (TaskGroup inner = group(pool, "full-inner")) { // the only worker waits in this join()
                        TaskFuture<Integer> a = inner.submit(() -> {
                            threads.add(Thread.currentThread());
                            return 1;
                        });
                        TaskFuture<Integer> b = inner.submit(() -> 2);
                        inner.join();
                        return a.resultNow() + b.resultNow();
                    }
                });
                outer.join();
                assertThat(sum.resultNow()).isEqualTo(3);
            }
            assertThat(threads).as(pool.type() + ": the waiting worker ran its inner tasks itself").hasSize(2)
                    .allSatisfy(thread -> assertThat(thread).isSameAs(threads.get(0)));
        }
    }

    @Test
    void aTaskTheOwnerRanItselfLeavesNoInterruptBehindWhenItIsCancelled() {
        ThreadPool pool = pool(1);
        AtomicBoolean innerInterrupted = new AtomicBoolean();
        try (TaskGroup outer = group(pool, "hygiene")) {
            TaskFuture<Boolean> interruptedAfterwards = outer.submit(() -> {
                TaskGroup inner = TaskGroup.builder(pool).name("hygiene-inner").timeout(Duration.ofMillis(100))
                        .statistics(registry).open();
                inner.submit(blocker(new CountDownLatch(1), innerInterrupted)); // runs here, in this join()
                assertThatThrownBy(inner::join).isInstanceOf(TaskGroupTimeoutException.class);
                return Thread.currentThread().isInterrupted();
            });
            outer.join();
            assertThat(innerInterrupted).as("the timeout interrupted the task in the owner's thread").isTrue();
            assertThat(interruptedAfterwards.resultNow()).as("that interrupt was the task's, and is gone").isFalse();
        }
    }

    @Test
    void manyGroupsWithRacingFailuresAllEndAndCountEveryTask() {
        ThreadPool pool = pool(4);
        int groups = 300;
        long submitted = 0;
        for (int g = 0; g < groups; g++) {
            int failing = g % 3; // none, one or two tasks that fail at once, racing the others' cancellation
            List<TaskFuture<Integer>> futures = new ArrayList<>();
            TaskGroup group = group(pool, "race");
            Throwable ended = catchThrowable(() -> {
                for (int t = 0; t < 8; t++) {
                    boolean fails = t < failing;
                    int value = t;
                    futures.add(group.submit(() -> { // once a task failed, this submit throws the group's exception
                        if (fails) {
                            throw new Boom(value);
                        }
                        return value;
                    }));
                }
                group.join();
            });
            if (failing == 0) {
                assertThat(ended).isNull();
            } else {
                assertThat(ended).isInstanceOfSatisfying(TaskGroupException.class,
                        failure -> assertThat(failure.exceptions()).hasSizeBetween(1, failing));
            }
            assertThat(futures).allSatisfy(f -> assertThat(f.isDone()).isTrue());
            submitted += futures.size();
        }
        TaskGroupStatistics stats = stats("race");
        long counted = 0;
        for (TaskOutcome outcome : TaskOutcome.values()) {
            counted += stats.tasks(outcome);
        }
        assertThat(counted).as("every task submitted is counted once").isEqualTo(submitted);
        assertThat(stats.groups(TaskGroupOutcome.SUCCESS)).isEqualTo(groups / 3);
        assertThat(stats.groups(TaskGroupOutcome.FAILURE)).isEqualTo(groups - groups / 3);
        assertThat(stats.active()).isZero();
    }

    @Test
    void closeWaitsOnThroughAnInterruptAndKeepsIt() throws Exception {
        ThreadPool pool = pool(1);
        CountDownLatch stopping = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean left = new AtomicBoolean();
        Thread owner = Thread.currentThread();
        Thread helper = Thread.ofPlatform().start(() -> {
            awaitThroughInterrupts(stopping);
            Waiting.parked(owner); // in close(), waiting for the cancelled task
            owner.interrupt();
            Waiting.parked(owner); // still waiting: the interrupt did not end close()
            release.countDown();
        });

        IllegalArgumentException thrown = catchThrowableOfType(IllegalArgumentException.class, () -> {
            try (TaskGroup group = group(pool, "close-interrupted")) {
                CountDownLatch running = new CountDownLatch(1);
                group.submit(() -> {
                    running.countDown();
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        stopping.countDown();
                        awaitThroughInterrupts(release);
                        left.set(true);
                        throw e;
                    }
                    return null;
                });
                running.await();
                throw new IllegalArgumentException("the block failed");
            }
        });
        boolean interruptedAfterClose = Thread.interrupted(); // read (and cleared) before joining the helper
        helper.join();

        assertThat(interruptedAfterClose).as("close() set the interrupt status again").isTrue();
        assertThat(left).as("close() waited for the task").isTrue();
        assertThat(thrown.getSuppressed()).singleElement().isInstanceOf(IllegalStateException.class);
    }

    @Test
    void onAProcessPoolTheTasksAreTheWorkersAndTheirFailuresTheGroups() {
        ProcessPool processes = ProcessPool.builder().name("tg-cpu").maxWorkers(1).build();
        try {
            TaskGroup group = group(processes, "remote");
            TaskFuture<Integer> answer = group.submit((SerializableCallable<Integer>) () -> 42);
            group.submit((SerializableCallable<Integer>) () -> {
                throw new IllegalStateException("remote failure");
            });

            TaskGroupException failure = catchThrowableOfType(TaskGroupException.class, group::join);

            assertThat(failure.exceptions()).singleElement(InstanceOfAssertFactories.THROWABLE)
                    .isInstanceOf(IllegalStateException.class).hasMessage("remote failure");
            assertThat(answer.resultNow()).isEqualTo(42);
            assertThat(stats("remote").tasks(TaskOutcome.SUCCESS)).isEqualTo(1);
        } finally {
            processes.close();
        }
    }

    // ------------------------------------------------------------------------------------------ names

    @Test
    void namesAreCheckedAndCountedPerNameWithinABound() {
        ThreadPool pool = pool(1);
        assertThatIllegalArgumentException().isThrownBy(() -> TaskGroup.on(pool, " "))
                .withMessageContaining("must not be blank");
        assertThatNullPointerException().isThrownBy(() -> TaskGroup.on(pool, null))
                .withMessageContaining("unnamed group");

        TaskGroups small = new TaskGroups(3);
        for (int i = 0; i < 3; i++) {
            TaskGroup.builder(pool).name("same").statistics(small).open().join();
        }
        TaskGroup.builder(pool).name("built-from-data-1").statistics(small).open().join();
        assertThat(small.all()).extracting(TaskGroupStatistics::name).containsExactly("overflow", "same", "unnamed");
        assertThat(small.statistics("same").groups(TaskGroupOutcome.SUCCESS)).isEqualTo(3);
        assertThat(small.statistics("built-from-data-2")).isSameAs(small.statistics(TaskGroups.OVERFLOW));
        assertThat(small.statistics(TaskGroups.OVERFLOW).groups(TaskGroupOutcome.SUCCESS)).isEqualTo(1);
        assertThatIllegalArgumentException().isThrownBy(() -> new TaskGroups(1));
    }

    @Test
    void toStringShowsTheState() {
        ThreadPool pool = pool(1);
        TaskGroup group = group(pool, "shown");
        assertThat(group).hasToString("TaskGroup[name=shown, pool=tg, running=0, failures=0, open]");
        group.cancel();
        assertThat(group.toString()).endsWith("shutting down: cancel() was called]");
        group.join();
        assertThat(group.toString()).endsWith("finished]");
        assertThat(stats("shown").active()).isZero();
    }
}
