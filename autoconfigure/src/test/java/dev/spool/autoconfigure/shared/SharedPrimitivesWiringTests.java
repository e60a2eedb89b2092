package dev.spool.autoconfigure.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.spool.autoconfigure.InvalidSpoolConfigurationException;
import dev.spool.autoconfigure.SpoolAutoConfiguration;
import dev.spool.autoconfigure.actuate.PrimitivesEndpoint;
import dev.spool.autoconfigure.actuate.PrimitivesEndpoint.LockDescriptor;
import dev.spool.autoconfigure.actuate.SpoolEndpointsAutoConfiguration;
import dev.spool.autoconfigure.actuate.SpoolHealthAutoConfiguration;
import dev.spool.autoconfigure.actuate.SpoolHealthIndicator;
import dev.spool.threading.Barrier;
import dev.spool.threading.BoundedSemaphore;
import dev.spool.threading.Event;
import dev.spool.threading.Lock;
import dev.spool.threading.RLock;
import dev.spool.threading.Semaphore;
import dev.spool.threading.spi.SharedBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * What the starter builds for {@code backend: redis} when a backend bean is there (spool-redis' tests run the same
 * over a real Redis), and what start-up says when it is absent or does not answer.
 */
@Timeout(30)
class SharedPrimitivesWiringTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SpoolAutoConfiguration.class,
                    SpoolEndpointsAutoConfiguration.class, SpoolHealthAutoConfiguration.class));

    private final InMemoryBackend backend = new InMemoryBackend();

    @Test
    void aPrimitiveOnRedisIsTheSameTypeOverTheBackendAndTheDefaultKeyMovesEveryShareableKind() {
        runner.withBean(InMemoryBackend.class, () -> backend)
                .withPropertyValues("spool.backend=redis", "spool.locks.inventory.reentrant=true",
                        "spool.locks.inventory.lease=15s", "spool.locks.journal.backend=local",
                        "spool.semaphores.db.permits=2", "spool.semaphores.db.bounded=true",
                        "spool.events.ready.backend=redis", "spool.barriers.batch.parties=2")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean("inventory", RLock.class).backend()).isEqualTo("redis");
                    assertThat(context.getBean("journal", Lock.class).backend()).isEqualTo("local");
                    assertThat(context.getBean("db", BoundedSemaphore.class).backend()).isEqualTo("redis");
                    assertThat(context.getBean("ready", Event.class).backend()).isEqualTo("redis");
                    assertThat(context.getBean("batch", Barrier.class).backend()).isEqualTo("local");
                    assertThat(backend.leases).containsEntry("inventory", Duration.ofSeconds(15))
                            .containsEntry("db", Duration.ofSeconds(30));
                });
    }

    @Test
    void theEndpointNamesTheHolderAsTheBackendDoesAndHealthGoesDownWithTheBackend() {
        runner.withBean(InMemoryBackend.class, () -> backend)
                .withPropertyValues("spool.locks.inventory.backend=redis", "spool.semaphores.db.backend=redis",
                        "management.endpoints.web.exposure.include=primitives")
                .run(context -> {
                    Lock lock = context.getBean("inventory", Lock.class);
                    lock.acquire();
                    try {
                        LockDescriptor seen = (LockDescriptor) context.getBean(PrimitivesEndpoint.class)
                                .primitive("inventory");
                        assertThat(seen.backend()).isEqualTo("redis");
                        assertThat(seen.holders()).containsExactly("test@host:1/" + Thread.currentThread().getName());
                        assertThat(seen.occupancyNote()).isNull();
                    } finally {
                        lock.release();
                    }
                    SpoolHealthIndicator health = context.getBean(SpoolHealthIndicator.class);
                    assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);

                    backend.reachable.set(false);
                    var down = health.health(true);
                    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(down.getDetails().get("backends")).asInstanceOf(
                            org.assertj.core.api.InstanceOfAssertFactories.map(String.class,
                                    SpoolHealthIndicator.BackendHealth.class))
                            .hasEntrySatisfying("redis", b -> {
                                assertThat(b.status()).isEqualTo("DOWN");
                                assertThat(b.primitives()).containsExactly("inventory", "db");
                                assertThat(b.error()).contains("did not answer");
                            });
                    LockDescriptor unreadable = (LockDescriptor) context.getBean(PrimitivesEndpoint.class)
                            .primitive("inventory");
                    assertThat(unreadable.holders()).isEmpty();
                    assertThat(unreadable.occupancyNote()).contains("did not answer");
                });
    }

    @Test
    void aLocalContextHasNoBackendsDetail() {
        runner.withPropertyValues("spool.locks.inventory.fair=true").run(context -> assertThat(
                context.getBean(SpoolHealthIndicator.class).health(true).getDetails()).doesNotContainKey("backends"));
    }

    @Test
    void withoutSpoolRedisStartUpStopsAtTheKeyThatAskedForRedis() {
        runner.withPropertyValues("spool.semaphores.db.backend=redis").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidSpoolConfigurationException.class)
                    .hasMessageContaining("spool.semaphores.db.backend: is redis, but the spool-redis module is not on"
                            + " the class path");
            assertThat(action(context.getStartupFailure())).contains("add the dependency dev.spool:spool-redis");
        });
        runner.withPropertyValues("spool.backend=redis", "spool.events.ready.backend=redis",
                "spool.locks.inventory.fair=true").run(context -> assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("spool.backend: is redis"));
    }

    @Test
    void anUnreachableBackendStopsStartUpAtTheKey() {
        backend.reachable.set(false);
        runner.withBean(InMemoryBackend.class, () -> backend)
                .withPropertyValues("spool.locks.inventory.backend=redis").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .isInstanceOf(InvalidSpoolConfigurationException.class)
                            .hasMessageContaining("spool.locks.inventory.backend: is redis, which cannot be reached:"
                                    + " Redis at 127.0.0.1:1 did not answer");
                    assertThat(action(context.getStartupFailure())).contains("spring.data.redis.*");
                });
    }

    @Test
    void aBackendThatCannotBeMadeStopsStartUpAtTheKeyWithItsCause() {
        // Lazy, as spool-redis' backend is in effect: it is first asked for by the first Redis-backed primitive.
        runner.withBean("spoolRedisBackend", SharedBackend.class, () -> {
            throw new IllegalStateException("Unable to connect to Redis server: 127.0.0.1/127.0.0.1:1");
        }, definition -> definition.setLazyInit(true)).withPropertyValues("spool.backend=redis", "spool.locks.inventory.fair=true").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidSpoolConfigurationException.class)
                    .hasMessageContaining("spool.backend: is redis, but its backend could not be made: Unable to"
                            + " connect to Redis server: 127.0.0.1/127.0.0.1:1");
            assertThat(action(context.getStartupFailure())).contains("spring.data.redis.*");
        });
    }

    /** @return the action of the start-up failure's configuration problem */
    private static String action(Throwable failure) {
        Throwable cause = failure;
        while (!(cause instanceof InvalidSpoolConfigurationException)) {
            cause = cause.getCause();
        }
        return ((InvalidSpoolConfigurationException) cause).problems().get(0).action();
    }

    @Test
    void aSharedSemaphoreCountsAcrossItsBeansAsOne() {
        runner.withBean(InMemoryBackend.class, () -> backend)
                .withPropertyValues("spool.semaphores.db.backend=redis", "spool.semaphores.db.permits=1")
                .run(context -> {
                    Semaphore db = context.getBean("db", Semaphore.class);
                    assertThat(db.acquire(false)).isTrue();
                    assertThat(db.acquire(false)).isFalse();
                    db.release();
                    assertThat(db.stats().failedTries()).isEqualTo(1);
                    assertThat(db.value()).isEqualTo(1);
                });
    }
}
