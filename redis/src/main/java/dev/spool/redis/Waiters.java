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
    /** One waiting thread's entry. */
    record Waiter(String id, String name) {
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
        entries.put(waiter.id(), waiter.name(), backend.waiterTtlMillis());
        return waiter;
    }

    /** Writes the entry again (one that expired comes back), without waiting for the answer. */
    void refresh(Waiter waiter) {
        entries.put(waiter.id(), waiter.name(), backend.waiterTtlMillis());
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

    /** @return the entry's removal, for a caller that waits for it together with something else */
    CompletionStage<Long> remove(Waiter waiter) {
        return entries.remove(waiter.id());
    }

    /** @return every instance's waiting threads, as {@code instance/thread} */
    List<String> names() {
        return new ArrayList<>(calls.observe(target, "waiters", entries::values));
    }
}
