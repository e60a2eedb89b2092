package dev.spool.benchmarks.threading;

import dev.spool.benchmarks.metrics.BenchMetrics;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

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

import dev.spool.threading.Lock;
import dev.spool.threading.RLock;

/**
 * Four threads incrementing one counter under one lock ({@code JucAnchor.lockContended},
 * {@code python_anchor.lock_contended}). Target: Spool's throughput at least 0.7x {@code ReentrantLock}'s, with every
 * contended acquisition timed, registered and recorded in the wait and hold histograms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(4)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ContendedLockBenchmark {
    private final ReentrantLock reentrantLock = new ReentrantLock();
    private final Lock lock = new Lock("bench-contended-lock");
    private final RLock rlock = new RLock("bench-contended-rlock");
    private final Lock meteredLock = new Lock("bench-contended-lock-metered");
    private BenchMetrics metrics;

    /** Binds the metered copies to a Prometheus registry. */
    @Setup
    public void bindMetrics() {
        metrics = BenchMetrics.attach("prometheus", meteredLock);
    }

    @TearDown
    public void closeMetrics() {
        metrics.close();
    }
    private long counter;

    /** The JDK baseline: {@code ReentrantLock} lock and unlock. */
    @Benchmark
    public void jucReentrantLock() {
        reentrantLock.lock();
        try {
            counter++;
        } finally {
            reentrantLock.unlock();
        }
    }

    /** Spool's {@link Lock}: acquire and release. */
    @Benchmark
    public void spoolLock() {
        lock.acquire();
        try {
            counter++;
        } finally {
            lock.release();
        }
    }

    /** {@link #spoolLock()} on a lock whose meters are bound to a Prometheus registry. */
    @Benchmark
    public void spoolLockMetered() {
        meteredLock.acquire();
        try {
            counter++;
        } finally {
            meteredLock.release();
        }
    }

    /** Spool's {@link RLock}: acquire and release. */
    @Benchmark
    public void spoolRLock() {
        rlock.acquire();
        try {
            counter++;
        } finally {
            rlock.release();
        }
    }
}
