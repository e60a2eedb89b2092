package dev.spool.benchmarks.process;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.spool.futures.MapOptions;
import dev.spool.futures.ProcessPool;

/**
 * CPython anchor {@code process_pool.map_chunk1000}: {@code map(square, range(200_000), chunksize=1000)} on two warm
 * workers, summing the results. Score: items per second (target: at least CPython's).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProcessPoolMapBenchmark {
    static final int ITEMS = 200_000;

    private ProcessPool pool;
    private List<Integer> input;
    private final MapOptions chunked = MapOptions.defaults().withChunkSize(1000);

    @Setup
    public void start() {
        pool = ProcessPool.builder().name("bench-map").maxWorkers(2).prestart(true).build();
        pool.submit(new Tasks.Square(1)).result();
        input = IntStream.range(0, ITEMS).boxed().toList();
    }

    @TearDown
    public void stop() {
        pool.close();
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long map200kChunk1000() {
        return pool.map(Tasks::square, input, chunked).mapToLong(Integer::longValue).sum();
    }
}
