package dev.spool.metrics;

import java.util.Objects;

import dev.spool.threading.Primitive;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * A Micrometer {@link MeterBinder} for one Spool executor or primitive: the common behaviour of
 * {@link ExecutorMetrics}, {@link LockMetrics}, {@link SemaphoreMetrics}, {@link EventMetrics}, {@link BarrierMetrics}
 * and {@link ConditionMetrics}.
 *
 * <ul>
 *   <li>Every meter carries the tag {@code name} (the source's name), the binder's extra tags, for executors
 *       {@code type}, and for primitives {@code backend} ({@link Primitive#backend()}: {@code local}, or the shared
 *       state's backend, {@code redis}). An extra tag cannot replace these.</li>
 *   <li>Gauges and function counters read the source's own statistics when the registry asks (at a scrape or a
 *       publish); timers are fed by a {@link TimerFeed} from the source's duration histograms. Nothing is
 *       added to the source's hot path.</li>
 *   <li>The source is held weakly by everything registered: once it is garbage-collected, the replay removes its
 *       meters. The binder object itself holds it strongly, as Micrometer's binders do.</li>
 *   <li>{@link #bindTo} is idempotent per registry and source; binding another source with the same name and tags
 *       replaces the first one's meters (see {@link TimerFeed}).</li>
 * </ul>
 */
public abstract class SpoolMeterBinder implements MeterBinder {
    /*
     * Not sealed: the constructor and register() are package-private, so only this package can extend it, and the
     * list of kinds lives once, in SpoolMetrics.binderFor's exhaustive switch, not again in a permits clause.
     */

    private final Object source;
    private final SourceMeters.Key key;
    private final TimerOptions timerOptions;
    private final TimerFeed replay;

    /**
     * @param kind     what the source is: executor, lock, semaphore, …
     * @param source   the executor or primitive
     * @param identity the tags that identify it ({@code name}, and {@code type} for executors)
     * @param tags     extra tags for every meter; they cannot replace the identity tags
     */
    SpoolMeterBinder(String kind, Object source, Tags identity, Iterable<Tag> tags, TimerOptions timerOptions,
                     TimerFeed replay) {
        this.source = Objects.requireNonNull(source, "source");
        this.key = new SourceMeters.Key(kind, Tags.of(Objects.requireNonNull(tags, "tags")).and(identity));
        this.timerOptions = Objects.requireNonNull(timerOptions, "timerOptions");
        this.replay = Objects.requireNonNull(replay, "replay");
    }

    /**
     * Registers the source's meters in {@code registry}, and its timers with the replay. Binding the same source to
     * the same registry again does nothing.
     *
     * @throws IllegalStateException if the binder's replay is closed
     */
    @Override
    public final void bindTo(MeterRegistry registry) {
        replay.bind(registry, this);
    }

    /**
     * Removes the meters this binder's source has in {@code registry} (a no-op if it has none there, or if another
     * source has since taken its name).
     *
     * @param registry where the source was bound
     */
    public final void unbindFrom(MeterRegistry registry) {
        replay.unbind(Objects.requireNonNull(registry, "registry"), this);
    }

    /** @return the executor or primitive observed */
    public final Object source() {
        return source;
    }

    /**
     * @return the tags every meter of this binder carries: {@code name}, {@code type} for executors, {@code backend}
     *         for primitives, extras
     */
    public final Tags tags() {
        return key.tags();
    }

    /**
     * A primitive's binder: its identity is {@code name} and {@code backend}, built here for every kind.
     *
     * @param kind      what the primitive is: lock, semaphore, …
     * @param primitive the primitive
     * @param tags      extra tags for every meter; they cannot replace the identity tags
     */
    SpoolMeterBinder(String kind, Primitive<?> primitive, Iterable<Tag> tags, TimerOptions timerOptions,
                     TimerFeed replay) {
        this(kind, primitive, Tags.of("name", primitive.name(), "backend", primitive.backend()), tags, timerOptions,
                replay);
    }

    final SourceMeters.Key key() {
        return key;
    }

    final TimerOptions timerOptions() {
        return timerOptions;
    }

    /**
     * Registers the meters, through {@code binding}. Every function must take the source as its argument, never
     * capture it.
     */
    abstract void register(SourceMeters binding);

    @Override
    public String toString() {
        return getClass().getSimpleName() + key.tags();
    }
}
