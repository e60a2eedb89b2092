package dev.spool.benchmarks.futures;

import dev.spool.futures.TaskFuture;
import dev.spool.futures.ThreadPool;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@link VirtualThroughputBenchmark}'s workload taken apart, for finding where its time goes (not a JMH suite, and
 * not a figure for the README's tables): each round submits 100k no-op tasks, counts how many are not done yet when
 * the last submit returns, then waits for them all. Per round it gives the submitting thread's time per submit and,
 * when enough tasks were left, the rate at which the carriers finished the rest while the submitter only waited.
 * The first 50 rounds are warm-up; the line printed has the percentiles of the other 100.
 *
 * <pre>
 * "$(scripts/java21)" -Xms4g -Xmx4g -XX:+AlwaysPreTouch -cp benchmarks/target/benchmarks.jar \
 *     dev.spool.benchmarks.futures.VirtualPhases spool     # or jdk
 * </pre>
 *
 * A fixed, pretouched heap keeps the kernel's zeroing of new heap pages out of the rounds (without it, seconds of
 * the suite's forks spent a quarter to a half of the machine's time in the kernel while the heap grew).
 */
public final class VirtualPhases {
    private static final int TASKS = 100_000;
    private static final int WARMUP_ROUNDS = 50;
    private static final int ROUNDS = 150;
    /** A round that left fewer tasks than this for the wait has no drain rate worth reading. */
    private static final int MIN_LEFT = 1_000;

    private VirtualPhases() {
    }

    /** @param args {@code spool} (a virtual {@link ThreadPool}) or {@code jdk} (the per-task executor) */
    public static void main(String[] args) {
        if (args.length != 1 || !(args[0].equals("spool") || args[0].equals("jdk"))) {
            System.err.println("usage: VirtualPhases spool|jdk");
            System.exit(2);
        }
        boolean spool = args[0].equals("spool");
        try (ThreadPool pool = ThreadPool.builder().name("phases").virtualThreads(true).build();
             ExecutorService jdk = Executors.newVirtualThreadPerTaskExecutor()) {
            Round[] rounds = new Round[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                rounds[r] = spool ? round(pool) : round(jdk);
            }
            System.out.println(args[0] + ": " + summary(Arrays.copyOfRange(rounds, WARMUP_ROUNDS, ROUNDS)));
        }
    }

    /** @param submitNanos per task; @param left tasks not done when the last submit returned */
    private record Round(long submitNanos, long waitNanos, int left) {
        double throughput() {
            return TASKS * 1e3 / (submitNanos * (double) TASKS + waitNanos); // M tasks/s
        }

        double drainRate() {
            return left * 1e3 / waitNanos; // M tasks/s
        }
    }

    private static Round round(ThreadPool pool) {
        TaskFuture<?>[] fs = new TaskFuture<?>[TASKS];
        long t0 = System.nanoTime();
        for (int i = 0; i < TASKS; i++) {
            fs[i] = pool.submit(SubmitThroughputBenchmark.NOOP);
        }
        long t1 = System.nanoTime();
        int left = 0;
        for (TaskFuture<?> f : fs) {
            left += f.done() ? 0 : 1;
        }
        long t2 = System.nanoTime();
        for (TaskFuture<?> f : fs) {
            f.result();
        }
        return new Round((t1 - t0) / TASKS, System.nanoTime() - t2, left);
    }

    private static Round round(ExecutorService jdk) {
        Future<?>[] fs = new Future<?>[TASKS];
        long t0 = System.nanoTime();
        for (int i = 0; i < TASKS; i++) {
            fs[i] = jdk.submit(SubmitThroughputBenchmark.NOOP);
        }
        long t1 = System.nanoTime();
        int left = 0;
        for (Future<?> f : fs) {
            left += f.isDone() ? 0 : 1;
        }
        long t2 = System.nanoTime();
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (Exception e) {
                throw new IllegalStateException("a no-op task failed", e);
            }
        }
        return new Round((t1 - t0) / TASKS, System.nanoTime() - t2, left);
    }

    private static String summary(Round[] rounds) {
        double[] total = Arrays.stream(rounds).mapToDouble(Round::throughput).sorted().toArray();
        double[] submit = Arrays.stream(rounds).mapToDouble(Round::submitNanos).sorted().toArray();
        double[] drain = Arrays.stream(rounds).filter(r -> r.left() >= MIN_LEFT).mapToDouble(Round::drainRate)
                .sorted().toArray();
        return String.format("M tasks/s p50 %.2f p90 %.2f | ns per submit p10 %.0f p50 %.0f | drain M tasks/s p50 %s"
                        + " (%d of %d rounds left %d or more)",
                at(total, 0.5), at(total, 0.9), at(submit, 0.1), at(submit, 0.5),
                drain.length == 0 ? "-" : String.format("%.2f", at(drain, 0.5)), drain.length, rounds.length,
                MIN_LEFT);
    }

    private static double at(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))];
    }
}
