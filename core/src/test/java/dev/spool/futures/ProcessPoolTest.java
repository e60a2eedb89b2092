package dev.spool.futures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.process.Gate;

/**
 * The executor behaviour of a healthy pool (CPython's test suite, the D-* cases that do not break it), on
 * one pool of two workers shared by every test here.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProcessPoolTest {
    static ProcessPool pool;

    @BeforeAll
    static void start() {
        pool = ProcessPool.builder().name("shared").maxWorkers(2)
                .serialFilter("!dev.spool.futures.ProcessPoolTest$Refused").build();
        try (Gate gate = new Gate()) { // both workers up before any test times anything
            Gate.Ticket one = gate.ticket(1);
            Gate.Ticket two = gate.ticket(2);
            TaskFuture<?> first = pool.submit(one::enterAndWait);
            TaskFuture<?> second = pool.submit(two::enterAndWait);
            gate.awaitArrival();
            gate.awaitArrival();
            gate.releaseAll();
            first.result();
            second.result();
        }
        assertThat(pool.workers()).hasSize(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
        assertThat(pool.isTerminated()).isTrue();
    }

    // ------------------------------------------------------------------------------------------ tasks

    static int square(int x) {
        return x * x;
    }

    static long pid() {
        return ProcessHandle.current().pid();
    }

    record Pow(int base, int exponent) implements SerializableCallable<Integer> {
        @Override
        public Integer call() {
            return (int) Math.pow(base, exponent);
        }
    }

    static int divideTenBy(int x) {
        return 10 / x;
    }

    static final class Failing {
        static Integer explode() {
            throw new IllegalStateException("boom 123");
        }
    }

    /** Serializable, but holds something that is not. */
    static final class Unserializable extends RuntimeException {
        private final transient Object ok = new Object();
        @SuppressWarnings({"unused", "serial"})
        private final Object notOk = new Object();

        Unserializable(String message) {
            super(message);
        }
    }

    /** An exception the parent's filter refuses. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /** Deserializes nowhere: its readObject always throws (D-03 when sent as a task, D-11 as a result). */
    record Unreadable(int value) implements SerializableCallable<Integer> {
        @Override
        public Integer call() {
            return value;
        }

        @java.io.Serial
        private Object readResolve() throws InvalidObjectException {
            throw new InvalidObjectException("Unreadable refuses to be read");
        }
    }

    static final class ReadFails implements Serializable {
        @java.io.Serial
        private void readObject(ObjectInputStream in) throws IOException {
            throw new InvalidObjectException("ReadFails.readObject says no");
        }
    }

    static Integer throwAnonymous() {
        throw new UncheckedIOException("outer", new IOException("inner")) {
            @SuppressWarnings("unused")
            final Object unserializable = new Object();
        };
    }

    /** A plain Callable, not serializable. */
    static final class PlainCallable implements Callable<Integer> {
        @Override
        public Integer call() {
            return 1;
        }
    }

    // ------------------------------------------------------------------------------------------ submit

    @Test
    void submitReturnsTheResult() {
        assertThat(pool.submit(new Pow(2, 8)).result()).isEqualTo(256);
        assertThat(pool.submit(() -> 6 * 7).result()).isEqualTo(42);
        assertThat(pool.submit(ProcessPoolTest::pid).result()).isNotEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void submitRunnableGivesNullOrTheGivenResult() throws Exception {
        SerializableRunnable noop = () -> { };
        assertThat(pool.submit(noop).result()).isNull();
        assertThat(pool.submit(noop, "given").result()).isEqualTo("given");
        Future<?> viaExecutorService = ((java.util.concurrent.ExecutorService) pool).submit((Runnable) noop);
        assertThat(viaExecutorService.get()).isNull();
    }

    @Test
    void valuesOfEveryShapeRoundTrip() {
        List<Object> values = List.of(7, 7L, 2.5, true, false, "héllo \uD800 wörld", new byte[] {1, 2, 3},
                List.of(1, "two"), new Pow(3, 3), new ArrayList<>(List.of(4, 5)));
        for (Object value : values) {
            Object back = pool.submit((SerializableCallable<Object>) () -> value).result();
            if (value instanceof byte[] bytes) {
                assertThat((byte[]) back).containsExactly(bytes);
            } else {
                assertThat(back).isEqualTo(value).hasSameClassAs(value);
            }
        }
        assertThat(pool.submit((SerializableCallable<Object>) () -> null).result()).isNull();
    }

    // ------------------------------------------------------------------------------------------ exceptions (PP-05, D-07)

    @Test
    void anExceptionComesBackAsItselfWithTheWorkersStackTrace() {
        TaskFuture<Integer> future = pool.submit(Failing::explode);
        Throwable thrown = future.exception();
        assertThat(thrown).isExactlyInstanceOf(IllegalStateException.class).hasMessage("boom 123");
        assertThat(thrown.getStackTrace()).anySatisfy(frame -> assertThat(frame.getMethodName()).isEqualTo("explode"));
        assertThat(thrown.getStackTrace()).anySatisfy(frame ->
                assertThat(frame.getClassName()).isEqualTo("dev.spool.process.WorkerMain"));
        assertThatThrownBy(future::result).isInstanceOf(TaskFailedException.class).hasCause(thrown);
        assertThatThrownBy(future::get).isInstanceOf(ExecutionException.class).hasCause(thrown);
    }

    @Test
    void aCheckedExceptionComesBackToo() {
        Throwable thrown = pool.submit((SerializableCallable<Integer>) () -> {
            throw new IOException("disk on fire");
        }).exception();
        assertThat(thrown).isExactlyInstanceOf(IOException.class).hasMessage("disk on fire");
    }

    @Test
    void anExceptionThatCannotBeSerializedBecomesARemoteTaskException() {
        Throwable thrown = pool.submit(ProcessPoolTest::throwAnonymous).exception();
        assertThat(thrown).isInstanceOf(RemoteTaskException.class);
        RemoteTaskException remote = (RemoteTaskException) thrown;
        assertThat(remote.remoteClassName()).startsWith("dev.spool.futures.ProcessPoolTest$");
        assertThat(remote.remoteMessage()).isEqualTo("outer");
        assertThat(remote.getMessage()).contains("outer");
        assertThat(remote.remoteStackTrace()).contains("Caused by: java.io.IOException: inner")
                .contains("throwAnonymous");
        assertThat(remote.getCause()).isInstanceOf(RemoteTaskException.class).hasMessage("java.io.IOException: inner");
        assertThat(remote.getStackTrace()).isNotEmpty();
    }

    @Test
    void anExceptionWhoseFieldIsNotSerializableBecomesARemoteTaskException() {
        Throwable thrown = pool.submit((SerializableCallable<Integer>) () -> {
            throw new Unserializable("has a plain Object");
        }).exception();
        assertThat(thrown).isInstanceOf(RemoteTaskException.class)
                .hasMessage(Unserializable.class.getName() + ": has a plain Object");
    }

    @Test
    void anExceptionTheParentsFilterRefusesBecomesARemoteTaskException() {
        Throwable thrown = pool.submit((SerializableCallable<Integer>) () -> {
            throw new Refused("not welcome");
        }).exception();
        assertThat(thrown).isInstanceOf(RemoteTaskException.class);
        assertThat(((RemoteTaskException) thrown).remoteClassName()).isEqualTo(Refused.class.getName());
        assertThat(thrown.getSuppressed()).singleElement().isInstanceOf(InvalidClassException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("REJECTED"));
    }

    // ------------------------------------------------------------------------------------------ serialization (D-01, D-03, D-10, D-11)

    @Test
    void aTaskThatCannotBeSerializedFailsOnlyItsFutureAtSubmit() {
        Object notSerializable = new Object();
        TaskFuture<Integer> future = pool.submit(() -> notSerializable.hashCode());
        assertThat(future.done()).isTrue();
        assertThat(future.exception()).isInstanceOf(NotSerializableException.class)
                .hasMessageContaining("could not be serialized").hasMessageContaining("java.lang.Object");
        assertThat(pool.submit(new Pow(2, 2)).result()).isEqualTo(4);
    }

    @Test
    void aPlainCallableFailsWithAMessageThatSaysHowToFixIt() {
        TaskFuture<Integer> future = pool.submit(new PlainCallable());
        assertThat(future.exception()).isInstanceOf(NotSerializableException.class)
                .hasMessageContaining("SerializableCallable").hasMessageContaining("record")
                .hasMessageContaining("static method");
        Runnable plain = () -> { };
        assertThat(pool.submit(plain).exception()).isInstanceOf(NotSerializableException.class)
                .hasMessageContaining("SerializableRunnable");
    }

    @Test
    void aTaskThatCannotBeDeserializedInTheWorkerFailsAloneAndTheWorkerLivesOn() {
        List<Long> before = pool.workers().stream().map(WorkerInfo::pid).toList();
        TaskFuture<Integer> future = pool.submit(new Unreadable(5));
        assertThat(future.exception()).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("could not be deserialized in the worker")
                .hasRootCauseMessage("Unreadable refuses to be read");
        assertThat(pool.submit(new Pow(3, 2)).result()).isEqualTo(9);
        assertThat(pool.stats().state()).isEqualTo(ExecutorState.RUNNING);
        assertThat(pool.workers().stream().map(WorkerInfo::pid).toList()).containsAll(before);
    }

    @Test
    void aResultThatCannotBeSerializedFailsItsFutureAndTheWorkerLivesOn() {
        long worker = pool.submit(ProcessPoolTest::pid).result();
        TaskFuture<Object> future = pool.submit((SerializableCallable<Object>) Object::new);
        assertThat(future.exception()).isInstanceOf(NotSerializableException.class)
                .hasMessageContaining("result").hasMessageContaining("java.lang.Object");
        assertThat(pool.workers()).extracting(WorkerInfo::pid).contains(worker);
        assertThat(pool.submit(new Pow(2, 5)).result()).isEqualTo(32);
    }

    @Test
    void aResultTheParentCannotDeserializeFailsItsFutureAndThePoolLivesOn() {
        TaskFuture<Object> future = pool.submit((SerializableCallable<Object>) ReadFails::new);
        assertThat(future.exception()).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("could not be deserialized in the parent")
                .hasRootCauseMessage("ReadFails.readObject says no");
        TaskFuture<Object> refused = pool.submit((SerializableCallable<Object>) () -> new Refused("as a result"));
        assertThat(refused.exception()).isInstanceOf(InvalidObjectException.class).hasRootCauseInstanceOf(InvalidClassException.class);
        assertThat(pool.submit(new Pow(2, 3)).result()).isEqualTo(8);
        assertThat(pool.stats().state()).isEqualTo(ExecutorState.RUNNING);
    }

    // ------------------------------------------------------------------------------------------ map (X-03..X-06, X-15..X-21, PP-04)

    @Test
    void mapGivesTheSameAsAPlainMapWithEveryChunkSize() {
        List<Integer> input = IntStream.range(0, 50).boxed().toList();
        List<Integer> expected = input.stream().map(ProcessPoolTest::square).toList();
        for (int chunkSize : new int[] {1, 3, 6, 40, 50, 100}) {
            assertThat(pool.map(ProcessPoolTest::square, input, MapOptions.defaults().withChunkSize(chunkSize)).toList())
                    .as("chunk size %d", chunkSize).isEqualTo(expected);
        }
        assertThat(pool.map(ProcessPoolTest::square, List.<Integer>of()).toList()).isEmpty();
        assertThat(pool.map((Integer x) -> x * x, List.of(1, 2, 3)).toList()).containsExactly(1, 4, 9);
    }

    @Test
    void mapRaisesAtThePositionOfTheFailingItemAndYieldsTheOnesBeforeItInItsChunk() {
        List<Integer> input = List.of(5, 2, 0, 1, 10);
        for (int chunkSize : new int[] {1, 3, 5}) {
            Iterator<Integer> results = pool.map(ProcessPoolTest::divideTenBy, input,
                    MapOptions.defaults().withChunkSize(chunkSize)).iterator();
            assertThat(results.next()).isEqualTo(2);
            assertThat(results.next()).isEqualTo(5);
            assertThatThrownBy(results::next).as("chunk size %d", chunkSize)
                    .isInstanceOf(TaskFailedException.class).hasCauseInstanceOf(ArithmeticException.class);
            assertThat(results.hasNext()).isFalse(); // 3.14: the stream ends at the failure
        }
    }

    @Test
    void mapTimesOutAtTheFirstLateItem() {
        try (Gate gate = new Gate()) {
            Gate.Ticket stuck = gate.ticket(1);
            List<Integer> input = List.of(0, 0, 1);
            Iterator<Integer> results = pool.map((Integer x) -> {
                if (x == 1) {
                    stuck.enterAndWait();
                }
                return x;
            }, input, MapOptions.defaults().withTimeout(Duration.ofSeconds(1))).iterator();
            assertThat(results.next()).isZero();
            assertThat(results.next()).isZero();
            assertThatThrownBy(results::next).isInstanceOf(FutureTimeoutException.class);
            assertThat(results.hasNext()).isFalse();
            assertThat(gate.awaitArrival()).isEqualTo(1);
            gate.releaseAll();
        }
    }

    @Test
    void mapWithABufferPullsInputLazilyAndWorksOnAnEndlessInput() {
        Iterable<Integer> naturals = () -> Stream.iterate(0, i -> i + 1).iterator();
        try (Stream<Integer> results = pool.map(ProcessPoolTest::square, naturals,
                MapOptions.defaults().withBufferSize(2).withChunkSize(3))) {
            assertThat(results.limit(7).toList()).containsExactly(0, 1, 4, 9, 16, 25, 36);
        }
        for (int buffer : new int[] {1, 2, 4, 8}) {
            assertThat(pool.map((Integer x) -> String.valueOf(x), List.of(0, 1, 2, 3),
                    MapOptions.defaults().withBufferSize(buffer)).toList())
                    .containsExactly("0", "1", "2", "3");
        }
    }

    @Test
    void chunkSizeBelowOneIsRejected() {
        assertThatThrownBy(() -> MapOptions.defaults().withChunkSize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chunkSize must be >= 1");
        assertThatThrownBy(() -> MapOptions.defaults().withChunkSize(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mapWithAFunctionThatIsNotSerializableIsRejectedAtTheCall() {
        java.util.function.Function<Integer, Integer> plain = x -> x;
        assertThatThrownBy(() -> pool.map(plain, List.of(1), MapOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SerializableFunction");
    }

    @Test
    void mapWithAFunctionThatCapturesSomethingUnserializableFailsAtTheFirstItem() {
        Object notSerializable = new Object();
        Iterator<Integer> results = pool.map((Integer x) -> x + notSerializable.hashCode(), List.of(1, 2)).iterator();
        assertThatThrownBy(results::next).isInstanceOf(TaskFailedException.class)
                .hasCauseInstanceOf(NotSerializableException.class);
    }

    // ------------------------------------------------------------------------------------------ invoke, stats, workers

    @Test
    void invokeAllAndInvokeAny() throws Exception {
        List<Callable<Integer>> tasks = List.of(new Pow(2, 1), new Pow(2, 2), new Pow(2, 3));
        assertThat(pool.invokeAll(tasks)).extracting(Future::get).containsExactly(2, 4, 8);
        assertThat(pool.invokeAny(tasks)).isIn(2, 4, 8);
    }

    @Test
    void statisticsAddUp() {
        ExecutorStats before = pool.stats();
        pool.submit(new Pow(1, 1)).result();
        pool.submit(Failing::explode).exception();
        pool.submit(new PlainCallable()).exception();
        ExecutorStats after = pool.stats();
        assertThat(after.submitted() - before.submitted()).isEqualTo(3);
        assertThat(after.completed() - before.completed()).isEqualTo(1);
        assertThat(after.failed() - before.failed()).isEqualTo(2);
        assertThat(after.maxWorkers()).isEqualTo(2);
        assertThat(after.poolSize()).isBetween(1, 2);
        assertThat(pool.type()).isEqualTo(ExecutorType.PROCESS);
        assertThat(pool.name()).isEqualTo("shared");
        assertThat(pool.toString()).contains("shared").contains("running");
    }

    @Test
    void workersListPidsTasksRunAndState() {
        long pid = pool.submit(ProcessPoolTest::pid).result();
        assertThat(pool.workers()).anySatisfy(worker -> {
            assertThat(worker.pid()).isEqualTo(pid);
            assertThat(worker.name()).startsWith("shared-worker-");
            assertThat(worker.tasksRun()).isPositive();
            assertThat(worker.startedAt()).isBefore(java.time.Instant.now().plusSeconds(1));
            assertThat(worker.state()).isIn(WorkerInfo.State.IDLE, WorkerInfo.State.BUSY);
        });
    }
}
