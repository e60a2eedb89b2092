package dev.spool.autoconfigure.actuate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.spool.stats.DurationHistogram;
import org.jspecify.annotations.Nullable;

/**
 * One distribution of durations as the endpoints show it, read from the engine's own cumulative histogram (not from
 * Micrometer, whose percentiles depend on the registry and its window): everything recorded since the executor or
 * primitive was built, and, in {@code lastMinute}, what was recorded in the last minute.
 *
 * <pre>{"count": 6, "meanMillis": 12.41, "maxMillis": 30.02, "percentilesMillis": {"0.5": 10.5, "0.95": 29.9, "0.99": 29.9},
 *  "lastMinute": {"count": 2, "meanMillis": 20.1, "maxMillis": 30.02, "percentilesMillis": {...},
 *                 "windowSeconds": 64.2, "sinceStart": false}}</pre>
 *
 * <p>Milliseconds with microsecond resolution. A percentile is the mean of the histogram bucket that holds its rank,
 * within 6.25 % of the true value; all are 0 while nothing has been recorded.
 *
 * @param count             how many durations were recorded
 * @param meanMillis        their mean
 * @param maxMillis         the longest one
 * @param percentilesMillis quantile (as configured in {@code spool.metrics.percentiles}, by default 0.5, 0.95, 0.99)
 *                          to the duration at or below which that fraction of them fall
 * @param lastMinute        the same over the recent window ({@link RecentWindows}); absent (null) when nothing
 *                          samples the distributions
 */
public record DurationSummary(long count, double meanMillis, double maxMillis, Map<String, Double> percentilesMillis,
                              @Nullable WindowSummary lastMinute) {

    /**
     * A summary with no recent window, as the endpoints showed before {@code lastMinute}.
     *
     * @param count             how many durations were recorded
     * @param meanMillis        their mean
     * @param maxMillis         the longest one
     * @param percentilesMillis quantile to duration
     */
    public DurationSummary(long count, double meanMillis, double maxMillis, Map<String, Double> percentilesMillis) {
        this(count, meanMillis, maxMillis, percentilesMillis, null);
    }

    /**
     * What a distribution recorded in its recent window: from a sample taken at least 60 s before the read (at most
     * 70 s, one sampling interval more, unless the sampler fell behind) to the read; or, while the sampler has known
     * the executor or primitive for less than a minute, since it was built.
     *
     * @param count             how many durations were recorded in the window
     * @param meanMillis        their mean
     * @param maxMillis         the longest one, as far as the histogram's buckets tell: never below the true value,
     *                          at most 6.25 % above it, exact when it is the longest since start
     * @param percentilesMillis the same quantiles as the summary's, over the window
     * @param windowSeconds     how long the window is: seconds since its start sample; when {@code sinceStart},
     *                          since the sampler first saw the executor or primitive (which may be a little older)
     * @param sinceStart        true while the window reaches back to the executor's or primitive's construction,
     *                          so that it holds the same durations as the summary
     */
    public record WindowSummary(long count, double meanMillis, double maxMillis, Map<String, Double> percentilesMillis,
                                double windowSeconds, boolean sinceStart) {
    }

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
     * @return its summary, with no recent window
     */
    static DurationSummary of(DurationHistogram.Snapshot snapshot, List<Double> percentiles) {
        return new DurationSummary(snapshot.count(), millis(snapshot.meanNanos()), millis(snapshot.maxNanos()),
                percentilesOf(snapshot, percentiles));
    }

    /**
     * The endpoints' one call per distribution.
     *
     * @param source       an executor or primitive
     * @param distribution one of its distributions
     * @param windows      the sampler of recent windows; null for none ({@code lastMinute} is then left out)
     * @param percentiles  the quantiles to show, each in [0, 1]
     * @return the distribution since start and, with {@code windows}, in the last minute
     */
    static DurationSummary of(Object source, Distribution distribution, @Nullable RecentWindows windows,
                              List<Double> percentiles) {
        DurationHistogram.Snapshot now = distribution.snapshot(source);
        WindowSummary lastMinute = null;
        if (windows != null) {
            RecentWindows.Window window = windows.recent(source, distribution, now);
            DurationHistogram.Snapshot recent = window.snapshot();
            lastMinute = new WindowSummary(recent.count(), millis(recent.meanNanos()), millis(recent.maxNanos()),
                    percentilesOf(recent, percentiles), window.seconds(), window.sinceStart());
        }
        return new DurationSummary(now.count(), millis(now.meanNanos()), millis(now.maxNanos()),
                percentilesOf(now, percentiles), lastMinute);
    }

    private static Map<String, Double> percentilesOf(DurationHistogram.Snapshot snapshot, List<Double> percentiles) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (double p : percentiles) {
            values.put(Double.toString(p), millis(snapshot.percentileNanos(p)));
        }
        return Collections.unmodifiableMap(values);
    }

    /** @return nanoseconds as milliseconds, rounded to the microsecond */
    static double millis(double nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
