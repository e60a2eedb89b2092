package dev.spool.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.threading.spi.SharedLock;
import dev.spool.threading.spi.SharedSemaphore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The backend's own meters, tagged with the primitive's name and kind. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedisBackendMetricsTest {
    private static EmbeddedRedis redis;

    @BeforeAll
    static void startRedis() {
        redis = new EmbeddedRedis();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void roundTripsAndExpiredLeasesAreMeteredPerPrimitive() throws Exception {
        try (Instances instances = new Instances(redis)) {
            RedisBackend a = instances.backend("a");
            RedisBackend paused = instances.backend("paused");
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            SharedLock before = a.lock("metered", true, false, Duration.ofSeconds(2));
            new RedisBackendMetrics(a).bindTo(registry);
            new RedisBackendMetrics(paused).bindTo(registry);
            SharedSemaphore after = a.semaphore("metered", 1, false, Duration.ofSeconds(1));

            assertThat(before.acquire(0)).isTrue();
            before.release();
            assertThat(registry.get(RedisBackendMetrics.ROUND_TRIP).tags("name", "metered", "kind", "rlock").timer()
                    .count()).isEqualTo(2);
            assertThat(registry.get(RedisBackendMetrics.ERRORS).tags("name", "metered", "kind", "rlock").counter()
                    .count()).isZero();

            SharedSemaphore onPaused = paused.semaphore("metered", 1, false, Duration.ofSeconds(1));
            assertThat(onPaused.acquire(0)).isTrue();
            paused.close();
            assertThat(after.acquire(Duration.ofSeconds(3).toNanos())).isTrue();
            assertThatThrownBy(() -> onPaused.release(1)).isInstanceOf(IllegalStateException.class);
            assertThat(registry.get(RedisBackendMetrics.LEASES_EXPIRED).tags("name", "metered", "kind", "semaphore")
                    .counter().count()).isEqualTo(1);
            assertThat(registry.get(RedisBackendMetrics.ROUND_TRIP).tags("name", "metered", "kind", "semaphore")
                    .timer().count()).isPositive();
        }
    }
}
