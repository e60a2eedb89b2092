package dev.spool.benchmarks.process;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import dev.spool.futures.ProcessPool;

/**
 * CPython anchor {@code process_pool.start_and_first_task}: build a pool of two workers, run one task on each
 * ({@code map(noop, range(2))}), and close it. Score: milliseconds per pool (aim: at most 300). Worker memory is
 * measured by {@link ProcessPoolFootprint}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 15)
@Fork(1)
public class ProcessPoolStartBenchmark {

    @Benchmark
    public List<Integer> startAndFirstResult() {
        try (ProcessPool pool = ProcessPool.builder().name("bench-start").maxWorkers(2).build()) {
            return pool.map(Tasks::noop, List.of(0, 1)).toList();
        }
    }
}
