package dev.spool.benchmarks.peers;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The workload users run, on each pool they would pick: every caller thread (the suite's {@code @Threads}) does
 * {@code submit(task).get()} of a task that burns {@link #taskMicros()} µs of CPU, on a pool of 4 workers. One method
 * per peer; the suites differ in callers and task length. Score: tasks per second, all callers together.
 *
 * <p>Peers: {@code jdkFixedPool} ({@code Executors.newFixedThreadPool(4)}, the floor), {@code jdkMicrometer} (the
 * same under Micrometer's {@code ExecutorServiceMetrics.monitor} on a {@code SimpleMeterRegistry}: a timer around
 * every task), {@code springTaskExecutor} ({@code ThreadPoolTaskExecutor}), {@code dtpExecutor} (dynamic-tp),
 * and Spool's {@code ThreadPool} waited on with {@code result()} ({@code spoolResult}), with {@code get()}
 * ({@code spoolGet}), and with its meters bound to a {@code SimpleMeterRegistry} ({@code spoolMetered}).
 *
 * <p>Three forks per peer (a JVM can settle in a slower mode for a whole fork: two forks of one pool differ by about
 * 10 % on the project's machine), short iterations: the suites are there to be read side by side in one run of
 * {@code benchmarks/run}, which must stay under half an hour on 2 cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(3)
public abstract class PeerBenchmark {
    private PeerPools pools;
    private Callable<Long> task;

    /** @return how many microseconds of CPU each task burns */
    protected abstract double taskMicros();

    /**
     * Starts the pool of the peer being measured, named by the benchmark method.
     *
     * @param params JMH's description of the running benchmark
     */
    @Setup
    public void start(BenchmarkParams params) {
        String benchmark = params.getBenchmark();
        task = CpuWork.task(taskMicros());
        pools = PeerPools.start(benchmark.substring(benchmark.lastIndexOf('.') + 1));
    }

    /** Shuts the pool down. */
    @TearDown
    public void stop() {
        pools.close();
    }

    /**
     * @return the task's result
     * @throws ExecutionException   never: the task does not throw
     * @throws InterruptedException if JMH interrupts the caller at the end of an iteration
     */
    @Benchmark
    public Long jdkFixedPool() throws ExecutionException, InterruptedException {
        return pools.jdk.submit(task).get();
    }

    /**
     * @return the task's result
     * @throws ExecutionException   never: the task does not throw
     * @throws InterruptedException if JMH interrupts the caller at the end of an iteration
     */
    @Benchmark
    public Long jdkMicrometer() throws ExecutionException, InterruptedException {
        return pools.jdk.submit(task).get();
    }

    /**
     * @return the task's result
     * @throws ExecutionException   never: the task does not throw
     * @throws InterruptedException if JMH interrupts the caller at the end of an iteration
     */
    @Benchmark
    public Long springTaskExecutor() throws ExecutionException, InterruptedException {
        return pools.spring.submit(task).get();
    }

    /**
     * @return the task's result
     * @throws ExecutionException   never: the task does not throw
     * @throws InterruptedException if JMH interrupts the caller at the end of an iteration
     */
    @Benchmark
    public Long dtpExecutor() throws ExecutionException, InterruptedException {
        return pools.dtp.submit(task).get();
    }

    /** @return the task's result, waited for with Spool's own {@code result()} */
    @Benchmark
    public Long spoolResult() {
        return pools.spool.submit(task).result();
    }

    /**
     * @return the task's result, waited for with {@code Future.get()}, as code written for the JDK waits
     * @throws ExecutionException   never: the task does not throw
     * @throws InterruptedException if JMH interrupts the caller at the end of an iteration
     */
    @Benchmark
    public Long spoolGet() throws ExecutionException, InterruptedException {
        return pools.spool.submit(task).get();
    }

    /** @return the task's result; the pool's meters are bound to a {@code SimpleMeterRegistry} */
    @Benchmark
    public Long spoolMetered() {
        return pools.spool.submit(task).result();
    }
}
