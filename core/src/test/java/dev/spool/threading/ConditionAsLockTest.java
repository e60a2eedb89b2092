package dev.spool.threading;

/**
 * CPython's {@code ConditionAsRLockTests}: the base lock cases (L-01…L-13, L-16, L-18, L-21 and the statistics) run
 * on a default {@link Condition}, through its {@code acquire…}/{@code release}/{@code hold} methods.
 */
class ConditionAsLockTest extends BaseLockTests {

    @Override
    Lockish newLock() {
        RLock lock = new RLock();
        return Lockish.of(new Condition("as-lock", lock), lock);
    }
}
