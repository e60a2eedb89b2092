package dev.spool.autoconfigure.annotation;

import java.time.Duration;

import dev.spool.annotation.LockNotAcquiredException;
import dev.spool.threading.AbstractLock;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

/**
 * A call of a {@code @WithLock} method: the lock's own {@code acquire}, {@code acquire(false)} or
 * {@code acquire(Duration)}, by the annotation's wait, then the method, then {@code release()}; the same calls as
 * direct use, so the same meters. An acquisition that throws (a shared lock's backend out of reach) holds nothing, and
 * its exception is the call's.
 */
final class HeldLock implements Held {

    private final AbstractLock lock;
    private final HoldAnnotations.Hold hold;

    HeldLock(AbstractLock lock, HoldAnnotations.Hold hold) {
        this.lock = lock;
        this.hold = hold;
    }

    @Override
    public @Nullable Object around(MethodInvocation invocation) throws Throwable {
        if (!acquire()) {
            Duration waited = this.hold.timeout() != null ? this.hold.timeout() : Duration.ZERO;
            throw new LockNotAcquiredException(this.hold.name(), this.hold.method(), waited);
        }
        try {
            return invocation.proceed();
        } finally {
            this.lock.release();
        }
    }

    private boolean acquire() {
        Duration wait = this.hold.timeout();
        if (wait == null) {
            this.lock.acquire();
            return true;
        }
        if (wait.isZero()) {
            return this.lock.acquire(false);
        }
        return this.lock.acquire(wait);
    }
}
