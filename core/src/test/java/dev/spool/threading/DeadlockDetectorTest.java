package dev.spool.threading;

import static dev.spool.threading.Concurrently.start;
import static dev.spool.threading.Concurrently.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.testing.InMemoryStore;
import dev.spool.threading.Concurrently.Worker;

/** {@link DeadlockDetector}: real deadlocks, built with timed acquires so that every test ends. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DeadlockDetectorTest {

    @Test
    @DisplayName("two RLocks taken in opposite orders: the cycle is reported while it lasts, and not after")
    void twoRLockDeadlockIsReported() throws Exception {
        RLock a = new RLock("deadlock-a");
        RLock b = new RLock("deadlock-b");
        CountDownLatch bothHold = new CountDownLatch(2);
        Worker first = start("first", () -> crossAcquire(a, b, bothHold));
        Worker second = start("second", () -> crossAcquire(b, a, bothHold));
        List<Deadlock> found = awaitDeadlock();
        assertThat(found).hasSize(1);
        Deadlock deadlock = found.get(0);
        assertThat(deadlock.threadNames()).containsExactlyInAnyOrder("first", "second");
        assertThat(deadlock.lockNames()).containsExactlyInAnyOrder("deadlock-a", "deadlock-b");
        for (Deadlock.Wait wait : deadlock.waits()) {
            String heldLock = wait.threadName().equals("first") ? "deadlock-a" : "deadlock-b";
            assertThat(wait.lockName()).isNotEqualTo(heldLock);
            assertThat(wait.ownerName()).isNotEqualTo(wait.threadName());
        }
        Deadlock.Wait head = deadlock.waits().get(0);
        assertThat(head.threadId()).isEqualTo(Math.min(first.thread.threadId(), second.thread.threadId()));
        assertThat(deadlock.waits().get(1).threadId()).isEqualTo(head.ownerId());
        assertThat(deadlock.waits().get(1).ownerId()).isEqualTo(head.threadId());
        assertThat(deadlock.toString()).contains("\"first\"", "waits for lock deadlock-", "held by \"second\"");

        first.thread.interrupt(); // its timed tryLock ends, it releases a, and second gets through
        first.join();
        second.join();
        assertThat(DeadlockDetector.findDeadlocks()).isEmpty();
        assertThat(a.locked()).isFalse();
        assertThat(b.locked()).isFalse();
    }

    /** Holds {@code mine}, waits until the other thread holds its lock, then asks for {@code theirs} (30 s at most). */
    private static void crossAcquire(RLock mine, RLock theirs, CountDownLatch bothHold) throws InterruptedException {
        mine.acquire();
        try {
            bothHold.countDown();
            bothHold.await();
            if (theirs.tryLock(30, TimeUnit.SECONDS)) {
                theirs.unlock();
            }
        } catch (InterruptedException e) {
            // the test ends the deadlock this way
        } finally {
            mine.release();
        }
    }

    @Test
    @DisplayName("two Locks with Spool's timed acquire: reported; releasing one from outside (allowed for a Lock) ends it")
    void twoLockDeadlockIsReported() throws Exception {
        Lock a = new Lock("lock-a");
        Lock b = new Lock("lock-b");
        CountDownLatch bothHold = new CountDownLatch(2);
        AtomicBoolean firstGotB = new AtomicBoolean();
        AtomicBoolean secondGotA = new AtomicBoolean();
        Worker first = start("first", () -> {
            a.acquire(); // released by the test, below
            bothHold.countDown();
            bothHold.await();
            if (b.acquire(Duration.ofSeconds(30))) {
                firstGotB.set(true);
                b.release();
            }
        });
        Worker second = start("second", () -> {
            b.acquire();
            bothHold.countDown();
            bothHold.await();
            if (a.acquire(Duration.ofSeconds(30))) {
                secondGotA.set(true);
                a.release();
            }
            b.release();
        });
        List<Deadlock> found = awaitDeadlock();
        assertThat(found).singleElement().satisfies(d -> {
            assertThat(d.lockNames()).containsExactlyInAnyOrder("lock-a", "lock-b");
            assertThat(d.threadNames()).containsExactlyInAnyOrder("first", "second");
        });
        a.release(); // any thread may release a Lock: second takes a, finishes, releases b; first takes b
        first.join();
        second.join();
        assertThat(firstGotB).isTrue();
        assertThat(secondGotA).isTrue();
        assertThat(DeadlockDetector.findDeadlocks()).isEmpty();
    }

    @Test
    @DisplayName("a thread taking a Condition's lock back after a signal is part of the wait-for graph")
    void conditionReacquisitionIsSeen() throws Exception {
        RLock x = new RLock("cond-lock");
        RLock y = new RLock("other-lock");
        Condition cond = new Condition("cond", x);
        CountDownLatch awaiting = new CountDownLatch(1);
        Worker waiter = start("waiter", () -> {
            y.acquire();
            try (Guard held = cond.hold()) {
                awaiting.countDown();
                cond.await(); // released x; once signalled, waits to take x back
            } finally {
                y.release();
            }
        });
        Worker signaller = start("signaller", () -> {
            awaiting.await();
            x.acquire();
            try {
                cond.signal();
                waitUntil("the waiter waits for x", () -> x.stats().waiting() == 1);
                y.tryLock(30, TimeUnit.SECONDS); // y is held by the waiter, who waits for x: deadlock
            } catch (InterruptedException e) {
                // the test ends the deadlock this way
            } finally {
                x.release();
            }
        });
        List<Deadlock> found = awaitDeadlock();
        assertThat(found).singleElement().satisfies(d -> {
            assertThat(d.lockNames()).containsExactlyInAnyOrder("cond-lock", "other-lock");
            assertThat(d.threadNames()).containsExactlyInAnyOrder("waiter", "signaller");
        });
        signaller.thread.interrupt();
        signaller.join();
        waiter.join();
        assertThat(DeadlockDetector.findDeadlocks()).isEmpty();
    }

    @Test
    @DisplayName("a cycle of this JVM's threads through a shared RLock and a local one is reported, from local knowledge")
    void aCycleThroughASharedLockIsReported() throws Exception {
        InMemoryStore store = new InMemoryStore();
        RLock shared = RLock.shared("shared-bay", store.instance("a").lock("shared-bay", true, false,
                Duration.ofSeconds(30)));
        RLock local = new RLock("local-bay");
        CountDownLatch bothHold = new CountDownLatch(2);
        Worker first = start("first-shared", () -> crossAcquire(shared, local, bothHold));
        Worker second = start("second-shared", () -> crossAcquire(local, shared, bothHold));
        List<Deadlock> found = awaitDeadlock();
        assertThat(found).singleElement().satisfies(deadlock -> {
            assertThat(deadlock.threadNames()).containsExactlyInAnyOrder("first-shared", "second-shared");
            assertThat(deadlock.lockNames()).containsExactlyInAnyOrder("shared-bay", "local-bay");
        });
        Deadlock.Wait onShared = found.get(0).waits().stream().filter(w -> w.lockName().equals("shared-bay"))
                .findFirst().orElseThrow();
        assertThat(onShared.threadName()).isEqualTo("second-shared");
        assertThat(onShared.ownerName()).isEqualTo("first-shared");

        first.thread.interrupt(); // its timed tryLock on the local lock ends, it releases the shared one
        first.join();
        second.join();
        assertThat(DeadlockDetector.findDeadlocks()).isEmpty();
        assertThat(shared.locked()).isFalse();
    }

    @Test
    @DisplayName("plain contention, and a chain of waits that ends at a running thread, is not a deadlock")
    void contentionIsNotADeadlock() throws Exception {
        RLock a = new RLock("chain-a");
        RLock b = new RLock("chain-b");
        a.acquire(); // main holds a and is not waiting for anything
        CountDownLatch holdsB = new CountDownLatch(1);
        Worker middle = start("middle", () -> {
            b.acquire();
            holdsB.countDown();
            a.acquire(); // waits for main
            a.release();
            b.release();
        });
        holdsB.await();
        Worker last = start("last", () -> {
            b.acquire(); // waits for middle
            b.release();
        });
        waitUntil("both wait", () -> a.stats().waiting() == 1 && b.stats().waiting() == 1);
        assertThat(DeadlockDetector.findDeadlocks()).isEmpty();
        a.release();
        middle.join();
        last.join();
    }

    private static List<Deadlock> awaitDeadlock() {
        List<Deadlock>[] found = new List[1];
        waitUntil("a deadlock is found", () -> !(found[0] = DeadlockDetector.findDeadlocks()).isEmpty());
        return found[0];
    }
}
