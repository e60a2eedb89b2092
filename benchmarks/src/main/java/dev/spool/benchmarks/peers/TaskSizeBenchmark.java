package dev.spool.benchmarks.peers;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Threads;

/**
 * Realistic small tasks, 1 µs and 10 µs of CPU, submitted and waited for by 4 callers on each peer's 4-worker pool.
 * The report gives each peer's overhead as a percentage of the bare JDK pool's time per task: what observability
 * costs when the task does some work.
 */
@Threads(4)
public class TaskSizeBenchmark extends PeerBenchmark {
    /** Microseconds of CPU per task. */
    @Param({"1", "10"})
    public double micros;

    @Override
    protected double taskMicros() {
        return micros;
    }
}
