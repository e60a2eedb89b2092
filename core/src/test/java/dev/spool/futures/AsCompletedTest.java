package dev.spool.futures;

import static dev.spool.futures.Conditions.awaitCollected;
import static dev.spool.futures.Conditions.join;
import static dev.spool.futures.Conditions.pass;
import static dev.spool.futures.Conditions.whenBlocked;
import static dev.spool.futures.TaskFutureTest.cancelled;
import static dev.spool.futures.TaskFutureTest.cancelledAndNotified;
import static dev.spool.futures.TaskFutureTest.failed;
import static dev.spool.futures.TaskFutureTest.pending;
import static dev.spool.futures.TaskFutureTest.running;
import static dev.spool.futures.TaskFutureTest.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Python's {@code test_as_completed.py} (CPython's test suite, AC-*) on {@link Futures#asCompleted}. Every case
 * applies; a cancelled future counts as done (docs/python.md, "Deliberate differences"), which no AC case depends on.
 */
@Timeout(20)
class AsCompletedTest {
    private final ThreadPool pool = ThreadPool.builder().name("as-completed-test").maxWorkers(4).build();
    private final CountDownLatch gate = new CountDownLatch(1);

    @AfterEach
    void shutdown() {
        gate.countDown();
        pool.shutdownNow();
    }

    private static <F> List<F> drain(Iterable<F> iterable) {
        List<F> out = new ArrayList<>();
        iterable.forEach(out::add);
        return out;
    }

    @Test
    @DisplayName("AC-01 without a timeout every future is yielded once")
    void yieldsEveryFutureOnce() {
        TaskFuture<Integer> notified = cancelledAndNotified();
        TaskFuture<Integer> exception = failed(new IOException());
        TaskFuture<Integer> success = succeeded(1);
        TaskFuture<Integer> a = pool.submit(() -> 2);
        TaskFuture<Integer> b = pool.submit(() -> 3);
        assertThat(drain(Futures.asCompleted(List.of(notified, exception, success, a, b))))
                .containsExactlyInAnyOrder(notified, exception, success, a, b);
    }

    @Test
    @DisplayName("AC-02 a timeout of 0 or 0.1 s yields the finished futures, then times out")
    void timesOutAfterTheFinishedFutures() {
        for (Duration timeout : List.of(Duration.ZERO, Duration.ofMillis(100))) {
            List<TaskFuture<Integer>> finished = List.of(cancelledAndNotified(), failed(new IOException()), succeeded(1));
            TaskFuture<Integer> task = pool.submit(() -> {
                pass(gate);
                return 1;
            });
            List<TaskFuture<Integer>> fs = new ArrayList<>(finished);
            fs.add(task);
            List<TaskFuture<Integer>> yielded = new ArrayList<>();
            Iterator<TaskFuture<Integer>> it = Futures.asCompleted(fs, timeout).iterator();
            assertThatThrownBy(() -> it.forEachRemaining(yielded::add)).isInstanceOf(FutureTimeoutException.class);
            assertThat(yielded).containsExactlyInAnyOrderElementsOf(finished);
            assertThat(it.hasNext()).isFalse();
            assertThat(task.pendingNodes()).as("no listener left behind").isZero();
        }
    }

    @Test
    @DisplayName("AC-03 a future given several times is yielded once")
    void duplicatesAreYieldedOnce() {
        TaskFuture<Integer> f = succeeded(1);
        assertThat(drain(Futures.asCompleted(List.of(f, f, f)))).containsExactly(f);
        TaskFuture<Integer> p = pending();
        Iterator<TaskFuture<Integer>> it = Futures.asCompleted(List.of(p, p, p)).iterator();
        p.setResult(1);
        assertThat(it.next()).isSameAs(p);
        assertThat(it.hasNext()).isFalse();
    }

    @Test
    @DisplayName("AC-04 the iterator keeps no reference to a future it has yielded")
    void keepsNoReferenceToAYieldedFuture() {
        List<TaskFuture<Object>> futures = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            futures.add(new TaskFuture<>());
        }
        TaskFuture<Object> notified = new TaskFuture<>();
        notified.cancel();
        notified.setRunningOrNotifyCancel();
        futures.add(notified);
        TaskFuture<Object> finished = new TaskFuture<>();
        finished.setResult(42);
        futures.add(finished);
        notified = null;
        finished = null;

        Iterator<TaskFuture<Object>> first = Futures.asCompleted(futures, Duration.ZERO).iterator();
        for (int i = 0; i < 2; i++) {
            awaitCollected(yieldAndForget(first, futures));
        }
        assertThatThrownBy(first::next).isInstanceOf(FutureTimeoutException.class);

        futures.get(0).setResult("test");
        Iterator<TaskFuture<Object>> second = Futures.asCompleted(futures).iterator();
        while (second.hasNext()) {
            awaitCollected(yieldAndForget(second, futures));
            if (!futures.isEmpty()) {
                futures.get(0).setResult("test");
            }
        }
        assertThat(futures).isEmpty();
    }

    /** Takes the next future from the iterator and out of the list; returns only a weak reference to it. */
    private static WeakReference<TaskFuture<Object>> yieldAndForget(Iterator<TaskFuture<Object>> it,
                                                                    List<TaskFuture<Object>> futures) {
        TaskFuture<Object> future = it.next();
        assertThat(futures.remove(future)).isTrue();
        return new WeakReference<>(future);
    }

    @Test
    @DisplayName("AC-05 the timeout message says how many of how many futures are unfinished")
    void timeoutMessageCountsTheUnfinished() {
        Iterator<TaskFuture<Integer>> it = Futures.asCompleted(
                List.of(cancelledAndNotified(), pending(), running(), succeeded(1)), Duration.ZERO).iterator();
        it.next();
        it.next();
        assertThatThrownBy(it::next).isInstanceOf(FutureTimeoutException.class)
                .hasMessage("2 (of 4) futures unfinished after 0 s");
    }

    @Test
    @DisplayName("AC-06 futures done at the call are yielded before those that finish later")
    void alreadyDoneFuturesComeFirst() {
        TaskFuture<Integer> b = pending();
        TaskFuture<Integer> a = succeeded(1);
        Iterator<TaskFuture<Integer>> it = Futures.asCompleted(List.of(b, a)).iterator();
        assertThat(it.next()).isSameAs(a);
        Thread completer = whenBlocked(Thread.currentThread(), () -> b.setResult(2));
        assertThat(it.next()).isSameAs(b);
        assertThat(it.hasNext()).isFalse();
        join(completer);
    }

    @Test
    @DisplayName("AC-07 no futures, nothing yielded")
    void noFuturesNothingYielded() {
        assertThat(Futures.asCompleted(List.of()).iterator().hasNext()).isFalse();
        assertThat(Futures.asCompleted(List.of(), Duration.ZERO).iterator().hasNext()).isFalse();
    }

    @Test
    @DisplayName("AC-08 the timeout is one deadline counted from the asCompleted call")
    void timeoutIsCountedFromTheCall() {
        Duration timeout = Duration.ofMillis(300);
        Iterable<TaskFuture<Integer>> iterable = Futures.asCompleted(List.of(pending()), timeout);
        long called = System.nanoTime();
        while (System.nanoTime() - called < timeout.toNanos() + 100_000_000L) {
            LockSupport.parkNanos(10_000_000L); // let the deadline pass before the first next()
        }
        Iterator<TaskFuture<Integer>> it = iterable.iterator();
        long start = System.nanoTime();
        assertThatThrownBy(it::next).isInstanceOf(FutureTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("did not wait a fresh timeout").isLessThan(timeout);
    }

    // ---------------------------------------------------------------------------------------- Spool additions

    @Test
    void aCancelledFutureIsYieldedAsDone() {
        TaskFuture<Integer> f = pending();
        TaskFuture<Integer> c = cancelled();
        Iterator<TaskFuture<Integer>> it = Futures.asCompleted(List.of(f, c)).iterator();
        assertThat(it.next()).isSameAs(c);
        f.cancel();
        assertThat(it.next()).isSameAs(f);
    }

    @Test
    void theResultCanBeIteratedOnlyOnce() {
        Iterable<TaskFuture<Integer>> iterable = Futures.asCompleted(List.of(succeeded(1)));
        iterable.iterator();
        assertThatIllegalStateException().isThrownBy(iterable::iterator);
    }

    @Test
    void yieldsTasksAsTheyComplete() {
        List<CountDownLatch> gates = new ArrayList<>();
        List<TaskFuture<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            CountDownLatch g = new CountDownLatch(1);
            gates.add(g);
            int n = i;
            fs.add(pool.submit(() -> {
                pass(g);
                return n;
            }));
        }
        Iterator<TaskFuture<Integer>> it = Futures.asCompleted(fs, Duration.ofSeconds(10)).iterator();
        for (int i : new int[] {2, 0, 3, 1}) {
            gates.get(i).countDown();
            assertThat(it.next().result()).isEqualTo(i);
        }
        assertThat(it.hasNext()).isFalse();
    }
}
