package dev.spool.benchmarks.futures;

import dev.spool.benchmarks.metrics.BenchMetrics;
import dev.spool.futures.ThreadPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

/**
 * {@code thread_pool.map} of {@code python_anchor.py}: {@code sum(pool.map(square, range(200_000)))} on 4 workers.
 * Spool's lazy ordered {@code map} stream against the same fan-out written by hand on
 * {@code Executors.newFixedThreadPool(4)} (submit every item, then get each in order). Items per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class MapBenchmark {
    static final int ITEMS = 200_000;

    private ThreadPool spool;
    /** A second pool, its meters bound to a Prometheus registry. */
    private ThreadPool metered;
    private BenchMetrics metrics;
    private ExecutorService juc;
    private List<Integer> items;

    @Setup
    public void start() {
        spool = ThreadPool.builder().name("bench").maxWorkers(SubmitThroughputBenchmark.WORKERS).build();
        juc = Executors.newFixedThreadPool(SubmitThroughputBenchmark.WORKERS);
        metered = ThreadPool.builder().name("bench-metered").maxWorkers(SubmitThroughputBenchmark.WORKERS).build();
        metrics = BenchMetrics.attach("prometheus", metered);
        items = IntStream.range(0, ITEMS).boxed().toList();
    }

    @TearDown
    public void stop() {
        spool.close();
        juc.close();
        metered.close();
        metrics.close();
    }

    private static long square(int x) {
        return (long) x * x;
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long spoolMap() {
        return spool.map(MapBenchmark::square, items).mapToLong(Long::longValue).sum();
    }

    /** {@link #spoolMap()} on a pool whose meters are bound to a Prometheus registry. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long spoolMapMetered() {
        return metered.map(MapBenchmark::square, items).mapToLong(Long::longValue).sum();
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long jucSubmitAllThenGet() throws ExecutionException, InterruptedException {
        List<Future<Long>> fs = new ArrayList<>(ITEMS);
        for (Integer item : items) {
            fs.add(juc.submit(() -> square(item)));
        }
        long sum = 0;
        for (Future<Long> f : fs) {
            sum += f.get();
        }
        return sum;
    }
}
