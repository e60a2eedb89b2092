package dev.spool.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.threading.spi.SharedEvent;

/** Event on one real Redis, two instances in this JVM. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedisEventTest extends TwoInstancesOnOneRedis {
    @Test
    void setAndClearAreSeenByEveryInstance() throws Exception {
        SharedEvent onA = a.event(name);
        SharedEvent onB = b.event(name);
        assertThat(onB.isSet()).isFalse();
        assertThat(onB.await(0)).isFalse();
        onA.set();
        assertThat(onB.isSet()).isTrue();
        assertThat(onB.await(0)).isTrue();
        assertThat(onB.await(FOREVER)).isTrue();
        onA.set(); // setting a set event changes nothing
        onB.clear();
        assertThat(onA.isSet()).isFalse();
        long start = System.nanoTime();
        assertThat(onA.await(TimeUnit.MILLISECONDS.toNanos(300))).isFalse();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        assertThat(onA.backend()).isEqualTo("redis");
    }

    @Test
    void aSetWakesEveryWaiterOnEveryInstance() throws Exception {
        SharedEvent onA = a.event(name);
        SharedEvent onB = b.event(name);
        Background.Call<Boolean> first = Background.run("waiter-a", () -> onA.await(FOREVER));
        Background.Call<Boolean> second = Background.run("waiter-b1", () -> onB.await(FOREVER));
        Background.Call<Boolean> third = Background.run("waiter-b2", () -> onB.await(FOREVER));
        Background.until("three waiters", PATIENCE, () -> onA.waiters().size() == 3);
        assertThat(onB.waiters()).containsExactlyInAnyOrder("a/waiter-a", "b/waiter-b1", "b/waiter-b2");
        onA.set();
        assertThat(first.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(second.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(third.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(onA.waiters()).isEmpty();
    }

    @Test
    void aSetThenAClearStillEndsTheWaitsThatBeganBeforeIt() throws Exception {
        SharedEvent onA = a.event(name);
        SharedEvent onB = b.event(name);
        Background.Call<Boolean> waiter = Background.run("waiter", () -> onB.await(FOREVER));
        Background.until("b/waiter is a waiter", PATIENCE, () -> onA.waiters().contains("b/waiter"));
        onA.set();
        onA.clear();
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(onB.await(TimeUnit.MILLISECONDS.toNanos(200))).as("a wait after the clear waits again").isFalse();
    }

    @Test
    void anInterruptEndsAWait() throws Exception {
        SharedEvent onA = a.event(name);
        Background.Call<Boolean> waiter = Background.run("interrupted", () -> onA.await(FOREVER));
        Background.until("a/interrupted is a waiter", PATIENCE, () -> onA.waiters().contains("a/interrupted"));
        waiter.thread.interrupt();
        assertThatThrownBy(() -> waiter.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InterruptedException.class);
        Background.until("the entry is gone", PATIENCE, () -> onA.waiters().isEmpty());
    }
}
