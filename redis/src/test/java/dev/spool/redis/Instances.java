package dev.spool.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.redisson.api.RedissonClient;

/**
 * Backends of several "instances" in one JVM, each over its own Redisson client (so its own connections), as
 * separate application instances would have; closes them all.
 */
final class Instances implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final Duration POLL = Duration.ofMillis(500);

    private final EmbeddedRedis redis;
    private final List<RedissonClient> clients = new ArrayList<>();
    private final List<RedisBackend> backends = new ArrayList<>();

    Instances(EmbeddedRedis redis) {
        this.redis = redis;
    }

    RedisBackend backend(String instanceId) {
        return backend(instanceId, TIMEOUT);
    }

    /** @param timeout the bound of each call, and how long a wait rides out an outage */
    RedisBackend backend(String instanceId, Duration timeout) {
        RedissonClient client = redis.client();
        clients.add(client);
        RedisBackend backend = new RedisBackend(client, instanceId, timeout, POLL);
        backends.add(backend);
        return backend;
    }

    /** @return the client of the {@code index}th backend made */
    RedissonClient client(int index) {
        return clients.get(index);
    }

    @Override
    public void close() {
        backends.forEach(RedisBackend::close);
        clients.forEach(client -> {
            if (!client.isShutdown()) {
                client.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
            }
        });
    }
}
