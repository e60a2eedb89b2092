package dev.spool.threading;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Timeout;

import dev.spool.testing.InMemoryStore;

/**
 * Every case of {@link BaseSemaphoreTests} (CPython's S-01…S-12, the statistics, the stress test) on a
 * {@link BoundedSemaphore} built by {@link BoundedSemaphore#shared} over a real shared state ({@link InMemoryStore}).
 * {@link SharedSemaphoreRulesTest} has what only a shared semaphore has.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS) // every test here may block; the base class says the same
class SharedBoundedSemaphoreTest extends BaseSemaphoreTests {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private final InMemoryStore store = new InMemoryStore();

    @Override
    Semaphore newSemaphore(int value) {
        String name = "shared-bounded-" + NAMES.incrementAndGet();
        return BoundedSemaphore.shared(name, value,
                store.instance("a").semaphore(name, value, true, Duration.ofSeconds(30)));
    }

    @Override
    Semaphore newSemaphore() {
        return newSemaphore(1);
    }
}
