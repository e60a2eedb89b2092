package dev.spool.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.spool.threading.Deadlock;
import dev.spool.threading.DeadlockDetector;
import dev.spool.threading.RLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link DeadlockDetector} over Redis-backed locks on a real Redis: two threads of one instance that take two of them
 * in opposite orders are reported, from what the instance knows of its own holds, as with local locks.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedisDeadlockTest extends TwoInstancesOnOneRedis {

    @Test
    void twoThreadsOfOneInstanceCrossingTwoRedisLocksAreADeadlock() throws Exception {
        RLock bayA = RLock.shared(name + "-a", a.lock(name + "-a", true, false, LEASE));
        RLock bayB = RLock.shared(name + "-b", a.lock(name + "-b", true, false, LEASE));
        CountDownLatch bothHold = new CountDownLatch(2);
        Background.Call<Boolean> aToB = Background.run("a-to-b", () -> cross(bayA, bayB, bothHold));
        Background.Call<Boolean> bToA = Background.run("b-to-a", () -> cross(bayB, bayA, bothHold));

        Background.until("the cycle is found", PATIENCE, () -> !DeadlockDetector.findDeadlocks().isEmpty());
        List<Deadlock> found = DeadlockDetector.findDeadlocks(); // a deadlock does not go away by itself
        assertThat(found).singleElement().satisfies(deadlock -> {
            assertThat(deadlock.threadNames()).containsExactlyInAnyOrder("a-to-b", "b-to-a");
            assertThat(deadlock.lockNames()).containsExactlyInAnyOrder(name + "-a", name + "-b");
        });
        assertThat(bayA.waitingThreadNames()).containsExactly("b-to-a");

        aToB.thread.interrupt(); // its wait for bay b ends, it releases bay a, and b-to-a gets through
        assertThat(aToB.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(bToA.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(DeadlockDetector.findDeadlocks()).isEmpty();
    }

    /** Holds {@code mine}, waits until the other thread holds its lock, then waits for {@code theirs}. */
    private static boolean cross(RLock mine, RLock theirs, CountDownLatch bothHold) throws InterruptedException {
        mine.acquire();
        try {
            bothHold.countDown();
            bothHold.await();
            if (theirs.tryLock(20, TimeUnit.SECONDS)) {
                theirs.unlock();
                return true;
            }
            return false;
        } catch (InterruptedException ended) {
            return false;
        } finally {
            mine.release();
        }
    }
}
