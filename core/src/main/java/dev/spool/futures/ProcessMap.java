package dev.spool.futures;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import dev.spool.process.ProcessEngine;

/**
 * {@link ProcessPool#map}: the function encoded once per call, the items cut lazily into chunks (one task each,
 * through {@link MapStream} for the buffering and the cancellation), and the chunk results flattened back into
 * items in input order, with the results before a failing item still delivered.
 *
 * <p>The stream holds its pool: a pool nobody else refers to is shut down by its cleaner, which must not happen
 * under a stream that still submits chunks.
 */
final class ProcessMap {
    private ProcessMap() {
    }

    /** @throws IllegalArgumentException if {@code fn} is not serializable */
    static <T, R> Stream<R> map(ProcessPool pool, Function<? super T, ? extends R> fn, Iterable<? extends T> items,
                                MapOptions options) {
        if (!(fn instanceof Serializable)) {
            throw new IllegalArgumentException("the function (" + fn.getClass().getName() + ") is not serializable, so"
                    + " it cannot be sent to a worker process: pass a SerializableFunction (a lambda assigned to one, or"
                    + " a reference to a static method)");
        }
        ProcessEngine.MapFunction encoded = null;
        IOException unsendable = null; // then every chunk's future fails with it
        try {
            encoded = pool.engine().encodeFunction(fn);
        } catch (IOException cannot) {
            unsendable = cannot;
        }
        ProcessEngine.MapFunction function = encoded;
        IOException fnError = unsendable;
        @SuppressWarnings("unchecked")
        Function<Object, Object> local = (Function<Object, Object>) fn;
        Class<?> fnType = fn.getClass(); // a chunk runs the function: it describes the chunk's task
        ArrayDeque<ProcessTaskFuture<List<Object>>> issued = new ArrayDeque<>();
        Iterable<List<Object>> chunks = () -> new Batches(items.iterator(), options.chunkSize());
        Stream<List<Object>> perChunk = MapStream.of(chunk -> {
            ProcessTaskFuture<List<Object>> future = pool.submitter().submit(() -> {
                if (fnError != null) {
                    throw fnError;
                }
                return pool.engine().encodeChunk(function, chunk);
            }, () -> chunk.forEach(local::apply), fnType, false, null, false);
            issued.addLast(future);
            return future;
        }, chunks, options);
        Flattened<R> flattened = new Flattened<>(perChunk.spliterator(), issued);
        return StreamSupport.stream(flattened, false).onClose(perChunk::close);
    }

    /** The input, cut lazily into lists of {@code size} items. */
    private static final class Batches implements Iterator<List<Object>> {
        private final Iterator<?> input;
        private final int size;

        Batches(Iterator<?> input, int size) {
            this.input = input;
            this.size = size;
        }

        @Override
        public boolean hasNext() {
            return input.hasNext();
        }

        @Override
        public List<Object> next() {
            if (!input.hasNext()) {
                throw new NoSuchElementException();
            }
            List<Object> batch = new ArrayList<>(Math.min(size, 1024));
            while (batch.size() < size && input.hasNext()) {
                batch.add(input.next());
            }
            return batch;
        }
    }

    /**
     * The items of the chunk results, in order. A chunk that failed at an item yields the results before it, then
     * the failure; every other failure (timeout, cancellation, refusal) is thrown at once. The chunk stream itself
     * cancels what is left when it fails.
     */
    private static final class Flattened<R> implements Spliterator<R> {
        private final Spliterator<List<Object>> chunks;
        private final ArrayDeque<ProcessTaskFuture<List<Object>>> issued;
        private Iterator<Object> current = Collections.emptyIterator();
        private List<Object> read;
        private RuntimeException failure;
        private boolean ended;

        Flattened(Spliterator<List<Object>> chunks, ArrayDeque<ProcessTaskFuture<List<Object>>> issued) {
            this.chunks = chunks;
            this.issued = issued;
        }

        @Override
        @SuppressWarnings("unchecked")
        public boolean tryAdvance(Consumer<? super R> action) {
            for (;;) {
                if (current.hasNext()) {
                    Object item = current.next();
                    action.accept((R) item);
                    return true;
                }
                if (failure != null) {
                    RuntimeException thrown = failure;
                    failure = null;
                    ended = true;
                    throw thrown;
                }
                if (ended) {
                    return false;
                }
                ProcessTaskFuture<List<Object>> oldest = issued.peekFirst(); // the chunk read next
                try {
                    if (!chunks.tryAdvance(results -> read = results)) {
                        ended = true;
                        return false;
                    }
                    issued.pollFirst();
                    current = read.iterator();
                    read = null;
                } catch (TaskFailedException failed) {
                    issued.pollFirst();
                    List<Object> before = oldest == null ? null : oldest.partial();
                    if (before != null) {
                        current = before.iterator();
                    }
                    failure = failed;
                } catch (RuntimeException | Error other) {
                    ended = true;
                    throw other;
                }
            }
        }

        @Override
        public Spliterator<R> trySplit() {
            return null;
        }

        @Override
        public long estimateSize() {
            return Long.MAX_VALUE;
        }

        @Override
        public int characteristics() {
            return ORDERED;
        }
    }
}
