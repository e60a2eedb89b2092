package dev.spool.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.threading.BoundedSemaphore;
import dev.spool.threading.Condition;
import dev.spool.threading.RLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Without the redis profile the app never touches Redis, although spool-redis and Redisson's starter are on its class
 * path (application.yml leaves their auto-configuration out): no Redis client, every primitive local, and the
 * {@code restocked} condition waits on the {@code inventory} RLock itself, as before issue 15. The other default
 * tests start this same context with no Redis running, which is the other half of the proof.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1",
        "sample.credit-limit-cents=100000",
        "sample.stock-wait=3s",
        "sample.pricing-simulations=2000"}) // OrderFlowTests' configuration: they share one application context
@AutoConfigureRestTestClient
@Timeout(60)
class DefaultProfileTests {

    @Autowired
    ApplicationContext context;
    @Autowired
    @Qualifier("inventory")
    RLock inventory;
    @Autowired
    @Qualifier("db")
    BoundedSemaphore db;
    @Autowired
    @Qualifier("restocked")
    Condition restocked;

    @Test
    void noRedisClientIsMadeAndEveryPrimitiveIsLocal() {
        assertThat(context.getBeanNamesForType(RedissonClient.class)).isEmpty();
        assertThat(context.getBeanNamesForType(RedisConnectionFactory.class)).isEmpty();
        assertThat(inventory.backend()).isEqualTo("local");
        assertThat(db.backend()).isEqualTo("local");
    }

    @Test
    void theRestockedConditionWaitsOnTheInventoryLockItself() {
        try (var held = restocked.hold()) {
            assertThat(inventory.locked()).as("holding the condition holds inventory").isTrue();
        }
        assertThat(inventory.locked()).isFalse();
    }
}
