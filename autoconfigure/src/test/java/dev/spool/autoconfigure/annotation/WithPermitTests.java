package dev.spool.autoconfigure.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import dev.spool.annotation.PermitNotAcquiredException;
import dev.spool.annotation.WithPermit;
import dev.spool.autoconfigure.SpoolAutoConfiguration;
import dev.spool.threading.BoundedSemaphore;
import dev.spool.threading.Lock;
import dev.spool.threading.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/**
 * {@code @WithPermit}: one permit or several for the call, given back however it ends; several taken and refused
 * whole (what was taken is given back); calls of this JVM that wait for several permits take turns.
 */
@Timeout(30)
class WithPermitTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SpoolAutoConfiguration.class,
                    SpoolAnnotationsAutoConfiguration.class))
            .withPropertyValues("spool.semaphores.db.permits=3", "spool.semaphores.db.bounded=true",
                    "spool.semaphores.pair.permits=2")
            .withBean(Db.class);

    @Test
    void aCallHoldsItsPermitsAndGivesThemBackWhenItReturnsOrThrows() {
        runner.run(context -> {
            BoundedSemaphore db = context.getBean("db", BoundedSemaphore.class);
            Db bean = context.getBean(Db.class);

            assertThat(bean.one(db::value)).as("one permit taken during the call").isEqualTo(2);
            assertThat(bean.two(db::value)).as("two permits taken during the call").isOne();
            assertThat(db.value()).isEqualTo(3);
            assertThatThrownBy(() -> bean.two(() -> {
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
            assertThat(db.value()).as("given back after a throw").isEqualTo(3);
            assertThat(db.stats().acquisitions()).as("one acquisition per permit, as direct use").isEqualTo(5);
        });
    }

    @Test
    void permitsThatAreNotAllFreeAreRefusedWholeAndWhatWasTakenIsGivenBack() {
        runner.run(context -> {
            BoundedSemaphore db = context.getBean("db", BoundedSemaphore.class);
            Db bean = context.getBean(Db.class);
            db.acquire();
            db.acquire(); // one left: the calls below take it, then miss the second
            try {
                assertThatThrownBy(() -> bean.tryTwo(db::value))
                        .isInstanceOfSatisfying(PermitNotAcquiredException.class, e -> {
                            assertThat(e.name()).isEqualTo("db");
                            assertThat(e.permits()).isEqualTo(2);
                            assertThat(e.triedOnly()).isTrue();
                        })
                        .hasMessage("2 permits of semaphore 'db' were not free, so " + Db.class.getName()
                                + ".tryTwo(IntSupplier) did not run (@WithPermit without a wait only tries)");
                assertThat(db.value()).isOne();
                assertThatThrownBy(() -> bean.twoWithin(db::value))
                        .isInstanceOfSatisfying(PermitNotAcquiredException.class,
                                e -> assertThat(e.waited()).isEqualTo(Duration.ofMillis(50)))
                        .hasMessageContaining("were not free within 50 ms");
                assertThat(db.value()).isOne();
                assertThat(db.stats().timeouts()).as("the timed wait is the semaphore's own").isOne();
            } finally {
                db.release(2);
            }
            assertThat(bean.tryTwo(db::value)).isOne();
            assertThat(bean.twoWithin(db::value)).isOne();
        });
    }

    @Test
    void callsThatWaitForSeveralPermitsTakeTurnsSoTheyCannotEachHoldPartOfWhatBothNeed() {
        runner.run(context -> {
            Semaphore pair = context.getBean("pair", Semaphore.class);
            Db bean = context.getBean(Db.class);
            pair.acquire();
            pair.acquire(); // none free: both callers must wait
            CountDownLatch done = new CountDownLatch(2);
            Thread a = new Thread(() -> bean.bothOfPair(done::countDown), "a");
            Thread b = new Thread(() -> bean.bothOfPair(done::countDown), "b");
            a.start();
            b.start();
            Lock turn = turnOf(context);
            await().atMost(Duration.ofSeconds(10)).until(() -> turn.waitingThreadNames().size() == 1);
            assertThat(pair.waitingThreadNames()).as("one caller waits on the semaphore, the other for its turn")
                    .hasSize(1);

            pair.release(); // without turns, a and b could now each hold one and wait for the other forever
            pair.release();
            assertThat(done.await(10, TimeUnit.SECONDS)).as("both ran, one after the other").isTrue();
            a.join(10_000);
            b.join(10_000);
            assertThat(pair.value()).isEqualTo(2);
        });
    }

    /** @return the turn lock of {@code pair}, made at the first call that needs it */
    private static Lock turnOf(ApplicationContext context) {
        HoldAdvisingPostProcessor processor = context.getBean(HoldAdvisingPostProcessor.class);
        return await().atMost(Duration.ofSeconds(10)).until(() -> processor.interceptor().turns(),
                turns -> turns.size() == 1).get(0);
    }

    /** Runs what it is given holding permits of {@code db} (3, bounded) or {@code pair} (2). */
    static class Db {
        @WithPermit("db")
        public int one(IntSupplier body) {
            return body.getAsInt();
        }

        @WithPermit(value = "db", permits = 2)
        public int two(IntSupplier body) {
            return body.getAsInt();
        }

        @WithPermit(value = "db", permits = 2, blocking = false)
        public int tryTwo(IntSupplier body) {
            return body.getAsInt();
        }

        @WithPermit(value = "db", permits = 2, timeout = "50ms")
        public int twoWithin(IntSupplier body) {
            return body.getAsInt();
        }

        @WithPermit(value = "pair", permits = 2)
        public void bothOfPair(Runnable body) {
            body.run();
        }
    }
}
