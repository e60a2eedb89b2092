package dev.spool.autoconfigure.annotation;

import java.time.Duration;

import dev.spool.annotation.PermitNotAcquiredException;
import dev.spool.internal.Timeouts;
import dev.spool.threading.Lock;
import dev.spool.threading.Semaphore;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

/**
 * A call of a {@code @WithPermit} method: the semaphore's own {@code acquire} calls, once per permit, then the
 * method, then one {@code release(n)}.
 *
 * <p>Core takes one permit at a time, so a call that needs several takes them one after the other, all within its
 * wait, and gives back what it took when it cannot have them all. Two such calls that both waited could otherwise each
 * hold part of what both need and wait for the rest forever; so the calls of this JVM that wait for several permits of
 * one semaphore take turns (a fair lock per semaphore, held only while taking, never while the method runs): one of
 * them takes its permits while the others wait for their turn, within their own wait. Calls of one permit, and calls
 * that only try, never hold part of what they need while waiting, and skip the turn. The start-up check refuses
 * several permits without a time limit on a shared semaphore, whose other instances do not take turns with this one.
 */
final class HeldPermits implements Held {

    private final Semaphore semaphore;
    private final HoldAnnotations.Hold hold;
    private final @Nullable Lock turn;

    /** @param turn the semaphore's turn lock, for a hold of several permits */
    HeldPermits(Semaphore semaphore, HoldAnnotations.Hold hold, @Nullable Lock turn) {
        this.semaphore = semaphore;
        this.hold = hold;
        this.turn = turn;
    }

    @Override
    public @Nullable Object around(MethodInvocation invocation) throws Throwable {
        int permits = this.hold.permits();
        if (!acquire(permits)) {
            Duration waited = this.hold.timeout() != null ? this.hold.timeout() : Duration.ZERO;
            throw new PermitNotAcquiredException(this.hold.name(), permits, this.hold.method(), waited);
        }
        try {
            return invocation.proceed();
        } finally {
            this.semaphore.release(permits);
        }
    }

    private boolean acquire(int permits) {
        Duration wait = this.hold.timeout();
        if (permits == 1) {
            return wait == null ? this.semaphore.acquire(true)
                    : wait.isZero() ? this.semaphore.acquire(false) : this.semaphore.acquire(wait);
        }
        if (wait != null && wait.isZero()) {
            return take(permits, () -> this.semaphore.acquire(false));
        }
        Lock turn = this.turn;
        if (turn == null) {
            throw new IllegalStateException("no turn lock for " + this.hold.notation());
        }
        long deadline = wait == null ? 0L : System.nanoTime() + Timeouts.nanos(wait);
        if (wait == null) {
            turn.acquire();
        } else if (!turn.acquire(wait)) {
            return false;
        }
        try {
            // A wait past its deadline only tries (core: a duration of zero or less does not block).
            return take(permits, () -> wait == null ? this.semaphore.acquire(true)
                    : this.semaphore.acquire(Duration.ofNanos(deadline - System.nanoTime())));
        } finally {
            turn.release();
        }
    }

    /** Takes {@code permits} with {@code one}; on a refusal or an exception, gives back what it took. */
    private boolean take(int permits, Attempt one) {
        int taken = 0;
        try {
            while (taken < permits && one.acquire()) {
                taken++;
            }
        } finally {
            if (taken < permits && taken > 0) {
                this.semaphore.release(taken);
            }
        }
        return taken == permits;
    }

    @FunctionalInterface
    private interface Attempt {
        boolean acquire();
    }
}
