package dev.spool.threading;

import static dev.spool.threading.Concurrently.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.testing.InMemoryStore;
import dev.spool.threading.Concurrently.Worker;

/** {@link AbstractLock#fencingToken()}: it rises with every hold, local or shared, and exists only while held. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FencingTokenTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final InMemoryStore store = new InMemoryStore();

    @Test
    @DisplayName("a local Lock: every hold's token is higher than the last; none while unlocked")
    void localLockTokensRise() throws Exception {
        Lock lock = new Lock("local");
        assertThatIllegalStateException().isThrownBy(lock::fencingToken)
                .withMessageContaining("fencingToken() of Lock local: it is not held");
        long last = 0;
        for (int i = 0; i < 5; i++) {
            lock.acquire();
            long token = lock.fencingToken();
            assertThat(token).isGreaterThan(last);
            last = token;
            lock.release();
        }
        AtomicLong elsewhere = new AtomicLong();
        start("other", () -> {
            lock.acquire();
            elsewhere.set(lock.fencingToken());
        }).join();
        assertThat(elsewhere.get()).isGreaterThan(last);
        assertThat(lock.fencingToken()).as("a Lock's hold, read by the thread it was handed to")
                .isEqualTo(elsewhere.get());
        lock.release();
        assertThatIllegalStateException().isThrownBy(lock::fencingToken);
    }

    @Test
    @DisplayName("a local RLock: re-entries keep the token, the next hold has a higher one, other threads get none")
    void localRLockTokensRise() throws Exception {
        RLock lock = new RLock("local-r");
        lock.acquire();
        long first = lock.fencingToken();
        lock.acquire();
        assertThat(lock.fencingToken()).isEqualTo(first);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        start("stranger", () -> {
            try {
                lock.fencingToken();
            } catch (IllegalStateException e) {
                thrown.set(e);
            }
        }).join();
        assertThat(thrown.get()).hasMessageContaining("fencingToken() of RLock local-r: the calling thread does not"
                + " hold it");
        lock.release();
        lock.release();
        assertThatIllegalStateException().isThrownBy(lock::fencingToken);
        lock.acquire();
        assertThat(lock.fencingToken()).isGreaterThan(first);
        lock.release();
    }

    @Test
    @DisplayName("a shared Lock: the backend's token rises across the holds of every instance")
    void sharedLockTokensRiseAcrossInstances() {
        Lock a = Lock.shared("fenced", store.instance("a").lock("fenced", false, false, LEASE));
        Lock b = Lock.shared("fenced", store.instance("b").lock("fenced", false, false, LEASE));
        a.acquire();
        long first = a.fencingToken();
        assertThatIllegalStateException().as("instance b does not hold it").isThrownBy(b::fencingToken);
        a.release();
        b.acquire();
        long second = b.fencingToken();
        assertThat(second).isGreaterThan(first);
        b.release();
        a.acquire();
        assertThat(a.fencingToken()).isGreaterThan(second);
        a.release();
        assertThatIllegalStateException().isThrownBy(a::fencingToken);
    }

    @Test
    @DisplayName("a shared RLock: only the owning thread gets the token, which re-entries keep")
    void sharedRLockTokenIsTheOwners() throws Exception {
        RLock lock = RLock.shared("fenced-r", store.instance("a").lock("fenced-r", true, false, LEASE));
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Worker owner = start("owner", () -> {
            lock.acquire();
            long token = lock.fencingToken();
            lock.acquire();
            assertThat(lock.fencingToken()).isEqualTo(token);
            held.countDown();
            done.await();
            lock.release();
            lock.release();
        });
        held.await();
        assertThatIllegalStateException().isThrownBy(lock::fencingToken)
                .withMessageContaining("fencingToken() of RLock fenced-r: the calling thread does not hold it");
        done.countDown();
        owner.join();
    }
}
