package dev.spool.futures;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Options of {@link ManagedExecutor#map(java.util.function.Function, Iterable, MapOptions)}: Python's
 * {@code timeout}, {@code chunksize} and {@code buffersize}. Immutable; each {@code with…} returns a copy, and
 * checks its argument at once.
 *
 * <pre>{@code
 * pool.map(this::render, pages, MapOptions.defaults().withTimeout(Duration.ofSeconds(30)).withBufferSize(64))
 * }</pre>
 */
public final class MapOptions {
    private static final MapOptions DEFAULTS = new MapOptions(null, 1, 0);

    private final Duration timeout;
    private final int chunkSize;
    private final int bufferSize;

    private MapOptions(Duration timeout, int chunkSize, int bufferSize) {
        this.timeout = timeout;
        this.chunkSize = chunkSize;
        this.bufferSize = bufferSize;
    }

    /** @return no timeout, chunk size 1, no buffer limit (every item is submitted when {@code map} is called) */
    public static MapOptions defaults() {
        return DEFAULTS;
    }

    /**
     * An overall deadline, counted from the {@code map} call: the stream throws {@link FutureTimeoutException} at
     * the first item whose result is not ready by then, and cancels the items after it. Zero or less means the
     * results must already be there when they are read.
     *
     * @param timeout the deadline, not null
     * @return a copy with this timeout
     */
    public MapOptions withTimeout(Duration timeout) {
        return new MapOptions(Objects.requireNonNull(timeout, "timeout"), chunkSize, bufferSize);
    }

    /**
     * How many items travel to a worker process together ({@link ProcessPool} only; a {@link ThreadPool} ignores it,
     * as Python's does).
     *
     * @param chunkSize at least 1
     * @return a copy with this chunk size
     * @throws IllegalArgumentException if {@code chunkSize < 1}
     */
    public MapOptions withChunkSize(int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be >= 1, was " + chunkSize);
        }
        return new MapOptions(timeout, chunkSize, bufferSize);
    }

    /**
     * The most tasks (chunks, for a process pool) in flight at once: {@code map} submits that many, then one more
     * each time a result is read. Input is pulled only as needed, so an endless {@link Iterable} works.
     *
     * @param bufferSize at least 1
     * @return a copy with this buffer size
     * @throws IllegalArgumentException if {@code bufferSize < 1}
     */
    public MapOptions withBufferSize(int bufferSize) {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be >= 1, was " + bufferSize);
        }
        return new MapOptions(timeout, chunkSize, bufferSize);
    }

    /** @return the overall deadline, if one was set */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** @return items per task sent to a worker process (1 unless set) */
    public int chunkSize() {
        return chunkSize;
    }

    /** @return the limit of tasks in flight, if one was set */
    public OptionalInt bufferSize() {
        return bufferSize == 0 ? OptionalInt.empty() : OptionalInt.of(bufferSize);
    }

    @Override
    public String toString() {
        return "MapOptions[timeout=" + timeout + ", chunkSize=" + chunkSize
                + ", bufferSize=" + (bufferSize == 0 ? "unbounded" : bufferSize) + "]";
    }
}
