package dev.spool.futures;

import static dev.spool.futures.Conditions.join;
import static dev.spool.futures.Conditions.pass;
import static dev.spool.futures.Conditions.whenBlocked;
import static dev.spool.futures.TaskFutureTest.cancelled;
import static dev.spool.futures.TaskFutureTest.cancelledAndNotified;
import static dev.spool.futures.TaskFutureTest.failed;
import static dev.spool.futures.TaskFutureTest.pending;
import static dev.spool.futures.TaskFutureTest.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Python's {@code test_wait.py} (CPython's test suite, W-*) on {@link Futures#wait}.
 *
 * <p>Spool variants (docs/python.md, "Deliberate differences", a cancelled future counts as done everywhere): W-02,
 * W-05, W-12. Not applicable: W-10 ({@code ReturnWhen} is an enum, so there is no bogus value; a null one is refused at
 * once). Tasks that "take a while" in Python block on a latch here.
 */
@Timeout(10)
class FuturesWaitTest {
    private final ThreadPool pool = ThreadPool.builder().name("wait-test").maxWorkers(4).build();
    private final CountDownLatch gate = new CountDownLatch(1);

    @AfterEach
    void shutdown() {
        gate.countDown();
        pool.shutdownNow();
    }

    private TaskFuture<Integer> blocked() {
        return pool.submit(() -> {
            pass(gate);
            return 1;
        });
    }

    @Test
    @DisplayName("W-01 duplicates count once")
    void duplicatesCountOnce() {
        TaskFuture<Integer> f = succeeded(1);
        DoneAndNotDone<TaskFuture<Integer>> r = Futures.wait(List.of(f, f), ReturnWhen.ALL_COMPLETED);
        assertThat(r.done()).containsExactly(f);
        assertThat(r.notDone()).isEmpty();
    }

    @Test
    @DisplayName("W-02 (Spool) FIRST_COMPLETED counts a plain cancelled future as done")
    void firstCompletedCountsAPlainCancelledFutureAsDone() {
        TaskFuture<Integer> cancelled = cancelled();
        TaskFuture<Integer> fast = blocked();
        TaskFuture<Integer> slow = blocked();
        DoneAndNotDone<TaskFuture<Integer>> r =
                Futures.wait(List.of(cancelled, fast, slow), Duration.ofSeconds(5), ReturnWhen.FIRST_COMPLETED);
        assertThat(r.done()).containsExactly(cancelled);
        assertThat(r.notDone()).containsExactlyInAnyOrder(fast, slow);
    }

    @Test
    @DisplayName("W-02 FIRST_COMPLETED returns when the first task completes")
    void firstCompletedReturnsWhenTheFirstTaskCompletes() {
        CountDownLatch fastGate = new CountDownLatch(1);
        TaskFuture<Integer> fast = pool.submit(() -> {
            pass(fastGate);
            return 2;
        });
        TaskFuture<Integer> slow = blocked();
        Thread releaser = whenBlocked(Thread.currentThread(), fastGate::countDown);
        DoneAndNotDone<TaskFuture<Integer>> r = Futures.wait(List.of(fast, slow), ReturnWhen.FIRST_COMPLETED);
        assertThat(r.done()).containsExactly(fast);
        assertThat(r.notDone()).containsExactly(slow);
        join(releaser);
    }

    @Test
    @DisplayName("W-03 FIRST_COMPLETED with futures already done returns at once")
    void firstCompletedWithSomeAlreadyDoneReturnsAtOnce() {
        TaskFuture<Integer> notified = cancelledAndNotified();
        TaskFuture<Integer> success = succeeded(1);
        TaskFuture<Integer> task = blocked();
        DoneAndNotDone<TaskFuture<Integer>> r =
                Futures.wait(List.of(notified, success, task), ReturnWhen.FIRST_COMPLETED);
        assertThat(r.done()).containsExactlyInAnyOrder(notified, success);
        assertThat(r.notDone()).containsExactly(task);
    }

    @Test
    @DisplayName("W-04 FIRST_EXCEPTION returns when a task fails")
    void firstExceptionReturnsWhenATaskFails() {
        TaskFuture<Integer> ok = pool.submit(() -> 1);
        ok.result();
        CountDownLatch raise = new CountDownLatch(1);
        TaskFuture<Integer> raiser = pool.submit(() -> {
            pass(raise);
            throw new IOException("raised");
        });
        TaskFuture<Integer> sleeper = blocked();
        Thread releaser = whenBlocked(Thread.currentThread(), raise::countDown);
        DoneAndNotDone<TaskFuture<Integer>> r =
                Futures.wait(List.of(ok, raiser, sleeper), ReturnWhen.FIRST_EXCEPTION);
        assertThat(r.done()).containsExactlyInAnyOrder(ok, raiser);
        assertThat(r.notDone()).containsExactly(sleeper);
        join(releaser);
    }

    @Test
    @DisplayName("W-05 (Spool) FIRST_EXCEPTION with some futures done, a plain cancelled one among them")
    void firstExceptionWithSomeAlreadyDone() {
        TaskFuture<Integer> success = succeeded(1);
        TaskFuture<Integer> cancelled = cancelled();
        TaskFuture<Integer> notified = cancelledAndNotified();
        TaskFuture<Integer> failing = pool.submit(() -> 21 / 0);
        TaskFuture<Integer> sleeper = blocked();
        DoneAndNotDone<TaskFuture<Integer>> r = Futures.wait(
                List.of(success, cancelled, notified, failing, sleeper), ReturnWhen.FIRST_EXCEPTION);
        assertThat(r.done()).containsExactlyInAnyOrder(success, cancelled, notified, failing);
        assertThat(r.notDone()).containsExactly(sleeper);
        assertThat(failing.exception()).isInstanceOf(ArithmeticException.class);
    }

    @Test
    @DisplayName("W-06 FIRST_EXCEPTION with a future failed already returns at once")
    void firstExceptionWithOneAlreadyFailedReturnsAtOnce() {
        TaskFuture<Integer> exception = failed(new IOException());
        TaskFuture<Integer> task = blocked();
        DoneAndNotDone<TaskFuture<Integer>> r = Futures.wait(List.of(exception, task), ReturnWhen.FIRST_EXCEPTION);
        assertThat(r.done()).containsExactly(exception);
        assertThat(r.notDone()).containsExactly(task);
    }

    @Test
    @DisplayName("W-07 ALL_COMPLETED waits for all; a failure does not end it early")
    void allCompletedWaitsForAll() {
        List<TaskFuture<Integer>> fs = List.of(succeeded(1), cancelledAndNotified(), failed(new IOException()),
                pool.submit(() -> 21 / 0), pool.submit(() -> 42));
        DoneAndNotDone<TaskFuture<Integer>> r = Futures.wait(fs, ReturnWhen.ALL_COMPLETED);
        assertThat(r.done()).containsExactlyInAnyOrderElementsOf(fs);
        assertThat(r.notDone()).isEmpty();
        assertThat(Futures.wait(fs).done()).hasSize(5);
    }

    @Test
    @DisplayName("W-08 ALL_COMPLETED with a timeout returns when the time is up, without an exception")
    void allCompletedTimesOutWithoutAnException() {
        List<TaskFuture<Integer>> finished = List.of(succeeded(1), cancelledAndNotified(), failed(new IOException()));
        TaskFuture<Integer> task = blocked();
        List<TaskFuture<Integer>> fs = new ArrayList<>(finished);
        fs.add(task);
        Duration timeout = Duration.ofMillis(200);
        long start = System.nanoTime();
        DoneAndNotDone<TaskFuture<Integer>> r = Futures.wait(fs, timeout, ReturnWhen.ALL_COMPLETED);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r.done()).containsExactlyInAnyOrderElementsOf(finished);
        assertThat(r.notDone()).containsExactly(task);
        assertThat(took).isBetween(timeout.multipliedBy(6).dividedBy(10), timeout.multipliedBy(10));
        assertThat(task.pendingNodes()).as("the wait left no listener behind").isZero();
    }

    @Test
    @DisplayName("W-09 a hundred futures completing at the same moment")
    void aHundredFuturesCompletingTogether() {
        List<TaskFuture<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            fs.add(pool.submit(() -> {
                pass(gate);
                return n;
            }));
        }
        Thread releaser = whenBlocked(Thread.currentThread(), gate::countDown);
        DoneAndNotDone<TaskFuture<Integer>> r = Futures.wait(fs, ReturnWhen.ALL_COMPLETED);
        assertThat(r.done()).hasSize(100);
        join(releaser);
    }

    @Test
    @DisplayName("W-10 (Java) a null ReturnWhen is refused at once, even when everything is done")
    void aNullReturnWhenIsRefused() {
        assertThatNullPointerException().isThrownBy(() -> Futures.wait(List.of(succeeded(1)), null));
        assertThatNullPointerException().isThrownBy(() -> Futures.wait(List.of(pending()), Duration.ZERO, null));
    }

    @Test
    @DisplayName("W-11 waiting on no futures returns at once, in every mode")
    void waitingOnNothingReturnsAtOnce() {
        for (ReturnWhen when : ReturnWhen.values()) {
            DoneAndNotDone<TaskFuture<Integer>> r = Futures.wait(List.of(), when);
            assertThat(r.done()).isEmpty();
            assertThat(r.notDone()).isEmpty();
        }
    }

    @Test
    @DisplayName("W-12 (Spool) FIRST_EXCEPTION: a cancellation is done but not an exception, so the wait times out")
    void firstExceptionDoesNotTreatACancellationAsAnException() {
        TaskFuture<Integer> cancelled = cancelled();
        TaskFuture<Integer> pending = pending();
        DoneAndNotDone<TaskFuture<Integer>> r =
                Futures.wait(List.of(cancelled, pending), Duration.ofMillis(100), ReturnWhen.FIRST_EXCEPTION);
        assertThat(r.done()).containsExactly(cancelled);
        assertThat(r.notDone()).containsExactly(pending);
    }

    // ---------------------------------------------------------------------------------------- Spool additions

    @Test
    void aFutureCancelledDuringTheWaitEndsAFirstCompletedWait() {
        TaskFuture<Integer> f = pending();
        Thread canceller = whenBlocked(Thread.currentThread(), f::cancel);
        DoneAndNotDone<TaskFuture<Integer>> r = Futures.wait(List.of(f, pending()), ReturnWhen.FIRST_COMPLETED);
        assertThat(r.done()).containsExactly(f);
        join(canceller);
    }

    @Test
    void zeroTimeoutOnlyLooks() {
        TaskFuture<Integer> f = pending();
        DoneAndNotDone<TaskFuture<Integer>> r = Futures.wait(List.of(f), Duration.ofSeconds(-1), ReturnWhen.ALL_COMPLETED);
        assertThat(r.notDone()).containsExactly(f);
        assertThat(f.pendingNodes()).isZero();
    }

    @Test
    void repeatedTimedWaitsLeaveNoListenerBehind() {
        TaskFuture<Integer> a = pending();
        TaskFuture<Integer> b = pending();
        for (int i = 0; i < 500; i++) {
            Futures.wait(List.of(a, b), Duration.ofNanos(1_000), ReturnWhen.FIRST_COMPLETED);
        }
        assertThat(a.pendingNodes()).isZero();
        assertThat(b.pendingNodes()).isZero();
    }

    @Test
    void anInterruptDoesNotEndTheWaitAndIsRestored() {
        TaskFuture<Integer> f = pending();
        Thread self = Thread.currentThread();
        Thread helper = whenBlocked(self, () -> {
            self.interrupt();
            f.setResult(1);
        });
        assertThat(Futures.wait(List.of(f)).done()).containsExactly(f);
        assertThat(Thread.interrupted()).isTrue();
        join(helper);
    }
}
