package dev.spool.futures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.threading.Barrier;
import dev.spool.threading.BarrierBrokenException;

/**
 * What a Python developer writes first (issue 13): {@code executor.map} over a function that raises, map and
 * future timeouts in the words people use, and {@code Barrier(parties, timeout=...)}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PythonParityTest {

    private final TestPools pools = new TestPools();

    @AfterEach
    void closePools() {
        pools.close();
    }

    /** Reads a file, as a Python {@code fetch(url)} would: may throw a checked exception. */
    private static String read(String name) throws IOException {
        if (name.startsWith("missing")) {
            throw new IOException("no such file: " + name);
        }
        return name.toUpperCase();
    }

    @Test
    void mapTakesAFunctionThatThrowsACheckedException() {
        ThreadPool pool = pools.build(ThreadPool.builder().maxWorkers(2));

        assertThat(pool.map(PythonParityTest::read, List.of("a", "b")).toList()).containsExactly("A", "B");
        assertThat(pool.map(name -> read(name) + "!", List.of("c"), MapOptions.defaults()).toList())
                .containsExactly("C!");
    }

    @Test
    void theCheckedExceptionIsTheCauseOfTheFailureAsForSubmitCallable() {
        ManagedExecutor pool = pools.build(ThreadPool.builder().maxWorkers(1));

        assertThatThrownBy(() -> pool.map(PythonParityTest::read, List.of("a", "missing.txt")).toList())
                .isInstanceOf(TaskFailedException.class)
                .cause().isExactlyInstanceOf(IOException.class).hasMessage("no such file: missing.txt");
    }

    @Test
    void aPlainFunctionStillGoesToMap() {
        ThreadPool pool = pools.build(ThreadPool.builder().maxWorkers(1));
        java.util.function.Function<Integer, Integer> square = x -> x * x;

        assertThat(pool.map(square, List.of(1, 2, 3)).toList()).containsExactly(1, 4, 9);
    }

    @Test
    void checkedFunctionUsedAsAFunctionWrapsTheCheckedException() {
        CheckedFunction<String, String> fn = PythonParityTest::read;

        assertThatThrownBy(() -> fn.apply("missing"))
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(IOException.class);
        CheckedFunction<String, String> unchecked = name -> {
            throw new UncheckedIOException(new IOException(name));
        };
        assertThatThrownBy(() -> unchecked.apply("x")).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void aMapTimeoutNamesTheTimeoutAsItWasWritten() {
        ThreadPool pool = pools.build(ThreadPool.builder().maxWorkers(1));
        var gate = pools.gate();

        assertThatThrownBy(() -> pool.map(x -> {
            gate.await();
            return x;
        }, List.of(1), MapOptions.defaults().withTimeout(Duration.ofMillis(200))).toList())
                .isInstanceOf(FutureTimeoutException.class)
                .hasMessageStartingWith("map: result 0 not done within the map's timeout of 200 ms: ")
                .hasMessageNotContaining("PT");
    }

    @Test
    void futureTimeoutsSayHowLongInMillisecondsOrSeconds() {
        TaskFuture<String> pending = new TaskFuture<>();

        assertThatThrownBy(() -> pending.result(Duration.ofMillis(1500)))
                .isInstanceOf(FutureTimeoutException.class).hasMessageStartingWith("not done after 1.5 s: ");
        assertThatThrownBy(() -> pending.get(20, TimeUnit.MILLISECONDS))
                .isInstanceOf(TimeoutException.class).hasMessageStartingWith("not done after 20 ms: ");
    }

    @Test
    void barrierTakesPartiesAndATimeoutAsPythonDoes() throws InterruptedException {
        Barrier barrier = new Barrier(2, Duration.ofMillis(50));
        Barrier named = new Barrier("batch", 3, Duration.ofSeconds(5));

        assertThat(barrier.parties()).isEqualTo(2);
        assertThat(barrier.timeout()).isEqualTo(Duration.ofMillis(50));
        assertThat(named.name()).isEqualTo("batch");
        assertThat(named.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(barrier::await).isInstanceOf(BarrierBrokenException.class)
                .hasMessageEndingWith("broken: a wait timed out after 50 ms");
    }
}
