package dev.spool.benchmarks.futures;

import dev.spool.futures.TaskFuture;
import dev.spool.futures.ThreadPool;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@link VirtualThroughputBenchmark}'s workload taken apart, for finding where its time goes (not a JMH suite, and
 * not a figure for the README's tables): each round submits 100k no-op tasks, counts how many are not done yet when
 * the last submit returns, then waits for them all. Per round it gives the submitting thread's time per submit and,
 * when enough tasks were left, the rate at which the carriers finished the rest while the submitter only waited.
 * The first 50 rounds are warm-up; the line printed has the percentiles of the other 100.
 *
 * <p>Four workloads: {@code spool} (a virtual {@link ThreadPool}), {@code jdk} (the JDK's per-task executor), and two
 * floors that are no pool at all: {@code threads} starts a virtual thread per {@link FutureTask} itself, and
 * {@code stamped} does the same with the two clock reads an exact execution time needs, taken on the task's thread.
 * The last two say what any pool built on virtual threads pays before its own code runs.
 *
 * <pre>
 * "$(scripts/java21)" -Xms4g -Xmx4g -XX:+AlwaysPreTouch -cp benchmarks/target/benchmarks.jar \
 *     dev.spool.benchmarks.futures.VirtualPhases spool     # or jdk, threads, stamped
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
    private static final String USAGE = "usage: VirtualPhases spool|jdk|threads|stamped";

    private VirtualPhases() {
    }

    /** @param args one of {@code spool}, {@code jdk}, {@code threads}, {@code stamped} (see the class comment) */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println(USAGE);
            System.exit(2);
        }
        ThreadFactory virtual = Thread.ofVirtual().inheritInheritableThreadLocals(false).factory();
        try (ThreadPool pool = ThreadPool.builder().name("phases").virtualThreads(true).build();
             ExecutorService jdk = Executors.newVirtualThreadPerTaskExecutor()) {
            Workload<?> workload = switch (args[0]) {
                case "spool" -> new Workload<TaskFuture<Object>>(() -> pool.submit(SubmitThroughputBenchmark.NOOP),
                        TaskFuture::done, TaskFuture::result);
                case "jdk" -> new Workload<Future<Object>>(() -> jdk.submit(SubmitThroughputBenchmark.NOOP),
                        Future::isDone, Future::get);
                case "threads" -> new Workload<FutureTask<Object>>(() -> started(virtual,
                        new FutureTask<>(SubmitThroughputBenchmark.NOOP)), Future::isDone, Future::get);
                case "stamped" -> new Workload<StampedTask>(() -> started(virtual, new StampedTask()),
                        Future::isDone, Future::get);
                default -> null;
            };
            if (workload == null) {
                System.err.println(USAGE);
                System.exit(2);
            }
            Round[] rounds = new Round[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                rounds[r] = workload.round();
            }
            System.out.println(args[0] + ": " + summary(Arrays.copyOfRange(rounds, WARMUP_ROUNDS, ROUNDS)));
        }
    }

    private static <T extends Runnable> T started(ThreadFactory factory, T task) {
        factory.newThread(task).start();
        return task;
    }

    /** A no-op task that stamps its start and end on its own thread, as a pool keeping execution times must. */
    private static final class StampedTask extends FutureTask<Object> {
        long started;
        long ended;

        StampedTask() {
            super(SubmitThroughputBenchmark.NOOP);
        }

        @Override
        public void run() {
            started = System.nanoTime();
            super.run();
            ended = System.nanoTime();
        }
    }

    @FunctionalInterface
    private interface Wait<F> {
        void await(F future) throws Exception;
    }

    private record Workload<F>(Supplier<F> submit, Predicate<F> done,
                               Wait<F> await) {
        Round round() {
            Object[] fs = new Object[TASKS];
            long t0 = System.nanoTime();
            for (int i = 0; i < TASKS; i++) {
                fs[i] = submit.get();
            }
            long t1 = System.nanoTime();
            int left = 0;
            for (Object f : fs) {
                left += done.test(cast(f)) ? 0 : 1;
            }
            long t2 = System.nanoTime();
            for (Object f : fs) {
                try {
                    await.await(cast(f));
                } catch (Exception e) {
                    throw new IllegalStateException("a no-op task failed", e);
                }
            }
            return new Round((t1 - t0) / TASKS, System.nanoTime() - t2, left);
        }

        @SuppressWarnings("unchecked")
        private F cast(Object f) {
            return (F) f;
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
