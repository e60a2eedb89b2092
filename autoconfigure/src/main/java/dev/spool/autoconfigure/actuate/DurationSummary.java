package dev.spool.autoconfigure.actuate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.spool.stats.DurationHistogram;

/**
 * One distribution of durations as the endpoints show it, read from the engine's own cumulative histogram (not from
 * Micrometer, whose percentiles depend on the registry and its window): everything recorded since the executor or
 * primitive was built.
 *
 * <pre>{"count": 6, "meanMillis": 12.41, "maxMillis": 30.02, "percentilesMillis": {"0.5": 10.5, "0.95": 29.9, "0.99": 29.9}}</pre>
 *
 * <p>Milliseconds with microsecond resolution. A percentile is the mean of the histogram bucket that holds its rank,
 * within 6.25 % of the true value; all are 0 while nothing has been recorded.
 *
 * @param count             how many durations were recorded
 * @param meanMillis        their mean
 * @param maxMillis         the longest one
 * @param percentilesMillis quantile (as configured in {@code spool.metrics.percentiles}, by default 0.5, 0.95, 0.99)
 *                          to the duration at or below which that fraction of them fall
 */
public record DurationSummary(long count, double meanMillis, double maxMillis, Map<String, Double> percentilesMillis) {

    /** The quantiles shown when {@code spool.metrics.percentiles} is empty. */
    static final List<Double> DEFAULT_PERCENTILES = List.of(0.5, 0.95, 0.99);

    /**
     * @param configured {@code spool.metrics.percentiles}
     * @return the quantiles to show: those, or 0.5, 0.95 and 0.99 when none are configured
     */
    static List<Double> percentiles(List<Double> configured) {
        return configured.isEmpty() ? DEFAULT_PERCENTILES : List.copyOf(configured);
    }

    /**
     * @param snapshot    what the histogram holds
     * @param percentiles the quantiles to show, each in [0, 1]
     * @return its summary
     */
    static DurationSummary of(DurationHistogram.Snapshot snapshot, List<Double> percentiles) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (double p : percentiles) {
            values.put(Double.toString(p), millis(snapshot.percentileNanos(p)));
        }
        return new DurationSummary(snapshot.count(), millis(snapshot.meanNanos()), millis(snapshot.maxNanos()),
                Collections.unmodifiableMap(values));
    }

    /** @return nanoseconds as milliseconds, rounded to the microsecond */
    static double millis(double nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
