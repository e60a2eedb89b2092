package dev.spool.metrics;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import dev.spool.stats.DurationHistogram;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The meters one {@link SpoolMeterBinder} registered for one source in one registry, and the timers among them that
 * the {@link TimerFeed} feeds. Holds the source weakly: every meter function takes the source as its argument
 * (Micrometer holds it weakly too), so nothing here keeps an executor or primitive alive. When the source is
 * garbage-collected, or the binding is replaced or unbound, {@link #remove()} takes its meters out of the registry.
 */
final class SourceMeters {

    /** What makes two bindings the same in one registry: the kind of source and the meters' common tags. */
    record Key(String kind, Tags tags) {
    }

    private final MeterRegistry registry;
    private final Key key;
    private final WeakReference<Object> source;
    private final TimerOptions timerOptions;
    private final List<Meter> meters = new ArrayList<>();
    private final List<ReplayedTimer<?>> timers = new ArrayList<>();

    SourceMeters(MeterRegistry registry, Key key, Object source, TimerOptions timerOptions) {
        this.registry = registry;
        this.key = key;
        this.source = new WeakReference<>(source);
        this.timerOptions = timerOptions;
    }

    Key key() {
        return key;
    }

    MeterRegistry registry() {
        return registry;
    }

    /** @return the source, or null once it has been garbage-collected */
    Object source() {
        return source.get();
    }

    List<Meter> meters() {
        return meters;
    }

    List<ReplayedTimer<?>> timers() {
        return timers;
    }

    /** Registers a gauge over {@code obj}, held weakly. */
    <T> void gauge(String name, String description, String baseUnit, T obj, ToDoubleFunction<T> value, Tag... extra) {
        meters.add(Gauge.builder(name, obj, value)
                .description(description)
                .baseUnit(baseUnit)
                .tags(key.tags().and(extra))
                .register(registry));
    }

    /** Registers a function counter over {@code obj}, held weakly: a cumulative count the engine keeps. */
    <T> void counter(String name, String description, String baseUnit, T obj, ToDoubleFunction<T> count,
                     Tag... extra) {
        meters.add(FunctionCounter.builder(name, obj, count)
                .description(description)
                .baseUnit(baseUnit)
                .tags(key.tags().and(extra))
                .register(registry));
    }

    /** Registers a timer that the replay feeds from the histogram {@code snapshot} reads off {@code obj}. */
    <T> void timer(String name, String description, T obj, Function<? super T, DurationHistogram.Snapshot> snapshot,
                   Tag... extra) {
        Timer timer = timerOptions.applyTo(Timer.builder(name)
                        .description(description)
                        .tags(key.tags().and(extra)))
                .register(registry);
        meters.add(timer);
        timers.add(ReplayedTimer.ofSnapshots(obj, snapshot, timer));
    }

    /**
     * Replays every timer's growth.
     *
     * @param nanoTime the time now
     * @return false if the source is gone: the binding should be removed
     */
    boolean replay(long nanoTime) {
        if (source.get() == null) {
            return false;
        }
        for (ReplayedTimer<?> timer : timers) {
            if (!timer.replay(nanoTime)) {
                return false;
            }
        }
        return true;
    }

    /** Takes every meter of this binding out of its registry. */
    void remove() {
        for (Meter meter : meters) {
            registry.remove(meter);
        }
    }
}
