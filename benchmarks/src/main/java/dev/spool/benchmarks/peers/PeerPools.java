package dev.spool.benchmarks.peers;

import dev.spool.benchmarks.metrics.BenchMetrics;
import dev.spool.futures.ThreadPool;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.dromara.dynamictp.common.em.QueueTypeEnum;
import org.dromara.dynamictp.core.executor.DtpExecutor;
import org.dromara.dynamictp.core.support.ThreadPoolBuilder;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The pool of one peer, each with {@link #WORKERS} workers and an unbounded queue, made the way its users make it.
 * Only the peer a benchmark method measures is started in its fork, so no other pool's threads (an idle Spool worker
 * spinning, a registry's replay thread) share the CPUs with it. The fields of the other peers stay null.
 */
final class PeerPools implements AutoCloseable {
    static final int WORKERS = 4;

    /** {@code Executors.newFixedThreadPool(4)}, bare or under Micrometer's {@code ExecutorServiceMetrics}. */
    ExecutorService jdk;
    /** Spring's executor, core = max = 4: what {@code @Async} runs on when configured with a pool. */
    ThreadPoolTaskExecutor spring;
    /** dynamic-tp's executor as its builder makes it, without the Spring Boot starter (no notifier, no collector). */
    DtpExecutor dtp;
    ThreadPool spool;

    private SimpleMeterRegistry micrometerRegistry;
    private BenchMetrics spoolMetrics;

    private PeerPools() {
    }

    /**
     * @param peer the name of the benchmark method that will use the pool (see {@link PeerBenchmark})
     * @return that peer's pool, started
     */
    static PeerPools start(String peer) {
        PeerPools pools = new PeerPools();
        switch (peer) {
            case "jdkFixedPool" -> pools.jdk = Executors.newFixedThreadPool(WORKERS);
            case "jdkMicrometer" -> {
                pools.micrometerRegistry = new SimpleMeterRegistry();
                pools.jdk = ExecutorServiceMetrics.monitor(pools.micrometerRegistry,
                        Executors.newFixedThreadPool(WORKERS), "bench-micrometer");
            }
            case "springTaskExecutor" -> {
                ThreadPoolTaskExecutor spring = new ThreadPoolTaskExecutor();
                spring.setCorePoolSize(WORKERS);
                spring.setMaxPoolSize(WORKERS);
                spring.setThreadNamePrefix("bench-spring-");
                spring.initialize();
                pools.spring = spring;
            }
            case "dtpExecutor" -> pools.dtp = ThreadPoolBuilder.newBuilder()
                    .threadPoolName("bench-dtp")
                    .corePoolSize(WORKERS)
                    .maximumPoolSize(WORKERS)
                    // its default queue type (resizable at run time), unbounded as the other peers' queues
                    .workQueue(QueueTypeEnum.VARIABLE_LINKED_BLOCKING_QUEUE.getName(), Integer.MAX_VALUE)
                    .buildDynamic();
            case "spoolResult", "spoolGet" -> pools.spool = spoolPool("bench-spool");
            case "spoolMetered" -> {
                pools.spool = spoolPool("bench-spool-metered");
                pools.spoolMetrics = BenchMetrics.attach("simple", pools.spool);
            }
            default -> throw new IllegalArgumentException("no peer named " + peer + ": a PeerBenchmark method must be"
                    + " one of jdkFixedPool, jdkMicrometer, springTaskExecutor, dtpExecutor, spoolResult, spoolGet,"
                    + " spoolMetered");
        }
        return pools;
    }

    /** @return the registry the peer's meters are bound to, or null for an unmetered peer */
    MeterRegistry registry() {
        return micrometerRegistry != null ? micrometerRegistry : spoolMetrics != null ? spoolMetrics.registry() : null;
    }

    private static ThreadPool spoolPool(String name) {
        return ThreadPool.builder().name(name).maxWorkers(WORKERS).build();
    }

    @Override
    public void close() {
        if (jdk != null) {
            jdk.close();
        }
        if (spring != null) {
            spring.shutdown();
        }
        if (dtp != null) {
            dtp.close();
        }
        if (spool != null) {
            spool.close();
        }
        if (spoolMetrics != null) {
            spoolMetrics.close();
        }
        if (micrometerRegistry != null) {
            micrometerRegistry.close();
        }
    }
}
