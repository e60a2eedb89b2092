package dev.spool.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.redisson.client.RedisConnectionException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

@Timeout(10)
class RedisUnreachableFailureAnalyzerTest {

    @Test
    void theAnalysisNamesTheAddressAndTheSpoolKeysOnRedis() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("application", Map.of(
                "spring.data.redis.host", "redis.internal", "spring.data.redis.port", "6380",
                "spool.locks.inventory.backend", "redis", "spool.semaphores.db.backend", "local",
                "spool.events.ready.backend", "REDIS")));
        RedisConnectionException cause = new RedisConnectionException("Unable to connect to Redis server");
        FailureAnalysis analysis = new RedisUnreachableFailureAnalyzer(environment)
                .analyze(new IllegalStateException(cause));
        assertThat(analysis.getDescription()).contains("redis.internal:6380", "Unable to connect to Redis server",
                "spool.events.ready.backend, spool.locks.inventory.backend = redis");
        assertThat(analysis.getDescription()).doesNotContain("spool.semaphores.db");
        assertThat(analysis.getAction()).contains("spring.data.redis.host",
                "set spool.events.ready.backend, spool.locks.inventory.backend to local");
    }
}
