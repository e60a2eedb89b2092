package dev.spool.futures;

import static org.assertj.core.api.Assertions.fail;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.ArrayList;
import java.util.List;

import dev.spool.testing.Waiting;

/**
 * Test helpers that wait for a condition with a deadline. They park briefly between checks, for conditions that no
 * latch can signal (a thread's state, a pool's size after keep-alive); synchronisation between test and task code uses
 * latches.
 */
final class Conditions {
    static final Duration PATIENCE = Waiting.PATIENCE; // one patience for every test package

    private Conditions() {
    }

    /** Waits until {@code condition} holds, failing the test after {@link Waiting#PATIENCE}. */
    static void awaitCondition(String what, BooleanSupplier condition) {
        Waiting.until(what, condition);
    }

    /** Waits until {@code thread} is blocked (parked, waiting or sleeping with a timeout). */
    static void awaitBlocked(Thread thread) {
        Waiting.parked(thread);
    }

    /** Runs {@code action} in a new thread once {@code waiter} is blocked; returns the started thread. */
    static Thread whenBlocked(Thread waiter, Runnable action) {
        Thread thread = new Thread(() -> {
            awaitBlocked(waiter);
            action.run();
        }, "when-blocked");
        thread.start();
        return thread;
    }

    /** Awaits a latch that test code counts down; fails the test after {@link #PATIENCE}. */
    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(PATIENCE.toNanos(), TimeUnit.NANOSECONDS)) {
                fail("timed out waiting for a latch, count " + latch.getCount());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A latch await for task code: returns when the test opens the gate. */
    static void pass(CountDownLatch gate) {
        await(gate);
    }

    /** Waits until the referent is collected, asking for collections meanwhile. */
    static void awaitCollected(WeakReference<?> reference) {
        awaitCondition("the object is garbage collected", () -> {
            System.gc();
            return reference.get() == null;
        });
    }

    static void join(Thread thread) {
        try {
            thread.join(PATIENCE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (thread.isAlive()) {
            fail(thread.getName() + " did not end");
        }
    }

    /** Records what the engine logs on {@code dev.spool.futures}; close it to stop recording. */
    static final class LogCapture extends Handler implements AutoCloseable {
        private final Logger logger = Logger.getLogger("dev.spool.futures");
        final List<LogRecord> records = new ArrayList<>();

        private final boolean useParentHandlers = logger.getUseParentHandlers();

        /** Records, and keeps the expected errors off the console meanwhile. */
        LogCapture() {
            logger.addHandler(this);
            logger.setUseParentHandlers(false);
        }

        @Override
        public synchronized void publish(LogRecord record) {
            records.add(record);
        }

        synchronized List<LogRecord> records() {
            return List.copyOf(records);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
            logger.setUseParentHandlers(useParentHandlers);
        }
    }
}
