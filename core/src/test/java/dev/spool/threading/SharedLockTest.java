package dev.spool.threading;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Timeout;

import dev.spool.testing.InMemoryStore;

/**
 * Every case of {@link BaseLockTests} (CPython's lock tests, the statistics, the stress test) on a {@link Lock} built
 * by {@link Lock#shared} over a real shared state ({@link InMemoryStore}): the public type keeps its rules and its
 * statistics whatever its backend. {@link SharedLockRulesTest} has what only a shared lock has.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS) // every test here may block; the base class says the same
class SharedLockTest extends BaseLockTests {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private final InMemoryStore store = new InMemoryStore();

    @Override
    Lockish newLock() {
        String name = "shared-lock-" + NAMES.incrementAndGet();
        return Lockish.of(Lock.shared(name, store.instance("a").lock(name, false, false, Duration.ofSeconds(30))));
    }
}
