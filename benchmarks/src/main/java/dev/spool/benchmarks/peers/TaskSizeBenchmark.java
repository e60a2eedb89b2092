package dev.spool.benchmarks.peers;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Threads;

/**
 * Realistic small tasks, 1 µs and 10 µs of CPU, submitted and waited for by 4 callers on each peer's 4-worker pool.
 * The report gives each peer's overhead as a percentage of the bare JDK pool's time per task: what observability
 * costs when the task does some work. The 0 µs size (a no-op task) is where each peer's own per-task cost is all
 * there is to measure: it is the workload on which the metered peers are compared with each other.
 */
@Threads(4)
public class TaskSizeBenchmark extends PeerBenchmark {
    /** Microseconds of CPU per task. */
    @Param({"0", "1", "10"})
    public double micros;

    @Override
    protected double taskMicros() {
        return micros;
    }
}
