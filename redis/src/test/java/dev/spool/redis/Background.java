package dev.spool.redis;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.function.BooleanSupplier;

/** Test helpers: a named thread running one call, and polling Redis' state (outside this JVM) with a deadline. */
final class Background {
    private Background() {
    }

    /** A call on its own daemon thread, named so that {@code instance/thread} can be checked. */
    static final class Call<T> extends FutureTask<T> {
        final Thread thread;

        Call(String name, Callable<T> call) {
            super(call);
            this.thread = new Thread(this, name);
            thread.setDaemon(true);
            thread.start();
        }
    }

    static <T> Call<T> run(String threadName, Callable<T> call) {
        return new Call<>(threadName, call);
    }

    /** Polls a condition on shared state every 20 ms until it holds; fails after {@code patience}. */
    static void until(String what, Duration patience, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + patience + ": " + what);
            }
            Thread.sleep(20);
        }
    }
}
