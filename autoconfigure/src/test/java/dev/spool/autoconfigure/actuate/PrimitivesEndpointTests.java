package dev.spool.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.spool.autoconfigure.SpoolAutoConfiguration;
import dev.spool.autoconfigure.SpoolBeans;
import dev.spool.autoconfigure.actuate.PrimitivesEndpoint.BarrierDescriptor;
import dev.spool.autoconfigure.actuate.PrimitivesEndpoint.ConditionDescriptor;
import dev.spool.autoconfigure.actuate.PrimitivesEndpoint.EventDescriptor;
import dev.spool.autoconfigure.actuate.PrimitivesEndpoint.LockDescriptor;
import dev.spool.autoconfigure.actuate.PrimitivesEndpoint.PrimitivesDescriptor;
import dev.spool.autoconfigure.actuate.PrimitivesEndpoint.SemaphoreDescriptor;
import dev.spool.threading.Barrier;
import dev.spool.threading.Event;
import dev.spool.threading.Lock;
import dev.spool.threading.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What {@code /actuator/primitives} shows of each kind, called without HTTP. */
@Timeout(60)
class PrimitivesEndpointTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                    SpoolAutoConfiguration.class, SpoolEndpointsAutoConfiguration.class))
            .withUserConfiguration(OwnPrimitives.class)
            .withPropertyValues("management.endpoints.web.exposure.include=primitives",
                    "spool.locks.inventory.reentrant=true",
                    "spool.locks.ledger.reentrant=false",
                    "spool.semaphores.db.permits=3", "spool.semaphores.db.bounded=true",
                    "spool.events.ready.initially-set=false",
                    "spool.barriers.batch.parties=2",
                    "spool.conditions.stock.lock=inventory");

    @Test
    void listsEveryKindByBeanNameTheApplicationsOwnIncluded() {
        runner.run(context -> {
            PrimitivesDescriptor all = context.getBean(PrimitivesEndpoint.class).primitives();
            assertThat(all.locks()).containsOnlyKeys("journal", "inventory", "ledger");
            assertThat(all.locks().get("inventory").reentrant()).isTrue();
            assertThat(all.locks().get("ledger").reentrant()).isFalse();
            assertThat(all.semaphores()).containsOnlyKeys("db");
            assertThat(all.events()).containsOnlyKeys("ready");
            assertThat(all.barriers()).containsOnlyKeys("batch");
            assertThat(all.conditions()).containsOnlyKeys("stock");
            assertThat(all.conditions().get("stock").lock()).isEqualTo("inventory");
            assertThat(all.deadlocks()).isEmpty();
        });
    }

    @Test
    void aLockShowsItsOwnerHowLongItIsHeldAndWhoWaits() throws Exception {
        runner.run(context -> {
            Lock ledger = context.getBean("ledger", Lock.class);
            PrimitivesEndpoint endpoint = context.getBean(PrimitivesEndpoint.class);
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = Thread.ofPlatform().name("holder").start(() -> {
                ledger.acquire();
                held.countDown();
                awaitLatch(release);
                ledger.release();
            });
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            AtomicBoolean waited = new AtomicBoolean();
            Thread waiter = Thread.ofPlatform().name("waiter").start(() -> {
                if (ledger.acquire(Duration.ofSeconds(30))) {
                    waited.set(true);
                    ledger.release();
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> ledger.waitingThreadNames().contains("waiter"));

            LockDescriptor locked = (LockDescriptor) endpoint.primitive("ledger");
            assertThat(locked.kind()).isEqualTo("lock");
            assertThat(locked.locked()).isTrue();
            assertThat(locked.owner()).isEqualTo("holder");
            assertThat(locked.ownerId()).isEqualTo(holder.threadId());
            assertThat(locked.holdCount()).isEqualTo(1);
            assertThat(locked.heldForMillis()).as("a waiter stamped the hold").isNotNull().isGreaterThanOrEqualTo(0.0);
            assertThat(locked.waitingThreads()).containsExactly("waiter");

            release.countDown();
            holder.join(10_000);
            waiter.join(10_000);
            assertThat(waited).isTrue();
            LockDescriptor after = (LockDescriptor) endpoint.primitive("ledger");
            assertThat(after.locked()).isFalse();
            assertThat(after.owner()).isNull();
            assertThat(after.heldForMillis()).isNull();
            assertThat(after.waitingThreads()).isEmpty();
            assertThat(after.acquisitions()).isEqualTo(2);
            assertThat(after.contended()).isEqualTo(1);
            assertThat(after.waitTimes().count()).isEqualTo(1);
            assertThat(after.contendedHoldTimes().count()).as("the hold the waiter waited on, and the waiter's own")
                    .isEqualTo(2);
            assertThat(after.waitTimes().percentilesMillis()).containsOnlyKeys("0.5", "0.95", "0.99");
        });
    }

    @Test
    void aTimedOutAcquisitionIsCounted() {
        runner.run(context -> {
            Lock ledger = context.getBean("ledger", Lock.class);
            ledger.acquire();
            try {
                Thread other = Thread.ofPlatform().start(() -> ledger.acquire(Duration.ofMillis(20)));
                other.join(10_000);
            } finally {
                ledger.release();
            }
            assertThat(((LockDescriptor) context.getBean(PrimitivesEndpoint.class).primitive("ledger")).timeouts())
                    .isEqualTo(1);
        });
    }

    @Test
    void semaphoresEventsBarriersAndConditionsShowTheirState() throws Exception {
        runner.run(context -> {
            PrimitivesEndpoint endpoint = context.getBean(PrimitivesEndpoint.class);
            Semaphore db = context.getBean("db", Semaphore.class);
            db.acquire();
            SemaphoreDescriptor semaphore = (SemaphoreDescriptor) endpoint.primitive("db");
            assertThat(semaphore.kind()).isEqualTo("semaphore");
            assertThat(semaphore.bounded()).isTrue();
            assertThat(semaphore.permits()).isEqualTo(2);
            assertThat(semaphore.initialPermits()).isEqualTo(3);
            assertThat(semaphore.acquisitions()).isEqualTo(1);
            db.release();

            Event ready = context.getBean("ready", Event.class);
            Thread eventWaiter = Thread.ofPlatform().name("event-waiter").start(() -> awaitEvent(ready));
            await().atMost(Duration.ofSeconds(10)).until(() -> ready.waitingThreadNames().contains("event-waiter"));
            EventDescriptor event = (EventDescriptor) endpoint.primitive("ready");
            assertThat(event.set()).isFalse();
            assertThat(event.waitingThreads()).containsExactly("event-waiter");
            ready.set();
            eventWaiter.join(10_000);
            assertThat(((EventDescriptor) endpoint.primitive("ready")).set()).isTrue();

            Barrier batch = context.getBean("batch", Barrier.class);
            Thread party = Thread.ofPlatform().name("party").start(() -> awaitBarrier(batch));
            await().atMost(Duration.ofSeconds(10)).until(() -> batch.waiting() == 1);
            BarrierDescriptor barrier = (BarrierDescriptor) endpoint.primitive("batch");
            assertThat(barrier.parties()).isEqualTo(2);
            assertThat(barrier.waiting()).isEqualTo(1);
            assertThat(barrier.waitingThreads()).containsExactly("party");
            assertThat(barrier.broken()).isFalse();
            awaitBarrier(batch);
            party.join(10_000);
            assertThat(((BarrierDescriptor) endpoint.primitive("batch")).trips()).isEqualTo(1);

            ConditionDescriptor condition = (ConditionDescriptor) endpoint.primitive("stock");
            assertThat(condition.kind()).isEqualTo("condition");
            assertThat(condition.lock()).isEqualTo("inventory");
            assertThat(condition.waitingThreads()).isEmpty();
        });
    }

    @Test
    void everyWaitDistributionHasALastMinuteThatCountsOnlyTheRecentWaits() {
        runner.run(context -> {
            AtomicLong clock = new AtomicLong();
            SpoolBeans beans = SpoolBeans.of(context.getBeanFactory());
            RecentWindows windows = RecentWindows.of(beans, clock::get);
            PrimitivesEndpoint endpoint = new PrimitivesEndpoint(beans, List.of(0.5), windows);
            // Straight into the live histograms, as a wait that blocked records: the counts are then exact.
            Lock ledger = context.getBean("ledger", Lock.class);
            Semaphore db = context.getBean("db", Semaphore.class);
            ledger.waitHistogram().record(3_000_000);
            ledger.holdHistogram().record(9_000_000);
            db.waitHistogram().record(1_000_000);
            windows.sample(); // at 0 s
            ledger.waitHistogram().record(2_000_000);
            ledger.waitHistogram().record(4_000_000);
            clock.set(TimeUnit.SECONDS.toNanos(30));
            windows.sample();

            clock.set(TimeUnit.SECONDS.toNanos(65));
            LockDescriptor lock = (LockDescriptor) endpoint.primitive("ledger");
            assertThat(lock.waitTimes().count()).isEqualTo(3);
            assertThat(lock.waitTimes().lastMinute().count()).isEqualTo(2);
            assertThat(lock.waitTimes().lastMinute().meanMillis()).isEqualTo(3.0);
            assertThat(lock.waitTimes().lastMinute().windowSeconds()).isEqualTo(65.0);
            assertThat(lock.contendedHoldTimes().count()).isEqualTo(1);
            assertThat(lock.contendedHoldTimes().lastMinute().count()).isZero();
            PrimitivesDescriptor all = endpoint.primitives();
            assertThat(all.semaphores().get("db").waitTimes().lastMinute().count()).isZero();
            assertThat(all.semaphores().get("db").waitTimes().count()).isEqualTo(1);
            assertThat(all.locks().get("ledger").waitTimes().lastMinute().count()).isEqualTo(2);
            assertThat(all.events().get("ready").waitTimes().lastMinute()).isNotNull();
            assertThat(all.barriers().get("batch").waitTimes().lastMinute()).isNotNull();
            assertThat(all.conditions().get("stock").waitTimes().lastMinute()).isNotNull();
        });
    }

    @Test
    void anUnknownNameIsNullWhichBootAnswers404() {
        runner.run(context -> assertThat(context.getBean(PrimitivesEndpoint.class).primitive("nope")).isNull());
    }

    @Test
    void aJavaUtilConcurrentLockBeanIsNotListed() {
        runner.withBean("plain", java.util.concurrent.locks.Lock.class,
                java.util.concurrent.locks.ReentrantLock::new).run(context -> {
            PrimitivesEndpoint endpoint = context.getBean(PrimitivesEndpoint.class);
            assertThat(endpoint.primitives().locks()).doesNotContainKey("plain");
            assertThat(endpoint.primitive("plain")).isNull();
            assertThat(List.copyOf(endpoint.primitives().locks().keySet())).contains("ledger");
        });
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitEvent(Event event) {
        try {
            event.await(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitBarrier(Barrier barrier) {
        try {
            barrier.await(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnPrimitives {
        @Bean
        Lock journal() {
            return new Lock("journal");
        }
    }
}
