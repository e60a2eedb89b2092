package dev.spool.threading;

import static dev.spool.threading.Concurrently.joinAll;
import static dev.spool.threading.Concurrently.startAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link BoundedSemaphore}: the Semaphore cases S-01…S-12 from {@link BaseSemaphoreTests}, plus CPython's
 * {@code BoundedSemaphoreTests}, BS-01…BS-04. Every case applies.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS) // every test here may block; the base class says the same
class BoundedSemaphoreTest extends BaseSemaphoreTests {

    @Override
    Semaphore newSemaphore(int value) {
        return new BoundedSemaphore(value);
    }

    @Override
    Semaphore newSemaphore() {
        return new BoundedSemaphore();
    }

    @Test
    @DisplayName("BS-01 releasing without an acquire, or once too often, throws IllegalStateException")
    void overReleaseThrows() {
        BoundedSemaphore sem = new BoundedSemaphore();
        assertThatIllegalStateException().isThrownBy(sem::release)
                .withMessageContaining("Semaphore released too many times");
        sem.acquire();
        sem.release();
        assertThatIllegalStateException().isThrownBy(sem::release);
        assertThat(sem.value()).isEqualTo(1);
    }

    @Test
    @DisplayName("BS-02 for limits 1..9: limit threads acquire, limit threads release, one more release throws")
    void limitsHoldForEverySize() throws Exception {
        for (int limit = 1; limit <= 9; limit++) {
            BoundedSemaphore sem = new BoundedSemaphore(limit);
            CountDownLatch acquired = new CountDownLatch(limit);
            joinAll(startAll("acquirer", limit, () -> {
                sem.acquire();
                acquired.countDown();
            }));
            acquired.await();
            assertThat(sem.value()).isZero();
            joinAll(startAll("releaser", limit, sem::release));
            assertThat(sem.value()).isEqualTo(limit);
            assertThatIllegalStateException().isThrownBy(sem::release);
            assertThat(sem.value()).isEqualTo(limit);
        }
    }

    @Test
    @DisplayName("BS-03 at 1 of 2, release(2) throws and leaves 1; release(1) then succeeds")
    void refusedReleaseLeavesTheCount() {
        BoundedSemaphore sem = new BoundedSemaphore(2);
        sem.acquire();
        assertThatIllegalStateException().isThrownBy(() -> sem.release(2))
                .withMessageContaining("Semaphore released too many times");
        assertThat(sem.value()).isEqualTo(1);
        sem.release(1);
        assertThat(sem.value()).isEqualTo(2);
    }

    @Test
    @DisplayName("BS-04 toString shows value=3/3, and 2/3 after an acquire")
    void toStringShowsValueAndBound() {
        BoundedSemaphore sem = new BoundedSemaphore("db", 3);
        assertThat(sem).hasToString("BoundedSemaphore[name=db, value=3/3]");
        sem.acquire();
        assertThat(sem).hasToString("BoundedSemaphore[name=db, value=2/3]");
        assertThat(sem.initialValue()).isEqualTo(3);
        assertThat(sem.stats().bounded()).isTrue();
        assertThat(sem.stats().initialPermits()).isEqualTo(3);
        assertThat(new BoundedSemaphore().name()).matches("BoundedSemaphore-\\d+");
    }
}
