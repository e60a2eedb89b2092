package dev.spool.futures;

import static dev.spool.futures.Conditions.awaitBlocked;
import static dev.spool.futures.Conditions.awaitCondition;
import static dev.spool.futures.Conditions.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link TaskQueue}: oldest first, nothing lost or taken twice, and no waiting worker left asleep beside a task. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TaskQueueTest {
    private static final TaskStatistics STATISTICS = new TaskStatistics();

    private static PoolTask<Object> task() {
        return new PoolTask<>(null, STATISTICS, () -> null);
    }

    @Test
    @DisplayName("oldest first; empty once taken; a timed poll of an empty queue ends empty-handed")
    void oldestFirst() throws Exception {
        TaskQueue queue = new TaskQueue();
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.poll()).isNull();
        assertThat(queue.poll(1_000_000L)).as("after a millisecond").isNull();
        List<PoolTask<Object>> tasks = List.of(task(), task(), task());
        tasks.forEach(queue::offer);
        assertThat(queue.isEmpty()).isFalse();
        assertThat(queue).containsExactlyElementsOf(tasks);
        assertThat(queue.poll()).isSameAs(tasks.get(0));
        assertThat(queue.take()).isSameAs(tasks.get(1));
        assertThat(queue.poll(0L)).isSameAs(tasks.get(2));
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue).isEmpty();
    }

    @Test
    @DisplayName("an iterator standing on a task taken meanwhile goes on from the head, and never throws")
    void anIteratorSurvivesTakes() {
        TaskQueue queue = new TaskQueue();
        List<PoolTask<Object>> tasks = List.of(task(), task(), task(), task());
        tasks.forEach(queue::offer);
        var iterator = queue.iterator();
        assertThat(iterator.next()).isSameAs(tasks.get(0));
        queue.poll();
        queue.poll();
        List<PoolTask<?>> rest = new ArrayList<>();
        iterator.forEachRemaining(rest::add);
        assertThat(rest).as("the one it had read ahead, then the rest from the head").containsExactly(tasks.get(1),
                tasks.get(2), tasks.get(3));
        assertThatExceptionOfType(NoSuchElementException.class).isThrownBy(iterator::next);
    }

    @Test
    @DisplayName("a waiting worker is interrupted out of take; a task there is taken even by an interrupted thread")
    void interruption() throws Exception {
        TaskQueue queue = new TaskQueue();
        AtomicInteger interrupted = new AtomicInteger();
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                queue.take();
            } catch (InterruptedException expected) {
                interrupted.incrementAndGet();
            }
        });
        awaitBlocked(waiter);
        waiter.interrupt();
        join(waiter);
        assertThat(interrupted).hasValue(1);
        assertThat(queue.waiting).as("the waiter is gone").isZero();

        PoolTask<Object> task = task();
        queue.offer(task);
        Thread.currentThread().interrupt();
        try {
            assertThat(queue.poll(1_000_000L)).isSameAs(task);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    @DisplayName("one link that shows two tasks wakes both waiting workers, not one")
    void oneLinkShowingTwoTasksWakesTwoWaiters() throws Exception {
        TaskQueue queue = new TaskQueue();
        TaskQueue.Node first = new TaskQueue.Node(task());
        TaskQueue.Node before = queue.append(first); // an offer between its two halves: the node is not linked yet
        queue.offer(task()); // linked behind the first, so not visible either; nobody waits, so nobody is woken
        assertThat(queue.isEmpty()).isTrue();
        ConcurrentLinkedQueue<PoolTask<?>> takenBy = new ConcurrentLinkedQueue<>();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            waiters.add(Thread.ofPlatform().start(() -> {
                try {
                    takenBy.add(queue.take());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        awaitCondition("both wait", () -> queue.waiting == 2);
        waiters.forEach(Conditions::awaitBlocked);
        queue.link(before, first); // one link, one signal, two tasks
        waiters.forEach(Conditions::join);
        assertThat(takenBy).hasSize(2).doesNotHaveDuplicates();
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    @DisplayName("submitters and workers at once, some waiting, some not: every task taken exactly once")
    void manySubmittersAndWorkers() throws Exception {
        int submitters = 3;
        int workers = 4;
        int perSubmitter = 5_000;
        int total = submitters * perSubmitter;
        for (int round = 0; round < 20; round++) {
            TaskQueue queue = new TaskQueue();
            List<PoolTask<Object>> tasks = new ArrayList<>(total);
            for (int i = 0; i < total; i++) {
                tasks.add(task());
            }
            Map<PoolTask<?>, AtomicInteger> takes = new IdentityHashMap<>();
            tasks.forEach(t -> takes.put(t, new AtomicInteger()));
            AtomicInteger claims = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                boolean virtual = w % 2 == 0;
                Runnable worker = () -> {
                    Conditions.await(go);
                    try {
                        // claim first, then take: as the virtual engine does, a claim may come before its task
                        for (int n; (n = claims.incrementAndGet()) <= total; ) {
                            PoolTask<?> t = n % 3 == 0 ? queue.poll(TimeUnit.SECONDS.toNanos(30)) : queue.take();
                            takes.get(t).incrementAndGet(); // a null (timed out) fails the test here
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                };
                threads.add(virtual ? Thread.ofVirtual().start(worker) : Thread.ofPlatform().start(worker));
            }
            for (int s = 0; s < submitters; s++) {
                List<PoolTask<Object>> mine = tasks.subList(s * perSubmitter, (s + 1) * perSubmitter);
                threads.add(Thread.ofPlatform().start(() -> {
                    Conditions.await(go);
                    for (int i = 0; i < mine.size(); i++) {
                        queue.offer(mine.get(i));
                        if ((i & 63) == 0) {
                            Thread.yield(); // let the workers run dry and wait now and then
                        }
                    }
                }));
            }
            go.countDown();
            threads.forEach(Conditions::join);
            assertThat(takes.values()).allSatisfy(count -> assertThat(count).hasValue(1));
            assertThat(queue.isEmpty()).isTrue();
            assertThat(queue.waiting).isZero();
        }
    }
}
