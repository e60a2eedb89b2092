package dev.spool.benchmarks.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import dev.spool.metrics.TimerFeed;
import dev.spool.metrics.SpoolMetrics;
import dev.spool.metrics.TimerOptions;

/**
 * Attaches Spool's binders to a registry for the "Spool + metrics" variant of a benchmark, selected by its
 * {@code metrics} parameter, so one run compares the JDK, Spool, and Spool with metrics:
 * <ul>
 *   <li>{@code none}: nothing bound (Spool's statistics are always on; this is plain Spool);</li>
 *   <li>{@code prometheus}: every Spool object of the benchmark bound to a {@link PrometheusMeterRegistry}, timers
 *       with count, total and max, the replay thread ticking every second (the defaults);</li>
 *   <li>{@code prometheus-histogram}: the same with {@code percentile-histogram: true} (Prometheus {@code _bucket}
 *       series) on every timer;</li>
 *   <li>{@code prometheus-percentiles}: the same with client-side percentiles 0.5, 0.95, 0.99 on every timer (the
 *       example of docs/configuration.md; the costliest per replayed duration).</li>
 *   <li>{@code simple}: the defaults on a {@link SimpleMeterRegistry}, the registry the peer suites give Micrometer's
 *       {@code ExecutorServiceMetrics}, so Spool's meters and the peer's are compared on the same kind of
 *       registry.</li>
 * </ul>
 * The annotations list {@code none} and {@code prometheus}; run the others with {@code -p metrics=...}.
 */
public final class BenchMetrics implements AutoCloseable {
    private static final BenchMetrics NONE = new BenchMetrics(null, null);

    private final MeterRegistry registry;
    private final TimerFeed replay;

    private BenchMetrics(MeterRegistry registry, TimerFeed replay) {
        this.registry = registry;
        this.replay = replay;
    }

    /**
     * @param mode    none, prometheus, prometheus-histogram, prometheus-percentiles or simple
     * @param sources the benchmark's Spool executors and primitives
     * @return what to close at tear-down
     */
    public static BenchMetrics attach(String mode, Object... sources) {
        TimerOptions options = switch (mode) {
            case "none" -> null;
            case "prometheus", "simple" -> TimerOptions.DEFAULTS;
            case "prometheus-histogram" -> TimerOptions.DEFAULTS.withPercentileHistogram(true);
            case "prometheus-percentiles" -> TimerOptions.DEFAULTS.withPercentiles(0.5, 0.95, 0.99);
            default -> throw new IllegalArgumentException("metrics must be none, prometheus, prometheus-histogram,"
                    + " prometheus-percentiles or simple, was " + mode);
        };
        if (options == null) {
            return NONE;
        }
        MeterRegistry registry = mode.equals("simple")
                ? new SimpleMeterRegistry()
                : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TimerFeed replay = new TimerFeed();
        SpoolMetrics metrics = new SpoolMetrics(registry, Tags.empty(), options, replay);
        for (Object source : sources) {
            metrics.bind(source);
        }
        return new BenchMetrics(registry, replay);
    }

    /** @return the registry, or null for {@code none} */
    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        if (replay != null) {
            replay.close();
            registry.close();
        }
    }
}
