package dev.spool.threading;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;

/**
 * CPython's {@code ConditionAsRLockTests}: the base lock cases (L-01…L-13, L-16, L-18, L-21 and the statistics) run
 * on a default {@link Condition}, through its {@code acquire…}/{@code release}/{@code hold} methods.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS) // every test here may block; the base class says the same
class ConditionAsLockTest extends BaseLockTests {

    @Override
    Lockish newLock() {
        RLock lock = new RLock();
        return Lockish.of(new Condition("as-lock", lock), lock);
    }
}
