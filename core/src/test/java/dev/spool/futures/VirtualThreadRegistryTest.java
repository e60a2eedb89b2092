package dev.spool.futures;

import static dev.spool.futures.Conditions.await;
import static dev.spool.futures.Conditions.pass;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.spool.internal.ThreadStripes;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The registry of a virtual-thread pool's live threads: each thread lists itself by its task, in its stripe. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VirtualThreadRegistryTest {
    private final VirtualThreadRegistry registry = new VirtualThreadRegistry();

    private static PoolTask<Object> task() {
        return new PoolTask<>(null, new TaskStatistics(), () -> null);
    }

    private Map<Thread, PoolTask<?>> listed() {
        Map<Thread, PoolTask<?>> listed = new HashMap<>();
        registry.forEach((thread, slot) -> {
            assertThat(thread).as("a listed task's thread").isNotNull();
            assertThat(listed.put(thread, slot.task())).as("listed twice").isNull();
        });
        return listed;
    }

    /** A thread that lists itself with a task of its own, then waits for {@code leave}, then takes itself off. */
    private Thread listing(Map<Thread, PoolTask<?>> tasks, CountDownLatch listed, CountDownLatch leave,
                           boolean virtual) {
        Runnable body = () -> {
            PoolTask<?> task = task();
            task.runner = Thread.currentThread();
            synchronized (tasks) {
                tasks.put(Thread.currentThread(), task);
            }
            registry.add(task);
            listed.countDown();
            pass(leave);
            registry.remove(task);
        };
        return virtual ? Thread.ofVirtual().unstarted(body) : Thread.ofPlatform().unstarted(body);
    }

    @Test
    @DisplayName("every listed thread is found, with its own task, until it takes itself off")
    void listsEachThreadWithItsTaskUntilItLeaves() throws InterruptedException {
        int n = 4 * ThreadStripes.COUNT + 3; // several threads on every stripe
        Map<Thread, PoolTask<?>> tasks = new HashMap<>();
        CountDownLatch listed = new CountDownLatch(n);
        CountDownLatch leave = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread thread = listing(tasks, listed, leave, i % 2 == 0);
            threads.add(thread);
            thread.start();
        }
        await(listed);

        synchronized (tasks) {
            assertThat(listed()).isEqualTo(tasks);
        }
        for (Thread thread : threads) {
            assertThat(registry.contains(thread)).as(thread.toString()).isTrue();
        }
        assertThat(registry.contains(Thread.currentThread())).isFalse();

        leave.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(listed()).isEmpty();
        assertThat(threads).noneMatch(registry::contains);
    }

    @Test
    @DisplayName("threads past a stripe's slots are listed too, and whichever leaves first, the others stay listed")
    void aFullStripeSpillsOver() throws InterruptedException {
        int n = VirtualThreadRegistry.SLOTS + 4; // more threads of one stripe than it has slots
        List<Thread> sameStripe = new ArrayList<>();
        List<CountDownLatch> turns = new ArrayList<>();
        List<CountDownLatch> gone = new ArrayList<>();
        CountDownLatch listed = new CountDownLatch(n);
        int stripe = -1;
        while (sameStripe.size() < n) {
            CountDownLatch turn = new CountDownLatch(1);
            CountDownLatch off = new CountDownLatch(1);
            Thread thread = Thread.ofVirtual().unstarted(() -> {
                PoolTask<?> task = task();
                task.runner = Thread.currentThread();
                registry.add(task);
                listed.countDown();
                pass(turn);
                registry.remove(task);
                off.countDown();
            });
            int s = ThreadStripes.of(thread.threadId());
            if (stripe == -1) {
                stripe = s;
            }
            if (s == stripe) {
                sameStripe.add(thread);
                turns.add(turn);
                gone.add(off);
            }
        }
        sameStripe.forEach(Thread::start);
        await(listed);
        assertThat(listed().keySet()).containsExactlyInAnyOrderElementsOf(sameStripe);

        // every other one from the start, then the rest from the end: slots and the map both empty out of order
        Set<Thread> left = new HashSet<>(sameStripe);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i += 2) {
            order.add(i);
        }
        for (int i = n - 1; i >= 0; i--) {
            if (i % 2 == 1) {
                order.add(i);
            }
        }
        for (int i : order) {
            turns.get(i).countDown();
            await(gone.get(i));
            left.remove(sameStripe.get(i));
            assertThat(listed().keySet()).containsExactlyInAnyOrderElementsOf(left);
            assertThat(registry.contains(sameStripe.get(i))).isFalse();
            assertThat(left).allMatch(registry::contains);
        }
        for (Thread thread : sameStripe) {
            thread.join();
        }
        assertThat(listed()).isEmpty();
    }

    @Test
    @DisplayName("many threads adding and removing while a reader sweeps: nothing listed twice, nothing left behind")
    void concurrentAddsRemovesAndSweeps() throws InterruptedException {
        int threads = 16;
        int rounds = 5_000;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> readerFailure = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                while (!stop.get()) {
                    Map<Thread, PoolTask<?>> seen = listed(); // fails on a thread listed twice
                    // its thread, or nobody if the thread has left since (a task forgets its thread then)
                    seen.forEach((thread, task) -> assertThat(task.runner).isIn(thread, null));
                }
            } catch (Throwable t) {
                readerFailure.set(t);
            }
        });
        List<Thread> writers = new ArrayList<>();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        for (int i = 0; i < threads; i++) {
            boolean virtual = i % 2 == 0;
            Runnable body = () -> {
                try {
                    for (int r = 0; r < rounds; r++) {
                        PoolTask<?> task = task();
                        task.runner = Thread.currentThread();
                        registry.add(task);
                        assertThat(registry.contains(Thread.currentThread())).isTrue();
                        registry.remove(task);
                        assertThat(registry.contains(Thread.currentThread())).isFalse();
                        assertThat(task.runner).as("a task taken off keeps no thread").isNull();
                    }
                } catch (Throwable t) {
                    writerFailure.set(t);
                }
            };
            writers.add(virtual ? Thread.ofVirtual().start(body) : Thread.ofPlatform().start(body));
        }
        for (Thread writer : writers) {
            writer.join();
        }
        stop.set(true);
        reader.join();
        assertThat(readerFailure.get()).isNull();
        assertThat(writerFailure.get()).isNull();
        assertThat(listed()).isEmpty();
    }
}
