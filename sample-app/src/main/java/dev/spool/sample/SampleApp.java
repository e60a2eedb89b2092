package dev.spool.sample;

import dev.spool.futures.ExecutorStats;
import dev.spool.futures.Futures;
import dev.spool.futures.TaskFuture;
import dev.spool.futures.ThreadPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Fans work out on a {@link ThreadPool}, gathers it with {@link Futures#asCompleted} and with {@code map}, and prints
 * the results and the pool's statistics. A stand-in until the Spring Boot sample app replaces it.
 */
public final class SampleApp {
    private SampleApp() {
    }

    /**
     * Runs the sample and exits; the pool is closed (and waited for) on the way out.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (ThreadPool pool = ThreadPool.builder().name("sample").maxWorkers(4).build()) {
            List<TaskFuture<Long>> futures = new ArrayList<>();
            for (int n = 30; n < 38; n++) {
                int size = n;
                futures.add(pool.submit(() -> primesBelow(size * 10_000)));
            }
            System.out.println("as they complete:");
            for (TaskFuture<Long> done : Futures.asCompleted(futures, Duration.ofSeconds(30))) {
                System.out.printf("  %d primes%n", done.result());
            }

            List<Integer> squares = pool.map(i -> i * i, IntStream.rangeClosed(1, 10).boxed().toList()).toList();
            System.out.println("map, in input order: " + squares);

            ExecutorStats stats = pool.stats();
            System.out.printf("%s: %d submitted, %d completed, %d failed, %d cancelled, %d rejected; "
                            + "%d workers; mean latency %.2f ms%n",
                    pool.name(), stats.submitted(), stats.completed(), stats.failed(), stats.cancelled(),
                    stats.rejected(), stats.poolSize(), stats.latency().meanNanos() / 1e6);
        }
    }

    private static long primesBelow(int limit) {
        return IntStream.range(2, limit).filter(SampleApp::isPrime).count();
    }

    private static boolean isPrime(int n) {
        for (int d = 2; (long) d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }
}
