package dev.spool.autoconfigure.alerts;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.spool.futures.ThreadPool;

/**
 * Keeps workers of a real pool busy and tasks in its queue, all parked on one latch, until {@link #close()}: the
 * sustained saturation the alert tests measure, with no sleep.
 */
final class Occupied implements AutoCloseable {

    private final CountDownLatch release = new CountDownLatch(1);

    private Occupied() {
    }

    /**
     * @param pool    the pool
     * @param workers tasks that start (each takes a worker) and park
     * @param queued  tasks queued behind them (the pool must have no idle worker left to run them)
     * @return the occupation, released by {@link #close()}
     */
    static Occupied occupy(ThreadPool pool, int workers, int queued) {
        Occupied occupied = new Occupied();
        occupied.add(pool, workers, queued);
        return occupied;
    }

    /** Adds more of the same to a pool (after the earlier ones have drained, say). */
    Occupied add(ThreadPool pool, int workers, int queued) {
        int activeBefore = pool.stats().active();
        int queuedBefore = pool.stats().queued();
        CountDownLatch started = new CountDownLatch(workers);
        for (int i = 0; i < workers; i++) {
            pool.submit(() -> {
                started.countDown();
                park();
            });
        }
        await("workers started").atMost(Duration.ofSeconds(10)).until(() -> started.getCount() == 0
                && pool.stats().active() == activeBefore + workers);
        for (int i = 0; i < queued; i++) {
            pool.submit(this::park);
        }
        await("tasks queued").atMost(Duration.ofSeconds(10))
                .until(() -> pool.stats().queued() == queuedBefore + queued);
        return this;
    }

    private void park() {
        try {
            release.await(30, TimeUnit.SECONDS); // bounded: a failed test must not leave a worker parked for ever
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lets every parked task end. */
    @Override
    public void close() {
        release.countDown();
    }
}
