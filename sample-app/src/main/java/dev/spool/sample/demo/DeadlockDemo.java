package dev.spool.sample.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.spool.threading.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * A deadlock that heals by itself, for the console and the end-to-end run to show: two stock transfers, one from bay
 * A to bay B and one back, each taking its source bay's lock and then, while holding it, the destination's. Run at
 * the same moment they wait for each other, a cycle that {@code /actuator/primitives} lists under {@code deadlocks}
 * and the {@code spool} health reports (DOWN) while it lasts. Each waits for the second lock with a timeout, so after
 * that both give up, release what they hold and end: the app is as before. One deadlock at a time.
 */
@Component
public class DeadlockDemo {

    private static final Logger log = LoggerFactory.getLogger(DeadlockDemo.class);
    private static final Duration MEET = Duration.ofSeconds(5);

    private final Lock bayA;
    private final Lock bayB;
    private Status current = new Status(false, List.of(), null);

    /**
     * Makes the demo.
     *
     * @param bayA the lock of bay A ({@code spool.locks.bay-a})
     * @param bayB the lock of bay B ({@code spool.locks.bay-b})
     */
    public DeadlockDemo(@Qualifier("bay-a") Lock bayA, @Qualifier("bay-b") Lock bayB) {
        this.bayA = bayA;
        this.bayB = bayB;
    }

    /**
     * Starts the two transfers, unless a deadlock is going on already.
     *
     * @param lasting how long each transfer waits for its second lock, so how long the deadlock lasts; 1 s to 120 s
     * @return the deadlock going on
     * @throws IllegalArgumentException if {@code lasting} is outside 1 s to 120 s
     */
    public synchronized Status provoke(Duration lasting) {
        if (lasting.compareTo(Duration.ofSeconds(1)) < 0 || lasting.compareTo(Duration.ofSeconds(120)) > 0) {
            throw new IllegalArgumentException("seconds: 1 to 120, was " + lasting.toSeconds());
        }
        if (this.current.running()) {
            return this.current;
        }
        CountDownLatch bothHeld = new CountDownLatch(2);
        Thread there = transfer("transfer-a-to-b", this.bayA, this.bayB, bothHeld, lasting);
        Thread back = transfer("transfer-b-to-a", this.bayB, this.bayA, bothHeld, lasting);
        Status started = new Status(true, List.of(this.bayA.name(), this.bayB.name()), Instant.now().plus(lasting));
        this.current = started;
        log.info("Deadlock demo: {} and {} wait for each other's bay for {} s", there.getName(), back.getName(),
                lasting.toSeconds());
        there.start();
        back.start();
        // Started after both: joining a thread not yet started returns at once.
        Thread.ofPlatform().daemon().name("transfer-watch").start(() -> {
            join(there);
            join(back);
            ended(started);
        });
        return started;
    }

    /** @return the deadlock going on, or the last one */
    public synchronized Status status() {
        return this.current;
    }

    private synchronized void ended(Status started) {
        this.current = new Status(false, started.locks(), started.healsAt());
        log.info("Deadlock demo: both transfers gave up and released their bays");
    }

    private static Thread transfer(String name, Lock from, Lock to, CountDownLatch bothHeld, Duration lasting) {
        return Thread.ofPlatform().daemon().name(name).unstarted(() -> {
            from.acquire();
            try {
                bothHeld.countDown();
                // Only once the other transfer holds its bay does this one reach for it: a sure cycle.
                if (bothHeld.await(MEET.toMillis(), TimeUnit.MILLISECONDS) && to.acquire(lasting)) {
                    to.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                from.release();
            }
        });
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A deadlock of the demo.
     *
     * @param running whether its transfers still wait
     * @param locks   the locks in the cycle
     * @param healsAt when both give up
     */
    public record Status(boolean running, List<String> locks, Instant healsAt) {
    }
}
