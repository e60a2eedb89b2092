package dev.spool.sample.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

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
 *
 * <p>With the bays in Redis ({@code spool.locks.bay-a.backend: redis}, {@code bay-b} likewise) the deadlock can also
 * run through two replicas: {@link #provokeHalf} starts one of the two transfers, which reaches for its second bay
 * once the other replica's transfer holds it. Each replica's {@code /actuator/primitives} then lists the cycle, with
 * the other replica's thread named {@code instance/thread}.
 */
@Component
public class DeadlockDemo {

    private static final Logger log = LoggerFactory.getLogger(DeadlockDemo.class);
    private static final int MEET_SECONDS = 5;
    private static final Duration MEET = Duration.ofSeconds(MEET_SECONDS);

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
        checkLasting(lasting);
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

    /**
     * Starts one of the two transfers, for a deadlock through two replicas: call it with {@code "a-to-b"} on one and
     * {@code "b-to-a"} on the other, within {@value #MEET_SECONDS} s. The transfer takes its source bay, waits until
     * the destination bay is held (by the other replica's transfer), then waits for it, at most {@code lasting}.
     *
     * @param lasting   as in {@link #provoke}
     * @param direction {@code "a-to-b"} or {@code "b-to-a"}
     * @return the deadlock going on
     * @throws IllegalArgumentException if {@code lasting} is outside 1 s to 120 s, or the direction is neither
     */
    public synchronized Status provokeHalf(Duration lasting, String direction) {
        checkLasting(lasting);
        boolean aToB = switch (direction) {
            case "a-to-b" -> true;
            case "b-to-a" -> false;
            default -> throw new IllegalArgumentException("only: a-to-b or b-to-a, was '" + direction + "'");
        };
        if (this.current.running()) {
            return this.current;
        }
        Lock from = aToB ? this.bayA : this.bayB;
        Lock to = aToB ? this.bayB : this.bayA;
        // Opens once this transfer holds its bay (it counts down itself) and the other replica holds the other one.
        CountDownLatch bothHeld = new CountDownLatch(2);
        Thread half = transfer("transfer-" + direction, from, to, bothHeld, lasting);
        Thread.ofPlatform().daemon().name("transfer-meet").start(() -> {
            long deadline = System.nanoTime() + MEET.toNanos();
            while (!to.locked() && System.nanoTime() < deadline) { // the other replica's hold, read from Redis
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            bothHeld.countDown();
        });
        Status started = new Status(true, List.of(from.name(), to.name()), Instant.now().plus(lasting));
        this.current = started;
        log.info("Deadlock demo: {} holds {} and waits for {} once another replica holds it, for {} s",
                half.getName(), from.name(), to.name(), lasting.toSeconds());
        half.start();
        Thread.ofPlatform().daemon().name("transfer-watch").start(() -> {
            join(half);
            ended(started);
        });
        return started;
    }

    private static void checkLasting(Duration lasting) {
        if (lasting.compareTo(Duration.ofSeconds(1)) < 0 || lasting.compareTo(Duration.ofSeconds(120)) > 0) {
            throw new IllegalArgumentException("seconds: 1 to 120, was " + lasting.toSeconds());
        }
    }

    /** @return the deadlock going on, or the last one */
    public synchronized Status status() {
        return this.current;
    }

    private synchronized void ended(Status started) {
        this.current = new Status(false, started.locks(), started.healsAt());
        log.info("Deadlock demo: both transfers gave up and released their bays");
    }

    /**
     * Takes {@code from}, counts {@code bothHeld} down, and once it is open (at most {@link #MEET} later) waits for
     * {@code to}, at most {@code lasting}.
     */
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
