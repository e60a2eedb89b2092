package dev.spool.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.threading.spi.SharedLock;

/** Lock and RLock on one real Redis, two instances (backends over their own clients) in this JVM. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedisLockTest extends TwoInstancesOnOneRedis {
    private SharedLock lock(RedisBackend backend) {
        return backend.lock(name, false, false, LEASE);
    }

    private SharedLock rlock(RedisBackend backend) {
        return backend.lock(name, true, false, LEASE);
    }

    @Test
    void aTryTakesAFreeLockAndFailsOnAHeldOne() throws Exception {
        SharedLock onA = lock(a);
        SharedLock onB = lock(b);
        assertThat(onA.acquire(0)).isTrue();
        assertThat(onA.isLocked()).isTrue();
        assertThat(onB.isLocked()).isTrue();
        assertThat(onA.holdCount()).isEqualTo(1);
        assertThat(onB.acquire(0)).isFalse();
        assertThat(onB.holdCount()).isZero();
        onA.release();
        assertThat(onB.isLocked()).isFalse();
        assertThat(onB.acquire(0)).isTrue();
        onB.release();
        assertThat(onA.backend()).isEqualTo("redis");
    }

    @Test
    void aTimedWaitGivesUpAfterItsTime() throws Exception {
        SharedLock onA = lock(a);
        assertThat(onA.acquire(0)).isTrue();
        long start = System.nanoTime();
        assertThat(lock(b).acquire(TimeUnit.MILLISECONDS.toNanos(300))).isFalse();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        onA.release();
    }

    @Test
    void aWaitWithoutLimitEndsWhenTheHolderOnAnotherInstanceReleases() throws Exception {
        SharedLock onA = lock(a);
        SharedLock onB = lock(b);
        assertThat(onA.acquire(0)).isTrue();
        Background.Call<Boolean> waiter = Background.run("waiter", () -> onB.acquire(FOREVER));
        Background.until("b/waiter is a waiter", PATIENCE, () -> onA.waiters().contains("b/waiter"));
        assertThat(onA.holders()).containsExactly("a/" + Thread.currentThread().getName());
        onA.release();
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(onA.holders()).containsExactly("b/waiter");
        assertThat(onA.waiters()).isEmpty();
        Background.run("releaser", () -> {
            onB.release(); // a Lock: any thread of the instance may release it
            return null;
        }).get(5, TimeUnit.SECONDS);
        assertThat(onA.isLocked()).isFalse();
    }

    @Test
    void anInterruptEndsAWaitAndItsWaiterEntry() throws Exception {
        SharedLock onA = lock(a);
        SharedLock onB = lock(b);
        assertThat(onA.acquire(0)).isTrue();
        Background.Call<Boolean> waiter = Background.run("interrupted", () -> onB.acquire(FOREVER));
        Background.until("b/interrupted is a waiter", PATIENCE, () -> onA.waiters().contains("b/interrupted"));
        waiter.thread.interrupt();
        assertThatThrownBy(() -> waiter.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InterruptedException.class);
        Background.until("the entry is gone", PATIENCE, () -> onA.waiters().isEmpty());
        onA.release();
        assertThat(onB.acquire(0)).isTrue(); // the interrupted wait left no hold behind
        onB.release();
    }

    @Test
    void threadsOfOneInstanceWaitAtTheGateAndShowAsWaiters() throws Exception {
        SharedLock onA = lock(a);
        assertThat(onA.acquire(0)).isTrue();
        Background.Call<Boolean> local = Background.run("local", () -> onA.acquire(FOREVER));
        Background.until("a/local is a waiter", PATIENCE, () -> lock(b).waiters().contains("a/local"));
        assertThat(onA.acquire(TimeUnit.MILLISECONDS.toNanos(100))).as("a Lock is not reentrant").isFalse();
        onA.release();
        assertThat(local.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(onA.holders()).containsExactly("a/local");
        onA.release();
    }

    @Test
    void releasingAnUnlockedLockFails() {
        assertThatThrownBy(() -> lock(a).release()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Lock '" + name + "'").hasMessageContaining("unlocked");
    }

    @Test
    void aLockHeldOnOneInstanceMayBeReleasedByAnother() throws Exception {
        SharedLock onA = lock(a);
        SharedLock onB = lock(b);
        assertThat(onA.acquire(0)).isTrue();
        onB.release();
        assertThat(onB.isLocked()).isFalse();
        assertThat(onB.acquire(0)).isTrue();
        // A's hold is gone: its own release says so rather than releasing B's
        assertThatThrownBy(onA::release).isInstanceOf(IllegalStateException.class).hasMessageContaining("expired");
        assertThat(onB.isLocked()).isTrue();
        onB.release();
    }

    @Test
    void aLockOfTheSameNameCannotReleaseAnotherInstancesRLockHold() throws Exception {
        SharedLock onA = rlock(a);
        assertThat(onA.acquire(0)).isTrue();
        assertThatThrownBy(() -> lock(b).release()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("as an RLock").hasMessageContaining("spool.locks." + name + ".reentrant");
        assertThat(onA.holdCount()).isEqualTo(1);
        onA.release();
    }

    @Test
    void anRLockCountsReentriesAndOnlyItsOwnerReleases() throws Exception {
        SharedLock onA = rlock(a);
        SharedLock onB = rlock(b);
        assertThat(onA.acquire(0)).isTrue();
        assertThat(onA.acquire(FOREVER)).isTrue();
        assertThat(onA.acquire(0)).isTrue();
        assertThat(onA.holdCount()).isEqualTo(3);
        long token = onA.fencingToken();
        assertThatThrownBy(onB::release).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(() -> Background.run("stranger", () -> {
            onA.release();
            return null;
        }).get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalMonitorStateException.class);
        assertThat(Background.run("counter", onA::holdCount).get(5, TimeUnit.SECONDS)).isZero();
        onA.release();
        onA.release();
        assertThat(onA.holdCount()).isEqualTo(1);
        assertThat(onA.fencingToken()).as("re-entry is local: one hold, one token").isEqualTo(token);
        assertThat(onB.acquire(0)).isFalse();
        onA.release();
        assertThat(onA.holdCount()).isZero();
        assertThat(onB.acquire(0)).isTrue();
        onB.release();
    }

    @Test
    void everyHoldGetsAHigherFencingTokenOnEveryInstance() throws Exception {
        List<SharedLock> locks = List.of(lock(a), rlock(b), lock(b), rlock(a));
        List<Long> tokens = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            SharedLock lock = locks.get(i % locks.size());
            assertThat(lock.acquire(FOREVER)).isTrue();
            tokens.add(lock.fencingToken());
            lock.release();
        }
        assertThat(tokens).isSorted().doesNotHaveDuplicates();
        assertThatThrownBy(() -> lock(a).fencingToken()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not held");
    }

    @Test
    void aHolderThatStopsRenewingLosesTheLockWithinItsLease() throws Exception {
        RedisBackend doomed = instances.backend("doomed");
        SharedLock onDoomed = lock(doomed);
        SharedLock onB = lock(b);
        assertThat(onDoomed.acquire(0)).isTrue();
        long dead = System.nanoTime();
        instances.client(2).shutdown(0, 2, TimeUnit.SECONDS); // as a JVM that died: no renewal, no release
        assertThat(onB.acquire(LEASE.plusSeconds(1).toNanos())).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - dead)).isLessThanOrEqualTo(LEASE.plusSeconds(1));
        onB.release();
    }

    @Test
    void aHolderWhoseLeaseRanOutFailsItsReleaseAndTheNextHolderHasAHigherToken() throws Exception {
        RedisBackend paused = instances.backend("paused");
        SharedLock onPaused = lock(paused);
        SharedLock onB = lock(b);
        assertThat(onPaused.acquire(0)).isTrue();
        long stale = onPaused.fencingToken();
        paused.close(); // renewals stop, as in a long GC pause; the client still answers
        assertThat(onB.acquire(LEASE.plusSeconds(1).toNanos())).isTrue();
        assertThat(onB.fencingToken()).isGreaterThan(stale);
        assertThatThrownBy(onPaused::release).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fencing token " + stale).hasMessageContaining("expired");
        assertThat(onB.holders()).containsExactly("b/" + Thread.currentThread().getName());
        onB.release();
    }

    @Test
    void aFencingTokenFirstAskedForAfterTheLeaseRanOutIsRefused() throws Exception {
        RedisBackend paused = instances.backend("paused");
        SharedLock onPaused = lock(paused);
        SharedLock onB = lock(b);
        assertThat(onPaused.acquire(0)).isTrue();
        paused.close(); // renewals stop; no token taken yet
        assertThat(onB.acquire(LEASE.plusSeconds(1).toNanos())).isTrue();
        long live = onB.fencingToken();
        // The paused holder's increment comes after B's, so its token would be higher: the check refuses it.
        assertThatThrownBy(onPaused::fencingToken).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expired before its fencing token was taken");
        assertThat(onPaused.holdCount()).isZero();
        assertThat(onB.fencingToken()).as("B's hold keeps its token").isEqualTo(live);
        assertThat(lock(a).holders()).containsExactly("b/" + Thread.currentThread().getName());
        onB.release();
    }

    @Test
    void aLiveHolderKeepsTheLockPastItsLease() throws Exception {
        Duration lease = Duration.ofSeconds(1);
        SharedLock onA = a.lock(name, true, false, lease);
        assertThat(onA.acquire(0)).isTrue();
        // Two and a half leases' worth of waiting on B: the renewals keep A's hold.
        assertThat(b.lock(name, true, false, lease).acquire(lease.multipliedBy(5).dividedBy(2).toNanos())).isFalse();
        assertThat(onA.holdCount()).isEqualTo(1);
        onA.release();
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> a.lock(name, false, false, Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too short");
        assertThatThrownBy(() -> a.lock(" ", false, false, LEASE)).isInstanceOf(IllegalArgumentException.class);
    }
}
