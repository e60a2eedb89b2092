package dev.spool.threading;

import static dev.spool.threading.Concurrently.start;
import static dev.spool.threading.Concurrently.startAll;
import static dev.spool.threading.Concurrently.joinAll;
import static dev.spool.threading.Concurrently.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.testing.InMemoryStore;
import dev.spool.threading.Concurrently.Worker;

/**
 * {@link Event#shared}: the Python rules of {@link EventTest} over a shared flag, across two instances of one
 * {@link InMemoryStore}, and a backend that cannot be reached.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SharedEventTest {
    private final InMemoryStore store = new InMemoryStore();

    private Event on(String instance, String name) {
        return Event.shared(name, store.instance(instance).event(name));
    }

    @Test
    @DisplayName("set and clear on one instance are seen on the other; await on a set event returns at once")
    void setAndClearAreShared() throws Exception {
        Event a = on("a", "ready");
        Event b = on("b", "ready");
        assertThat(b.isSet()).isFalse();
        a.set();
        assertThat(b.isSet()).isTrue();
        assertThat(b.await(Duration.ZERO)).isTrue();
        b.await();
        assertThat(b.stats().contended()).isZero();
        assertThat(b.stats().waits()).isEqualTo(2);
        b.clear();
        assertThat(a.isSet()).isFalse();
        assertThat(a.stats().set()).isFalse();
        assertThat(a).hasToString("Event[name=ready, backend=memory, unset]");
        assertThat(a.backend()).isEqualTo("memory");
    }

    @Test
    @DisplayName("a set on instance a wakes every waiter on instance b, even if cleared at once (no lost wake-up)")
    void aSetWakesTheWaitersOfEveryInstance() {
        Event a = on("a", "go");
        Event b = on("b", "go");
        AtomicInteger passed = new AtomicInteger();
        List<Worker> waiters = startAll("b-waiter", 3, () -> {
            if (b.await(Duration.ofSeconds(15))) {
                passed.incrementAndGet();
            }
        });
        // A thread counts as waiting here before it is in the store's wait: wait for both, then look.
        waitUntil("3 threads wait on b, in the store too",
                () -> b.stats().waiting() == 3 && a.occupancy().waiters().size() == 3);
        assertThat(b.waitingThreadNames()).containsExactly("b-waiter-0", "b-waiter-1", "b-waiter-2");
        assertThat(a.occupancy().waiters()).containsExactly("b/b-waiter-0", "b/b-waiter-1", "b/b-waiter-2");
        assertThat(a.occupancy().holders()).isEmpty();
        a.set();
        a.clear();
        joinAll(waiters);
        assertThat(passed).hasValue(3);
        EventStats stats = b.stats();
        assertThat(stats.contended()).isEqualTo(3);
        assertThat(stats.timeouts()).isZero();
        assertThat(b.waitHistogram().count()).isEqualTo(3);
    }

    @Test
    @DisplayName("await(Duration) on an unset event: zero only reads, a timeout returns false after its time (1x-10x)")
    void awaitWithATimeout() throws Exception {
        Event event = on("a", "late");
        assertThat(event.await(Duration.ZERO)).isFalse();
        assertThat(event.await(Duration.ofSeconds(-1))).isFalse();
        assertThat(event.stats().contended()).as("reading the flag is not a wait").isZero();
        long timeout = Duration.ofMillis(100).toNanos();
        long start = System.nanoTime();
        assertThat(event.await(Duration.ofNanos(timeout))).isFalse();
        assertThat(System.nanoTime() - start).isBetween(timeout, 10 * timeout);
        EventStats stats = event.stats();
        assertThat(stats.timeouts()).isEqualTo(1);
        assertThat(stats.contended()).isEqualTo(1);
        assertThat(stats.waits()).isEqualTo(3);
        assertThat(stats.waitMaxNanos()).isGreaterThanOrEqualTo(timeout);
        assertThatNullPointerException().isThrownBy(() -> event.await(null))
                .withMessageContaining("overload without a Duration");
    }

    @Test
    @DisplayName("a waiter interrupted while it waits throws InterruptedException with its status cleared")
    void awaitIsInterruptible() throws Exception {
        Event event = on("a", "never");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean statusAfter = new AtomicBoolean(true);
        Worker waiter = start("waiter", () -> {
            try {
                event.await();
            } catch (InterruptedException e) {
                thrown.set(e);
                statusAfter.set(Thread.currentThread().isInterrupted());
            }
        });
        waitUntil("the waiter waits", () -> event.stats().waiting() == 1);
        waiter.thread.interrupt();
        waiter.join();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(statusAfter).isFalse();
        assertThat(event.stats().contended()).isEqualTo(1);

        Thread.currentThread().interrupt();
        assertThatExceptionOfType(InterruptedException.class).isThrownBy(() -> event.await(Duration.ofSeconds(1)));
        event.set();
        Thread.currentThread().interrupt();
        try {
            assertThat(event.await(Duration.ofSeconds(1))).as("a set event does not look at the status").isTrue();
        } finally {
            assertThat(Thread.interrupted()).isTrue();
        }
    }

    @Test
    @DisplayName("an unreachable backend: set, clear, isSet and await throw; stats() keeps the last known flag")
    void anUnreachableBackendFailsTheCallsButNotTheObservation() {
        Event event = on("a", "cut");
        event.set();
        store.goDown();
        assertThat(event.stats().set()).as("as this JVM last wrote it").isTrue();
        assertThat(event).hasToString("Event[name=cut, backend=memory, set]");
        Occupancy occupancy = event.occupancy();
        assertThat(occupancy.complete()).isFalse();
        assertThat(occupancy.note()).contains("waiters of event cut (backend memory) unknown");
        assertThatExceptionOfType(BackendUnavailableException.class).isThrownBy(event::isSet);
        assertThatExceptionOfType(BackendUnavailableException.class).isThrownBy(event::clear);
        assertThatExceptionOfType(BackendUnavailableException.class).isThrownBy(event::set);
        assertThatExceptionOfType(BackendUnavailableException.class).isThrownBy(event::await);
        assertThat(event.stats().contended()).isZero();
        store.comeBack();
        event.clear();
        assertThat(event.stats().set()).isFalse();
    }

    @Test
    @DisplayName("a wait in progress when the backend goes away ends with BackendUnavailableException: contended")
    void aWaitEndsWhenTheBackendGoesAway() {
        Event event = on("a", "dropped");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Worker waiter = start("waiter", () -> {
            try {
                event.await(Duration.ofSeconds(15));
            } catch (BackendUnavailableException e) {
                thrown.set(e);
            }
        });
        waitUntil("the waiter waits", () -> event.stats().waiting() == 1);
        store.goDown();
        waiter.join();
        assertThat(thrown.get()).isInstanceOf(BackendUnavailableException.class);
        assertThat(event.stats().contended()).isEqualTo(1);
        assertThat(event.stats().timeouts()).isZero();
        assertThat(event.waitingThreadNames()).isEmpty();
    }

    @Test
    @DisplayName("shared() checks its arguments")
    void factoryChecksItsArguments() {
        assertThatNullPointerException().isThrownBy(() -> Event.shared("x", null)).withMessage("state");
        assertThatNullPointerException().isThrownBy(() -> Event.shared(null, store.instance("a").event("x")))
                .withMessage("name");
    }
}
