package dev.spool.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.threading.BackendUnavailableException;
import dev.spool.threading.spi.SharedEvent;
import dev.spool.threading.spi.SharedLock;
import dev.spool.threading.spi.SharedSemaphore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Redis going away under the backend: every call and every wait ends, with the clear exception, never hangs. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisOutageTest {
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final long FOREVER = Long.MAX_VALUE;
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private EmbeddedRedis redis;
    private Instances instances;
    private RedisBackend a;
    private RedisBackend b;

    @BeforeEach
    void start() {
        redis = new EmbeddedRedis();
        instances = new Instances(redis);
        a = instances.backend("a");
        b = instances.backend("b");
    }

    @AfterEach
    void stop() {
        instances.close();
        redis.close();
    }

    @Test
    void checkSaysWhichRedisCouldNotBeReachedAndWhatToCheck() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new RedisBackendMetrics(a).bindTo(registry);
        a.check();
        assertThat(a.address()).isEqualTo(redis.address());
        redis.stop();
        long start = System.nanoTime();
        assertThatThrownBy(a::check).isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("Redis at " + redis.address() + " could not be reached")
                .hasMessageContaining("spring.data.redis.*").hasMessageContaining("Redisson configuration");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Instances.TIMEOUT.plusSeconds(2));
        assertThat(registry.get(RedisBackendMetrics.ERRORS).tags("name", "redis", "kind", "backend").counter()
                .count()).isEqualTo(1);
    }

    @Test
    void everyOperationFailsWithThePrimitivesNameWhileRedisIsDown() {
        SharedLock lock = a.lock("down-lock", false, false, LEASE);
        SharedSemaphore semaphore = a.semaphore("down-semaphore", 1, true, LEASE);
        SharedEvent event = a.event("down-event");
        redis.stop();
        List<Callable<?>> calls = List.of(() -> lock.acquire(0), lock::isLocked, lock::holders, lock::waiters,
                () -> semaphore.acquire(FOREVER), semaphore::value, semaphore::holders, event::isSet,
                () -> event.await(FOREVER), () -> {
                    event.set();
                    return null;
                });
        for (Callable<?> call : calls) {
            assertThatThrownBy(call::call).isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("'down-");
        }
    }

    @Test
    void waitsOnEveryKindEndWhenRedisStopsAndTheBackendWorksAgainAfterARestart() throws Exception {
        SharedLock lockOnA = a.lock("outage-lock", false, false, LEASE);
        SharedSemaphore semaphoreOnA = a.semaphore("outage-semaphore", 1, false, LEASE);
        SharedEvent eventOnB = b.event("outage-event");
        assertThat(lockOnA.acquire(0)).isTrue();
        assertThat(semaphoreOnA.acquire(0)).isTrue();
        SharedLock lockOnB = b.lock("outage-lock", false, false, LEASE);
        SharedSemaphore semaphoreOnB = b.semaphore("outage-semaphore", 1, false, LEASE);
        List<Background.Call<Boolean>> waits = List.of(
                Background.run("lock-waiter", () -> lockOnB.acquire(FOREVER)),
                Background.run("semaphore-waiter", () -> semaphoreOnB.acquire(FOREVER)),
                Background.run("event-waiter", () -> eventOnB.await(FOREVER)));
        Background.until("three waiters", PATIENCE, () -> lockOnA.waiters().size()
                + semaphoreOnA.waiters().size() + eventOnB.waiters().size() == 3);

        redis.stop();
        for (Background.Call<Boolean> wait : waits) {
            // Each wait looks at Redis at least every poll (0.5 s), each look bounded by 2 s.
            assertThatThrownBy(() -> wait.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("Redis at " + redis.address());
        }
        redis.start(); // without its data: the holds are gone
        Background.until("Redisson reconnected", PATIENCE, () -> {
            try {
                b.check();
                return true;
            } catch (BackendUnavailableException e) {
                return false;
            }
        });
        assertThatThrownBy(lockOnA::release).as("A's hold went with Redis' data")
                .isInstanceOf(IllegalStateException.class);
        assertThat(lockOnB.acquire(FOREVER)).isTrue();
        lockOnB.release();
        assertThat(semaphoreOnB.acquire(FOREVER)).isTrue();
        eventOnB.set();
        assertThat(eventOnB.await(FOREVER)).isTrue();
    }

    @Test
    void aWaitRidesOutARestartShorterThanTheTimeout() throws Exception {
        RedisBackend patient = instances.backend("patient", Duration.ofSeconds(8));
        SharedLock lockOnA = a.lock("patient-lock", false, false, LEASE);
        SharedLock lockOnPatient = patient.lock("patient-lock", false, false, LEASE);
        SharedEvent eventOnPatient = patient.event("patient-event");
        assertThat(lockOnA.acquire(0)).isTrue();
        Background.Call<Boolean> lockWait = Background.run("patient-lock", () -> lockOnPatient.acquire(FOREVER));
        Background.Call<Boolean> eventWait = Background.run("patient-event", () -> eventOnPatient.await(FOREVER));
        Background.until("two waiters", PATIENCE,
                () -> lockOnA.waiters().size() + eventOnPatient.waiters().size() == 2);
        redis.stop();
        redis.start(); // without its data: A's hold is gone, the event is clear
        assertThat(lockWait.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        lockOnPatient.release();
        Background.until("Redisson reconnected", PATIENCE, () -> {
            try {
                a.check();
                return true;
            } catch (BackendUnavailableException e) {
                return false;
            }
        });
        a.event("patient-event").set();
        assertThat(eventWait.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aTryAfterRedisLostItsDataFindsThePermitsAgain() throws Exception {
        SharedSemaphore semaphore = a.semaphore("lost-semaphore", 2, true, LEASE);
        SharedLock lock = a.lock("lost-lock", false, false, LEASE);
        redis.stop();
        redis.start(); // without its data: Redisson's semaphores have no permits until somebody sets them again
        Background.until("Redisson reconnected", PATIENCE, () -> {
            try {
                a.check();
                return true;
            } catch (BackendUnavailableException e) {
                return false;
            }
        });
        // A failed try sets the permits again where they are missing (at most once per poll interval).
        Background.until("the semaphore gives a permit again", PATIENCE, () -> tryOnce(semaphore::acquire));
        Background.until("the lock is free again", PATIENCE, () -> tryOnce(lock::acquire));
        assertThat(semaphore.value()).isEqualTo(1);
        lock.release();
        semaphore.release(1);
    }

    private interface Try {
        boolean acquire(long nanos) throws InterruptedException;
    }

    private static boolean tryOnce(Try acquire) {
        try {
            return acquire.acquire(0);
        } catch (BackendUnavailableException e) {
            return false; // a pooled connection Redisson has not yet found closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void aWaitThatSpansARestartEndsOneWayOrTheOther() throws Exception {
        SharedLock lockOnA = a.lock("restart-lock", false, false, LEASE);
        SharedLock lockOnB = b.lock("restart-lock", false, false, LEASE);
        assertThat(lockOnA.acquire(0)).isTrue();
        Background.Call<Boolean> wait = Background.run("restart-waiter", () -> lockOnB.acquire(FOREVER));
        Background.until("a waiter", PATIENCE, () -> lockOnA.waiters().size() == 1);
        redis.stop();
        redis.start();
        // Either the waiter looked while Redis was down (the exception), or only after (the lock is free: the
        // restart lost it). Never a hang.
        try {
            assertThat(wait.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            lockOnB.release();
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(BackendUnavailableException.class);
        }
    }
}
