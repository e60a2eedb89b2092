package dev.spool.benchmarks.threading;

import dev.spool.benchmarks.metrics.BenchMetrics;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import dev.spool.threading.BoundedSemaphore;
import dev.spool.threading.Semaphore;

/**
 * Four threads taking and giving back one of two permits ({@code JucAnchor.semaphoreContended},
 * {@code python_anchor.semaphore_contended}). Target: Spool's throughput at least 0.7x
 * {@code java.util.concurrent.Semaphore}'s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(4)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SemaphoreBenchmark {
    private final java.util.concurrent.Semaphore jucSemaphore = new java.util.concurrent.Semaphore(2);
    private final Semaphore semaphore = new Semaphore("bench-semaphore", 2);
    private final BoundedSemaphore bounded = new BoundedSemaphore("bench-bounded", 2);
    private final Semaphore meteredSemaphore = new Semaphore("bench-semaphore-metered", 2);
    private BenchMetrics metrics;

    /** Binds the metered copies to a Prometheus registry. */
    @Setup
    public void bindMetrics() {
        metrics = BenchMetrics.attach("prometheus", meteredSemaphore);
    }

    @TearDown
    public void closeMetrics() {
        metrics.close();
    }

    /** The JDK baseline: {@code java.util.concurrent.Semaphore} acquire and release. */
    @Benchmark
    public void jucSemaphore() {
        jucSemaphore.acquireUninterruptibly();
        jucSemaphore.release();
    }

    /** Spool's {@link Semaphore}: acquire and release. */
    @Benchmark
    public void spoolSemaphore() {
        semaphore.acquire();
        semaphore.release();
    }

    /** {@link #spoolSemaphore()} on a semaphore whose meters are bound to a Prometheus registry. */
    @Benchmark
    public void spoolSemaphoreMetered() {
        meteredSemaphore.acquire();
        meteredSemaphore.release();
    }

    /** Spool's {@link BoundedSemaphore}: acquire and release (with the bound check). */
    @Benchmark
    public void spoolBoundedSemaphore() {
        bounded.acquire();
        bounded.release();
    }
}
