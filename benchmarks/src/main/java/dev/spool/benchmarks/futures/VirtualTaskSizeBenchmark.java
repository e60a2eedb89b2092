package dev.spool.benchmarks.futures;

import dev.spool.benchmarks.peers.CpuWork;
import java.util.concurrent.Callable;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link VirtualThroughputBenchmark}'s workload with tasks that do some work: each burns {@code micros} µs of CPU
 * ({@link CpuWork}, calibrated once per run by {@code benchmarks/run}). On a no-op task the pool's own bookkeeping is
 * all there is to measure, and Spool's (exact queue-wait, execution and latency statistics, exact admission and
 * termination) is compared with an executor that keeps none; here it is what a task of a realistic size pays for
 * it.
 */
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(3)
@OperationsPerInvocation(VirtualTaskSizeBenchmark.TASKS)
public class VirtualTaskSizeBenchmark extends VirtualSubmitAndWait {
    /** Enough for a few milliseconds per batch at 1 µs a task on 2 cores, and well under a second at 10 µs. */
    static final int TASKS = 10_000;

    /** Microseconds of CPU per task. */
    @Param({"1", "10"})
    public double micros;

    @Override
    protected int tasks() {
        return TASKS;
    }

    @Override
    protected Callable<?> task() {
        return CpuWork.task(micros);
    }
}
