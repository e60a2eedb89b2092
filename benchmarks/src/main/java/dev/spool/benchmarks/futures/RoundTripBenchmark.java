package dev.spool.benchmarks.futures;

import dev.spool.benchmarks.metrics.BenchMetrics;
import dev.spool.futures.ThreadPool;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code thread_pool.roundtrip} of the anchors: {@code submit(noop).result()}, one task at a time, on a pool of 4
 * workers. Sample time: compare the p50 of Spool's {@link ThreadPool} with {@code Executors.newFixedThreadPool(4)}'s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class RoundTripBenchmark {
    private ThreadPool spool;
    /** A second pool, its meters bound to a Prometheus registry. */
    private ThreadPool metered;
    private BenchMetrics metrics;
    private ExecutorService juc;

    @Setup
    public void start() {
        spool = ThreadPool.builder().name("bench").maxWorkers(SubmitThroughputBenchmark.WORKERS).build();
        juc = Executors.newFixedThreadPool(SubmitThroughputBenchmark.WORKERS);
        metered = ThreadPool.builder().name("bench-metered").maxWorkers(SubmitThroughputBenchmark.WORKERS).build();
        metrics = BenchMetrics.attach("prometheus", metered);
    }

    @TearDown
    public void stop() {
        spool.close();
        juc.close();
        metered.close();
        metrics.close();
    }

    @Benchmark
    public Object spoolThreadPool() {
        return spool.submit(SubmitThroughputBenchmark.NOOP).result();
    }

    /** {@link #spoolThreadPool()} with the pool's meters bound to a Prometheus registry. */
    @Benchmark
    public Object spoolThreadPoolMetered() {
        return metered.submit(SubmitThroughputBenchmark.NOOP).result();
    }

    @Benchmark
    public Object jucFixedThreadPool() throws ExecutionException, InterruptedException {
        return juc.submit(SubmitThroughputBenchmark.NOOP).get();
    }
}
