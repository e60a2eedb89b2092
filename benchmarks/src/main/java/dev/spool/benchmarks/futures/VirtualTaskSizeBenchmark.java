package dev.spool.benchmarks.futures;

import dev.spool.benchmarks.metrics.BenchMetrics;
import dev.spool.benchmarks.peers.CpuWork;
import dev.spool.futures.TaskFuture;
import dev.spool.futures.ThreadPool;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link VirtualThroughputBenchmark}'s submit-and-wait with tasks that do some work: each burns {@code micros} µs of
 * CPU ({@link CpuWork}, calibrated once per run by {@code benchmarks/run}). On a no-op task the pool's own
 * bookkeeping is all there is to measure, and Spool's (exact queue-wait, execution and latency statistics, exact
 * admission and termination) is compared with an executor that keeps none; here it is what a task of a realistic
 * size pays for it. The score is tasks per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(3)
public class VirtualTaskSizeBenchmark {
    /** Enough for a few milliseconds per invocation at 1 µs a task on 2 cores, and well under a second at 10 µs. */
    static final int TASKS = 10_000;

    /** Microseconds of CPU per task. */
    @Param({"1", "10"})
    public double micros;

    private Callable<Long> task;
    private ThreadPool spool;
    /** A second pool, its meters bound to a Prometheus registry. */
    private ThreadPool metered;
    private BenchMetrics metrics;
    private ExecutorService juc;
    private final TaskFuture<?>[] spoolFutures = new TaskFuture<?>[TASKS];
    private final Future<?>[] jucFutures = new Future<?>[TASKS];

    @Setup
    public void start() {
        task = CpuWork.task(micros);
        spool = ThreadPool.builder().name("bench-virtual-work").virtualThreads(true).build();
        juc = Executors.newVirtualThreadPerTaskExecutor();
        metered = ThreadPool.builder().name("bench-virtual-work-metered").virtualThreads(true).build();
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
    @OperationsPerInvocation(TASKS)
    public Object spoolVirtual() {
        return submitAndWait(spool);
    }

    /** {@link #spoolVirtual()} with the pool's meters bound to a Prometheus registry. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public Object spoolVirtualMetered() {
        return submitAndWait(metered);
    }

    private Object submitAndWait(ThreadPool pool) {
        TaskFuture<?>[] fs = spoolFutures;
        for (int i = 0; i < TASKS; i++) {
            fs[i] = pool.submit(task);
        }
        Object last = null;
        for (int i = 0; i < TASKS; i++) {
            last = fs[i].result();
            fs[i] = null;
        }
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public Object jucVirtualPerTask() throws ExecutionException, InterruptedException {
        Future<?>[] fs = jucFutures;
        for (int i = 0; i < TASKS; i++) {
            fs[i] = juc.submit(task);
        }
        Object last = null;
        for (int i = 0; i < TASKS; i++) {
            last = fs[i].get();
            fs[i] = null;
        }
        return last;
    }
}
