package dev.spool.benchmarks.threading;

import dev.spool.benchmarks.metrics.BenchMetrics;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.spool.threading.Barrier;
import dev.spool.threading.BarrierBrokenException;

/**
 * Two parties meeting at a barrier over and over ({@code JucAnchor.barrierCycles}, {@code python_anchor.barrier_cycles}):
 * the benchmark thread and a partner thread. Each operation is one trip. Target: Spool's Barrier at least 0.7x
 * {@code CyclicBarrier}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BarrierBenchmark {

    @State(Scope.Benchmark)
    public static class SpoolBarrier {
        final Barrier barrier = new Barrier("bench-barrier", 2);
        Thread partner;

        @Setup(Level.Trial)
        public void start() {
            partner = Thread.ofPlatform().name("barrier-partner").daemon(true).start(() -> {
                try {
                    for (;;) {
                        barrier.await();
                    }
                } catch (InterruptedException | BarrierBrokenException e) {
                    // stopped
                }
            });
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            barrier.abort();
            partner.join();
        }
    }


    /** {@link SpoolBarrier} with its barrier bound to a Prometheus registry. */
    public static class MeteredSpoolBarrier extends SpoolBarrier {
        BenchMetrics metrics;

        @Setup(Level.Trial)
        public void bindMetrics() {
            metrics = BenchMetrics.attach("prometheus", barrier);
        }

        @TearDown(Level.Trial)
        public void closeMetrics() {
            metrics.close();
        }
    }

    @State(Scope.Benchmark)
    public static class JucBarrier {
        final CyclicBarrier barrier = new CyclicBarrier(2);
        volatile boolean stop;
        Thread partner;

        @Setup(Level.Trial)
        public void start() {
            partner = Thread.ofPlatform().name("cyclic-partner").daemon(true).start(() -> {
                try {
                    while (!stop) {
                        barrier.await();
                    }
                } catch (InterruptedException | BrokenBarrierException e) {
                    // stopped
                }
            });
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            stop = true;
            barrier.reset();
            partner.join();
        }
    }

    /** One trip of Spool's 2-party {@link Barrier}. */
    @Benchmark
    public int spoolBarrier(SpoolBarrier state) throws InterruptedException {
        return state.barrier.await();
    }

    /** {@link #spoolBarrier} with the barrier's meters bound to a Prometheus registry. */
    @Benchmark
    public int spoolBarrierMetered(MeteredSpoolBarrier state) throws InterruptedException {
        return state.barrier.await();
    }

    /** The JDK baseline: one trip of a 2-party {@code CyclicBarrier}. */
    @Benchmark
    public int jucCyclicBarrier(JucBarrier state) throws Exception {
        return state.barrier.await();
    }
}
