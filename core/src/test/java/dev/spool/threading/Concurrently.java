package dev.spool.threading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import dev.spool.testing.Waiting;

/**
 * Test helpers: threads whose failures reach the test, and bounded re-check loops (never a fixed sleep) for "this
 * thread is blocked now".
 */
final class Concurrently {
    /** The longest any helper waits for something that should happen promptly; tests' @Timeout is the real guard. */
    static final Duration PATIENCE = Waiting.PATIENCE;

    private Concurrently() {
    }

    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /** Re-checks {@code condition} every 200 µs until it holds; fails the test after {@link Waiting#PATIENCE}. */
    static void waitUntil(String what, BooleanSupplier condition) {
        Waiting.until(what, condition);
    }

    /** Waits until the thread is parked (WAITING or TIMED_WAITING) with no interrupt pending. */
    static void waitUntilParked(Thread thread) {
        waitUntil(thread.getName() + " is parked", () -> {
            Thread.State state = thread.getState();
            return (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) && !thread.isInterrupted();
        });
    }

    /** Parks the calling thread for at least {@code nanos}, measured: the one place where time must pass. */
    static long holdFor(long nanos) {
        long start = System.nanoTime();
        long left;
        while ((left = nanos - (System.nanoTime() - start)) > 0) {
            LockSupport.parkNanos(left);
        }
        return System.nanoTime() - start;
    }

    static Worker start(String name, Body body) {
        Worker worker = new Worker(name, body);
        worker.thread.start();
        return worker;
    }

    static List<Worker> startAll(String prefix, int count, Body body) {
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            workers.add(start(prefix + "-" + i, body));
        }
        return workers;
    }

    static void joinAll(List<Worker> workers) {
        for (Worker worker : workers) {
            worker.join();
        }
    }

    /** A started thread that keeps what it threw, so that {@link #join()} can fail the test with it. */
    static final class Worker {
        final Thread thread;
        private volatile Throwable failure;
        private volatile boolean finished;

        private Worker(String name, Body body) {
            this.thread = new Thread(() -> {
                try {
                    body.run();
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    finished = true;
                }
            }, name);
            thread.setDaemon(true);
        }

        boolean finished() {
            return finished;
        }

        Throwable failure() {
            return failure;
        }

        /** Joins (bounded) and rethrows what the thread threw. */
        void join() {
            try {
                TimeUnit.NANOSECONDS.timedJoin(thread, PATIENCE.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while joining " + thread.getName());
            }
            assertThat(thread.isAlive()).as(thread.getName() + " ended").isFalse();
            if (failure != null) {
                throw new AssertionError(thread.getName() + " failed: " + failure, failure);
            }
        }
    }
}
