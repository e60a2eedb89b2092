package dev.spool.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.threading.spi.SharedSemaphore;

/** Semaphore and BoundedSemaphore on one real Redis, two instances in this JVM. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedisSemaphoreTest extends TwoInstancesOnOneRedis {
    @Test
    void permitsAreSharedByTheInstances() throws Exception {
        SharedSemaphore onA = a.semaphore(name, 2, false, LEASE);
        SharedSemaphore onB = b.semaphore(name, 2, false, LEASE);
        assertThat(onB.value()).isEqualTo(2);
        assertThat(onA.acquire(0)).isTrue();
        assertThat(onB.acquire(0)).isTrue();
        assertThat(onA.value()).isZero();
        assertThat(onA.acquire(0)).isFalse();
        // B's holder entry of an acquire that did not wait is written a short grace after it, without being awaited.
        Background.until("A sees both holders", PATIENCE, () -> onA.holders().size() == 2);
        assertThat(onA.holders()).containsExactlyInAnyOrder("a/" + Thread.currentThread().getName(),
                "b/" + Thread.currentThread().getName());
        onB.release(1);
        assertThat(onA.value()).isEqualTo(1);
        assertThat(onA.acquire(0)).isTrue();
        onA.release(2);
        assertThat(onB.value()).isEqualTo(2);
        assertThat(onB.holders()).isEmpty();
        assertThat(onA.backend()).isEqualTo("redis");
    }

    @Test
    void aWaitEndsWhenAPermitComesBackOnAnotherInstanceOrGivesUpInTime() throws Exception {
        SharedSemaphore onA = a.semaphore(name, 1, true, LEASE);
        SharedSemaphore onB = b.semaphore(name, 1, true, LEASE);
        assertThat(onA.acquire(0)).isTrue();
        long start = System.nanoTime();
        assertThat(onB.acquire(TimeUnit.MILLISECONDS.toNanos(300))).isFalse();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        Background.Call<Boolean> waiter = Background.run("sem-waiter", () -> onB.acquire(FOREVER));
        Background.until("b/sem-waiter is a waiter", PATIENCE, () -> onA.waiters().contains("b/sem-waiter"));
        onA.release(1);
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(onA.holders()).containsExactly("b/sem-waiter");
        assertThat(onA.waiters()).isEmpty();
        onB.release(1); // another thread of the instance that holds the permit may give it back
        assertThat(onA.value()).isEqualTo(1);
    }

    @Test
    void anInterruptEndsAWait() throws Exception {
        SharedSemaphore onA = a.semaphore(name, 0, false, LEASE);
        Background.Call<Boolean> waiter = Background.run("sem-interrupted", () -> onA.acquire(FOREVER));
        Background.until("a/sem-interrupted is a waiter", PATIENCE,
                () -> onA.waiters().contains("a/sem-interrupted"));
        waiter.thread.interrupt();
        assertThatThrownBy(() -> waiter.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InterruptedException.class);
        Background.until("the entry is gone", PATIENCE, () -> onA.waiters().isEmpty());
        assertThat(onA.value()).isZero();
    }

    @Test
    void anUnboundedSemaphoreReleasedWithNoneHeldGainsAPermit() throws Exception {
        SharedSemaphore onA = a.semaphore(name, 1, false, LEASE);
        SharedSemaphore onB = b.semaphore(name, 1, false, LEASE);
        onB.release(1);
        assertThat(onA.value()).isEqualTo(2);
        assertThat(onA.acquire(0)).isTrue();
        // one permit held here, release(2) gives it back and adds one more
        onA.release(2);
        assertThat(onB.value()).isEqualTo(3);
    }

    @Test
    void aBoundedSemaphoreRefusesAReleaseBeyondWhatItsInstanceHolds() throws Exception {
        SharedSemaphore onA = a.semaphore(name, 2, true, LEASE);
        SharedSemaphore onB = b.semaphore(name, 2, true, LEASE);
        assertThatThrownBy(() -> onA.release(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BoundedSemaphore '" + name + "'").hasMessageContaining("nothing was released");
        assertThat(onB.acquire(0)).isTrue();
        assertThatThrownBy(() -> onA.release(1)).as("B's permit is not A's to give back")
                .isInstanceOf(IllegalStateException.class);
        assertThat(onA.acquire(0)).isTrue();
        assertThatThrownBy(() -> onA.release(2)).isInstanceOf(IllegalStateException.class);
        assertThat(onA.value()).as("the refused release gave nothing back").isZero();
        onA.release(1);
        onB.release(1);
        assertThat(onA.value()).isEqualTo(2);
    }

    @Test
    void instancesThatDisagreeOnTheConfigFail() {
        a.semaphore(name, 3, true, LEASE);
        assertThatThrownBy(() -> b.semaphore(name, 4, true, LEASE)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("4 permit(s), bounded").hasMessageContaining("Redis has 3 permit(s), bounded")
                .hasMessageContaining("spool.semaphores." + name + ".permits");
        assertThatThrownBy(() -> b.semaphore(name, 3, false, LEASE)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unbounded");
    }

    @Test
    void aPermitWhoseHolderStopsRenewingComesBackWithinItsLease() throws Exception {
        RedisBackend doomed = instances.backend("doomed");
        SharedSemaphore onDoomed = doomed.semaphore(name, 1, true, LEASE);
        SharedSemaphore onB = b.semaphore(name, 1, true, LEASE);
        assertThat(onDoomed.acquire(0)).isTrue();
        long dead = System.nanoTime();
        instances.client(2).shutdown(0, 2, TimeUnit.SECONDS);
        assertThat(onB.acquire(LEASE.plusSeconds(1).toNanos())).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - dead)).isLessThanOrEqualTo(LEASE.plusSeconds(1));
        onB.release(1);
    }

    @Test
    void aHolderWhoseLeaseRanOutFailsItsRelease() throws Exception {
        RedisBackend paused = instances.backend("paused");
        SharedSemaphore onPaused = paused.semaphore(name, 1, false, LEASE);
        SharedSemaphore onB = b.semaphore(name, 1, false, LEASE);
        assertThat(onPaused.acquire(0)).isTrue();
        paused.close(); // renewals stop
        assertThat(onB.acquire(LEASE.plusSeconds(1).toNanos())).isTrue();
        assertThatThrownBy(() -> onPaused.release(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expired");
        assertThat(onB.value()).as("the late release added nothing").isZero();
        onB.release(1);
    }

    @Test
    void aLiveHolderKeepsItsPermitPastItsLease() throws Exception {
        Duration lease = Duration.ofSeconds(1);
        SharedSemaphore onA = a.semaphore(name, 1, true, lease);
        assertThat(onA.acquire(0)).isTrue();
        assertThat(b.semaphore(name, 1, true, lease).acquire(lease.multipliedBy(5).dividedBy(2).toNanos())).isFalse();
        onA.release(1);
    }
}
