package dev.spool.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import dev.spool.sample.shop.Catalog;
import dev.spool.sample.shop.Order;
import dev.spool.sample.shop.OrderRequest;
import dev.spool.sample.shop.Warehouse;
import dev.spool.threading.BoundedSemaphore;
import dev.spool.threading.Condition;
import dev.spool.threading.RLock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import redis.embedded.RedisServer;

/**
 * The redis profile (application-redis.yml) against a real redis-server (embedded-redis, on a free loopback port, no
 * persistence): {@code inventory} and {@code db} live in Redis, the {@code restocked} condition waits on a local lock
 * of its own, and an order goes through both. What two replicas do with them is scripts/e2e-redis's job.
 */
@ExtendWith(RedisProfileTests.EmbeddedRedis.class) // before @SpringBootTest's SpringExtension: see EmbeddedRedis
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1",
        "sample.pricing-simulations=2000"})
@ActiveProfiles("redis")
@AutoConfigureRestTestClient
@DirtiesContext // closed after the class, while its Redis still runs: no later test may find it in the cache
@Timeout(90)
class RedisProfileTests {

    @Autowired
    RestTestClient http;
    @Autowired
    Catalog catalog;
    @Autowired
    Warehouse warehouse;
    @Autowired
    @Qualifier("inventory")
    RLock inventory;
    @Autowired
    @Qualifier("db")
    BoundedSemaphore db;
    @Autowired
    @Qualifier("restocked")
    Condition restocked;

    /** Points the context at {@link EmbeddedRedis}'s server, started before it. */
    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.host", () -> "127.0.0.1");
        registry.add("spring.data.redis.port", EmbeddedRedis::port);
    }

    @BeforeEach
    void shopIsOpen() {
        await().atMost(Duration.ofSeconds(30)).until(() -> catalog.version() >= 1);
    }

    @Test
    void inventoryAndDbLiveInRedisAndTheConditionHasALocalLockOfItsOwn() {
        assertThat(inventory.backend()).isEqualTo("redis");
        assertThat(db.backend()).isEqualTo("redis");
        assertThat(restocked.backend()).isEqualTo("local");
        try (var held = restocked.hold()) {
            assertThat(inventory.locked()).as("holding the condition leaves inventory free").isFalse();
        }
    }

    @Test
    void anOrderWritesTheLedgerUnderTheRedisLockAndPaysWithARedisPermit() {
        long ledgerWrites = inventory.stats().acquisitions();
        long payments = db.stats().acquisitions();
        int linen = warehouse.available("linen");

        Order order = http.post().uri("/orders").contentType(MediaType.APPLICATION_JSON)
                .body(new OrderRequest("ada", List.of(new OrderRequest.Line("linen", 2)))).exchange()
                .expectStatus().isEqualTo(HttpStatus.CREATED)
                .expectBody(Order.class).returnResult().getResponseBody();

        assertThat(order.receipt().amountCents()).isPositive();
        assertThat(warehouse.available("linen")).isEqualTo(linen - 2);
        assertThat(inventory.stats().acquisitions()).isGreaterThan(ledgerWrites);
        assertThat(db.stats().acquisitions()).isGreaterThan(payments);
        assertThat(db.stats().permits()).as("the permit is back").isEqualTo(db.stats().initialPermits());
    }

    /**
     * A redis-server on a free loopback port, with nothing on disk, for the class. Declared before
     * {@code @SpringBootTest}, so JUnit calls it around Spring's extension: the server starts before the context and
     * stops after {@code @DirtiesContext} has closed it, so that the context's Redis client never retries against a
     * server that is gone.
     */
    static final class EmbeddedRedis implements BeforeAllCallback, AfterAllCallback {

        private static RedisServer server;
        private static int port;

        static int port() {
            return port;
        }

        @Override
        public void beforeAll(ExtensionContext context) throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            server = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                    .setting("save \"\"").setting("appendonly no").build();
            server.start();
        }

        @Override
        public void afterAll(ExtensionContext context) throws IOException {
            if (server != null) {
                server.stop();
            }
        }
    }
}
