package dev.spool.metrics;

import dev.spool.threading.Condition;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;

/**
 * The meters of one {@link Condition}, tagged {@code name} and {@code backend} (the condition's; its lock has meters
 * of its own):
 * <ul>
 *   <li>{@code spool.condition.waiting} (gauge, threads): threads waiting for a signal now;</li>
 *   <li>{@code spool.condition.signals} (function counter): waiting threads woken by {@code signal} or
 *       {@code signalAll};</li>
 *   <li>{@code spool.condition.timeouts} (function counter): timed awaits that ended without a signal;</li>
 *   <li>{@code spool.condition.wait} (timer): how long awaits waited to be woken (not the time to take the lock back,
 *       which is the lock's).</li>
 * </ul>
 * The timer is fed from {@link Condition#waitHistogram()} by a {@link TimerFeed}.
 */
public final class ConditionMetrics extends SpoolMeterBinder {

    /** @param condition the condition to observe, with no extra tags, no percentiles, the shared replay */
    public ConditionMetrics(Condition condition) {
        this(condition, Tags.empty());
    }

    /**
     * @param condition the condition to observe
     * @param tags      extra tags on every meter; no percentiles, the shared replay
     */
    public ConditionMetrics(Condition condition, Iterable<Tag> tags) {
        this(condition, tags, TimerOptions.DEFAULTS, TimerFeed.shared());
    }

    /**
     * @param condition    the condition to observe
     * @param tags         extra tags on every meter (they cannot replace {@code name} or {@code backend})
     * @param timerOptions the distribution statistics of the timer
     * @param replay       what feeds the timer
     */
    public ConditionMetrics(Condition condition, Iterable<Tag> tags, TimerOptions timerOptions,
                            TimerFeed replay) {
        super("condition", condition, tags, timerOptions, replay);
    }

    @Override
    void register(SourceMeters b) {
        Condition condition = (Condition) source();
        b.gauge("spool.condition.waiting", "Threads waiting for a signal now",
                BaseUnits.THREADS, condition, c -> c.stats().waiting());
        b.counter("spool.condition.signals", "Waiting threads woken by signal or signalAll",
                null, condition, c -> c.stats().signals());
        b.counter("spool.condition.timeouts", "Timed awaits that ended without a signal",
                null, condition, c -> c.stats().timeouts());
        b.timer("spool.condition.wait", "Time awaits waited to be woken (not to take the lock back)",
                condition, c -> c.waitHistogram().snapshot());
    }
}
