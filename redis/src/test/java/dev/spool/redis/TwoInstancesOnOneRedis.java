package dev.spool.redis;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * The setting the Redis primitive tests share: one real Redis per test class, and per test two instances
 * ({@code a} and {@code b}, backends over their own clients) and a primitive name taken from the test's method,
 * so that tests do not see each other's keys.
 */
abstract class TwoInstancesOnOneRedis {
    static final Duration LEASE = Duration.ofSeconds(2);
    static final long FOREVER = Long.MAX_VALUE;
    static final Duration PATIENCE = Duration.ofSeconds(10);

    private static EmbeddedRedis redis;
    Instances instances;
    RedisBackend a;
    RedisBackend b;
    String name;

    @BeforeAll
    static void startRedis() {
        redis = new EmbeddedRedis();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void twoInstances(TestInfo test) {
        instances = new Instances(redis);
        a = instances.backend("a");
        b = instances.backend("b");
        name = test.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void closeInstances() {
        instances.close();
    }
}
