package dev.spool.futures;

import static dev.spool.futures.Conditions.join;
import static dev.spool.futures.Conditions.whenBlocked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Python's {@code test_future.py} (CPython's test suite, F-*) on {@link TaskFuture}, plus the Java additions.
 *
 * <p>Not applicable: F-23 (a "falsy" exception: Java has no truthiness, a thrown object is always reported).
 * Spool variant: F-09 (Python lets a BaseException escape from a callback; Spool catches and logs every Throwable).
 */
@Timeout(10)
class TaskFutureTest {

    // ---------------------------------------------------------------------------------------- futures by state

    static TaskFuture<Integer> pending() {
        return new TaskFuture<>();
    }

    static TaskFuture<Integer> running() {
        TaskFuture<Integer> f = new TaskFuture<>();
        assertThat(f.setRunningOrNotifyCancel()).isTrue();
        return f;
    }

    static TaskFuture<Integer> cancelled() {
        TaskFuture<Integer> f = new TaskFuture<>();
        assertThat(f.cancel()).isTrue();
        return f;
    }

    static TaskFuture<Integer> cancelledAndNotified() {
        TaskFuture<Integer> f = cancelled();
        assertThat(f.setRunningOrNotifyCancel()).isFalse();
        return f;
    }

    static TaskFuture<Integer> failed(Throwable e) {
        TaskFuture<Integer> f = new TaskFuture<>();
        f.setException(e);
        return f;
    }

    static TaskFuture<Integer> succeeded(int value) {
        TaskFuture<Integer> f = new TaskFuture<>();
        f.setResult(value);
        return f;
    }

    // ---------------------------------------------------------------------------------------- callbacks

    @Test
    @DisplayName("F-01 a callback sees the result")
    void doneCallbackSeesTheResult() {
        TaskFuture<Integer> f = pending();
        AtomicReference<Integer> seen = new AtomicReference<>();
        f.addDoneCallback(done -> seen.set(done.result()));
        f.setResult(5);
        assertThat(seen).hasValue(5);
    }

    @Test
    @DisplayName("F-02 a callback sees the exception")
    void doneCallbackSeesTheException() {
        TaskFuture<Integer> f = pending();
        AtomicReference<Throwable> seen = new AtomicReference<>();
        f.addDoneCallback(done -> seen.set(done.exception()));
        f.setException(new Exception("test"));
        assertThat(seen.get()).hasMessage("test");
    }

    @Test
    @DisplayName("F-03 a callback sees the cancellation")
    void doneCallbackSeesTheCancellation() {
        TaskFuture<Integer> f = pending();
        AtomicReference<Boolean> seen = new AtomicReference<>();
        f.addDoneCallback(done -> seen.set(done.cancelled()));
        assertThat(f.cancel()).isTrue();
        assertThat(seen).hasValue(true);
    }

    @Test
    @DisplayName("F-04 a failing callback is logged and counted; the next one still runs")
    void aFailingCallbackIsLoggedAndDoesNotStopTheOthers() {
        try (Conditions.LogCapture log = new Conditions.LogCapture()) {
            long failuresBefore = Futures.callbackFailures();
            TaskFuture<Integer> f = pending();
            AtomicInteger called = new AtomicInteger();
            f.addDoneCallback(done -> {
                throw new IllegalStateException("doh!");
            });
            f.addDoneCallback(done -> called.incrementAndGet());
            f.setResult(5);
            assertThat(called).hasValue(1);
            assertThat(Futures.callbackFailures()).isEqualTo(failuresBefore + 1);
            assertThat(log.records()).anySatisfy(r -> {
                assertThat(r.getLevel()).isEqualTo(Level.SEVERE);
                assertThat(r.getMessage()).startsWith("exception calling callback for");
                assertThat(r.getThrown()).hasMessage("doh!");
            });
        }
    }

    @Test
    @DisplayName("F-05 a callback added to a done future runs at once, in the calling thread")
    void callbackOnADoneFutureRunsAtOnceInTheCallingThread() {
        for (TaskFuture<Integer> f : List.of(succeeded(1), failed(new IOException()), cancelled())) {
            AtomicReference<Thread> ranIn = new AtomicReference<>();
            f.addDoneCallback(done -> ranIn.set(Thread.currentThread()));
            assertThat(ranIn).hasValue(Thread.currentThread());
        }
    }

    @Test
    @DisplayName("F-06 a failing callback on a done future is logged, not thrown")
    void aFailingCallbackOnADoneFutureIsLoggedNotThrown() {
        try (Conditions.LogCapture log = new Conditions.LogCapture()) {
            long failuresBefore = Futures.callbackFailures();
            succeeded(42).addDoneCallback(done -> {
                throw new IllegalStateException("doh!");
            });
            assertThat(Futures.callbackFailures()).isEqualTo(failuresBefore + 1);
            assertThat(log.records()).anySatisfy(r ->
                    assertThat(r.getMessage()).contains("exception calling callback for TaskFuture@"));
        }
    }

    @Test
    @DisplayName("F-07 callbacks run in the order they were added")
    void callbacksRunInTheOrderTheyWereAdded() {
        TaskFuture<Integer> f = pending();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            f.addDoneCallback(done -> order.add(n));
        }
        f.setResult(1);
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    @DisplayName("F-08 cancelling twice runs the callbacks once; the second cancel returns true")
    void cancellingTwiceRunsCallbacksOnce() {
        TaskFuture<Integer> f = pending();
        AtomicInteger calls = new AtomicInteger();
        f.addDoneCallback(done -> calls.incrementAndGet());
        assertThat(f.cancel()).isTrue();
        assertThat(f.cancel()).isTrue();
        assertThat(calls).hasValue(1);
    }

    @Test
    @DisplayName("F-09 (Spool) a callback throwing an Error is logged and counted too, never propagated")
    void aCallbackThrowingAnErrorIsCaughtToo() {
        try (Conditions.LogCapture log = new Conditions.LogCapture()) {
            long failuresBefore = Futures.callbackFailures();
            TaskFuture<Integer> f = pending();
            f.addDoneCallback(done -> {
                throw new AssertionError("base exception");
            });
            f.setResult(1);
            assertThat(f.result()).isEqualTo(1);
            assertThat(Futures.callbackFailures()).isEqualTo(failuresBefore + 1);
            assertThat(log.records()).anySatisfy(r -> assertThat(r.getThrown()).hasMessage("base exception"));
        }
    }

    // ---------------------------------------------------------------------------------------- state machine

    @Test
    @DisplayName("F-10 cancel succeeds while pending or already cancelled, fails while running or finished")
    void cancelSucceedsOnlyWhilePendingOrCancelled() {
        TaskFuture<Integer> pending = pending();
        assertThat(pending.cancel()).isTrue();
        assertThat(pending.futureState()).isEqualTo(FutureState.CANCELLED);

        TaskFuture<Integer> running = running();
        assertThat(running.cancel()).isFalse();
        assertThat(running.futureState()).isEqualTo(FutureState.RUNNING);

        assertThat(cancelled().cancel()).isTrue();
        TaskFuture<Integer> notified = cancelledAndNotified();
        assertThat(notified.cancel()).isTrue();
        assertThat(notified.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);

        assertThat(failed(new IOException()).cancel()).isFalse();
        assertThat(succeeded(42).cancel()).isFalse();
    }

    @Test
    @DisplayName("F-10 the JDK cancel(true) never interrupts and behaves as cancel()")
    void jdkCancelBehavesAsCancel() {
        assertThat(running().cancel(true)).isFalse();
        assertThat(pending().cancel(true)).isTrue();
    }

    @Test
    @DisplayName("F-11 cancelled(), done() and running() by state")
    void stateQueriesByState() {
        record Expect(TaskFuture<Integer> f, boolean cancelled, boolean done, boolean running) {
        }
        List<Expect> cases = List.of(
                new Expect(pending(), false, false, false),
                new Expect(running(), false, false, true),
                new Expect(cancelled(), true, true, false),
                new Expect(cancelledAndNotified(), true, true, false),
                new Expect(failed(new IOException()), false, true, false),
                new Expect(succeeded(42), false, true, false));
        for (Expect e : cases) {
            assertThat(e.f().cancelled()).as("cancelled %s", e.f()).isEqualTo(e.cancelled());
            assertThat(e.f().isCancelled()).isEqualTo(e.cancelled());
            assertThat(e.f().done()).as("done %s", e.f()).isEqualTo(e.done());
            assertThat(e.f().isDone()).isEqualTo(e.done());
            assertThat(e.f().running()).as("running %s", e.f()).isEqualTo(e.running());
        }
    }

    @Test
    @DisplayName("F-12 result with a zero timeout, by state")
    void resultWithZeroTimeoutByState() {
        assertThatThrownBy(() -> pending().result(Duration.ZERO)).isInstanceOf(FutureTimeoutException.class);
        assertThatThrownBy(() -> running().result(Duration.ZERO)).isInstanceOf(FutureTimeoutException.class);
        assertThatThrownBy(() -> cancelled().result(Duration.ZERO)).isInstanceOf(CancellationException.class);
        assertThatThrownBy(() -> cancelledAndNotified().result(Duration.ZERO))
                .isInstanceOf(CancellationException.class);
        IOException oops = new IOException("oops");
        assertThatThrownBy(() -> failed(oops).result(Duration.ZERO))
                .isInstanceOf(TaskFailedException.class).cause().isSameAs(oops);
        assertThat(succeeded(42).result(Duration.ZERO)).isEqualTo(42);
    }

    @Test
    @DisplayName("F-13 result waits for another thread's setResult")
    void resultWaitsForAnotherThreadsSetResult() {
        TaskFuture<Integer> f = pending();
        Thread setter = whenBlocked(Thread.currentThread(), () -> f.setResult(42));
        assertThat(f.result(Duration.ofSeconds(5))).isEqualTo(42);
        join(setter);
    }

    @Test
    @DisplayName("F-14 result throws CancellationException when another thread cancels meanwhile")
    void resultThrowsWhenCancelledWhileWaiting() {
        TaskFuture<Integer> f = pending();
        Thread canceller = whenBlocked(Thread.currentThread(), f::cancel);
        assertThatThrownBy(() -> f.result(Duration.ofSeconds(5))).isInstanceOf(CancellationException.class);
        join(canceller);
    }

    @Test
    @DisplayName("F-15 exception with a zero timeout, by state")
    void exceptionWithZeroTimeoutByState() {
        assertThatThrownBy(() -> pending().exception(Duration.ZERO)).isInstanceOf(FutureTimeoutException.class);
        assertThatThrownBy(() -> running().exception(Duration.ZERO)).isInstanceOf(FutureTimeoutException.class);
        assertThatThrownBy(() -> cancelled().exception(Duration.ZERO)).isInstanceOf(CancellationException.class);
        assertThatThrownBy(() -> cancelledAndNotified().exception(Duration.ZERO))
                .isInstanceOf(CancellationException.class);
        IOException oops = new IOException("oops");
        assertThat(failed(oops).exception(Duration.ZERO)).isSameAs(oops);
        assertThat(succeeded(42).exception(Duration.ZERO)).isNull();
    }

    @Test
    @DisplayName("F-16 exception waits for another thread's setException")
    void exceptionWaitsForAnotherThreadsSetException() {
        TaskFuture<Integer> f = pending();
        IOException oops = new IOException("oops");
        Thread setter = whenBlocked(Thread.currentThread(), () -> f.setException(oops));
        assertThat(f.exception(Duration.ofSeconds(5))).isSameAs(oops);
        join(setter);
    }

    @Test
    @DisplayName("F-17 setResult twice throws InvalidStateException; the first result stays")
    void setResultTwiceThrows() {
        TaskFuture<Integer> f = succeeded(1);
        assertThatThrownBy(() -> f.setResult(2))
                .isInstanceOf(InvalidStateException.class)
                .hasMessageMatching("FINISHED: TaskFuture@[0-9a-f]+\\[state=finished returned Integer]");
        assertThat(f.result()).isEqualTo(1);
    }

    @Test
    @DisplayName("F-18 setException twice throws InvalidStateException; the first exception stays")
    void setExceptionTwiceThrows() {
        IllegalArgumentException first = new IllegalArgumentException();
        TaskFuture<Integer> f = failed(first);
        assertThatThrownBy(() -> f.setException(new Exception()))
                .isInstanceOf(InvalidStateException.class)
                .hasMessageEndingWith("raised IllegalArgumentException]");
        assertThat(f.exception()).isSameAs(first);
    }

    @Test
    @DisplayName("F-19 setting the outcome of a cancelled future throws InvalidStateException")
    void settingACancelledFutureThrows() {
        assertThatThrownBy(() -> cancelled().setResult(1)).isInstanceOf(InvalidStateException.class)
                .hasMessageStartingWith("CANCELLED: ");
        assertThatThrownBy(() -> cancelled().setException(new IOException()))
                .isInstanceOf(InvalidStateException.class).hasMessageStartingWith("CANCELLED: ");
        assertThatThrownBy(() -> cancelledAndNotified().setResult(1)).isInstanceOf(InvalidStateException.class)
                .hasMessageStartingWith("CANCELLED_AND_NOTIFIED: ");
    }

    @Test
    @DisplayName("F-20 setRunningOrNotifyCancel by state; an unexpected state throws and logs at ERROR")
    void setRunningOrNotifyCancelByState() {
        TaskFuture<Integer> f = pending();
        assertThat(f.setRunningOrNotifyCancel()).isTrue();
        assertThat(f.futureState()).isEqualTo(FutureState.RUNNING);
        try (Conditions.LogCapture log = new Conditions.LogCapture()) {
            assertThatThrownBy(f::setRunningOrNotifyCancel).isInstanceOf(InvalidStateException.class)
                    .hasMessageContaining("Future in unexpected state");
            assertThatThrownBy(() -> succeeded(1).setRunningOrNotifyCancel())
                    .isInstanceOf(InvalidStateException.class);
            assertThatThrownBy(() -> cancelledAndNotified().setRunningOrNotifyCancel())
                    .isInstanceOf(InvalidStateException.class);
            assertThat(log.records()).hasSize(3).allSatisfy(r -> assertThat(r.getLevel()).isEqualTo(Level.SEVERE));
        }
        TaskFuture<Integer> c = cancelled();
        assertThat(c.setRunningOrNotifyCancel()).isFalse();
        assertThat(c.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
    }

    @Test
    @DisplayName("F-21 a running future finishes normally and cannot be cancelled")
    void aRunningFutureFinishesNormally() {
        TaskFuture<Integer> f = running();
        assertThat(f.cancel()).isFalse();
        f.setResult(7);
        assertThat(f.result()).isEqualTo(7);
        assertThat(f.cancel()).isFalse();
    }

    @Test
    @DisplayName("F-22 a negative timeout does not block")
    void negativeTimeoutDoesNotBlock() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> pending().result(Duration.ofSeconds(-1))).isInstanceOf(FutureTimeoutException.class);
        assertThatThrownBy(() -> pending().exception(Duration.ofSeconds(-1)))
                .isInstanceOf(FutureTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    @DisplayName("F-22 the JDK get with a negative timeout does not block either")
    void jdkGetWithNegativeTimeoutDoesNotBlock() {
        assertThatThrownBy(() -> pending().get(-1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
        assertThatThrownBy(() -> pending().get(0, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
    }

    @Test
    @DisplayName("F-24 toString shows the state")
    void toStringShowsTheState() {
        assertThat(pending().toString()).matches("TaskFuture@[0-9a-f]+\\[state=pending]");
        assertThat(running().toString()).endsWith("[state=running]");
        assertThat(cancelled().toString()).endsWith("[state=cancelled]");
        assertThat(cancelledAndNotified().toString()).endsWith("[state=cancelled]");
        assertThat(failed(new IOException()).toString()).endsWith("[state=finished raised IOException]");
        assertThat(succeeded(42).toString()).endsWith("[state=finished returned Integer]");
        TaskFuture<Object> nothing = new TaskFuture<>();
        nothing.setResult(null);
        assertThat(nothing.toString()).endsWith("[state=finished returned null]");
    }

    // ---------------------------------------------------------------------------------------- Java additions

    @Test
    void resultIsNotEndedByAnInterruptAndRestoresIt() {
        TaskFuture<Integer> f = pending();
        Thread self = Thread.currentThread();
        Thread helper = whenBlocked(self, () -> {
            self.interrupt();
            Conditions.awaitBlocked(self); // still waiting after the interrupt
            f.setResult(3);
        });
        assertThat(f.result()).isEqualTo(3);
        assertThat(Thread.interrupted()).isTrue();
        join(helper);
    }

    @Test
    void jdkGetIsInterruptible() {
        TaskFuture<Integer> f = pending();
        Thread self = Thread.currentThread();
        Thread helper = whenBlocked(self, self::interrupt);
        assertThatThrownBy(f::get).isInstanceOf(InterruptedException.class);
        join(helper);
        assertThat(f.pendingNodes()).isZero();
    }

    @Test
    void timedOutWaitsLeaveNoWaiterBehind() {
        TaskFuture<Integer> f = pending();
        for (int i = 0; i < 200; i++) {
            assertThatThrownBy(() -> f.result(Duration.ofNanos(1000))).isInstanceOf(FutureTimeoutException.class);
        }
        assertThat(f.pendingNodes()).isZero();
    }

    @Test
    void stampsAreSetAsTheFutureMoves() {
        TaskFuture<Integer> f = pending();
        assertThat(f.startedNanos()).isZero();
        assertThat(f.endedNanos()).isZero();
        f.setRunningOrNotifyCancel();
        assertThat(f.startedNanos()).isGreaterThanOrEqualTo(f.submittedNanos());
        f.setResult(1);
        assertThat(f.endedNanos()).isGreaterThanOrEqualTo(f.startedNanos());
        TaskFuture<Integer> never = cancelled();
        assertThat(never.startedNanos()).isZero();
        assertThat(never.endedNanos()).isNotZero();
    }

    @Test
    void completableFutureMirrorsTheOutcome() {
        TaskFuture<Integer> ok = pending();
        CompletableFuture<Integer> okView = ok.toCompletableFuture();
        assertThat(ok.toCompletableFuture()).isSameAs(okView);
        assertThat(okView).isNotDone();
        ok.setResult(5);
        assertThat(okView).isCompletedWithValue(5);

        IOException oops = new IOException();
        TaskFuture<Integer> bad = pending();
        CompletableFuture<Integer> badView = bad.toCompletableFuture();
        bad.setException(oops);
        assertThatThrownBy(badView::join).isInstanceOf(CompletionException.class).cause().isSameAs(oops);

        TaskFuture<Integer> gone = pending();
        CompletableFuture<Integer> goneView = gone.toCompletableFuture();
        gone.cancel();
        assertThat(goneView).isCancelled();

        assertThat(succeeded(9).toCompletableFuture()).isCompletedWithValue(9);
        assertThat(cancelled().toCompletableFuture()).isCancelled();
    }

    @Test
    void cancellingTheCompletableFutureCancelsAPendingTaskFuture() {
        TaskFuture<Integer> f = pending();
        CompletableFuture<Integer> view = f.toCompletableFuture();
        assertThat(view.cancel(true)).isTrue();
        assertThat(f.cancelled()).isTrue();
        assertThat(view).isCancelled();
    }

    @Test
    void cancellingTheCompletableFutureOfARunningTaskFails() {
        TaskFuture<Integer> f = running();
        CompletableFuture<Integer> view = f.toCompletableFuture();
        assertThat(view.cancel(true)).isFalse();
        assertThat(f.running()).isTrue();
        f.setResult(1);
        assertThat(view).isCompletedWithValue(1);
    }

    @Test
    void cancellingTheViewOfAJustFinishedFutureKeepsItsResult() {
        TaskFuture<Integer> f = pending();
        AtomicReference<CompletableFuture<Integer>> view = new AtomicReference<>();
        AtomicReference<Boolean> cancelledIt = new AtomicReference<>();
        // This callback runs before the view's own listener: the future is done, the view not yet.
        f.addDoneCallback(done -> cancelledIt.set(view.get().cancel(false)));
        view.set(f.toCompletableFuture());
        f.setResult(11);
        assertThat(cancelledIt).hasValue(false);
        assertThat(view.get()).isCompletedWithValue(11);
    }
}
