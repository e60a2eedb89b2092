package dev.spool.benchmarks.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import dev.spool.futures.ProcessPool;
import dev.spool.futures.WorkerInfo;

/**
 * Prints what JMH does not measure well: time from building a pool of two workers to its first results, and the
 * resident memory of its worker JVMs after 1,000 tiny tasks (Linux {@code /proc}).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.spool.benchmarks.process.ProcessPoolFootprint</pre>
 */
public final class ProcessPoolFootprint {
    private ProcessPoolFootprint() {
    }

    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<Double> startMillis = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            long started = System.nanoTime();
            try (ProcessPool pool = ProcessPool.builder().name("footprint").maxWorkers(2).build()) {
                pool.map(Tasks::noop, List.of(0, 1)).toList();
                startMillis.add((System.nanoTime() - started) / 1e6);
                if (round == rounds - 1) {
                    IntStream.range(0, 1000).mapToObj(i -> pool.submit(new Tasks.Square(i))).toList()
                            .forEach(f -> f.result());
                    for (WorkerInfo worker : pool.workers()) {
                        System.out.printf("worker %s pid %d: RSS %s%n", worker.name(), worker.pid(), rss(worker.pid()));
                    }
                }
            }
        }
        System.out.println("pool start to first results (ms), each round: " + startMillis);
        List<Double> sorted = new ArrayList<>(startMillis.subList(Math.min(1, startMillis.size() - 1), startMillis.size()));
        sorted.sort(null);
        System.out.printf("median after the first: %.1f ms%n", sorted.get(sorted.size() / 2));
    }

    private static String rss(long pid) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.exists(status)) {
            return "n/a";
        }
        return Files.readAllLines(status).stream().filter(line -> line.startsWith("VmRSS:"))
                .map(line -> line.substring(6).trim()).findFirst().orElse("n/a");
    }
}
