package dev.spool.benchmarks.process;

import java.util.ArrayList;
import java.util.List;
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

import dev.spool.futures.ProcessPool;
import dev.spool.futures.TaskFuture;

/**
 * CPython anchor {@code process_pool.submit}: 20,000 {@code submit}s of a tiny task ({@code square(i)}) to a pool of
 * two warm workers, then wait for all of them. Score: tasks per second (target: at least 5× CPython's
 * {@code ProcessPoolExecutor}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProcessPoolSubmitBenchmark {
    static final int TASKS = 20_000;

    /** Worker JVM options: the pool's defaults (C1 only), or C2 ("server") for long-running pools. */
    @Param({"default", "server"})
    public String workerJit;

    private ProcessPool pool;

    @Setup
    public void start() {
        ProcessPool.Builder builder = ProcessPool.builder().name("bench-submit").maxWorkers(2).prestart(true);
        if (workerJit.equals("server")) {
            builder.jvmOptions(List.of("-XX:+UseSerialGC", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError"));
        }
        pool = builder.build();
        pool.submit(new Tasks.Square(1)).result(); // warm the workers, as the anchor does
    }

    @TearDown
    public void stop() {
        pool.close();
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long submit20k() {
        List<TaskFuture<Integer>> futures = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
            futures.add(pool.submit(new Tasks.Square(i)));
        }
        long sum = 0;
        for (TaskFuture<Integer> future : futures) {
            sum += future.result();
        }
        return sum;
    }
}
