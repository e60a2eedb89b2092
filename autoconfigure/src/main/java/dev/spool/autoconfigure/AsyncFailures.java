package dev.spool.autoconfigure;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the exceptions thrown by {@code @Async} methods that return {@code void}, per executor name. Spring's async
 * interceptor catches such an exception inside the task and hands it to the {@code AsyncUncaughtExceptionHandler}, so
 * the pool itself sees a task that succeeded; Spool wraps the handler (the application's, or Spring's default one
 * that logs) and counts each call here before passing it on.
 *
 * <p>An exception is counted under the executor that ran the method: the {@code @Async} qualifier of the method, or
 * of its class, with placeholders resolved; with none, {@code spool.default-executor} when it is set, otherwise
 * {@code applicationTaskExecutor} (Boot's executor). Counts start at zero and only grow.
 */
public final class AsyncFailures {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** Makes a counter with no failures. */
    public AsyncFailures() {
    }

    /**
     * @param executor an executor's name
     * @return the failures counted under it; 0 for a name never seen
     */
    public long count(String executor) {
        LongAdder count = this.counts.get(executor);
        return count == null ? 0 : count.sum();
    }

    /** @return every name with at least one failure, and its count, sorted by name */
    public Map<String, Long> counts() {
        Map<String, Long> snapshot = new TreeMap<>();
        this.counts.forEach((name, count) -> snapshot.put(name, count.sum()));
        return snapshot;
    }

    void record(String executor) {
        this.counts.computeIfAbsent(executor, name -> new LongAdder()).increment();
    }

    @Override
    public String toString() {
        return "AsyncFailures" + counts();
    }
}
