package dev.spool.metrics;

import dev.spool.testing.Waiting;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.threading.Barrier;
import dev.spool.threading.BarrierBrokenException;
import dev.spool.threading.Condition;
import dev.spool.threading.Event;
import dev.spool.threading.Lock;
import dev.spool.threading.RLock;
import dev.spool.threading.Semaphore;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The binders of the threading primitives on a {@link SimpleMeterRegistry}: contention, waits, timeouts and levels
 * move as the meters' names say. Threads are known to be blocked by the primitive's own waiting count and their
 * thread state, never by a sleep.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrimitiveMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TimerFeed replay = new TimerFeed(Duration.ofHours(1));

    @AfterEach
    void closeReplay() {
        replay.close();
    }

    private void bind(Object primitive) {
        SpoolMetrics.binderFor(primitive, Tags.empty(), TimerOptions.DEFAULTS, replay).bindTo(registry);
    }

    /** A thread running {@code body}, whose failure the test sees at {@link #join}. */
    private static final class Party {
        final Thread thread;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Party(String name, ThrowingRunnable body) {
            thread = Thread.ofPlatform().name(name).start(() -> {
                try {
                    body.run();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
        }

        void join() throws InterruptedException {
            thread.join();
            assertThat(failure.get()).as(thread.getName() + " failed").isNull();
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void forcedContentionMovesContendedWaitingWaitAndHeld() throws InterruptedException {
        Lock lock = new Lock("inventory");
        bind(lock);
        Meters m = new Meters(registry, "name", "inventory");
        lock.acquire();
        Party waiter = new Party("waiter", () -> {
            lock.acquire();
            lock.release();
        });
        Waiting.until("the waiter waits for the lock", () -> m.gauge("spool.lock.waiting") == 1);
        Waiting.parked(waiter.thread);
        assertThat(m.counter("spool.lock.contended")).as("counted when the wait ends").isZero();
        lock.release();
        waiter.join();
        replay.flush();

        assertThat(m.gauge("spool.lock.waiting")).isZero();
        assertThat(m.counter("spool.lock.acquisitions")).isEqualTo(2);
        assertThat(m.counter("spool.lock.contended")).isEqualTo(1);
        assertThat(m.counter("spool.lock.timeouts")).isZero();
        assertThat(m.timerCount("spool.lock.wait")).isEqualTo(1);
        assertThat(m.timer("spool.lock.wait").totalTime(TimeUnit.NANOSECONDS))
                .isEqualTo((double) lock.waitHistogram().totalNanos()).isPositive();
        assertThat(m.timerCount("spool.lock.held"))
                .as("the hold the waiter waited on, and the waiter's own, which began with a contended acquisition")
                .isEqualTo(2).isEqualTo(lock.stats().timedHolds());
    }

    @Test
    void aTimedOutAcquireMovesTimeouts() throws InterruptedException {
        RLock lock = new RLock("ledger");
        bind(lock);
        Meters m = new Meters(registry, "name", "ledger");
        lock.acquire();
        AtomicBoolean acquired = new AtomicBoolean(true);
        Party impatient = new Party("impatient", () -> acquired.set(lock.acquire(Duration.ofMillis(20))));
        impatient.join();
        lock.release();
        replay.flush();

        assertThat(acquired).isFalse();
        assertThat(m.counter("spool.lock.timeouts")).isEqualTo(1);
        assertThat(m.counter("spool.lock.contended")).isEqualTo(1);
        assertThat(m.counter("spool.lock.acquisitions")).isEqualTo(1);
        assertThat(m.timerCount("spool.lock.wait")).isEqualTo(1);
        assertThat(m.timer("spool.lock.wait").totalTime(TimeUnit.MILLISECONDS))
                .as("no wait shorter than asked").isGreaterThanOrEqualTo(20.0 * 0.9375);
    }

    @Test
    void semaphorePermitsWaitingWaitAndTimeoutsMove() throws InterruptedException {
        Semaphore semaphore = new Semaphore("db", 2);
        bind(semaphore);
        Meters m = new Meters(registry, "name", "db");
        assertThat(m.gauge("spool.semaphore.permits")).isEqualTo(2);
        semaphore.acquire();
        semaphore.acquire();
        assertThat(m.gauge("spool.semaphore.permits")).isZero();

        Party waiter = new Party("waiter", semaphore::acquire);
        Waiting.until("the waiter waits for a permit", () -> m.gauge("spool.semaphore.waiting") == 1);
        semaphore.release();
        waiter.join();
        assertThat(m.gauge("spool.semaphore.waiting")).isZero();

        AtomicBoolean acquired = new AtomicBoolean(true);
        Party impatient = new Party("impatient", () -> acquired.set(semaphore.acquire(Duration.ofMillis(10))));
        impatient.join();
        replay.flush();

        assertThat(acquired).isFalse();
        assertThat(m.counter("spool.semaphore.timeouts")).isEqualTo(1);
        assertThat(m.timerCount("spool.semaphore.wait")).as("the waiter and the impatient one").isEqualTo(2);
        semaphore.release(2);
        assertThat(m.gauge("spool.semaphore.permits")).isEqualTo(2);
    }

    @Test
    void eventSetWaitingAndWaitMove() throws InterruptedException {
        Event event = new Event("ready");
        bind(event);
        Meters m = new Meters(registry, "name", "ready");
        assertThat(m.gauge("spool.event.set")).isZero();
        Party waiter = new Party("waiter", event::await);
        Waiting.until("the waiter waits for the event", () -> m.gauge("spool.event.waiting") == 1);
        Waiting.parked(waiter.thread);
        event.set();
        waiter.join();
        replay.flush();

        assertThat(m.gauge("spool.event.set")).isEqualTo(1);
        assertThat(m.gauge("spool.event.waiting")).isZero();
        assertThat(m.timerCount("spool.event.wait")).isEqualTo(1);
        event.clear();
        assertThat(m.gauge("spool.event.set")).isZero();
    }

    @Test
    void barrierWaitingTripsBrokenAndWaitMove() throws InterruptedException {
        Barrier barrier = new Barrier("batch", 2);
        bind(barrier);
        Meters m = new Meters(registry, "name", "batch");
        Party first = new Party("first", barrier::await);
        Waiting.until("the first party waits at the barrier", () -> m.gauge("spool.barrier.waiting") == 1);
        Waiting.parked(first.thread);
        barrier.await();
        first.join();
        assertThat(m.counter("spool.barrier.trips")).isEqualTo(1);
        assertThat(m.counter("spool.barrier.broken")).isZero();
        assertThat(m.gauge("spool.barrier.waiting")).isZero();

        AtomicBoolean brokenSeen = new AtomicBoolean();
        Party stranded = new Party("stranded", () -> {
            try {
                barrier.await();
            } catch (BarrierBrokenException expected) {
                brokenSeen.set(true);
            }
        });
        Waiting.until("the stranded party waits", () -> m.gauge("spool.barrier.waiting") == 1);
        Waiting.parked(stranded.thread);
        barrier.abort();
        stranded.join();
        replay.flush();

        assertThat(brokenSeen).isTrue();
        assertThat(m.counter("spool.barrier.broken")).isEqualTo(1);
        assertThat(m.counter("spool.barrier.trips")).isEqualTo(1);
        assertThat(m.timerCount("spool.barrier.wait")).as("the first and the stranded party blocked").isEqualTo(2);
    }

    @Test
    void conditionWaitingWaitTimeoutsAndSignalsMove() throws InterruptedException {
        Condition condition = new Condition("stock");
        bind(condition);
        Meters m = new Meters(registry, "name", "stock");
        Party waiter = new Party("waiter", () -> {
            try (var held = condition.hold()) {
                condition.await();
            }
        });
        Waiting.until("the waiter awaits a signal", () -> m.gauge("spool.condition.waiting") == 1);
        try (var held = condition.hold()) {
            condition.signal();
        }
        waiter.join();
        assertThat(m.counter("spool.condition.signals")).isEqualTo(1);

        try (var held = condition.hold()) {
            assertThat(condition.await(Duration.ofMillis(10))).isFalse();
        }
        replay.flush();

        assertThat(m.gauge("spool.condition.waiting")).isZero();
        assertThat(m.counter("spool.condition.timeouts")).isEqualTo(1);
        assertThat(m.counter("spool.condition.signals")).isEqualTo(1);
        assertThat(m.timerCount("spool.condition.wait")).isEqualTo(2);
    }
}
