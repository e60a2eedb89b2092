package dev.spool.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.spool.threading.DeadlockDetector;
import dev.spool.threading.Lock;

/**
 * Two threads, {@code first} and {@code second}, that each hold one lock and wait for the other's: a real deadlock,
 * but a bounded one. Each waits with a timeout, so a failing test still ends; {@link #breakIt()} ends it at once by
 * releasing the first lock from outside (any thread may release a {@link Lock}).
 */
public final class BoundedDeadlock {

    private final Lock a;
    private final Thread first;
    private final Thread second;

    private BoundedDeadlock(Lock a, Thread first, Thread second) {
        this.a = a;
        this.first = first;
        this.second = second;
    }

    /**
     * Deadlocks two threads on {@code a} and {@code b}, and returns once {@link DeadlockDetector} sees the cycle.
     *
     * @param a the lock {@code first} holds and {@code second} waits for
     * @param b the lock {@code second} holds and {@code first} waits for
     * @return the deadlock, to break at the end of the test
     * @throws InterruptedException if the test is interrupted
     */
    public static BoundedDeadlock between(Lock a, Lock b) throws InterruptedException {
        CountDownLatch bothHeld = new CountDownLatch(2);
        Thread first = Thread.ofPlatform().name("first").start(() -> {
            a.acquire();
            bothHeld.countDown();
            if (awaitQuietly(bothHeld) && b.acquire(Duration.ofSeconds(30))) {
                b.release(); // a is released by breakIt(), on this thread's behalf
            }
        });
        Thread second = Thread.ofPlatform().name("second").start(() -> {
            b.acquire();
            bothHeld.countDown();
            if (awaitQuietly(bothHeld) && a.acquire(Duration.ofSeconds(30))) {
                a.release();
            }
            b.release();
        });
        assertThat(bothHeld.await(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> !DeadlockDetector.findDeadlocks().isEmpty());
        return new BoundedDeadlock(a, first, second);
    }

    /**
     * Releases {@code a} on behalf of {@code first}: {@code second} gets it, finishes and releases {@code b}, which
     * lets {@code first} finish. Returns when both threads have ended.
     *
     * @throws InterruptedException if the test is interrupted
     */
    public void breakIt() throws InterruptedException {
        this.a.release();
        this.first.join(40_000);
        this.second.join(40_000);
        assertThat(this.first.isAlive() || this.second.isAlive()).as("both threads ended").isFalse();
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
