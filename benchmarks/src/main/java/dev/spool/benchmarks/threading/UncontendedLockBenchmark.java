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
import org.openjdk.jmh.annotations.Warmup;

import dev.spool.threading.Guard;
import dev.spool.threading.Lock;
import dev.spool.threading.RLock;

/**
 * One thread acquiring and releasing a lock nobody else wants ({@code JucAnchor.lockUncontended},
 * {@code python_anchor.lock_uncontended}). Target: Spool's Lock and RLock within 2x of {@code ReentrantLock}, with
 * statistics on (they always are).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class UncontendedLockBenchmark {
    private final ReentrantLock reentrantLock = new ReentrantLock();
    private final Lock lock = new Lock("bench-lock");
    private final RLock rlock = new RLock("bench-rlock");
    private final Lock meteredLock = new Lock("bench-lock-metered");
    private final RLock meteredRLock = new RLock("bench-rlock-metered");
    private BenchMetrics metrics;

    /** Binds the metered copies to a Prometheus registry. */
    @Setup
    public void bindMetrics() {
        metrics = BenchMetrics.attach("prometheus", meteredLock, meteredRLock);
    }

    @TearDown
    public void closeMetrics() {
        metrics.close();
    }

    /** The JDK baseline: {@code ReentrantLock} lock and unlock. */
    @Benchmark
    public void jucReentrantLock() {
        reentrantLock.lock();
        reentrantLock.unlock();
    }

    /** Spool's {@link Lock}: acquire and release. */
    @Benchmark
    public void spoolLock() {
        lock.acquire();
        lock.release();
    }

    /** Spool's {@link Lock} through {@code hold()} in try-with-resources, Python's {@code with lock:}. */
    @Benchmark
    @SuppressWarnings("try") // the guard is never named in the body: that is the idiom being measured
    public void spoolLockHold() {
        try (Guard held = lock.hold()) {
            // the body of `with lock:`
        }
    }

    /** Spool's {@link RLock}: acquire and release. */
    @Benchmark
    public void spoolRLock() {
        rlock.acquire();
        rlock.release();
    }

    /** {@link #spoolLock()} on a lock whose meters are bound to a Prometheus registry. */
    @Benchmark
    public void spoolLockMetered() {
        meteredLock.acquire();
        meteredLock.release();
    }

    /** {@link #spoolRLock()} on an RLock whose meters are bound to a Prometheus registry. */
    @Benchmark
    public void spoolRLockMetered() {
        meteredRLock.acquire();
        meteredRLock.release();
    }
}
