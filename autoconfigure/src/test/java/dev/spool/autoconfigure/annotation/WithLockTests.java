package dev.spool.autoconfigure.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.spool.annotation.LockNotAcquiredException;
import dev.spool.annotation.NotAcquiredException;
import dev.spool.annotation.PermitNotAcquiredException;
import dev.spool.annotation.WithLock;
import dev.spool.annotation.WithPermit;
import dev.spool.autoconfigure.SpoolAutoConfiguration;
import dev.spool.autoconfigure.metrics.SpoolMetricsAutoConfiguration;
import dev.spool.threading.Lock;
import dev.spool.threading.RLock;
import dev.spool.threading.Semaphore;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * {@code @WithLock} on a bean's methods: the lock is held for the call and given back however it ends, a second
 * caller waits (and the lock's meters count it), the timeout and {@code blocking = false} fail with the lock, the
 * method and the wait, on a class, through {@code @Async} on the worker, and not for self-invocation.
 */
@Timeout(30)
class WithLockTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                    SpoolAutoConfiguration.class, SpoolAnnotationsAutoConfiguration.class,
                    MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SpoolMetricsAutoConfiguration.class))
            .withPropertyValues("spool.locks.inventory.reentrant=true", "spool.locks.ledger.reentrant=false",
                    "spool.semaphores.db.permits=2", "spool.executors.io.max-workers=2",
                    "spool.executors.io.thread-name-prefix=io-worker-")
            .withBean(Ledger.class).withBean(Inventory.class).withBean(Guarded.class);

    @Test
    void theLockIsHeldForTheCallAndGivenBackWhenItReturnsOrThrows() {
        runner.run(context -> {
            RLock inventory = context.getBean("inventory", RLock.class);
            Inventory bean = context.getBean(Inventory.class);

            assertThat(bean.ownedInside()).as("held by the calling thread during the call").isTrue();
            assertThat(inventory.locked()).as("given back after it returned").isFalse();
            assertThatThrownBy(bean::fail).isInstanceOf(IllegalStateException.class).hasMessage("boom");
            assertThat(inventory.locked()).as("given back after it threw").isFalse();
            assertThat(inventory.stats().acquisitions()).isEqualTo(2);
        });
    }

    @Test
    void aSecondCallerWaitsWhileTheFirstHoldsTheLockAndTheLocksMetersCountTheContention() {
        runner.run(context -> {
            Lock ledger = context.getBean("ledger", Lock.class);
            Ledger bean = context.getBean(Ledger.class);
            CountDownLatch firstIn = new CountDownLatch(1);
            CountDownLatch letFirstOut = new CountDownLatch(1);
            CountDownLatch secondIn = new CountDownLatch(1);

            Thread first = new Thread(() -> bean.run(() -> {
                firstIn.countDown();
                awaitLatch(letFirstOut);
            }), "first");
            first.start();
            assertThat(firstIn.await(10, TimeUnit.SECONDS)).isTrue();
            Thread second = new Thread(() -> bean.run(secondIn::countDown), "second");
            second.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> ledger.waitingThreadNames().contains("second"));

            assertThat(secondIn.getCount()).as("the second caller's body has not run while the first holds").isOne();
            letFirstOut.countDown();
            assertThat(secondIn.await(10, TimeUnit.SECONDS)).as("it runs once the first is done").isTrue();
            first.join(10_000);
            second.join(10_000);

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("spool.lock.contended").tag("name", "ledger").functionCounter().count())
                    .isEqualTo(1.0);
            assertThat(registry.get("spool.lock.acquisitions").tag("name", "ledger").functionCounter().count())
                    .isEqualTo(2.0);
            assertThat(ledger.locked()).isFalse();
        });
    }

    @Test
    void aTimeoutThatPassesFailsNamingTheLockTheMethodAndTheWaitAndTheBodyDoesNotRun() {
        runner.run(context -> {
            Lock ledger = context.getBean("ledger", Lock.class);
            Ledger bean = context.getBean(Ledger.class);
            AtomicReference<String> ran = new AtomicReference<>();
            ledger.acquire(); // a Lock: held by this thread, which is fine, since the annotation's caller is too
            try {
                assertThatThrownBy(() -> bean.runWithin(() -> ran.set("ran")))
                        .isInstanceOfSatisfying(LockNotAcquiredException.class, e -> {
                            assertThat(e.name()).isEqualTo("ledger");
                            assertThat(e.method()).isEqualTo(Ledger.class.getName() + ".runWithin(Runnable)");
                            assertThat(e.waited()).isEqualTo(Duration.ofMillis(50));
                            assertThat(e.triedOnly()).isFalse();
                        })
                        .hasMessage("lock 'ledger' was not acquired within 50 ms, so " + Ledger.class.getName()
                                + ".runWithin(Runnable) did not run (@WithLock timeout)");
                assertThatThrownBy(() -> bean.tryRun(() -> ran.set("ran")))
                        .isInstanceOfSatisfying(LockNotAcquiredException.class,
                                e -> assertThat(e.triedOnly()).isTrue())
                        .hasMessageStartingWith("lock 'ledger' is held, so " + Ledger.class.getName()
                                + ".tryRun(Runnable) did not run");
                assertThat(ran.get()).isNull();
                assertThat(ledger.stats().timeouts()).as("the timed wait is the lock's own").isEqualTo(1);
            } finally {
                ledger.release();
            }
            bean.runWithin(() -> ran.set("within"));
            assertThat(ran.get()).isEqualTo("within");
            bean.tryRun(() -> ran.set("tried"));
            assertThat(ran.get()).isEqualTo("tried");
            assertThat(ledger.locked()).isFalse();
        });
    }

    @Test
    void onAClassItHoldsForEveryPublicMethodAndAMethodsOwnAnnotationWins() {
        runner.run(context -> {
            Guarded bean = context.getBean(Guarded.class);
            assertThat(bean.inventoryHeld()).as("from the class").isTrue();
            assertThat(bean.dbPermits()).as("its own @WithPermit instead: one of db's two permits taken").isOne();
            assertThat(bean.inventoryHeldThen()).as("its own @WithPermit does not take the class's lock").isFalse();
            assertThat(bean.toString()).isEqualTo("guarded, inventory held: false");
        });
    }

    @Test
    void aCallFromTheBeanToItsOwnMethodDoesNotGoThroughTheProxyAndTakesNoLock() {
        runner.run(context -> {
            Inventory bean = context.getBean(Inventory.class);
            assertThat(bean.ownedInside()).isTrue();
            assertThat(bean.ownedViaThis()).as("self-invocation skips the proxy").isFalse();
        });
    }

    @Test
    void withAsyncTheLockIsHeldOnTheWorkerThatRunsTheBody() {
        runner.withUserConfiguration(AsyncApp.class).run(context -> {
            RLock inventory = context.getBean("inventory", RLock.class);
            String seen = context.getBean(AsyncInventory.class).onWorker().get(10, TimeUnit.SECONDS);
            assertThat(seen).as("run on io, and the RLock owned by that thread").startsWith("io-worker-")
                    .endsWith(": owned");
            assertThat(inventory.locked()).isFalse();
            assertThat(inventory.stats().acquisitions()).isOne();
        });
    }

    @Test
    void bothExceptionsAreNotAcquiredExceptionsAndSayHowLongTheyWaited() {
        assertThat(new LockNotAcquiredException("l", "C.m()", Duration.ofMillis(1500)))
                .isInstanceOf(NotAcquiredException.class).hasMessageContaining("not acquired within 1.5 s, so C.m()");
        assertThat(new PermitNotAcquiredException("db", 1, "C.m()", Duration.ZERO))
                .isInstanceOf(NotAcquiredException.class)
                .hasMessage("no permit of semaphore 'db' was free, so C.m() did not run (@WithPermit without a wait "
                        + "only tries)");
    }

    static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the latch");
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    // ---------------------------------------------------------------------------------------------- fixtures

    /** Runs what it is given holding the non-reentrant {@code ledger} lock, three ways. */
    static class Ledger {
        @WithLock("ledger")
        public void run(Runnable body) {
            body.run();
        }

        @WithLock(value = "ledger", timeout = "50ms")
        public void runWithin(Runnable body) {
            body.run();
        }

        @WithLock(value = "ledger", blocking = false)
        public void tryRun(Runnable body) {
            body.run();
        }
    }

    /** Reports whether the calling thread owns the {@code inventory} RLock. */
    static class Inventory {
        private final RLock inventory;

        Inventory(@Qualifier("inventory") RLock inventory) {
            this.inventory = inventory;
        }

        @WithLock("inventory")
        public boolean ownedInside() {
            return this.inventory.owned();
        }

        @WithLock("inventory")
        public void fail() {
            throw new IllegalStateException("boom");
        }

        public boolean ownedViaThis() {
            return ownedInside();
        }
    }

    /** {@code @WithLock} on the class, {@code @WithPermit} on one method. */
    @WithLock("inventory")
    static class Guarded {
        private final RLock inventory;
        private final Semaphore db;

        Guarded(@Qualifier("inventory") RLock inventory, @Qualifier("db") Semaphore db) {
            this.inventory = inventory;
            this.db = db;
        }

        public boolean inventoryHeld() {
            return this.inventory.owned();
        }

        @WithPermit("db")
        public int dbPermits() {
            return this.db.value();
        }

        @WithPermit("db")
        public boolean inventoryHeldThen() {
            return this.inventory.owned();
        }

        @Override
        public String toString() {
            return "guarded, inventory held: " + this.inventory.owned();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    @Import(AsyncInventory.class)
    static class AsyncApp {
    }

    /** {@code @Async} and {@code @WithLock} on one method. */
    static class AsyncInventory {
        private final RLock inventory;

        AsyncInventory(@Qualifier("inventory") RLock inventory) {
            this.inventory = inventory;
        }

        @Async("io")
        @WithLock("inventory")
        public CompletableFuture<String> onWorker() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName()
                    + (this.inventory.owned() ? ": owned" : ": not owned"));
        }
    }
}
