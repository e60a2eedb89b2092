/**
 * Micrometer meters over the engine's own statistics, usable without Spring.
 *
 * <p>One {@link io.micrometer.core.instrument.binder.MeterBinder} per thing observed:
 * {@link dev.spool.metrics.ExecutorMetrics}, {@link dev.spool.metrics.LockMetrics},
 * {@link dev.spool.metrics.SemaphoreMetrics}, {@link dev.spool.metrics.EventMetrics},
 * {@link dev.spool.metrics.BarrierMetrics} and {@link dev.spool.metrics.ConditionMetrics}; or
 * {@link dev.spool.metrics.SpoolMetrics}, which picks the binder by type. {@link dev.spool.metrics.TaskGroupMetrics}
 * measures task groups, per group name. Levels are gauges and counts are function
 * counters, both computed from the source when the registry reads them; durations are real timers that a
 * {@link dev.spool.metrics.TimerFeed} feeds, on its own thread, from the engine's cumulative
 * {@link dev.spool.stats.DurationHistogram}s. So executors and primitives never call Micrometer, and percentiles and
 * percentile histograms ({@link dev.spool.metrics.TimerOptions}, or the registry's filters) work as for any timer.
 *
 * <p>Micrometer is an optional dependency of spool-core: only this package needs it.
 */
package dev.spool.metrics;
