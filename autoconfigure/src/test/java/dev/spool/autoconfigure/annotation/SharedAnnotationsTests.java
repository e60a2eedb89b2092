package dev.spool.autoconfigure.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.spool.annotation.LockNotAcquiredException;
import dev.spool.annotation.PermitNotAcquiredException;
import dev.spool.annotation.WithLock;
import dev.spool.annotation.WithPermit;
import dev.spool.autoconfigure.SpoolAutoConfiguration;
import dev.spool.autoconfigure.shared.InMemoryBackend;
import dev.spool.threading.Lock;
import dev.spool.threading.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The annotations over primitives whose state is a backend's ({@code backend: redis}, here the starter tests'
 * in-memory backend): the same beans, so the same holds and refusals as local ones.
 */
@Timeout(30)
class SharedAnnotationsTests {

    private final InMemoryBackend backend = new InMemoryBackend();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SpoolAutoConfiguration.class,
                    SpoolAnnotationsAutoConfiguration.class))
            .withBean(InMemoryBackend.class, () -> this.backend)
            .withPropertyValues("spool.backend=redis", "spool.semaphores.db.permits=2")
            .withPropertyValues("spool.locks.ledger.reentrant=false")
            .withBean(Shared.class);

    @Test
    void aSharedLockIsHeldForTheCallAndASecondCallerThatOnlyTriesIsRefused() {
        runner.run(context -> {
            Lock ledger = context.getBean("ledger", Lock.class);
            assertThat(ledger.backend()).isEqualTo("redis");
            Shared bean = context.getBean(Shared.class);
            CountDownLatch in = new CountDownLatch(1);
            CountDownLatch out = new CountDownLatch(1);
            Thread holder = new Thread(() -> bean.hold(() -> {
                in.countDown();
                WithLockTests.awaitLatch(out);
            }), "holder");
            holder.start();
            assertThat(in.await(10, TimeUnit.SECONDS)).isTrue();
            try {
                assertThat(ledger.occupancy().holders()).containsExactly("test@host:1/holder");
                assertThatThrownBy(() -> bean.tryHold(() -> { }))
                        .isInstanceOf(LockNotAcquiredException.class).hasMessageStartingWith("lock 'ledger' is held");
            } finally {
                out.countDown();
            }
            holder.join(10_000);
            assertThat(ledger.locked()).isFalse();
        });
    }

    @Test
    void aSharedSemaphoresPermitsAreTakenAndGivenBackAndSeveralWithATimeoutAreAccepted() {
        runner.run(context -> {
            Semaphore db = context.getBean("db", Semaphore.class);
            assertThat(db.backend()).isEqualTo("redis");
            Shared bean = context.getBean(Shared.class);

            assertThat(bean.both(db::value)).isZero();
            assertThat(db.value()).isEqualTo(2);
            db.acquire();
            try {
                assertThatThrownBy(() -> bean.both(db::value)).isInstanceOf(PermitNotAcquiredException.class);
                assertThat(db.value()).as("the permit it took is given back").isOne();
            } finally {
                db.release();
            }
        });
    }

    /** Holds the shared {@code ledger} lock and {@code db} permits. */
    static class Shared {
        @WithLock("ledger")
        public void hold(Runnable body) {
            body.run();
        }

        @WithLock(value = "ledger", blocking = false)
        public void tryHold(Runnable body) {
            body.run();
        }

        @WithPermit(value = "db", permits = 2, timeout = "50ms")
        public int both(java.util.function.IntSupplier body) {
            return body.getAsInt();
        }
    }
}
