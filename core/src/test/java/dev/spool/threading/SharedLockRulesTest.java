package dev.spool.threading;

import static dev.spool.threading.Concurrently.joinAll;
import static dev.spool.threading.Concurrently.start;
import static dev.spool.threading.Concurrently.startAll;
import static dev.spool.threading.Concurrently.waitUntil;
import static dev.spool.threading.Concurrently.waitUntilParked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.testing.InMemoryStore;
import dev.spool.threading.Concurrently.Worker;

/**
 * What a shared lock adds to the rules {@link SharedLockTest} and {@link SharedRLockTest} already run: two
 * instances' locks over one state exclude each other, the uncontended path asks the state once and registers
 * nothing, the Python rules across instances, a backend that cannot be reached, and what a shared lock refuses.
 * "Instance a" and "instance b" are two {@link InMemoryStore#instance} connections to one store, as two JVMs have.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SharedLockRulesTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final InMemoryStore store = new InMemoryStore();

    private Lock lockOn(String instance, String name) {
        return Lock.shared(name, store.instance(instance).lock(name, false, false, LEASE));
    }

    private RLock rlockOn(String instance, String name) {
        return RLock.shared(name, store.instance(instance).lock(name, true, false, LEASE));
    }

    @Test
    @DisplayName("two instances' Locks of one name exclude each other, and every thread of both sees one holder")
    void twoInstancesExcludeEachOther() {
        Lock a = lockOn("a", "ledger");
        Lock b = lockOn("b", "ledger");
        a.acquire();
        assertThat(b.locked()).isTrue();
        assertThat(b.acquire(false)).isFalse();
        assertThat(b.acquire(Duration.ofMillis(20))).isFalse();
        a.release();
        assertThat(b.acquire(false)).isTrue();
        assertThat(a.acquire(false)).isFalse();
        b.release();

        AtomicInteger inside = new AtomicInteger();
        AtomicBoolean overlap = new AtomicBoolean();
        List<Worker> workers = startAll("both", 4, () -> {
            Lock mine = Thread.currentThread().getName().endsWith("0") || Thread.currentThread().getName().endsWith("2")
                    ? a : b;
            for (int i = 0; i < 500; i++) {
                try (Guard held = mine.hold()) {
                    if (inside.incrementAndGet() != 1) {
                        overlap.set(true);
                    }
                    inside.decrementAndGet();
                }
            }
        });
        joinAll(workers);
        assertThat(overlap).isFalse();
        assertThat(a.stats().acquisitions() + b.stats().acquisitions()).isEqualTo(2 + 2000);
        assertThat(a.locked()).isFalse();
    }

    @Test
    @DisplayName("the uncontended path asks the state once, acquire(0), and registers, times and counts no wait")
    void uncontendedAcquisitionTriesOnceAndRegistersNothing() {
        Lock lock = lockOn("a", "quiet");
        long tries = store.tries();
        lock.acquire();
        lock.release();
        try (Guard held = lock.hold()) {
            assertThat(lock.stats().heldSinceNanos()).as("nobody waits: the hold is not timed").isZero();
        }
        assertThat(lock.acquire(Duration.ofSeconds(1))).isTrue();
        lock.release();
        assertThat(store.tries() - tries).isEqualTo(3);
        assertThat(store.waits()).isZero();
        LockStats stats = lock.stats();
        assertThat(stats.acquisitions()).isEqualTo(3);
        assertThat(stats.contended()).isZero();
        assertThat(stats.timedHolds()).isZero();
        assertThat(lock.waitHistogram().count()).isZero();
    }

    @Test
    @DisplayName("a thread of instance b waiting for instance a's hold is counted, timed and named on b only")
    void aContendedWaitIsCountedWhereTheThreadWaited() {
        Lock a = lockOn("a", "counted");
        Lock b = lockOn("b", "counted");
        a.acquire();
        Worker waiter = start("b-waiter", () -> {
            b.acquire();
            b.release();
        });
        waitUntil("b's thread waits, in the store too",
                () -> b.stats().waiting() == 1 && a.occupancy().waiters().size() == 1);
        assertThat(b.waitingThreadNames()).containsExactly("b-waiter");
        assertThat(a.waitingThreadNames()).as("a sees its own threads only").isEmpty();
        assertThat(a.occupancy().waiters()).as("the backend sees every instance's").containsExactly("b/b-waiter");
        assertThat(a.occupancy().holders()).containsExactly("a/" + Thread.currentThread().getName());
        a.release();
        waiter.join();
        assertThat(b.stats().contended()).isEqualTo(1);
        assertThat(b.waitHistogram().count()).isEqualTo(1);
        assertThat(b.stats().timeouts()).isZero();
        assertThat(a.stats().contended()).isZero();
        assertThat(a.waitHistogram().count()).isZero();
        assertThat(b.stats().timedHolds()).as("b's hold began contended: timed exactly").isEqualTo(1);
        assertThat(a.stats().timedHolds()).as("a's hold was waited on by another instance only").isZero();
    }

    @Test
    @DisplayName("acquire(), hold(), lock() and acquire(Duration) are not interruptible: the wait goes on, the status stays")
    void pythonAcquireIsNotInterruptible() {
        Lock a = lockOn("a", "stubborn");
        Lock b = lockOn("b", "stubborn");
        for (int form = 0; form < 4; form++) {
            int which = form;
            a.acquire();
            AtomicBoolean interruptedAfter = new AtomicBoolean();
            Worker waiter = start("waiter-" + form, () -> {
                switch (which) {
                    case 0 -> b.acquire();
                    case 1 -> b.hold();
                    case 2 -> b.lock();
                    default -> assertThat(b.acquire(Duration.ofSeconds(15))).isTrue();
                }
                interruptedAfter.set(Thread.currentThread().isInterrupted());
                b.release();
            });
            waitUntil("the waiter waits", () -> b.stats().waiting() == 1);
            waiter.thread.interrupt();
            waitUntilParked(waiter.thread);
            assertThat(waiter.finished()).isFalse();
            a.release();
            waiter.join();
            assertThat(interruptedAfter).as("form " + form).isTrue();
        }
        assertThat(b.stats().timeouts()).isZero();
        assertThat(b.stats().contended()).isEqualTo(4);
    }

    @Test
    @DisplayName("an interrupted thread still acquires a free shared lock with acquire(), and keeps its status")
    void anInterruptedThreadAcquiresAFreeLock() {
        Lock lock = lockOn("a", "free");
        Thread.currentThread().interrupt();
        try {
            lock.acquire();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            lock.release();
            assertThat(lock.acquire(false)).isTrue();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            lock.release();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    @DisplayName("lockInterruptibly() and tryLock(time, unit) are interruptible: on entry and while waiting")
    void juculMethodsAreInterruptible() throws Exception {
        Lock a = lockOn("a", "polite");
        Lock b = lockOn("b", "polite");
        a.acquire();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean statusAfter = new AtomicBoolean(true);
        Worker waiter = start("waiter", () -> {
            try {
                b.lockInterruptibly();
            } catch (InterruptedException e) {
                thrown.set(e);
                statusAfter.set(Thread.currentThread().isInterrupted());
            }
        });
        waitUntil("the waiter waits", () -> b.stats().waiting() == 1);
        waiter.thread.interrupt();
        waiter.join();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(statusAfter).as("cleared").isFalse();
        assertThat(b.stats().contended()).isEqualTo(1);
        assertThat(b.stats().timeouts()).isZero();
        assertThat(b.waitingThreadNames()).isEmpty();

        Thread.currentThread().interrupt();
        assertThatExceptionOfType(InterruptedException.class).isThrownBy(() -> b.tryLock(1, TimeUnit.SECONDS));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(b.tryLock(0, TimeUnit.SECONDS)).as("zero only tries").isFalse();
        assertThat(b.tryLock(30, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(b.stats().timeouts()).isEqualTo(1);
        a.release();
        assertThat(b.tryLock(1, TimeUnit.SECONDS)).isTrue();
        b.unlock();
    }

    @Test
    @DisplayName("a zero or negative Duration only tries, without waiting; a null one is a NullPointerException")
    void zeroTimeoutOnlyTriesAndNullThrows() {
        Lock a = lockOn("a", "try");
        Lock b = lockOn("b", "try");
        a.acquire();
        long waits = store.waits();
        assertThat(b.acquire(Duration.ZERO)).isFalse();
        assertThat(b.acquire(Duration.ofSeconds(-5))).isFalse();
        assertThat(b.acquire(false)).isFalse();
        assertThat(store.waits()).as("no call that could wait").isEqualTo(waits);
        assertThat(b.stats().failedTries()).isEqualTo(3);
        assertThat(b.stats().contended()).isZero();
        assertThatNullPointerException().isThrownBy(() -> b.acquire((Duration) null))
                .withMessageContaining("overload without a Duration");
        a.release();
    }

    @Test
    @DisplayName("a Lock may be released by another thread, and by another instance; releasing it unlocked throws")
    void aLockIsReleasedByAnyThreadOfAnyInstance() {
        Lock a = lockOn("a", "baton");
        Lock b = lockOn("b", "baton");
        a.acquire();
        start("other-thread", a::release).join();
        assertThat(a.locked()).isFalse();
        a.acquire();
        b.release();
        assertThat(a.locked()).isFalse();
        assertThat(a.stats().ownerName()).as("this JVM's hold is over").isNull();
        assertThatIllegalStateException().isThrownBy(a::release).withMessageContaining("release unlocked lock baton");
        assertThatIllegalStateException().isThrownBy(b::release);
    }

    @Test
    @DisplayName("an RLock counts its holds; a release by a thread or an instance that does not own it is refused")
    void anRLockIsOwned() {
        RLock a = rlockOn("a", "owned");
        RLock b = rlockOn("b", "owned");
        a.acquire();
        a.acquire();
        assertThat(a.acquire(false)).isTrue();
        assertThat(a.holdCount()).isEqualTo(3);
        assertThat(a.owned()).isTrue();
        assertThat(a.stats().holdCount()).isEqualTo(3);
        assertThat(a.toString()).contains("count=3");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        start("stranger", () -> {
            try {
                a.release();
            } catch (IllegalMonitorStateException e) {
                thrown.set(e);
            }
        }).join();
        assertThat(thrown.get()).isInstanceOf(IllegalMonitorStateException.class);
        assertThatExceptionOfType(IllegalMonitorStateException.class).isThrownBy(b::release);
        assertThat(b.holdCount()).isZero();
        a.release();
        a.release();
        assertThat(a.locked()).isTrue();
        assertThat(a.stats().holdCount()).isEqualTo(1);
        a.release();
        assertThat(a.locked()).isFalse();
        assertThat(a.holdCount()).isZero();
        assertThat(a.stats().acquisitions()).isEqualTo(3);
        assertThatExceptionOfType(IllegalMonitorStateException.class).isThrownBy(a::release);
    }

    @Test
    @DisplayName("an unreachable backend: acquire throws BackendUnavailableException holding nothing; stats and occupancy do not")
    void anUnreachableBackendFailsTheCallsButNotTheObservation() {
        Lock lock = lockOn("a", "cut");
        lock.acquire();
        store.goDown();
        LockStats stats = lock.stats();
        assertThat(stats.locked()).as("what this JVM knows: it holds it").isTrue();
        assertThat(stats.ownerName()).isEqualTo(Thread.currentThread().getName());
        Occupancy occupancy = lock.occupancy();
        assertThat(occupancy.complete()).isFalse();
        assertThat(occupancy.holders()).isEmpty();
        assertThat(occupancy.waiters()).isEmpty();
        assertThat(occupancy.note()).contains("holders of Lock cut (backend memory) unknown", "store is down");
        assertThat(lock.toString()).contains("name=cut", "state unknown");
        assertThat(lock.waitingThreadNames()).isEmpty();
        assertThat(lock.backend()).isEqualTo("memory");

        assertThatExceptionOfType(BackendUnavailableException.class).isThrownBy(lock::locked);
        assertThatExceptionOfType(BackendUnavailableException.class).isThrownBy(lock::release)
                .withMessageContaining("release on lock cut");
        assertThat(lock.stats().ownerName()).as("a release that may have happened ends the hold here").isNull();
        assertThatExceptionOfType(BackendUnavailableException.class).isThrownBy(lock::acquire)
                .withMessageContaining("acquire on lock cut");
        assertThatExceptionOfType(BackendUnavailableException.class).isThrownBy(() -> lock.acquire(false));
        assertThatExceptionOfType(BackendUnavailableException.class).isThrownBy(lock::fencingToken);
        assertThat(lock.stats().acquisitions()).as("only the first acquisition").isEqualTo(1);
        assertThat(lock.stats().locked()).isFalse();
        store.comeBack();
        assertThat(lock.acquire(false)).as("the store still had the hold; the lease would free it").isFalse();
    }

    @Test
    @DisplayName("a wait in progress when the backend goes away ends with BackendUnavailableException: contended, no timeout")
    void aWaitEndsWhenTheBackendGoesAway() {
        Lock a = lockOn("a", "dropped");
        Lock b = lockOn("b", "dropped");
        a.acquire();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Worker waiter = start("waiter", () -> {
            try {
                b.acquire(Duration.ofSeconds(15));
            } catch (BackendUnavailableException e) {
                thrown.set(e);
            }
        });
        waitUntil("the waiter waits", () -> b.stats().waiting() == 1);
        store.goDown();
        waiter.join();
        assertThat(thrown.get()).isInstanceOf(BackendUnavailableException.class);
        LockStats stats = b.stats();
        assertThat(stats.contended()).isEqualTo(1);
        assertThat(stats.timeouts()).isZero();
        assertThat(stats.acquisitions()).isZero();
        assertThat(stats.waiting()).isZero();
        assertThat(b.waitingThreadNames()).isEmpty();
        store.comeBack();
        a.release();
    }

    @Test
    @DisplayName("Condition and newCondition() refuse a shared lock, naming it and saying a condition needs a local lock")
    void conditionsNeedALocalLock() {
        Lock lock = lockOn("a", "inventory");
        RLock rlock = rlockOn("a", "stock");
        assertThatIllegalArgumentException().isThrownBy(() -> new Condition(lock))
                .withMessageContaining("a Condition needs a local lock")
                .withMessageContaining("Lock inventory is shared (backend memory)");
        assertThatIllegalArgumentException().isThrownBy(() -> new Condition("c", rlock))
                .withMessageContaining("RLock stock is shared");
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(lock::newCondition)
                .withMessageContaining("newCondition() on Lock inventory")
                .withMessageContaining("a Condition needs a local lock");
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(rlock::newCondition);
    }

    @Test
    @DisplayName("DeadlockDetector reports a cycle through shared Locks of one instance, and one through two instances")
    void theDeadlockDetectorSeesCyclesThroughSharedLocks() throws Exception {
        Lock first = lockOn("a", "first");
        Lock second = lockOn("a", "second");
        List<Deadlock> oneInstance = crossed(first, second, second, first);
        assertThat(oneInstance).singleElement().satisfies(deadlock -> {
            assertThat(deadlock.threadNames()).containsExactlyInAnyOrder("one", "two");
            assertThat(deadlock.lockNames()).containsExactlyInAnyOrder("first", "second");
        });
        // Thread two is instance b's: for instance a it is "b/two", known from the shared state's holders and waiters.
        // Both instances live in this JVM here, so the detector also finds b's view of the same cycle.
        List<Deadlock> twoInstances = crossed(lockOn("a", "third"), lockOn("a", "fourth"), lockOn("b", "fourth"),
                lockOn("b", "third"));
        assertThat(twoInstances).hasSize(2).anySatisfy(deadlock -> {
            assertThat(deadlock.waits()).containsExactly(
                    new Deadlock.Wait("one", deadlock.waits().get(0).threadId(), "fourth", "b/two",
                            Deadlock.ANOTHER_INSTANCE),
                    new Deadlock.Wait("b/two", Deadlock.ANOTHER_INSTANCE, "third", "one",
                            deadlock.waits().get(0).threadId()));
            assertThat(deadlock.toString()).isEqualTo("\"one\" (#" + deadlock.waits().get(0).threadId()
                    + ") waits for lock fourth held by \"b/two\"; \"b/two\" waits for lock third held by \"one\" (#"
                    + deadlock.waits().get(0).threadId() + ")");
        });
    }

    /**
     * Thread one takes {@code oneHolds} then waits for {@code oneWants}; thread two takes {@code twoHolds} then waits
     * for {@code twoWants}. @return what the detector finds while both wait; both are ended before it returns
     */
    private static List<Deadlock> crossed(Lock oneHolds, Lock oneWants, Lock twoHolds, Lock twoWants)
            throws Exception {
        CountDownLatch bothHold = new CountDownLatch(2);
        Worker one = start("one", () -> holdThenWait(oneHolds, oneWants, bothHold));
        Worker two = start("two", () -> holdThenWait(twoHolds, twoWants, bothHold));
        try {
            waitUntil("both wait", () -> oneWants.stats().waiting() == 1 && twoWants.stats().waiting() == 1);
            return DeadlockDetector.findDeadlocks();
        } finally {
            one.thread.interrupt();
            two.thread.interrupt();
            one.join();
            two.join();
        }
    }

    private static void holdThenWait(Lock holds, Lock wants, CountDownLatch bothHold) throws InterruptedException {
        holds.acquire();
        try {
            bothHold.countDown();
            bothHold.await();
            wants.lockInterruptibly();
            wants.unlock();
        } catch (InterruptedException ended) {
            // the test ends the wait this way
        } finally {
            holds.release();
        }
    }

    @Test
    @DisplayName("shared() checks its arguments; the backend and the name are the given ones")
    void factoriesCheckTheirArguments() {
        assertThatNullPointerException().isThrownBy(() -> Lock.shared(null,
                store.instance("a").lock("x", false, false, LEASE))).withMessage("name");
        assertThatNullPointerException().isThrownBy(() -> RLock.shared("x", null)).withMessage("state");
        RLock lock = rlockOn("a", "named");
        assertThat(lock.name()).isEqualTo("named");
        assertThat(lock.backend()).isEqualTo("memory");
        assertThat(new RLock().backend()).isEqualTo(Primitive.LOCAL_BACKEND).isEqualTo("local");
        assertThat(lock.stats().reentrant()).isTrue();
        assertThat(lock.stats().fair()).isFalse();
    }
}
