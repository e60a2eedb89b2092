package dev.spool.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.micrometer.core.instrument.Timer;

/**
 * The distribution statistics that every Spool timer ({@code spool.executor.queue.wait}, {@code spool.future.latency},
 * {@code spool.lock.wait}, …) publishes, as {@code spool.metrics.percentiles} and
 * {@code spool.metrics.percentile-histogram} configure them in the starter.
 *
 * <p>Spool's timers are real Micrometer {@link Timer}s (fed by a {@link TimerFeed}), so these options are applied
 * by the registry as for any timer, and the registry's {@code MeterFilter}s (Spring Boot's
 * {@code management.metrics.distribution.*} properties among them) still apply on top and win where they set a value.
 *
 * @param percentiles         client-side percentiles to publish, each in [0, 1] (for example 0.5, 0.95, 0.99); empty
 *                            for none. Published as {@code <name>{quantile="0.95"}} in Prometheus, computed by the
 *                            registry over its sliding window; they cannot be aggregated across instances
 * @param percentileHistogram publish a histogram of fixed buckets (Prometheus {@code _bucket} series, aggregable with
 *                            {@code histogram_quantile}); false leaves the registry's default
 */
public record TimerOptions(List<Double> percentiles, boolean percentileHistogram) {

    /** No percentiles, no histogram: count, total and max only (the registry's filters may add more). */
    public static final TimerOptions DEFAULTS = new TimerOptions(List.of(), false);

    /**
     * @throws NullPointerException     if {@code percentiles} or one of its values is null
     * @throws IllegalArgumentException if a percentile is outside [0, 1]
     */
    public TimerOptions {
        percentiles = List.copyOf(Objects.requireNonNull(percentiles, "percentiles"));
        for (Double p : percentiles) {
            if (!(p >= 0.0 && p <= 1.0)) {
                throw new IllegalArgumentException("a percentile must be within [0, 1], was " + p);
            }
        }
    }

    /**
     * @param percentiles each in [0, 1]
     * @return these options with those percentiles instead
     * @throws IllegalArgumentException if a percentile is outside [0, 1]
     */
    public TimerOptions withPercentiles(double... percentiles) {
        return new TimerOptions(Arrays.stream(percentiles).boxed().toList(), percentileHistogram);
    }

    /**
     * @param percentileHistogram whether to publish a histogram of fixed buckets
     * @return these options with that setting instead
     */
    public TimerOptions withPercentileHistogram(boolean percentileHistogram) {
        return new TimerOptions(percentiles, percentileHistogram);
    }

    /** Sets the distribution statistics on a timer about to be registered. */
    Timer.Builder applyTo(Timer.Builder timer) {
        if (!percentiles.isEmpty()) {
            timer.publishPercentiles(percentiles.stream().mapToDouble(Double::doubleValue).toArray());
        }
        if (percentileHistogram) {
            timer.publishPercentileHistogram(true);
        }
        return timer;
    }
}
