package dev.spool.benchmarks.futures;

import dev.spool.benchmarks.metrics.BenchMetrics;
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
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The virtual-thread suites' workload: submit a batch of tasks, then wait for each, on Spool's
 * {@code ThreadPool.builder().virtualThreads(true)} (no limit, statistics on), on a second such pool with its meters
 * bound to a Prometheus registry, and on {@code Executors.newVirtualThreadPerTaskExecutor()}. A suite says how many
 * tasks a batch has (its {@code @OperationsPerInvocation}, the same number) and what each task does; the score is
 * tasks per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public abstract class VirtualSubmitAndWait {
    private Callable<?> task;
    private ThreadPool spool;
    private ThreadPool metered;
    private BenchMetrics metrics;
    private ExecutorService juc;
    private TaskFuture<?>[] spoolFutures;
    private Future<?>[] jucFutures;

    /** @return the tasks of one batch: the suite's {@code @OperationsPerInvocation} */
    protected abstract int tasks();

    /** @return what each task does */
    protected abstract Callable<?> task();

    /** Starts the three executors. */
    @Setup
    public void start() {
        task = task();
        spoolFutures = new TaskFuture<?>[tasks()];
        jucFutures = new Future<?>[tasks()];
        String name = "bench-" + getClass().getSimpleName();
        spool = ThreadPool.builder().name(name).virtualThreads(true).build();
        juc = Executors.newVirtualThreadPerTaskExecutor();
        metered = ThreadPool.builder().name(name + "-metered").virtualThreads(true).build();
        metrics = BenchMetrics.attach("prometheus", metered);
    }

    /** Shuts them down. */
    @TearDown
    public void stop() {
        spool.close();
        juc.close();
        metered.close();
        metrics.close();
    }

    /** @return the last task's result */
    @Benchmark
    public Object spoolVirtual() {
        return submitAndWait(spool);
    }

    /** @return {@link #spoolVirtual()} with the pool's meters bound to a Prometheus registry */
    @Benchmark
    public Object spoolVirtualMetered() {
        return submitAndWait(metered);
    }

    private Object submitAndWait(ThreadPool pool) {
        TaskFuture<?>[] fs = spoolFutures;
        for (int i = 0; i < fs.length; i++) {
            fs[i] = pool.submit(task);
        }
        Object last = null;
        for (int i = 0; i < fs.length; i++) {
            last = fs[i].result();
            fs[i] = null;
        }
        return last;
    }

    /**
     * @return the last task's result
     * @throws ExecutionException   never: the tasks do not throw
     * @throws InterruptedException if JMH interrupts the caller at the end of an iteration
     */
    @Benchmark
    public Object jucVirtualPerTask() throws ExecutionException, InterruptedException {
        Future<?>[] fs = jucFutures;
        for (int i = 0; i < fs.length; i++) {
            fs[i] = juc.submit(task);
        }
        Object last = null;
        for (int i = 0; i < fs.length; i++) {
            last = fs[i].get();
            fs[i] = null;
        }
        return last;
    }
}
