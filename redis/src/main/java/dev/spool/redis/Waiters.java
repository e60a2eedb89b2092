package dev.spool.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The threads of every instance waiting for one primitive, as {@link Entries}: each waiting thread has an entry
 * ({@code instance/thread}) under an id of its own, written when it starts to wait, refreshed at every slice of its
 * wait, and removed when the wait ends. Entries live {@link RedisBackend#waiterTtlMillis()}, a few slices, so a
 * waiter whose JVM died leaves nothing for long. Waiters exist only on the slow path: an acquire that does not wait
 * writes none.
 */
final class Waiters {
    /**
     * One waiting thread's entry. Only the waiting thread touches it, so its last write needs no synchronisation.
     */
    static final class Waiter {
        private final String id;
        private final String name;
        /**
         * The last write of the entry, the only one that can still be on its way. Redisson may send two calls on
         * two connections, so a write sent before the removal could land after it and list the thread again until
         * the entry's TTL: the removal waits for this write's answer, and a refresh is sent only once it came.
         */
        private CompletionStage<Boolean> lastWrite;

        private Waiter(String id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    private final RedisBackend backend;
    private final RedisCalls calls;
    private final Target target;
    private final Entries entries;

    Waiters(RedisBackend backend, Target target, String mapName) {
        this.backend = backend;
        this.calls = backend.calls();
        this.target = target;
        this.entries = backend.entries(mapName);
    }

    /** Writes the calling thread's entry without waiting for the answer. */
    Waiter register() {
        Waiter waiter = new Waiter(backend.newId(), backend.holderName());
        write(waiter);
        return waiter;
    }

    /**
     * Writes the entry again (one that expired comes back), without waiting for the answer; does nothing while the
     * last write is unanswered, which renews the entry when it lands.
     */
    void refresh(Waiter waiter) {
        if (waiter.lastWrite.toCompletableFuture().isDone()) {
            write(waiter);
        }
    }

    private void write(Waiter waiter) {
        waiter.lastWrite = entries.put(waiter.id, waiter.name, backend.waiterTtlMillis());
    }

    /**
     * Removes the entry.
     *
     * @param settle true to wait (a bounded time, uninterruptibly, ignoring a failure) until Redis has removed it,
     *               so that the wait that ended is no longer a waiter when its caller looks; false for a wait ended
     *               by an interrupt or a failure, which must not wait any longer
     */
    void unregister(Waiter waiter, boolean settle) {
        CompletionStage<Long> removed = remove(waiter);
        if (settle) {
            backend.settle(removed);
        }
    }

    /**
     * Removes the entry once its last write has been answered, or has failed (an entry a failed write may still
     * have left expires by itself).
     *
     * @return the entry's removal, for a caller that waits for it together with something else
     */
    CompletionStage<Long> remove(Waiter waiter) {
        return waiter.lastWrite.handle((written, failure) -> null).thenCompose(ignored -> entries.remove(waiter.id));
    }

    /** @return every instance's waiting threads, as {@code instance/thread} */
    List<String> names() {
        return new ArrayList<>(calls.observe(target, "waiters", entries::values));
    }
}
