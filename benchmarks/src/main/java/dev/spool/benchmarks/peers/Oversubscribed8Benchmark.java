package dev.spool.benchmarks.peers;

import org.openjdk.jmh.annotations.Threads;

/**
 * 8 caller threads, each doing {@code submit(task).get()} of a 20 µs CPU task, on each peer's 4-worker pool: more
 * callers than workers and cores, but few enough that a waiter's spin could still look affordable.
 */
@Threads(8)
public class Oversubscribed8Benchmark extends PeerBenchmark {
    @Override
    protected double taskMicros() {
        return 20;
    }
}
