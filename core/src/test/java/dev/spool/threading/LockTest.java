package dev.spool.threading;

import static dev.spool.threading.Concurrently.start;
import static dev.spool.threading.Concurrently.waitUntil;
import static dev.spool.threading.Concurrently.waitUntilParked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.threading.Concurrently.Worker;

/**
 * {@link Lock}: CPython's {@code LockTests} (the base cases are in {@link BaseLockTests}), the
 * {@link java.util.concurrent.locks.Lock} methods, interruption, and names.
 *
 * <p>Not applicable, and why:
 * <ul>
 *   <li>L-19 ({@code Lock(1)}, {@code Lock(a=1)} → TypeError): Java checks constructor arguments at compile time;
 *       the only constructors are {@code ()}, {@code (String)} and {@code (String, boolean)}.</li>
 *   <li>L-20 (subclassing Lock → TypeError): its Java form is that {@code Lock} is final, tested below.</li>
 * </ul>
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS) // every test here may block; the base class says the same
class LockTest extends BaseLockTests {

    @Override
    Lockish newLock() {
        return Lockish.of(new Lock());
    }

    @Test
    @DisplayName("L-14 a thread acquiring a Lock it holds waits until another thread releases it")
    void reacquireWaitsUntilAnotherThreadReleases() {
        Lock lock = new Lock();
        AtomicBoolean second = new AtomicBoolean();
        Worker worker = start("reacquirer", () -> {
            lock.acquire();
            lock.acquire();
            second.set(true);
            lock.release();
        });
        waitUntil("the worker waits for its own lock", () -> lock.stats().waiting() == 1);
        assertThat(second).isFalse();
        assertThat(DeadlockDetector.findDeadlocks()).as("waiting for a Lock one holds is a signal, not a deadlock")
                .isEmpty();
        lock.release();
        worker.join();
        assertThat(second).isTrue();
        assertThat(lock.locked()).isFalse();
    }

    @Test
    @DisplayName("L-15 another thread may release a Lock")
    void anotherThreadMayRelease() {
        Lock lock = new Lock();
        lock.acquire();
        start("releaser", lock::release).join();
        assertThat(lock.locked()).isFalse();
        assertThat(lock.stats().ownerName()).isNull();
        assertThat(lock.acquire(false)).isTrue();
        lock.release();
    }

    @Test
    @DisplayName("L-17 releasing an unlocked Lock throws IllegalStateException")
    void releasingAnUnlockedLockThrows() {
        Lock lock = new Lock("l17");
        assertThatIllegalStateException().isThrownBy(lock::release).withMessageContaining("release unlocked lock");
        lock.acquire();
        lock.release();
        assertThatIllegalStateException().isThrownBy(lock::unlock);
        Guard guard = lock.hold();
        guard.close();
        assertThatIllegalStateException().as("a guard closed twice releases twice").isThrownBy(guard::close);
        assertThat(lock.locked()).isFalse();
    }

    @Test
    @DisplayName("L-20 Lock cannot be subclassed (it is final)")
    void lockIsFinal() {
        assertThat(Modifier.isFinal(Lock.class.getModifiers())).isTrue();
    }

    @Test
    @DisplayName("L-18 toString is Lock[name=…, unlocked] or Lock[name=…, locked, owner=…]")
    void toStringFormat() {
        Lock lock = new Lock("inventory");
        assertThat(lock).hasToString("Lock[name=inventory, unlocked]");
        lock.acquire();
        assertThat(lock).hasToString("Lock[name=inventory, locked, owner=" + Thread.currentThread().getName() + "]");
        lock.release();
    }

    @Test
    @DisplayName("names: given, or generated as Lock-n; fairness is reported")
    void namesAndFairness() {
        assertThat(new Lock().name()).matches("Lock-\\d+");
        assertThat(new Lock("a").name()).isEqualTo("a");
        assertThat(new Lock("f", true).stats().fair()).isTrue();
        assertThat(new Lock("u").stats().fair()).isFalse();
        assertThat(new Lock("u").stats().reentrant()).isFalse();
        assertThatNullPointerException().isThrownBy(() -> new Lock(null));
    }

    @Test
    @DisplayName("a fair Lock serves waiting threads in arrival order")
    void fairLockServesInArrivalOrder() {
        Lock lock = new Lock("fair", true);
        lock.acquire();
        StringBuffer order = new StringBuffer();
        Worker first = start("first", () -> {
            lock.acquire();
            order.append("1");
            lock.release();
        });
        waitUntil("first waits", () -> lock.stats().waiting() == 1);
        waitUntilParked(first.thread);
        Worker second = start("second", () -> {
            lock.acquire();
            order.append("2");
            lock.release();
        });
        waitUntil("second waits", () -> lock.stats().waiting() == 2);
        waitUntilParked(second.thread);
        lock.release();
        first.join();
        second.join();
        assertThat(order).hasToString("12");
    }

    // ------------------------------------------------------------------------------------------ interruption and JUC

    @Test
    @DisplayName("acquire() is not interruptible: the wait goes on, and the interrupt status is kept")
    void acquireIgnoresInterruptsAndKeepsTheStatus() {
        Lock lock = new Lock();
        lock.acquire();
        AtomicBoolean releasedFirst = new AtomicBoolean();
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        AtomicBoolean acquiredAfterRelease = new AtomicBoolean();
        Worker waiter = start("waiter", () -> {
            lock.acquire();
            acquiredAfterRelease.set(releasedFirst.get());
            interruptedAfter.set(Thread.currentThread().isInterrupted());
            lock.release();
        });
        waitUntil("the waiter waits", () -> lock.stats().waiting() == 1);
        waiter.thread.interrupt();
        waitUntilParked(waiter.thread); // it took the interrupt in and parked again
        assertThat(waiter.finished()).isFalse();
        releasedFirst.set(true);
        lock.release();
        waiter.join();
        assertThat(acquiredAfterRelease).isTrue();
        assertThat(interruptedAfter).isTrue();
    }

    @Test
    @DisplayName("acquire(Duration) is not interruptible either, and still times out on time")
    void timedAcquireIgnoresInterrupts() {
        Lock lock = new Lock();
        lock.acquire();
        AtomicBoolean result = new AtomicBoolean(true);
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        long timeout = Duration.ofMillis(300).toNanos();
        long[] elapsed = {0};
        Worker waiter = start("waiter", () -> {
            long t0 = System.nanoTime();
            result.set(lock.acquire(Duration.ofNanos(timeout)));
            elapsed[0] = System.nanoTime() - t0;
            interruptedAfter.set(Thread.interrupted());
        });
        waitUntil("the waiter waits", () -> lock.stats().waiting() == 1);
        waiter.thread.interrupt();
        waiter.join();
        assertThat(result).isFalse();
        assertThat(elapsed[0]).isBetween(timeout, 10 * timeout);
        assertThat(interruptedAfter).isTrue();
        lock.release();
    }

    @Test
    @DisplayName("lockInterruptibly() and tryLock(time) throw InterruptedException and clear the status")
    void interruptibleFormsThrow() throws Exception {
        Lock lock = new Lock();
        lock.acquire();
        AtomicBoolean threw = new AtomicBoolean();
        Worker waiter = start("waiter", () -> {
            try {
                lock.lockInterruptibly();
            } catch (InterruptedException e) {
                threw.set(!Thread.currentThread().isInterrupted());
            }
        });
        waitUntil("the waiter waits", () -> lock.stats().waiting() == 1);
        waiter.thread.interrupt();
        waiter.join();
        assertThat(threw).isTrue();

        AtomicBoolean timedThrew = new AtomicBoolean();
        Worker timed = start("timed", () -> {
            try {
                lock.tryLock(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                timedThrew.set(true);
            }
        });
        waitUntil("the timed waiter waits", () -> lock.stats().waiting() == 1);
        timed.thread.interrupt();
        timed.join();
        assertThat(timedThrew).isTrue();
        assertThat(lock.stats().waiting()).isZero();
        assertThat(lock.stats().contended()).isEqualTo(2);
        lock.release();
    }

    @Test
    @DisplayName("the java.util.concurrent.locks.Lock methods: tryLock, tryLock(time) timing out, lock/unlock")
    void jucLockMethods() throws Exception {
        Lock lock = new Lock();
        assertThat(lock.tryLock()).isTrue();
        assertThat(lock.tryLock()).isFalse();
        assertThat(lock.tryLock(0, TimeUnit.SECONDS)).isFalse();
        AtomicBoolean result = new AtomicBoolean(true);
        start("timed", () -> result.set(lock.tryLock(20, TimeUnit.MILLISECONDS))).join();
        assertThat(result).isFalse();
        assertThat(lock.stats().timeouts()).isEqualTo(1);
        lock.unlock();
        lock.lock();
        lock.unlock();
        assertThat(lock.stats().acquisitions()).isEqualTo(2);
        assertThat(lock.stats().failedTries()).isEqualTo(2);
    }

    @Test
    @DisplayName("newCondition() gives a working java.util.concurrent Condition")
    void newConditionWorks() throws Exception {
        Lock lock = new Lock();
        java.util.concurrent.locks.Condition condition = lock.newCondition();
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicBoolean woken = new AtomicBoolean();
        Worker waiter = start("waiter", () -> {
            lock.lock();
            try {
                waiting.countDown();
                woken.set(condition.await(10, TimeUnit.SECONDS));
                assertThat(lock.stats().ownerName()).isEqualTo("waiter");
            } finally {
                lock.unlock();
            }
        });
        waiting.await();
        lock.lock(); // the waiter released it in await
        condition.signal();
        lock.unlock();
        waiter.join();
        assertThat(woken).isTrue();
        assertThat(lock.locked()).isFalse();
    }
}
