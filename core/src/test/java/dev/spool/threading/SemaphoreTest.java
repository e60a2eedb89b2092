package dev.spool.threading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Semaphore}: the base cases in {@link BaseSemaphoreTests}, plus CPython's {@code SemaphoreTests}. */
@Timeout(value = 20, unit = TimeUnit.SECONDS) // every test here may block; the base class says the same
class SemaphoreTest extends BaseSemaphoreTests {

    @Override
    Semaphore newSemaphore(int value) {
        return new Semaphore(value);
    }

    @Override
    Semaphore newSemaphore() {
        return new Semaphore();
    }

    @Test
    @DisplayName("S-13 an unbounded semaphore may be released without an acquire: the count grows")
    void releaseWithoutAcquireRaisesTheCount() {
        Semaphore sem = new Semaphore(1);
        sem.release();
        assertThat(sem.value()).isEqualTo(2);
        assertThat(sem.acquire(false)).isTrue();
        assertThat(sem.acquire(false)).isTrue();
        assertThat(sem.acquire(false)).isFalse();
    }

    @Test
    @DisplayName("S-14 toString shows value=3, 2 after an acquire, 4 after two releases")
    void toStringShowsTheValue() {
        Semaphore sem = new Semaphore("db", 3);
        assertThat(sem).hasToString("Semaphore[name=db, value=3]");
        sem.acquire();
        assertThat(sem).hasToString("Semaphore[name=db, value=2]");
        sem.release();
        sem.release();
        assertThat(sem).hasToString("Semaphore[name=db, value=4]");
    }

    @Test
    @DisplayName("names: given or Semaphore-n; fairness and boundedness are reported")
    void names() {
        assertThat(new Semaphore().name()).matches("Semaphore-\\d+");
        assertThat(new Semaphore("db", 10, true).stats()).extracting(SemaphoreStats::name, SemaphoreStats::fair,
                SemaphoreStats::bounded, SemaphoreStats::permits).containsExactly("db", true, false, 10);
        assertThatNullPointerException().isThrownBy(() -> new Semaphore(null, 1));
    }
}
