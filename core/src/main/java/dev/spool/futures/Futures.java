package dev.spool.futures;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.spool.internal.Timeouts;

/**
 * Python's module-level functions of {@code concurrent.futures}: {@code wait} and {@code as_completed}.
 *
 * <p>Both take futures of any executor (or made by hand), count each future once however often it is given, and
 * count a cancelled future as done (unlike Python, where a future cancelled but not yet seen by its executor is not;
 * see docs/python.md, "Deliberate differences"). Neither polls: they wait on listeners that the futures call as they
 * complete, and remove them again, so repeated timed waits on the same futures leave nothing behind.
 *
 * <p>Timeouts follow Spool's one rule: the overloads without a {@link Duration} wait as long as it takes, a duration
 * of zero or less never blocks. Like {@link TaskFuture#result()}, these waits are not ended by an interrupt: they go
 * on, and the thread's interrupt status is set again when they return or throw.
 */
public final class Futures {
    private Futures() {
    }

    /**
     * Waits until every future is done. Python's {@code wait(fs)}.
     *
     * @param fs  the futures; duplicates count once
     * @param <F> the future type
     * @return every future in {@code done}, none in {@code notDone}
     * @throws NullPointerException if {@code fs} or one of its futures is null
     */
    public static <F extends TaskFuture<?>> DoneAndNotDone<F> wait(Collection<F> fs) {
        return wait(fs, ReturnWhen.ALL_COMPLETED);
    }

    /**
     * Waits, as long as it takes, until {@code when} holds. Python's {@code wait(fs, return_when=when)}.
     *
     * @param fs   the futures; duplicates count once
     * @param when {@link ReturnWhen#FIRST_COMPLETED}: any future is done; {@link ReturnWhen#FIRST_EXCEPTION}: any
     *             future failed, or all are done (a cancellation is not an exception); {@link ReturnWhen#ALL_COMPLETED}
     * @param <F>  the future type
     * @return the futures that were done at the end, and those that were not
     * @throws NullPointerException if an argument or one of the futures is null
     */
    public static <F extends TaskFuture<?>> DoneAndNotDone<F> wait(Collection<F> fs, ReturnWhen when) {
        return await(fs, when, false, 0L);
    }

    /**
     * Waits at most {@code timeout} until {@code when} holds. Python's {@code wait(fs, timeout, return_when)}: running
     * out of time is no error, the result simply has futures in {@code notDone}.
     *
     * @param fs      the futures; duplicates count once
     * @param timeout the longest wait; zero or less only looks
     * @param when    as in {@link #wait(Collection, ReturnWhen)}
     * @param <F>     the future type
     * @return the futures that were done at the end, and those that were not
     * @throws NullPointerException if an argument or one of the futures is null
     */
    public static <F extends TaskFuture<?>> DoneAndNotDone<F> wait(Collection<F> fs, Duration timeout,
                                                                   ReturnWhen when) {
        return await(fs, when, true, Timeouts.nanos(timeout));
    }

    /**
     * The futures in the order they become done: those already done first (in the order given), then each as it
     * completes. Python's {@code as_completed(fs)}; see {@link #asCompleted(Collection, Duration)}.
     *
     * @param fs  the futures; each is yielded once however often it is given
     * @param <F> the future type
     * @return an {@link Iterable} that can be iterated once
     * @throws NullPointerException if {@code fs} or one of its futures is null
     */
    public static <F extends TaskFuture<?>> Iterable<F> asCompleted(Collection<F> fs) {
        return new AsCompleted<>(fs, null, 0L);
    }

    /**
     * The futures in the order they become done, within one deadline counted from this call (not from each
     * {@code next()}). Python's {@code as_completed(fs, timeout)}.
     *
     * <p>{@code next()} returns a future that is done already even when the deadline has passed; when it would have to
     * wait past the deadline it throws {@link FutureTimeoutException} with the message
     * {@code "k (of n) futures unfinished after 200 ms"}, and the iteration ends there. The iterator keeps no reference
     * to a future it has returned, and leaves no listener behind once it has ended.
     *
     * @param fs      the futures; each is yielded once however often it is given
     * @param timeout the deadline, from now; zero or less yields the futures done already, then times out
     * @param <F>     the future type
     * @return an {@link Iterable} that can be iterated once; a second {@code iterator()} throws
     *         {@link IllegalStateException}
     * @throws NullPointerException if an argument or one of the futures is null
     */
    public static <F extends TaskFuture<?>> Iterable<F> asCompleted(Collection<F> fs, Duration timeout) {
        return new AsCompleted<>(fs, timeout, TaskFuture.deadlineAfter(Timeouts.nanos(timeout)));
    }

    /**
     * @return how many done-callbacks have thrown, in this JVM, since it started (each one was logged on logger
     * {@code dev.spool.futures})
     */
    public static long callbackFailures() {
        return TaskFuture.CALLBACK_FAILURES.sum();
    }

    // ------------------------------------------------------------------------------------------ wait

    private static <F extends TaskFuture<?>> DoneAndNotDone<F> await(Collection<F> fs, ReturnWhen when,
                                                                    boolean timed, long nanos) {
        Objects.requireNonNull(fs, "fs");
        Objects.requireNonNull(when, "when");
        long deadline = timed ? TaskFuture.deadlineAfter(nanos) : 0L;
        List<F> futures = distinct(fs);
        List<F> pending = new ArrayList<>();
        boolean anyFailed = false;
        for (F future : futures) {
            if (!future.done()) {
                pending.add(future);
            } else if (future.state() == Future.State.FAILED) {
                anyFailed = true;
            }
        }
        boolean satisfied = pending.isEmpty()
                || when == ReturnWhen.FIRST_COMPLETED && pending.size() < futures.size()
                || when == ReturnWhen.FIRST_EXCEPTION && anyFailed;
        if (!satisfied && !(timed && nanos == 0L)) {
            Waiter waiter = new Waiter(when, pending.size());
            TaskFuture.Node[] handles = new TaskFuture.Node[pending.size()];
            for (int i = 0; i < handles.length; i++) {
                handles[i] = pending.get(i).addListener(waiter);
            }
            waiter.await(timed, deadline);
            for (int i = 0; i < handles.length; i++) {
                pending.get(i).removeListener(handles[i]);
            }
        }
        Set<F> done = new HashSet<>();
        Set<F> notDone = new HashSet<>();
        for (F future : futures) {
            (future.done() ? done : notDone).add(future);
        }
        return new DoneAndNotDone<>(done, notDone);
    }

    private static <F extends TaskFuture<?>> List<F> distinct(Collection<F> fs) {
        Set<F> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<F> distinct = new ArrayList<>(fs.size());
        for (F future : fs) {
            if (seen.add(Objects.requireNonNull(future, "fs must not contain null"))) {
                distinct.add(future);
            }
        }
        return distinct;
    }

    /** Listens to the pending futures of one wait and releases the waiting thread when its condition holds. */
    private static final class Waiter implements Consumer<TaskFuture<?>> {
        private final ReturnWhen when;
        private final AtomicInteger pending;
        private final CountDownLatch released = new CountDownLatch(1);

        Waiter(ReturnWhen when, int pending) {
            this.when = when;
            this.pending = new AtomicInteger(pending);
        }

        @Override
        public void accept(TaskFuture<?> future) {
            if (when == ReturnWhen.FIRST_COMPLETED
                    || when == ReturnWhen.FIRST_EXCEPTION && future.state() == Future.State.FAILED
                    || pending.decrementAndGet() == 0) {
                released.countDown();
            }
        }

        void await(boolean timed, long deadline) {
            boolean interrupted = false;
            try {
                for (;;) {
                    try {
                        if (!timed) {
                            released.await();
                        } else {
                            released.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                        }
                        return;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ as_completed

    /** The single-use iterable of {@link #asCompleted}. Its deadline and its queue are fixed at the call. */
    private static final class AsCompleted<F extends TaskFuture<?>> implements Iterable<F>, Iterator<F> {
        private final CompletionQueue<F> queue;
        private final boolean timed;
        private final Duration timeout; // as the caller gave it, for the message; null: no deadline
        private final long deadline;
        private boolean iterated;
        private boolean ended;

        AsCompleted(Collection<F> fs, Duration timeout, long deadline) {
            this.queue = new CompletionQueue<>(Objects.requireNonNull(fs, "fs"));
            this.timed = timeout != null;
            this.timeout = timeout;
            this.deadline = deadline;
        }

        @Override
        public Iterator<F> iterator() {
            if (iterated) {
                throw new IllegalStateException("the result of asCompleted can be iterated only once");
            }
            iterated = true;
            return this;
        }

        @Override
        public boolean hasNext() {
            return !ended && queue.remaining() > 0;
        }

        @Override
        public F next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            F future;
            try {
                future = queue.next(timed, deadline, false);
            } catch (InterruptedException impossible) {
                throw new AssertionError(impossible);
            }
            if (future == null) {
                int unfinished = queue.unfinished();
                ended = true;
                queue.close();
                throw new FutureTimeoutException(unfinished + " (of " + queue.total() + ") futures unfinished after "
                        + Timeouts.format(timeout));
            }
            return future;
        }
    }
}
