package dev.spool.threading;

import static dev.spool.threading.Concurrently.start;
import static dev.spool.threading.Concurrently.waitUntil;
import static dev.spool.threading.Concurrently.waitUntilParked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.lang.reflect.Modifier;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.threading.Concurrently.Worker;

/**
 * {@link RLock}: CPython's {@code RLockTests} (L-01…L-13, L-18 and L-21 run from {@link BaseLockTests}).
 *
 * <p>Not applicable, and why:
 * <ul>
 *   <li>R-10 ({@code RLock(1)} → DeprecationWarning/TypeError; a subclass may take its own arguments): Java checks
 *       constructor arguments at compile time, and {@code RLock} is final (tested below).</li>
 *   <li>R-11 ({@code acquire(False, 1)} → ValueError): {@code acquire(boolean)} takes no timeout.</li>
 *   <li>R-06 ({@code _release_save()} unowned → RuntimeError): {@code _release_save} is Condition's internal; its Java
 *       form is {@code Condition.await()} on an RLock the thread does not own, tested below.</li>
 * </ul>
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS) // every test here may block; the base class says the same
class RLockTest extends BaseLockTests {

    @Override
    Lockish newLock() {
        return Lockish.of(new RLock());
    }

    @Test
    @DisplayName("R-01 the owner may acquire again: acquire, acquire, release, acquire, release, release")
    void ownerMayReacquire() {
        RLock lock = new RLock();
        lock.acquire();
        lock.acquire();
        lock.release();
        lock.acquire();
        lock.release();
        lock.release();
        assertThat(lock.locked()).isFalse();
        assertThat(lock.stats().acquisitions()).isEqualTo(3);
    }

    @Test
    @DisplayName("R-02 releasing a fresh RLock, or once too often, throws IllegalMonitorStateException")
    void releasingAnUnacquiredRLockThrows() {
        RLock lock = new RLock("r02");
        assertThatExceptionOfType(IllegalMonitorStateException.class).isThrownBy(lock::release)
                .withMessageContaining("cannot release un-acquired lock");
        lock.acquire();
        lock.acquire();
        lock.release();
        lock.release();
        assertThatExceptionOfType(IllegalMonitorStateException.class).isThrownBy(lock::release);
        assertThatExceptionOfType(IllegalMonitorStateException.class).isThrownBy(lock::unlock);
        assertThat(lock.locked()).isFalse();
    }

    @Test
    @DisplayName("R-03 only the owner may release: another thread's release throws IllegalMonitorStateException")
    void onlyTheOwnerMayRelease() {
        RLock lock = new RLock();
        lock.acquire();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        start("intruder", () -> {
            try {
                lock.release();
            } catch (IllegalMonitorStateException e) {
                thrown.set(e);
            }
        }).join();
        assertThat(thrown.get()).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("owned by another thread");
        assertThat(lock.holdCount()).isEqualTo(1);
        lock.release();
    }

    @Test
    @DisplayName("R-04 holdCount goes 0, 1, 3, 2, 0; another thread's lock reads 0 from here")
    void holdCountFollowsAcquisitions() throws Exception {
        RLock lock = new RLock();
        assertThat(lock.holdCount()).isZero();
        lock.acquire();
        assertThat(lock.holdCount()).isEqualTo(1);
        lock.acquire();
        lock.acquire();
        assertThat(lock.holdCount()).isEqualTo(3);
        lock.release();
        assertThat(lock.holdCount()).isEqualTo(2);
        lock.release();
        lock.release();
        assertThat(lock.holdCount()).isZero();

        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch releaseNow = new CountDownLatch(1);
        Worker other = start("other", () -> {
            lock.acquire();
            lock.acquire();
            held.countDown();
            releaseNow.await();
            lock.release();
            lock.release();
        });
        held.await();
        assertThat(lock.holdCount()).isZero();
        assertThat(lock.stats().holdCount()).isEqualTo(2);
        releaseNow.countDown();
        other.join();
    }

    @Test
    @DisplayName("R-05 owned(): false fresh, true after 1 and 2 acquires, false from another thread, false at the end")
    void ownedIsPerThread() {
        RLock lock = new RLock();
        assertThat(lock.owned()).isFalse();
        lock.acquire();
        assertThat(lock.owned()).isTrue();
        lock.acquire();
        assertThat(lock.owned()).isTrue();
        AtomicBoolean ownedThere = new AtomicBoolean(true);
        start("other", () -> ownedThere.set(lock.owned())).join();
        assertThat(ownedThere).isFalse();
        lock.release();
        assertThat(lock.owned()).isTrue();
        lock.release();
        assertThat(lock.owned()).isFalse();
    }

    @Test
    @DisplayName("R-06 (Java form) Condition.await on an RLock the thread does not own throws IllegalMonitorStateException")
    void releaseSaveOfAnUnownedLockThrows() {
        RLock lock = new RLock();
        Condition condition = new Condition(lock);
        assertThatExceptionOfType(IllegalMonitorStateException.class).isThrownBy(condition::await);
        lock.acquire();
        lock.release();
        assertThatExceptionOfType(IllegalMonitorStateException.class).isThrownBy(condition::await);
    }

    @Test
    @DisplayName("R-07 locked(): false fresh, true after 1 and 2 acquires, true after 1 release, false after the last")
    void lockedFollowsHolds() {
        RLock lock = new RLock();
        assertThat(lock.locked()).isFalse();
        lock.acquire();
        assertThat(lock.locked()).isTrue();
        lock.acquire();
        assertThat(lock.locked()).isTrue();
        lock.release();
        assertThat(lock.locked()).isTrue();
        lock.release();
        assertThat(lock.locked()).isFalse();
    }

    @Test
    @DisplayName("R-08 a thread that acquires and ends without releasing leaves the RLock locked")
    void lockStaysLockedWhenItsOwnerEnds() {
        RLock lock = new RLock();
        AtomicBoolean before = new AtomicBoolean(true);
        AtomicBoolean after = new AtomicBoolean();
        start("leaver", () -> {
            before.set(lock.locked());
            lock.acquire();
            after.set(lock.locked());
        }).join();
        assertThat(before).isFalse();
        assertThat(after).isTrue();
        assertThat(lock.locked()).isTrue();
        assertThat(lock.stats().ownerName()).isEqualTo("leaver");
    }

    @Test
    @DisplayName("R-09 toString shows count=0 unlocked, count=2 locked, the same from another thread")
    void toStringShowsTheCountFromAnyThread() {
        RLock lock = new RLock("r09");
        assertThat(lock).hasToString("RLock[name=r09, unlocked, count=0]");
        lock.acquire();
        lock.acquire();
        String expected = "RLock[name=r09, locked, owner=" + Thread.currentThread().getName() + ", count=2]";
        assertThat(lock).hasToString(expected);
        AtomicReference<String> there = new AtomicReference<>();
        start("reader", () -> there.set(lock.toString())).join();
        assertThat(there.get()).isEqualTo(expected);
        lock.release();
        lock.release();
    }

    @Test
    @DisplayName("R-10 (Java form) RLock cannot be subclassed (it is final); names are given or RLock-n")
    void rlockIsFinalAndNamed() {
        assertThat(Modifier.isFinal(RLock.class.getModifiers())).isTrue();
        assertThat(new RLock().name()).matches("RLock-\\d+");
        assertThat(new RLock("inventory", true).stats()).extracting(LockStats::name, LockStats::fair,
                LockStats::reentrant).containsExactly("inventory", true, true);
    }

    @Test
    @DisplayName("re-entries are uncontended, counted as acquisitions, and never timed")
    void reentriesAreCheap() {
        RLock lock = new RLock();
        for (int i = 0; i < 100; i++) {
            lock.acquire();
        }
        LockStats stats = lock.stats();
        assertThat(stats.holdCount()).isEqualTo(100);
        assertThat(stats.acquisitions()).isEqualTo(100);
        assertThat(stats.contended()).isZero();
        for (int i = 0; i < 100; i++) {
            lock.release();
        }
        assertThat(lock.stats().timedHolds()).isZero();
    }

    @Test
    @DisplayName("a contended RLock hold is timed from first acquisition to last release, re-entries inside it")
    void holdTimeSpansReentries() {
        RLock lock = new RLock();
        lock.acquire();
        AtomicInteger reentered = new AtomicInteger();
        Worker waiter = start("waiter", () -> {
            lock.acquire(); // contended: its hold is stamped exactly
            lock.acquire();
            reentered.incrementAndGet();
            Concurrently.holdFor(TimeUnit.MILLISECONDS.toNanos(20));
            lock.release();
            lock.release();
        });
        waitUntil("the waiter waits", () -> lock.stats().waiting() == 1);
        lock.release();
        waiter.join();
        assertThat(reentered).hasValue(1);
        LockStats stats = lock.stats();
        assertThat(stats.timedHolds()).isEqualTo(2);
        assertThat(stats.holdMaxNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
    }

    @Test
    @DisplayName("acquire() is not interruptible; lockInterruptibly() is")
    void interruption() {
        RLock lock = new RLock();
        lock.acquire();
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        Worker waiter = start("waiter", () -> {
            lock.acquire();
            interruptedAfter.set(Thread.currentThread().isInterrupted());
            lock.release();
        });
        waitUntil("the waiter waits", () -> lock.stats().waiting() == 1);
        waiter.thread.interrupt();
        waitUntilParked(waiter.thread);
        assertThat(waiter.finished()).isFalse();
        lock.release();
        waiter.join();
        assertThat(interruptedAfter).isTrue();

        lock.acquire();
        AtomicBoolean threw = new AtomicBoolean();
        Worker interruptible = start("interruptible", () -> {
            try {
                lock.lockInterruptibly();
            } catch (InterruptedException e) {
                threw.set(true);
            }
        });
        waitUntil("it waits", () -> lock.stats().waiting() == 1);
        interruptible.thread.interrupt();
        interruptible.join();
        assertThat(threw).isTrue();
        lock.release();
    }

    @Test
    @DisplayName("newCondition() releases every hold in await and restores them")
    void newConditionRestoresTheHoldCount() throws Exception {
        RLock lock = new RLock();
        java.util.concurrent.locks.Condition condition = lock.newCondition();
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicInteger countAfter = new AtomicInteger();
        Worker waiter = start("waiter", () -> {
            lock.lock();
            lock.lock();
            waiting.countDown();
            condition.await(10, TimeUnit.SECONDS);
            countAfter.set(lock.holdCount());
            lock.unlock();
            lock.unlock();
        });
        waiting.await();
        lock.lock(); // only possible once await released both holds
        condition.signal();
        lock.unlock();
        waiter.join();
        assertThat(countAfter).hasValue(2);
    }
}
