package dev.spool.metrics;

import dev.spool.threading.Event;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;

/**
 * The meters of one {@link Event}, tagged {@code name} and {@code backend}:
 * <ul>
 *   <li>{@code spool.event.set} (gauge, no unit): 1 while the flag is set, 0 while it is clear (for a shared event
 *       whose backend cannot be reached, the value this JVM last read or wrote);</li>
 *   <li>{@code spool.event.waiting} (gauge, threads): threads waiting for it now;</li>
 *   <li>{@code spool.event.wait} (timer): how long the waits that blocked waited (until set, timed out or
 *       interrupted).</li>
 * </ul>
 * The timer is fed from {@link Event#waitHistogram()} by a {@link TimerFeed}.
 */
public final class EventMetrics extends SpoolMeterBinder {

    /** @param event the event to observe, with no extra tags, no percentiles, the shared replay */
    public EventMetrics(Event event) {
        this(event, Tags.empty());
    }

    /**
     * @param event the event to observe
     * @param tags  extra tags on every meter; no percentiles, the shared replay
     */
    public EventMetrics(Event event, Iterable<Tag> tags) {
        this(event, tags, TimerOptions.DEFAULTS, TimerFeed.shared());
    }

    /**
     * @param event        the event to observe
     * @param tags         extra tags on every meter (they cannot replace {@code name} or {@code backend})
     * @param timerOptions the distribution statistics of the timer
     * @param replay       what feeds the timer
     */
    public EventMetrics(Event event, Iterable<Tag> tags, TimerOptions timerOptions, TimerFeed replay) {
        super("event", event, tags, timerOptions, replay);
    }

    @Override
    void register(SourceMeters b) {
        Event event = (Event) source();
        b.gauge("spool.event.set", "Whether the event is set: 1 if set, 0 if clear",
                null, event, e -> e.stats().set() ? 1.0 : 0.0);
        b.gauge("spool.event.waiting", "Threads waiting for the event now",
                BaseUnits.THREADS, event, e -> e.stats().waiting());
        b.timer("spool.event.wait", "Time waits for the event blocked (until set, timed out or interrupted)",
                event, e -> e.waitHistogram().snapshot());
    }
}
