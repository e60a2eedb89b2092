package dev.spool.benchmarks.futures;

import dev.spool.benchmarks.metrics.BenchMetrics;
import dev.spool.futures.TaskFuture;
import dev.spool.futures.ThreadPool;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The submit-and-wait workload of {@link SubmitThroughputBenchmark} with one virtual thread per task: Spool's
 * {@code ThreadPool.builder().virtualThreads(true)} (no limit, statistics on) against
 * {@code Executors.newVirtualThreadPerTaskExecutor()}. The score is tasks per second.
 *
 * <p>Six short forks rather than two long ones: the JDK's executor reads anywhere from 2.3 M to 5.5 M tasks per
 * second from one JVM to the next on the project's machine (Spool's pool less so), and a JVM keeps its figure for
 * the whole fork. More forks average that, in about the time two long forks took.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(6)
public class VirtualThroughputBenchmark {
    static final int TASKS = 100_000;

    private ThreadPool spool;
    /** A second pool, its meters bound to a Prometheus registry. */
    private ThreadPool metered;
    private BenchMetrics metrics;
    private ExecutorService juc;
    private final TaskFuture<?>[] spoolFutures = new TaskFuture<?>[TASKS];
    private final Future<?>[] jucFutures = new Future<?>[TASKS];

    @Setup
    public void start() {
        spool = ThreadPool.builder().name("bench-virtual").virtualThreads(true).build();
        juc = Executors.newVirtualThreadPerTaskExecutor();
        metered = ThreadPool.builder().name("bench-virtual-metered").virtualThreads(true).build();
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
            fs[i] = pool.submit(SubmitThroughputBenchmark.NOOP);
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
            fs[i] = juc.submit(SubmitThroughputBenchmark.NOOP);
        }
        Object last = null;
        for (int i = 0; i < TASKS; i++) {
            last = fs[i].get();
            fs[i] = null;
        }
        return last;
    }
}
