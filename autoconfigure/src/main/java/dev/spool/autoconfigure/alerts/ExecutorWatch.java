package dev.spool.autoconfigure.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.spool.futures.ExecutorState;
import dev.spool.futures.ExecutorStats;
import dev.spool.futures.ObservedExecutor;
import dev.spool.futures.TimeoutStats;

/**
 * The executor alerts: {@link SpoolAlert#QUEUE_USAGE}, {@link SpoolAlert#WORKER_USAGE} (levels, read as they are
 * now; worker usage only while tasks are queued), {@link SpoolAlert#REJECTIONS}, {@link SpoolAlert#RUN_TIMEOUT} and {@link SpoolAlert#QUEUE_TIMEOUT} (counts
 * since the previous check). The counters start at 0 with the executor, so the first check counts everything since
 * then. An executor that is not running (shutting down, broken: the health component reports those) is measured by
 * no alert, but its counters are still followed.
 */
final class ExecutorWatch implements Watch {

    private static final List<SpoolAlert> ALERTS = List.of(SpoolAlert.QUEUE_USAGE, SpoolAlert.WORKER_USAGE,
            SpoolAlert.REJECTIONS, SpoolAlert.RUN_TIMEOUT, SpoolAlert.QUEUE_TIMEOUT);

    private final ObservedExecutor executor;
    private final String name;
    private long rejected;
    private long runTimeouts;
    private long queueTimeouts;
    private Instant checked;

    ExecutorWatch(ObservedExecutor executor) {
        this.executor = executor;
        this.name = executor.name();
    }

    @Override
    public Object source() {
        return this.executor;
    }

    @Override
    public String name() {
        return this.name;
    }

    @Override
    public List<SpoolAlert> alerts() {
        return ALERTS;
    }

    @Override
    public List<Reading> read(Instant now) {
        ExecutorStats stats = this.executor.stats();
        TimeoutStats timeouts = this.executor.timeoutStats();
        long newRejected = stats.rejected() - this.rejected;
        long newRunTimeouts = timeouts.runTimeouts() - this.runTimeouts;
        long newQueueTimeouts = timeouts.queueTimeouts() - this.queueTimeouts;
        String since = AlertText.since(this.checked, now);
        this.rejected = stats.rejected();
        this.runTimeouts = timeouts.runTimeouts();
        this.queueTimeouts = timeouts.queueTimeouts();
        this.checked = now;
        if (stats.state() != ExecutorState.RUNNING) {
            return List.of();
        }

        String executor = "executor " + this.name + ": ";
        List<Reading> readings = new ArrayList<>(ALERTS.size());
        int capacity = stats.queueCapacity();
        if (capacity > 0 && capacity != Integer.MAX_VALUE) { // a direct hand-off (0) has nothing to fill
            double usage = (double) stats.queued() / capacity;
            readings.add(new Reading(SpoolAlert.QUEUE_USAGE, usage, executor + "queue " + AlertText.percent(usage)
                    + " full (" + stats.queued() + " of " + capacity + ")"));
        }
        int workers = stats.maxWorkers();
        // Busy workers are a problem once tasks wait for them (as the Prometheus rule reads it); an unlimited
        // virtual pool has no share to fill.
        if (workers > 0 && workers != Integer.MAX_VALUE && stats.queued() > 0) {
            double usage = (double) stats.active() / workers;
            readings.add(new Reading(SpoolAlert.WORKER_USAGE, usage, executor + stats.active() + " of " + workers
                    + " workers busy (" + AlertText.percent(usage) + "), " + stats.queued() + " queued"));
        }
        readings.add(new Reading(SpoolAlert.REJECTIONS, newRejected, executor
                + AlertText.count(newRejected, "task", "tasks") + " rejected " + since));
        long hungOrCrossed = Math.max(timeouts.hung(), newRunTimeouts);
        readings.add(new Reading(SpoolAlert.RUN_TIMEOUT, hungOrCrossed, executor
                + AlertText.count(timeouts.hung(), "task", "tasks") + " hung now, "
                + newRunTimeouts + " crossed the run-timeout" + runTimeout(timeouts) + " " + since));
        readings.add(new Reading(SpoolAlert.QUEUE_TIMEOUT, newQueueTimeouts, executor
                + AlertText.count(newQueueTimeouts, "task", "tasks") + " waited past the queue-timeout"
                + (timeouts.queueTimeout() != null ? " of " + AlertText.duration(timeouts.queueTimeout()) : "")
                + " " + since));
        return readings;
    }

    private static String runTimeout(TimeoutStats timeouts) {
        return timeouts.runTimeout() != null ? " of " + AlertText.duration(timeouts.runTimeout()) : "";
    }
}
