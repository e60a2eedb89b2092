package dev.spool.threading;

import static dev.spool.threading.Concurrently.start;
import static dev.spool.threading.Concurrently.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.threading.Concurrently.Worker;

/** {@link Primitive#occupancy()} and {@link Primitive#backend()} of the local primitives. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class OccupancyTest {

    @Test
    @DisplayName("a local lock: the owner's name and the waiters' names, complete")
    void aLocalLockNamesItsOwnerAndWaiters() throws Exception {
        RLock lock = new RLock("occupied");
        assertThat(lock.occupancy()).isEqualTo(Occupancy.of(List.of(), List.of()));
        lock.acquire();
        lock.acquire();
        Worker waiter = start("waiter", () -> {
            lock.acquire();
            lock.release();
        });
        waitUntil("the waiter waits", () -> lock.stats().waiting() == 1);
        Occupancy occupancy = lock.occupancy();
        assertThat(occupancy.holders()).as("one entry however many holds").containsExactly(
                Thread.currentThread().getName());
        assertThat(occupancy.waiters()).containsExactly("waiter");
        assertThat(occupancy.complete()).isTrue();
        assertThat(occupancy.note()).isNull();
        lock.release();
        lock.release();
        waiter.join();
        assertThat(lock.backend()).isEqualTo("local");
    }

    @Test
    @DisplayName("a local semaphore: its waiters, and no holders with a note saying why")
    void aLocalSemaphoreDoesNotKnowItsHolders() {
        Semaphore semaphore = new Semaphore("permits", 0);
        Worker waiter = start("waiter", semaphore::acquire);
        waitUntil("the waiter waits", () -> semaphore.stats().waiting() == 1);
        Occupancy occupancy = semaphore.occupancy();
        assertThat(occupancy.waiters()).containsExactly("waiter");
        assertThat(occupancy.holders()).isEmpty();
        assertThat(occupancy.complete()).isFalse();
        assertThat(occupancy.note()).contains("semaphore permits", "does not record which threads took its permits");
        semaphore.release();
        waiter.join();
        assertThat(semaphore.backend()).isEqualTo("local");
        assertThat(new BoundedSemaphore(1).backend()).isEqualTo("local");
    }

    @Test
    @DisplayName("an event, a barrier and a condition: no holders but a condition's lock owner; their waiters")
    void eventsBarriersAndConditions() throws Exception {
        Event event = new Event("flag");
        Worker eventWaiter = start("event-waiter", event::await);
        waitUntil("the event waiter waits", () -> event.stats().waiting() == 1);
        assertThat(event.occupancy()).isEqualTo(Occupancy.of(List.of(), List.of("event-waiter")));
        event.set();
        eventWaiter.join();

        Barrier barrier = new Barrier("meet", 2);
        Worker party = start("party", barrier::await);
        // an arrival counts at once, and is named once its brief spin has given way to blocking
        waitUntil("the party waits", () -> barrier.stats().waiting() == 1 && barrier.occupancy().waiters().size() == 1);
        assertThat(barrier.occupancy()).isEqualTo(Occupancy.of(List.of(), List.of("party")));
        barrier.await();
        party.join();

        Condition condition = new Condition("signal");
        CountDownLatch waiting = new CountDownLatch(1);
        Worker conditionWaiter = start("condition-waiter", () -> {
            try (Guard held = condition.hold()) {
                waiting.countDown();
                condition.await();
            }
        });
        waiting.await();
        waitUntil("the condition waiter waits", () -> condition.stats().waiting() == 1);
        try (Guard held = condition.hold()) {
            assertThat(condition.occupancy()).isEqualTo(Occupancy.of(List.of(Thread.currentThread().getName()),
                    List.of("condition-waiter")));
            condition.signal();
        }
        conditionWaiter.join();
        assertThat(List.of(event.backend(), barrier.backend(), condition.backend())).containsOnly("local");
    }

    @Test
    @DisplayName("an occupancy has a note exactly when it is not complete, and copies its lists")
    void theRecordKeepsItsRule() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Occupancy(List.of(), List.of(), false, null));
        assertThatIllegalArgumentException().isThrownBy(() -> new Occupancy(List.of(), List.of(), true, "why"));
        java.util.ArrayList<String> holders = new java.util.ArrayList<>(List.of("x"));
        Occupancy occupancy = Occupancy.of(holders, List.of());
        holders.add("y");
        assertThat(occupancy.holders()).containsExactly("x");
    }
}
