package dev.spool.benchmarks.peers;

import org.openjdk.jmh.annotations.Threads;

/**
 * 64 caller threads, each doing {@code submit(task).get()} of a 20 µs CPU task, on each peer's 4-worker pool: the
 * shape of a web application whose request threads wait for pool work, with far more waiters than cores.
 */
@Threads(64)
public class Oversubscribed64Benchmark extends PeerBenchmark {
    @Override
    protected double taskMicros() {
        return 20;
    }
}
