package dev.spool.autoconfigure.alerts;

import java.util.Locale;

import dev.spool.autoconfigure.SpoolKind;

/**
 * The alerts Spool checks, each with its {@code spool.alerts.*} keys, the kind of bean it watches and the unit of its
 * measured value and threshold ({@link SpoolAlertEvent#value()}). The defaults are those of
 * {@code docs/prometheus-alerts.yml}, which expresses the same conditions over Spool's meters.
 */
public enum SpoolAlert {

    /** A bounded queue's fill ratio, queued / capacity, is at or above the threshold (default 0.8). */
    QUEUE_USAGE(SpoolKind.EXECUTOR, "ratio"),
    /**
     * Busy workers / max workers of a pool with a worker limit is at or above the threshold (default 0.9) while tasks
     * wait in its queue.
     */
    WORKER_USAGE(SpoolKind.EXECUTOR, "ratio"),
    /** Tasks refused or dropped during one check interval reached the threshold (default 1: any). */
    REJECTIONS(SpoolKind.EXECUTOR, "tasks"),
    /**
     * Tasks hung now (running past the executor's run-timeout), or that crossed it during one check interval, the
     * larger of the two, reached the threshold (default 1: any).
     */
    RUN_TIMEOUT(SpoolKind.EXECUTOR, "tasks"),
    /** Tasks that waited past the executor's queue-timeout during one check interval reached the threshold (default 1). */
    QUEUE_TIMEOUT(SpoolKind.EXECUTOR, "tasks"),
    /**
     * A lock's wait is above the threshold (default 0.5 s): the mean wait of the acquisitions that waited and ended
     * during the last check interval, or, while threads wait for it now, how long its current hold has lasted,
     * whichever is longer.
     */
    LOCK_WAIT(SpoolKind.LOCK, "seconds");

    private final SpoolKind kind;
    private final String unit;

    SpoolAlert(SpoolKind kind, String unit) {
        this.kind = kind;
        this.unit = unit;
    }

    /** @return the kind of bean the alert watches: {@link SpoolKind#EXECUTOR} or {@link SpoolKind#LOCK} */
    public SpoolKind kind() {
        return this.kind;
    }

    /**
     * @return the unit of {@link SpoolAlertEvent#value()} and {@link SpoolAlertEvent#threshold()}: {@code ratio}
     * (0 to 1), {@code tasks} (a count in one check interval) or {@code seconds}
     */
    public String unit() {
        return this.unit;
    }

    /** @return its configuration key, {@code spool.alerts.queue-usage} */
    public String key() {
        return "spool.alerts." + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @return the value of the {@code alert} tag of the {@code spool.alerts} meter, {@code queue_usage} */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param value     what was measured
     * @param threshold the threshold
     * @return whether the alert fires: at or above the threshold, but strictly above it for {@link #LOCK_WAIT}
     * (as the Prometheus rules compare)
     */
    boolean fires(double value, double threshold) {
        return this == LOCK_WAIT ? value > threshold : value >= threshold;
    }
}
