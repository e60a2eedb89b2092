package dev.spool.futures;

import static dev.spool.futures.Conditions.await;
import static dev.spool.futures.Conditions.awaitCollected;
import static dev.spool.futures.Conditions.pass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Python's {@code ExecutorTest} (CPython's test suite, X-*) and the thread-pool specifics (TP-*, IN-*) on
 * {@link ThreadPool}. Shutdown cases (SH-*) are in {@link ThreadPoolShutdownTest}.
 *
 * <p>Not applicable to Java:
 * <ul>
 *   <li>X-02: keyword arguments and a positional-only {@code fn} (a Java task is a closure).</li>
 *   <li>X-13: {@code buffersize} of the wrong type (the compiler checks it).</li>
 *   <li>TP-06: a non-callable initializer (the compiler checks it; a null one is refused at once, tested).</li>
 * </ul>
 * Spool variants: follow 3.14's {@code map} (docs/python.md, "Deliberate differences": the stream ends at
 * the first failure); take one {@link Iterable} (zip first); X-23's invalid chunk size is refused
 * by {@link MapOptions}.
 */
@Timeout(20)
class ThreadPoolTest {
    private final TestPools pools = new TestPools();
    private final CountDownLatch gate = pools.gate();

    private ThreadPool pool(ThreadPool.Builder builder) {
        return pools.build(builder);
    }

    private ThreadPool pool(int maxWorkers) {
        return pool(ThreadPool.builder().name("test").maxWorkers(maxWorkers));
    }

    @AfterEach
    void shutdownPools() {
        pools.close();
    }

    // ---------------------------------------------------------------------------------------- X-*

    @Test
    @DisplayName("X-01 submit returns the task's result")
    void submitReturnsTheResult() {
        ThreadPool pool = pool(2);
        assertThat(pool.submit(() -> (int) Math.pow(2, 8)).result()).isEqualTo(256);
        assertThat(pool.submit(() -> { }).result()).isNull();
        assertThat(pool.submit(() -> { }, "done").result()).isEqualTo("done");
    }

    @Test
    @DisplayName("X-03 map gives what a sequential map gives, with or without a chunk size")
    void mapGivesWhatASequentialMapGives() {
        ThreadPool pool = pool(4);
        List<Integer> expected = IntStream.range(0, 10).map(i -> i * i).boxed().toList();
        assertThat(pool.map(i -> i * i, range(10)).toList()).isEqualTo(expected);
        assertThat(pool.map(i -> i * i, range(10), MapOptions.defaults().withChunkSize(3)).toList())
                .isEqualTo(expected);
    }

    @Test
    @DisplayName("X-04 map throws the task's exception at its position")
    void mapThrowsAtTheFailingItem() {
        ThreadPool pool = pool(4);
        List<int[]> pairs = List.of(new int[] {1, 2}, new int[] {1, 3}, new int[] {1, 0}, new int[] {1, 5});
        Iterator<Integer> it = pool.map((int[] p) -> p[0] / p[1], pairs).iterator();
        assertThat(it.next()).isZero();
        assertThat(it.next()).isZero();
        assertThatThrownBy(it::next).isInstanceOf(TaskFailedException.class)
                .cause().isInstanceOf(ArithmeticException.class);
    }

    @Test
    @DisplayName("X-05 (3.14) after a failure the stream ends and the tasks not yet run are cancelled")
    void mapEndsAndCancelsTheRestAfterAFailure() {
        ThreadPool pool = pool(1);
        Set<Integer> ran = ConcurrentHashMap.newKeySet();
        Iterator<Integer> it = pool.map((Integer x) -> {
            if (x == 1) {
                throw new IllegalArgumentException("item 1");
            }
            if (x == 2) {
                pass(gate);
            }
            ran.add(x);
            return x;
        }, range(4)).iterator();
        assertThat(it.next()).isZero();
        assertThatThrownBy(it::next).isInstanceOf(TaskFailedException.class).hasRootCauseMessage("item 1");
        assertThat(it.hasNext()).isFalse();
        gate.countDown();
        pool.close();
        assertThat(ran).doesNotContain(3);
        assertThat(pool.stats().cancelled()).isGreaterThanOrEqualTo(1);
    }

    @Test
    @DisplayName("X-06 the map timeout is one deadline from the call; then the stream ends")
    void mapTimeoutIsOneDeadline() {
        ThreadPool pool = pool(3);
        Iterator<Integer> it = pool.map((Integer x) -> {
            if (x == 2) {
                pass(gate);
            }
            return x;
        }, range(3), MapOptions.defaults().withTimeout(Duration.ofMillis(300))).iterator();
        assertThat(it.next()).isZero();
        assertThat(it.next()).isOne();
        assertThatThrownBy(it::next).isInstanceOf(FutureTimeoutException.class);
        assertThat(it.hasNext()).isFalse();
    }

    @Test
    @DisplayName("X-07 (Spool, 3.14) a task that itself throws FutureTimeoutException fails its item; the stream ends")
    void aTaskThrowingATimeoutFailsItsItem() {
        ThreadPool pool = pool(2);
        Iterator<Integer> it = pool.map((Integer x) -> {
            if (x == 1) {
                throw new FutureTimeoutException("from the task");
            }
            return x;
        }, range(4)).iterator();
        assertThat(it.next()).isZero();
        assertThatThrownBy(it::next).isInstanceOf(TaskFailedException.class)
                .cause().isInstanceOf(FutureTimeoutException.class).hasMessage("from the task");
        assertThat(it.hasNext()).isFalse();
    }

    @Test
    @DisplayName("X-08 closing the map stream cancels what has not run; the stream ends")
    void closingTheMapStreamCancelsTheRest() {
        ThreadPool pool = pool(1);
        Set<Integer> ran = ConcurrentHashMap.newKeySet();
        Stream<Integer> stream = pool.map((Integer x) -> {
            if (x == 1) {
                pass(gate);
            }
            ran.add(x);
            return x;
        }, range(5));
        Iterator<Integer> it = stream.iterator();
        assertThat(it.next()).isZero();
        stream.close();
        assertThat(it.hasNext()).isFalse();
        gate.countDown();
        pool.close();
        assertThat(ran).doesNotContain(2, 3, 4);
        assertThat(pool.stats().cancelled()).isGreaterThanOrEqualTo(3);
    }

    @Test
    @DisplayName("X-09 shutdown with a map not read does not deadlock")
    void shutdownWithAnUnreadMapDoesNotDeadlock() {
        ThreadPool pool = pool(2);
        Stream<String> unread = pool.map(String::valueOf, Collections.nCopies(3, 2));
        pool.shutdown(true, false);
        assertThat(pool.isTerminated()).isTrue();
        assertThat(unread.toList()).containsExactly("2", "2", "2");
    }

    @Test
    @DisplayName("X-10 the pool drops its reference to a task once it ran")
    void thePoolDropsItsReferenceToATaskThatRan() {
        ThreadPool pool = pool(1);
        Callable<Integer> task = new Callable<>() {
            @Override
            public Integer call() {
                return 1;
            }
        };
        WeakReference<Callable<Integer>> ref = new WeakReference<>(task);
        TaskFuture<Integer> future = pool.submit(task);
        task = null;
        assertThat(future.result()).isOne();
        awaitCollected(ref);
    }

    @Test
    @DisplayName("X-11 maxWorkers of 0 or -1 is refused")
    void maxWorkersMustBePositive() {
        for (int bad : new int[] {0, -1}) {
            assertThatIllegalArgumentException().isThrownBy(() -> ThreadPool.builder().maxWorkers(bad))
                    .withMessageStartingWith("maxWorkers must be greater than 0");
        }
        ThreadPool pool = pool(1);
        assertThatIllegalArgumentException().isThrownBy(() -> pool.resize(0));
        assertThat(pool.stats().maxWorkers()).isOne();
    }

    @Test
    @DisplayName("X-12 the map stream keeps no reference to a result it yielded")
    void mapKeepsNoReferenceToAYieldedResult() {
        ThreadPool pool = pool(2);
        Iterator<Object> it = pool.map((Integer x) -> new Object(), range(3)).iterator();
        WeakReference<Object> first = new WeakReference<>(it.next());
        awaitCollected(first);
        assertThat(it.next()).isNotNull();
    }

    @Test
    @DisplayName("X-14 a buffer size of 0 or -1 is refused when the options are made")
    void bufferSizeMustBePositive() {
        for (int bad : new int[] {0, -1}) {
            assertThatIllegalArgumentException().isThrownBy(() -> MapOptions.defaults().withBufferSize(bad))
                    .withMessageStartingWith("bufferSize must be >= 1");
        }
    }

    @Test
    @DisplayName("X-15 a buffered map keeps the input order")
    void bufferedMapKeepsInputOrder() {
        ThreadPool pool = pool(4);
        for (int b : new int[] {1, 2, 4, 8}) {
            assertThat(pool.map(String::valueOf, range(4), MapOptions.defaults().withBufferSize(b)).toList())
                    .containsExactly("0", "1", "2", "3");
        }
    }

    @Test
    @DisplayName("X-16 (Spool: zip first) a buffered map over paired input")
    void bufferedMapOverZippedInput() {
        ThreadPool pool = pool(4);
        List<int[]> pairs = IntStream.range(0, 4).mapToObj(i -> new int[] {i, i}).toList();
        for (int b : new int[] {1, 2, 4, 8}) {
            assertThat(pool.map((int[] p) -> p[0] + p[1], pairs, MapOptions.defaults().withBufferSize(b)).toList())
                    .containsExactly(0, 2, 4, 6);
        }
    }

    @Test
    @DisplayName("X-17 a buffered map works on an endless input")
    void bufferedMapWorksOnEndlessInput() {
        ThreadPool pool = pool(2);
        Iterable<Integer> count = () -> Stream.iterate(0, i -> i + 1).iterator();
        try (Stream<String> results = pool.map(String::valueOf, count, MapOptions.defaults().withBufferSize(2))) {
            assertThat(results.limit(3).toList()).containsExactly("0", "1", "2");
        }
    }

    @Test
    @DisplayName("X-18 (Spool: zip first) a buffered map over endless paired input")
    void bufferedMapOverEndlessZippedInput() {
        ThreadPool pool = pool(2);
        Iterable<int[]> pairs = () -> Stream.iterate(0, i -> i + 1).map(i -> new int[] {i, i}).iterator();
        try (Stream<Integer> results = pool.map((int[] p) -> p[0] + p[1], pairs,
                MapOptions.defaults().withBufferSize(2))) {
            assertThat(results.limit(3).toList()).containsExactly(0, 2, 4);
        }
    }

    @Test
    @DisplayName("X-19 a buffered map of nothing is empty")
    void bufferedMapOfNothingIsEmpty() {
        ThreadPool pool = pool(2);
        assertThat(pool.map(String::valueOf, List.of(), MapOptions.defaults().withBufferSize(2)).toList()).isEmpty();
    }

    @Test
    @DisplayName("X-20 a buffered map not read pulls only bufferSize items")
    void bufferedMapPullsOnlyBufferSizeItems() {
        ThreadPool pool = pool(2);
        Iterator<Integer> ints = range(4).iterator();
        Stream<String> unread = pool.map(String::valueOf, () -> ints, MapOptions.defaults().withBufferSize(2));
        pool.shutdown(true, false);
        assertThat(ints.next()).isEqualTo(2);
        unread.close();
    }

    @Test
    @DisplayName("X-21 each read of a buffered map first submits one more item")
    void eachReadSubmitsOneMoreItem() {
        ThreadPool pool = pool(1);
        for (int b : new int[] {1, 2, 4}) {
            int n = 4;
            AtomicInteger pulled = new AtomicInteger();
            Iterable<Integer> counting = () -> new Iterator<>() {
                private final Iterator<Integer> inner = range(n).iterator();

                @Override
                public boolean hasNext() {
                    return inner.hasNext();
                }

                @Override
                public Integer next() {
                    pulled.incrementAndGet();
                    return inner.next();
                }
            };
            Iterator<Integer> it = pool.map(x -> x, counting, MapOptions.defaults().withBufferSize(b)).iterator();
            assertThat(pulled).hasValue(Math.min(b, n));
            it.next();
            assertThat(pulled).hasValue(Math.min(b + 1, n));
            it.forEachRemaining(x -> { });
        }
    }

    @Test
    @DisplayName("X-22 a timeout and a buffer size together")
    void timeoutAndBufferSizeTogether() {
        ThreadPool pool = pool(2);
        assertThat(pool.map(x -> x * 2, range(5),
                MapOptions.defaults().withBufferSize(2).withTimeout(Duration.ofSeconds(10))).toList())
                .containsExactly(0, 2, 4, 6, 8);
    }

    @Test
    @DisplayName("X-23 (Spool) the chunk size is ignored by a thread pool, but must still be valid")
    void chunkSizeIsIgnoredButMustBeValid() {
        ThreadPool pool = pool(2);
        assertThat(pool.map(x -> -x, range(5), MapOptions.defaults().withChunkSize(50)).toList())
                .containsExactly(0, -1, -2, -3, -4);
        assertThatIllegalArgumentException().isThrownBy(() -> MapOptions.defaults().withChunkSize(-5));
        assertThat(pool.map(x -> x, List.of()).toList()).isEmpty();
    }

    @Test
    @DisplayName("X-24 try-with-resources waits for the pool and lets the body's exception through")
    void tryWithResourcesWaitsAndLetsTheExceptionThrough() {
        AtomicReference<TaskFuture<Integer>> submitted = new AtomicReference<>();
        AtomicReference<ThreadPool> used = new AtomicReference<>();
        assertThatThrownBy(() -> {
            try (ThreadPool pool = ThreadPool.builder().name("with").maxWorkers(2).build()) {
                used.set(pool);
                submitted.set(pool.submit(() -> 7));
                throw new IllegalStateException("from the body");
            }
        }).isInstanceOf(IllegalStateException.class).hasMessage("from the body");
        assertThat(used.get().isTerminated()).isTrue();
        assertThat(submitted.get().resultNow()).isEqualTo(7);
    }

    // ---------------------------------------------------------------------------------------- TP-*

    @Test
    @DisplayName("TP-01 map submits every item without being read")
    void mapSubmitsEverythingWithoutBeingRead() {
        ThreadPool pool = pool(2);
        Set<Integer> ran = ConcurrentHashMap.newKeySet();
        pool.map((Integer x) -> ran.add(x), range(10));
        pool.shutdown(true, false);
        assertThat(ran).hasSize(10);
    }

    @Test
    @DisplayName("TP-02 the default maxWorkers is min(32, cpus + 4)")
    void defaultMaxWorkers() {
        int expected = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
        assertThat(pool(ThreadPool.builder()).stats().maxWorkers()).isEqualTo(expected);
        ThreadPool unnamed = new ThreadPool();
        pools.add(unnamed);
        assertThat(unnamed.stats().maxWorkers()).isEqualTo(expected);
        assertThat(unnamed.name()).matches("ThreadPool-\\d+");
        assertThat(unnamed.type()).isEqualTo(ExecutorType.THREAD);
    }

    @Test
    @DisplayName("TP-03 never more threads than maxWorkers")
    void neverMoreThreadsThanMaxWorkers() {
        ThreadPool pool = pool(4);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch started = new CountDownLatch(4);
        List<TaskFuture<?>> fs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            fs.add(pool.submit(() -> {
                threads.add(Thread.currentThread());
                started.countDown();
                pass(gate);
            }));
        }
        await(started);
        ExecutorStats stats = pool.stats();
        assertThat(stats.poolSize()).isEqualTo(4);
        assertThat(stats.active()).isEqualTo(4);
        assertThat(stats.queued()).isEqualTo(56);
        assertThat(pool.threadNames()).hasSize(4);
        gate.countDown();
        Futures.wait(fs);
        assertThat(threads).hasSize(4);
        assertThat(pool.stats().poolSize()).isEqualTo(4);
    }

    @Test
    @DisplayName("TP-04 an idle worker is reused before a new one starts")
    void anIdleWorkerIsReused() {
        for (int round = 0; round < 50; round++) {
            ThreadPool pool = pool(4);
            Set<Thread> threads = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                threads.add(pool.submit(Thread::currentThread).result());
            }
            assertThat(threads).hasSize(1);
            assertThat(pool.stats().poolSize()).isOne();
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("TP-05 a map that timed out cancels its other tasks; they never start")
    void aTimedOutMapCancelsTheRest() {
        ThreadPool pool = pool(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch firstStarted = new CountDownLatch(1);
        pool.submit(() -> {
            firstStarted.countDown();
            pass(gate);
            ran.add("first");
        });
        await(firstStarted);
        Stream<String> results = pool.map((String s) -> {
            ran.add(s);
            return s;
        }, List.of("second", "third"), MapOptions.defaults().withTimeout(Duration.ZERO));
        Iterator<String> it = results.iterator();
        assertThatThrownBy(it::next).isInstanceOf(FutureTimeoutException.class);
        results.close();
        gate.countDown();
        pool.close();
        assertThat(ran).containsExactly("first");
    }

    @Test
    @DisplayName("TP-06 (Java) a null initializer is refused at once")
    void aNullInitializerIsRefused() {
        assertThatNullPointerException().isThrownBy(() -> ThreadPool.builder().initializer(null));
    }

    @Test
    @DisplayName("IN-01 every task sees what the initializer set up; it ran once per worker thread")
    void everyTaskSeesTheInitializedState() {
        ThreadLocal<String> state = new ThreadLocal<>();
        AtomicInteger initialized = new AtomicInteger();
        ThreadPool pool = pool(ThreadPool.builder().name("init").maxWorkers(2).initializer(() -> {
            initialized.incrementAndGet();
            state.set("initialized");
        }));
        CountDownLatch bothBusy = new CountDownLatch(2);
        List<TaskFuture<String>> fs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            fs.add(pool.submit(() -> {
                bothBusy.countDown();
                pass(bothBusy); // the first two wait for each other, so both workers start
                return state.get();
            }));
        }
        for (TaskFuture<String> f : fs) {
            assertThat(f.result()).isEqualTo("initialized");
        }
        assertThat(initialized).hasValue(2);
    }

    @Test
    @DisplayName("IN-02 a failing initializer breaks the pool for good, logged at ERROR")
    void aFailingInitializerBreaksThePool() {
        try (Conditions.LogCapture log = new Conditions.LogCapture()) {
            ThreadPool pool = pool(ThreadPool.builder().name("broken").maxWorkers(2).initializer(() -> {
                throw new IllegalArgumentException("error in initializer");
            }));
            TaskFuture<Integer> f;
            try {
                f = pool.submit(() -> 1);
                assertThat(f.exception(Duration.ofSeconds(10))).isInstanceOf(BrokenThreadPoolException.class);
            } catch (BrokenThreadPoolException submitRefused) {
                // Python allows either: the submit or the future reports the break
            }
            assertThat(pool.stats().state()).isEqualTo(ExecutorState.BROKEN);
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> pool.submit(() -> 2)).isInstanceOf(BrokenThreadPoolException.class)
                        .isInstanceOf(BrokenExecutorException.class);
            }
            assertThatThrownBy(() -> pool.map(x -> x, range(2))).isInstanceOf(BrokenThreadPoolException.class);
            assertThat(pool.isShutdown()).isTrue();
            assertThat(log.records()).anySatisfy(r -> {
                assertThat(r.getLevel()).isEqualTo(Level.SEVERE);
                assertThat(r.getMessage()).contains("A thread initializer failed");
                assertThat(r.getThrown()).hasMessage("error in initializer");
            });
        }
    }

    @Test
    @DisplayName("IN-03 every waiting future fails with its own BrokenThreadPoolException; later submits throw it")
    void everyWaitingTaskFailsWithItsOwnBrokenException() throws InterruptedException {
        IllegalStateException cause = new IllegalStateException("no database");
        CountDownLatch initializing = new CountDownLatch(1);
        ThreadPool pool;
        try (Conditions.LogCapture ignored = new Conditions.LogCapture()) {
            pool = pool(ThreadPool.builder().name("broken").maxWorkers(1).initializer(() -> {
                initializing.countDown();
                pass(gate);
                throw cause;
            }));
            List<TaskFuture<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                fs.add(pool.submit(() -> 1));
            }
            await(initializing);
            gate.countDown();
            Set<Throwable> distinct = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (TaskFuture<Integer> f : fs) {
                Throwable e = f.exception(Duration.ofSeconds(10));
                assertThat(e).isInstanceOf(BrokenThreadPoolException.class)
                        .hasMessage("A thread initializer failed, the thread pool is not usable anymore")
                        .cause().isSameAs(cause);
                distinct.add(e);
            }
            assertThat(distinct).hasSize(5);
            assertThatThrownBy(() -> pool.submit(() -> 1)).isInstanceOf(BrokenThreadPoolException.class)
                    .hasMessage("A thread initializer failed, the thread pool is not usable anymore")
                    .cause().isSameAs(cause);
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        ExecutorStats stats = pool.stats();
        assertThat(stats.failed()).isEqualTo(5);
        assertThat(stats.rejected()).isEqualTo(1);
        assertThat(stats.submitted()).isEqualTo(6);
        assertThat(stats.poolSize()).isZero();
    }

    @Test
    void theInitializerRunsBeforeTheFirstTaskOfEachWorker() {
        List<String> events = new CopyOnWriteArrayList<>();
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1).initializer(() -> events.add("init")));
        pool.submit(() -> events.add("task")).result();
        pool.submit(() -> events.add("task")).result();
        assertThat(events).containsExactly("init", "task", "task");
    }

    // ---------------------------------------------------------------------------------------- the rest of the API

    @Test
    void executeReportsAFailureToTheUncaughtExceptionHandler() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        AtomicReference<Throwable> reported = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            reported.set(e);
            done.countDown();
        });
        try {
            ThreadPool pool = pool(1);
            pool.execute(() -> {
                throw new IllegalStateException("from execute");
            });
            await(done);
            assertThat(reported.get()).hasMessage("from execute");
            assertThat(pool.submit(() -> 1).result()).as("the worker lives on").isOne();
            assertThat(pool.stats().failed()).isOne();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }

    @Test
    void invokeAllReturnsDoneTaskFuturesInOrder() throws Exception {
        ThreadPool pool = pool(3);
        List<Callable<Integer>> tasks = List.of(() -> 1, () -> { throw new IllegalStateException(); }, () -> 3);
        List<Future<Integer>> fs = pool.invokeAll(tasks);
        assertThat(fs).hasSize(3).allSatisfy(f -> assertThat(f).isInstanceOf(TaskFuture.class).isDone());
        assertThat(fs.get(0).get()).isOne();
        assertThat(fs.get(1).state()).isEqualTo(Future.State.FAILED);
        assertThat(fs.get(2).resultNow()).isEqualTo(3);
    }

    @Test
    void invokeAllWithATimeoutReturnsOnlyDoneFuturesAndInterruptsWhatStillRuns() throws Exception {
        ThreadPool pool = pool(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        List<Callable<Integer>> tasks = List.of(() -> {
            try {
                gate.await(); // the gate is never opened: only the interrupt ends this
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return 1;
        }, () -> 2);
        List<Future<Integer>> fs = pool.invokeAll(tasks, 100, TimeUnit.MILLISECONDS);
        assertThat(fs).as("the JDK's contract: every future returned is done").allMatch(Future::isDone);
        assertThat(fs).allMatch(Future::isCancelled);
        await(interrupted);
        pool.close();
        assertThat(pool.stats().cancelled()).isEqualTo(2);
        assertThat(pool.stats().completed()).isZero();
    }

    @Test
    void invokeAnyReturnsASuccess() throws Exception {
        ThreadPool pool = pool(1);
        List<Callable<Integer>> tasks = List.of(() -> { throw new IllegalStateException("no"); }, () -> 2, () -> 3);
        assertThat(pool.invokeAny(tasks)).isIn(2, 3);
        pool.close();
        ExecutorStats stats = pool.stats();
        assertThat(stats.failed()).isOne();
        // the last task ran or was cancelled, depending on how fast the worker was
        assertThat(stats.completed() + stats.cancelled()).isEqualTo(2);
    }

    @Test
    void invokeAnyThrowsWhenEveryTaskFails() {
        ThreadPool pool = pool(2);
        List<Callable<Integer>> tasks = List.of(() -> { throw new IllegalStateException("one"); },
                () -> { throw new IllegalStateException("two"); });
        assertThatThrownBy(() -> pool.invokeAny(tasks)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalStateException.class);
        assertThatIllegalArgumentException().isThrownBy(() -> pool.invokeAny(List.<Callable<Integer>>of()));
    }

    @Test
    void invokeAnyTimesOut() {
        ThreadPool pool = pool(1);
        List<Callable<Integer>> tasks = List.of(() -> {
            pass(gate);
            return 1;
        });
        assertThatThrownBy(() -> pool.invokeAny(tasks, 50, TimeUnit.MILLISECONDS))
                .isInstanceOf(TimeoutException.class);
    }

    @Test
    void cancellingAQueuedTaskKeepsItFromRunningAndCountsItAtOnce() {
        ThreadPool pool = pool(1);
        CountDownLatch started = new CountDownLatch(1);
        pool.submit(() -> {
            started.countDown();
            pass(gate);
        });
        await(started);
        AtomicInteger ran = new AtomicInteger();
        TaskFuture<?> queued = pool.submit(ran::incrementAndGet);
        assertThat(pool.stats().queued()).isOne();
        assertThat(queued.cancel()).isTrue();
        ExecutorStats stats = pool.stats();
        assertThat(stats.queued()).isZero();
        assertThat(stats.cancelled()).isOne();
        assertThatThrownBy(queued::result).isInstanceOf(CancellationException.class);
        gate.countDown();
        pool.close();
        assertThat(ran).hasValue(0);
        assertThat(pool.stats().cancelled()).isOne();
    }

    @Test
    void aNullTaskIsRefused() {
        ThreadPool pool = pool(1);
        assertThatNullPointerException().isThrownBy(() -> pool.submit((Callable<Object>) null));
        assertThatNullPointerException().isThrownBy(() -> pool.submit((Runnable) null));
        assertThatNullPointerException().isThrownBy(() -> pool.execute(null));
        assertThatNullPointerException().isThrownBy(() -> pool.map(null, range(1)));
        assertThatNullPointerException().isThrownBy(() -> pool.map(Function.identity(), null));
    }

    @Test
    void toStringNamesThePool() {
        assertThat(pool(ThreadPool.builder().name("io").maxWorkers(3)).toString())
                .isEqualTo("ThreadPool[io, thread, RUNNING, poolSize=0, maxWorkers=3, active=0, queued=0]");
    }

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }
}
