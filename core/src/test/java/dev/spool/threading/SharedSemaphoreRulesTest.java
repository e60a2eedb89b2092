package dev.spool.threading;

import static dev.spool.threading.Concurrently.start;
import static dev.spool.threading.Concurrently.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.testing.InMemoryStore;
import dev.spool.threading.Concurrently.Worker;

/**
 * What a shared semaphore adds to the rules {@link SharedSemaphoreTest} and {@link SharedBoundedSemaphoreTest}
 * already run: the permits are shared by two instances, a bounded one refuses a release past its bound on any
 * instance, and a backend that cannot be reached fails the calls but not the observation.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SharedSemaphoreRulesTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final InMemoryStore store = new InMemoryStore();

    private Semaphore on(String instance, String name, int permits) {
        return Semaphore.shared(name, permits, store.instance(instance).semaphore(name, permits, false, LEASE));
    }

    private BoundedSemaphore boundedOn(String instance, String name, int permits) {
        return BoundedSemaphore.shared(name, permits, store.instance(instance).semaphore(name, permits, true, LEASE));
    }

    @Test
    @DisplayName("two instances share the permits: value() is the backend's, a wait on one ends with a release on the other")
    void twoInstancesShareThePermits() {
        Semaphore a = on("a", "db", 2);
        Semaphore b = on("b", "db", 2);
        a.acquire();
        assertThat(b.value()).isEqualTo(1);
        b.acquire();
        assertThat(a.value()).isZero();
        assertThat(a.stats().permits()).isZero();
        assertThat(a.occupancy().holders()).containsExactly("a/" + Thread.currentThread().getName(),
                "b/" + Thread.currentThread().getName());
        assertThat(a.acquire(false)).isFalse();
        Worker waiter = start("a-waiter", () -> {
            a.acquire();
            a.release();
        });
        waitUntil("a's thread waits, in the store too",
                () -> a.stats().waiting() == 1 && b.occupancy().waiters().size() == 1);
        assertThat(b.occupancy().waiters()).containsExactly("a/a-waiter");
        assertThat(b.waitingThreadNames()).isEmpty();
        b.release();
        waiter.join();
        assertThat(a.stats().contended()).isEqualTo(1);
        assertThat(a.waitHistogram().count()).isEqualTo(1);
        assertThat(b.stats().contended()).isZero();
        assertThat(a.stats().acquisitions()).isEqualTo(2);
        assertThat(b.stats().acquisitions()).isEqualTo(1);
        a.release();
        assertThat(b.value()).isEqualTo(2);
        assertThat(a.stats().initialPermits()).isEqualTo(2);
        assertThat(a.stats().bounded()).isFalse();
        assertThat(a.stats().fair()).isFalse();
        assertThat(a.backend()).isEqualTo("memory");
        assertThat(a).hasToString("Semaphore[name=db, backend=memory, value=2]");
    }

    @Test
    @DisplayName("a bounded one refuses a release past its bound on any instance with IllegalStateException, count unchanged")
    void boundedReleasePastTheBoundThrows() {
        BoundedSemaphore a = boundedOn("a", "pool", 2);
        BoundedSemaphore b = boundedOn("b", "pool", 2);
        assertThatIllegalStateException().isThrownBy(a::release).withMessageContaining("released too many times");
        a.acquire();
        assertThatIllegalStateException().isThrownBy(() -> b.release(2))
                .withMessageContaining("released too many times");
        assertThat(b.value()).isEqualTo(1);
        b.release();
        assertThat(a.value()).isEqualTo(2);
        assertThatIllegalStateException().isThrownBy(b::release);
        assertThat(a.value()).isEqualTo(2);
        assertThat(a.stats().bounded()).isTrue();
        assertThat(a.initialValue()).isEqualTo(2);
        assertThat(a).hasToString("BoundedSemaphore[name=pool, backend=memory, value=2/2]");
        assertThatIllegalArgumentException().isThrownBy(() -> a.release(0));
    }

    @Test
    @DisplayName("an unreachable backend: acquire, release and value() throw; stats() says -1 permits, occupancy says why")
    void anUnreachableBackendFailsTheCallsButNotTheObservation() {
        Semaphore sem = on("a", "cut", 1);
        sem.acquire();
        store.goDown();
        SemaphoreStats stats = sem.stats();
        assertThat(stats.permits()).as("unknown").isEqualTo(-1);
        assertThat(stats.acquisitions()).isEqualTo(1);
        assertThat(sem).hasToString("Semaphore[name=cut, backend=memory, value=unknown]");
        Occupancy occupancy = sem.occupancy();
        assertThat(occupancy.complete()).isFalse();
        assertThat(occupancy.holders()).isEmpty();
        assertThat(occupancy.note()).contains("holders of semaphore cut (backend memory) unknown",
                "waiters of semaphore cut");
        assertThatExceptionOfType(BackendUnavailableException.class).isThrownBy(sem::value);
        assertThatExceptionOfType(BackendUnavailableException.class).isThrownBy(sem::release);
        assertThatExceptionOfType(BackendUnavailableException.class).isThrownBy(sem::acquire);
        assertThatExceptionOfType(BackendUnavailableException.class).isThrownBy(() -> sem.acquire(false));
        assertThat(sem.stats().failedTries()).as("a failure is not a failed try").isZero();
        store.comeBack();
        assertThat(sem.value()).isZero();
        sem.release();
        assertThat(sem.stats().permits()).isEqualTo(1);
    }

    @Test
    @DisplayName("a wait in progress when the backend goes away ends with BackendUnavailableException: contended, no timeout")
    void aWaitEndsWhenTheBackendGoesAway() {
        Semaphore a = on("a", "dropped", 0);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Worker waiter = start("waiter", () -> {
            try {
                a.acquire(Duration.ofSeconds(15));
            } catch (BackendUnavailableException e) {
                thrown.set(e);
            }
        });
        waitUntil("the waiter waits", () -> a.stats().waiting() == 1);
        store.goDown();
        waiter.join();
        assertThat(thrown.get()).isInstanceOf(BackendUnavailableException.class);
        assertThat(a.stats().contended()).isEqualTo(1);
        assertThat(a.stats().timeouts()).isZero();
        assertThat(a.stats().waiting()).isZero();
        assertThat(a.waitingThreadNames()).isEmpty();
    }
}
