package dev.spool.testing;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Bounded re-checks of state no latch can signal ("this thread is blocked now", "the pool has shrunk"), for the tests
 * of every package. Never a fixed sleep: each check parks 200 µs and the whole wait gives up after {@link #PATIENCE}.
 */
public final class Waiting {
    /** The longest a helper waits for something that should happen promptly; each test's @Timeout is the guard. */
    public static final Duration PATIENCE = Duration.ofSeconds(20);

    private Waiting() {
    }

    /** Re-checks {@code condition} every 200 µs until it holds; fails the test after {@link #PATIENCE}. */
    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("gave up waiting until " + what);
            }
            LockSupport.parkNanos(200_000L);
        }
    }

    /** Waits until {@code thread} is parked (WAITING or TIMED_WAITING): blocked in a primitive, past any spin. */
    public static void parked(Thread thread) {
        until(thread.getName() + " is parked", () -> {
            Thread.State state = thread.getState();
            return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
        });
    }
}
