package dev.spool.benchmarks.futures;

import dev.spool.benchmarks.metrics.BenchMetrics;
import dev.spool.futures.TaskFuture;
import dev.spool.futures.ThreadPool;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code thread_pool.submit_noop} of {@code JucAnchor.java} and {@code python_anchor.py}: submit 200,000 no-op tasks
 * to a pool of 4 workers, then wait for every future. Spool's {@link ThreadPool} (statistics always on) against
 * {@code Executors.newFixedThreadPool(4)}, in the same JVM; the score is tasks per second.
 *
 * <p>Six short forks rather than two long ones: this workload runs in one of two modes (the queue near empty, its
 * cache lines passed between the caller and the workers, or the caller ahead and the queue long; see the benchmark
 * README, "The two modes of submit+wait"), a fork settles in one of them at its start, and the JDK's executor swings
 * as much from one JVM to the next. More forks average the modes, in about the time two long forks took.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(6)
public class SubmitThroughputBenchmark {
    static final int TASKS = 200_000;
    static final int WORKERS = 4;
    static final Callable<Object> NOOP = () -> null;

    private ThreadPool spool;
    /** A second pool, its meters bound to a Prometheus registry. */
    private ThreadPool metered;
    private BenchMetrics metrics;
    /** A third pool with a run-timeout (issue 16): its watch must cost the tasks' path nothing. */
    private ThreadPool watched;
    private ExecutorService juc;
    private final TaskFuture<?>[] spoolFutures = new TaskFuture<?>[TASKS];
    private final Future<?>[] jucFutures = new Future<?>[TASKS];

    @Setup
    public void start() {
        spool = ThreadPool.builder().name("bench").maxWorkers(WORKERS).build();
        juc = Executors.newFixedThreadPool(WORKERS);
        metered = ThreadPool.builder().name("bench-metered").maxWorkers(WORKERS).build();
        metrics = BenchMetrics.attach("prometheus", metered);
        watched = ThreadPool.builder().name("bench-watched").maxWorkers(WORKERS).runTimeout(Duration.ofMinutes(1))
                .build();
    }

    @TearDown
    public void stop() {
        spool.close();
        juc.close();
        metered.close();
        metrics.close();
        watched.close();
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public Object spoolThreadPool() {
        return submitAndWait(spool);
    }

    /** {@link #spoolThreadPool()} with the pool's meters bound to a Prometheus registry. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public Object spoolThreadPoolMetered() {
        return submitAndWait(metered);
    }

    /** {@link #spoolThreadPool()} with a run-timeout: the same path, plus the watch thread looking every second. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public Object spoolThreadPoolRunTimeout() {
        return submitAndWait(watched);
    }

    private Object submitAndWait(ThreadPool pool) {
        TaskFuture<?>[] fs = spoolFutures;
        for (int i = 0; i < TASKS; i++) {
            fs[i] = pool.submit(NOOP);
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
    public Object jucFixedThreadPool() throws ExecutionException, InterruptedException {
        Future<?>[] fs = jucFutures;
        for (int i = 0; i < TASKS; i++) {
            fs[i] = juc.submit(NOOP);
        }
        Object last = null;
        for (int i = 0; i < TASKS; i++) {
            last = fs[i].get();
            fs[i] = null;
        }
        return last;
    }
}
