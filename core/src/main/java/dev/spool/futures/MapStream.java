package dev.spool.futures;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import dev.spool.internal.Timeouts;

/**
 * Python 3.14's {@code Executor.map} as a lazy, ordered {@link Stream}, for any executor: the executor says how to
 * submit one item ({@code submitOne}), this class keeps the futures in input order and reads them.
 *
 * <ul>
 *   <li>Without a buffer size, every item is submitted before {@link #of} returns. If a submit is refused, the
 *       futures already made are cancelled and the refusal is thrown from {@code of}.</li>
 *   <li>With a buffer size {@code b}, {@code of} submits the first {@code b} items; each later read first submits one
 *       more item (if there is one), then waits for the oldest future. Input is never read ahead further.</li>
 *   <li>A timeout is one deadline counted from the {@code of} call.</li>
 *   <li>When a read fails (the task threw, the deadline passed, the future was cancelled, a submit was refused), the
 *       stream throws that at the item's position, the future read and every one after it are cancelled, and the
 *       stream ends. Closing the stream cancels what is left.</li>
 * </ul>
 */
final class MapStream {
    private MapStream() {
    }

    /**
     * @param submitOne submits the task for one item and returns its future
     * @param items     the input, iterated once
     * @param options   timeout and buffer size (chunking is the caller's business)
     * @return the results in input order; close it to cancel what is left
     */
    static <T, R> Stream<R> of(Function<? super T, ? extends TaskFuture<? extends R>> submitOne,
                               Iterable<? extends T> items, MapOptions options) {
        Objects.requireNonNull(submitOne, "submitOne");
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(options, "options");
        long deadline = options.timeout().map(t -> TaskFuture.deadlineAfter(Timeouts.nanos(t))).orElse(0L);
        Results<T, R> results = new Results<>(submitOne, items.iterator(), options.bufferSize().orElse(0),
                options.timeout().orElse(null), deadline);
        results.fill();
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(results, Spliterator.ORDERED), false)
                .onClose(results::cancelRemaining);
    }

    /** The futures in flight, oldest first, and the input not yet submitted. Used by one thread at a time. */
    private static final class Results<T, R> implements Iterator<R> {
        private final Function<? super T, ? extends TaskFuture<? extends R>> submitOne;
        private final Iterator<? extends T> input;
        private final int bufferSize; // 0: unbounded, everything submitted up front
        private final Duration timeout; // the map's own, for the message; null: no deadline
        private final long deadline;
        private final ArrayDeque<TaskFuture<? extends R>> inFlight = new ArrayDeque<>();
        private long yielded;
        private boolean ended;

        Results(Function<? super T, ? extends TaskFuture<? extends R>> submitOne, Iterator<? extends T> input,
                int bufferSize, Duration timeout, long deadline) {
            this.submitOne = submitOne;
            this.input = input;
            this.bufferSize = bufferSize;
            this.timeout = timeout;
            this.deadline = deadline;
        }

        /** Submits everything (no buffer) or the first bufferSize items; on a refusal cancels what it made. */
        void fill() {
            try {
                while ((bufferSize == 0 || inFlight.size() < bufferSize) && input.hasNext()) {
                    inFlight.addLast(submitOne.apply(input.next()));
                }
            } catch (RuntimeException | Error refused) {
                cancelRemaining();
                throw refused;
            }
        }

        @Override
        public boolean hasNext() {
            return !ended && !inFlight.isEmpty();
        }

        @Override
        public R next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            boolean read = false;
            TaskFuture<? extends R> oldest = null;
            try {
                if (bufferSize > 0 && input.hasNext()) {
                    inFlight.addLast(submitOne.apply(input.next()));
                }
                oldest = inFlight.pollFirst();
                R result = timeout == null ? oldest.result() : resultByDeadline(oldest);
                read = true;
                yielded++;
                return result;
            } finally { // a failed read (task threw, deadline passed, cancelled, submit refused) ends the stream
                if (!read) {
                    if (oldest != null) {
                        oldest.cancel();
                    }
                    cancelRemaining();
                }
            }
        }

        /** The result, waiting at most until the map's deadline; a timeout names the map's timeout, not what was left. */
        private R resultByDeadline(TaskFuture<? extends R> oldest) {
            try {
                return oldest.result(Duration.ofNanos(deadline - System.nanoTime()));
            } catch (FutureTimeoutException late) {
                FutureTimeoutException timedOut = new FutureTimeoutException("map: result " + yielded
                        + " not done within the map's timeout of " + Timeouts.format(timeout) + ": " + oldest);
                timedOut.initCause(late);
                throw timedOut;
            }
        }

        /** Ends the stream and cancels every future not yet read (running ones are not affected). */
        void cancelRemaining() {
            ended = true;
            for (TaskFuture<? extends R> future; (future = inFlight.pollFirst()) != null; ) {
                future.cancel();
            }
        }
    }
}
