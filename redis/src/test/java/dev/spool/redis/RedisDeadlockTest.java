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
 * in opposite orders are reported, from what the instance knows of its own holds, as with local locks; and a thread
 * of each of two instances, the other instance's named {@code instance/thread} from Redis' holders and waiters.
 * {@link MultiJvmTest} has the same with a real second JVM.
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

    @Test
    void aThreadOfEachInstanceCrossingTwoRedisLocksIsADeadlockNamingTheOtherInstancesThread() throws Exception {
        RLock bayAOnA = RLock.shared(name + "-a", a.lock(name + "-a", true, false, LEASE));
        RLock bayBOnA = RLock.shared(name + "-b", a.lock(name + "-b", true, false, LEASE));
        RLock bayAOnB = RLock.shared(name + "-a", b.lock(name + "-a", true, false, LEASE));
        RLock bayBOnB = RLock.shared(name + "-b", b.lock(name + "-b", true, false, LEASE));
        CountDownLatch bothHold = new CountDownLatch(2);
        Background.Call<Boolean> onA = Background.run("on-a", () -> cross(bayAOnA, bayBOnA, bothHold));
        Background.Call<Boolean> onB = Background.run("on-b", () -> cross(bayBOnB, bayAOnB, bothHold));

        // Both instances live in this JVM here: the detector finds a's view (on-a, then "b/on-b") and b's.
        Background.until("both views of the cycle are found", PATIENCE,
                () -> DeadlockDetector.findDeadlocks().size() == 2);
        assertThat(DeadlockDetector.findDeadlocks()).anySatisfy(deadlock -> assertThat(deadlock.waits())
                .containsExactly(
                        new Deadlock.Wait("on-a", onA.thread.threadId(), name + "-b", "b/on-b",
                                Deadlock.ANOTHER_INSTANCE),
                        new Deadlock.Wait("b/on-b", Deadlock.ANOTHER_INSTANCE, name + "-a", "on-a",
                                onA.thread.threadId())));

        onA.thread.interrupt();
        assertThat(onA.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(onB.get(10, TimeUnit.SECONDS)).isTrue();
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
