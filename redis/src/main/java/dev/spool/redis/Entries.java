package dev.spool.redis;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.redisson.api.RMapCache;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * A Redisson {@link RMapCache} of {@code instance/thread} names with a time to live per entry: a primitive's holders
 * (keyed by permit id, living as long as the lease) or its waiters (keyed by a waiter id, living a few poll intervals
 * and refreshed while the thread waits). An entry its writer forgot to remove (its JVM died) expires by itself.
 * Every call here is bookkeeping beside an operation, sent through {@link RedisCalls#quietly}.
 */
final class Entries {
    private final RMapCache<String, String> map;

    Entries(RedissonClient redisson, String name) {
        this.map = redisson.getMapCache(name, StringCodec.INSTANCE);
    }

    /**
     * Stops Redisson's periodic clean-up of this map's expired entries on this client (the backend closing); the
     * entries stay in Redis and still expire for every reader.
     */
    void close() {
        try {
            map.destroy();
        } catch (RuntimeException e) {
            // Redisson already shut down: its clean-up went with it
        }
    }

    /** Writes or replaces the entry, living {@code ttlMillis} from now. */
    CompletionStage<Boolean> put(String key, String value, long ttlMillis) {
        return RedisCalls.quietly(() -> map.fastPutAsync(key, value, ttlMillis, TimeUnit.MILLISECONDS));
    }

    /** Gives an existing entry {@code ttlMillis} more from now; does nothing for one that is gone. */
    CompletionStage<Boolean> touch(String key, long ttlMillis) {
        return RedisCalls.quietly(() -> map.expireEntryAsync(key, Duration.ofMillis(ttlMillis), Duration.ZERO));
    }

    CompletionStage<Long> remove(String key) {
        return RedisCalls.quietly(() -> map.fastRemoveAsync(key));
    }

    /** @return the live entries (Redisson leaves out the expired ones) */
    CompletionStage<Map<String, String>> readAll() {
        return map.readAllMapAsync();
    }

    /** @return the live entries' values */
    CompletionStage<Collection<String>> values() {
        return map.readAllValuesAsync();
    }
}
