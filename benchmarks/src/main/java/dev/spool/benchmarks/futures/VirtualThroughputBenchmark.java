package dev.spool.benchmarks.futures;

import java.util.concurrent.Callable;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The submit-and-wait workload of {@link SubmitThroughputBenchmark} with one virtual thread per task
 * ({@link VirtualSubmitAndWait}): batches of 100k no-op tasks, where a pool's own per-task cost is all there is to
 * measure.
 *
 * <p>Six short forks rather than two long ones: the JDK's executor reads anywhere from 2.3 M to 5.5 M tasks per
 * second from one JVM to the next on the project's machine (Spool's pool less so), and a JVM keeps its figure for
 * the whole fork. More forks average that, in about the time two long forks took.
 */
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(6)
@OperationsPerInvocation(VirtualThroughputBenchmark.TASKS)
public class VirtualThroughputBenchmark extends VirtualSubmitAndWait {
    static final int TASKS = 100_000;

    @Override
    protected int tasks() {
        return TASKS;
    }

    @Override
    protected Callable<?> task() {
        return SubmitThroughputBenchmark.NOOP;
    }
}
