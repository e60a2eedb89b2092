package dev.spool.metrics;

import java.util.Objects;

import dev.spool.futures.ManagedExecutor;
import dev.spool.futures.ObservedExecutor;
import dev.spool.threading.AbstractLock;
import dev.spool.threading.Barrier;
import dev.spool.threading.Condition;
import dev.spool.threading.Event;
import dev.spool.threading.Lock;
import dev.spool.threading.Primitive;
import dev.spool.threading.RLock;
import dev.spool.threading.Semaphore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;

/**
 * Binds any Spool executor or primitive to a registry, choosing its binder by type: the way to measure one created at
 * run time exactly like the ones the Spring starter binds at start-up.
 *
 * <pre>{@code
 * SpoolMetrics metrics = new SpoolMetrics(registry);            // or inject the starter's
 * ThreadPool batch = metrics.bind(ThreadPool.builder().name("batch").build());
 * Lock ledger = metrics.bind(new Lock("ledger"));
 * // or, once: SpoolMetrics.bind(registry, pool);
 * }</pre>
 *
 * <p>An instance carries a registry, extra tags for every meter, the timers' {@link TimerOptions} and the
 * {@link TimerFeed} that feeds them, so everything it binds is measured the same way. Binding is idempotent;
 * the meters of a source that is garbage-collected leave the registry by themselves (see {@link TimerFeed}),
 * and {@link #unbind} removes them at once.
 */
public final class SpoolMetrics {

    private final MeterRegistry registry;
    private final Tags tags;
    private final TimerOptions timerOptions;
    private final TimerFeed timerFeed;

    /**
     * Binds to {@code registry} with no extra tags, no percentiles, and the {@linkplain TimerFeed#shared() shared
     * timer feed}.
     *
     * @param registry where meters go
     */
    public SpoolMetrics(MeterRegistry registry) {
        this(registry, Tags.empty(), TimerOptions.DEFAULTS, TimerFeed.shared());
    }

    /**
     * @param registry     where meters go
     * @param tags         extra tags on every meter
     * @param timerOptions the distribution statistics of every timer
     * @param timerFeed    what feeds the timers
     */
    public SpoolMetrics(MeterRegistry registry, Iterable<Tag> tags, TimerOptions timerOptions,
                        TimerFeed timerFeed) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
        this.timerOptions = Objects.requireNonNull(timerOptions, "timerOptions");
        this.timerFeed = Objects.requireNonNull(timerFeed, "timerFeed");
    }

    /**
     * Binds {@code source}'s meters (a no-op if it is bound already).
     *
     * @param source a {@link ManagedExecutor}, {@link dev.spool.futures.AdoptedExecutor}, {@link Lock}, {@link RLock}, {@link Semaphore}, {@link Event},
     *               {@link Barrier} or {@link Condition}
     * @param <T>    its type
     * @return {@code source}
     * @throws IllegalArgumentException if {@code source} is none of those
     */
    public <T> T bind(T source) {
        return bind(source, Tags.empty());
    }

    /**
     * Binds {@code source}'s meters with tags of its own, besides this instance's.
     *
     * @param source    as {@link #bind(Object)}
     * @param extraTags more tags on its meters
     * @param <T>       its type
     * @return {@code source}
     * @throws IllegalArgumentException if {@code source} is not a Spool executor or primitive
     */
    public <T> T bind(T source, Iterable<Tag> extraTags) {
        binderFor(source, tags.and(extraTags), timerOptions, timerFeed).bindTo(registry);
        return source;
    }

    /**
     * Removes {@code source}'s meters from the registry now (a no-op if it is not bound).
     *
     * @param source as {@link #bind(Object)}
     * @throws IllegalArgumentException if {@code source} is not a Spool executor or primitive
     */
    public void unbind(Object source) {
        unbind(source, Tags.empty());
    }

    /**
     * Removes the meters {@code source} was bound with using {@code extraTags}.
     *
     * @param source    as {@link #bind(Object, Iterable)}
     * @param extraTags the tags it was bound with
     * @throws IllegalArgumentException if {@code source} is not a Spool executor or primitive
     */
    public void unbind(Object source, Iterable<Tag> extraTags) {
        binderFor(source, tags.and(extraTags), timerOptions, timerFeed).unbindFrom(registry);
    }

    /** @return the registry meters go to */
    public MeterRegistry registry() {
        return registry;
    }

    /** @return the feed of the timers */
    public TimerFeed timerFeed() {
        return timerFeed;
    }

    /**
     * Binds {@code source} to {@code registry} with no extra tags, no percentiles and the shared timer feed.
     *
     * @param registry where meters go
     * @param source   as {@link #bind(Object)}
     * @param <T>      its type
     * @return {@code source}
     * @throws IllegalArgumentException if {@code source} is not a Spool executor or primitive
     */
    public static <T> T bind(MeterRegistry registry, T source) {
        return new SpoolMetrics(registry).bind(source);
    }

    /**
     * The binder for {@code source}'s type.
     *
     * @param source       a Spool executor or primitive
     * @param tags         extra tags on every meter
     * @param timerOptions the distribution statistics of the timers
     * @param timerFeed    what feeds the timers
     * @return an {@link ExecutorMetrics}, or the primitive's binder (see {@link #binderFor(Primitive, Iterable,
     *         TimerOptions, TimerFeed)})
     * @throws IllegalArgumentException if {@code source} is none of the types Spool measures
     */
    public static SpoolMeterBinder binderFor(Object source, Iterable<Tag> tags, TimerOptions timerOptions,
                                             TimerFeed timerFeed) {
        Objects.requireNonNull(source, "source");
        return switch (source) {
            case ObservedExecutor executor -> new ExecutorMetrics(executor, tags, timerOptions, timerFeed);
            case Primitive<?> primitive -> binderFor(primitive, tags, timerOptions, timerFeed);
            default -> throw new IllegalArgumentException("Spool has no meters for " + source.getClass().getName()
                    + ": expected a ManagedExecutor, AdoptedExecutor, Lock, RLock, Semaphore, Event, Barrier or Condition");
        };
    }

    /**
     * The binder for a primitive's kind: the metrics layer's one list of kinds. The switch is exhaustive over the
     * sealed {@link Primitive}, with no default, so a new kind of primitive does not compile until it has its
     * binder here.
     *
     * @param primitive    a Spool primitive
     * @param tags         extra tags on every meter
     * @param timerOptions the distribution statistics of the timers
     * @param timerFeed    what feeds the timers
     * @return a {@link LockMetrics}, {@link SemaphoreMetrics}, {@link EventMetrics}, {@link BarrierMetrics} or
     *         {@link ConditionMetrics}
     */
    public static SpoolMeterBinder binderFor(Primitive<?> primitive, Iterable<Tag> tags, TimerOptions timerOptions,
                                             TimerFeed timerFeed) {
        Objects.requireNonNull(primitive, "primitive");
        return switch (primitive) {
            case AbstractLock lock -> new LockMetrics(lock, tags, timerOptions, timerFeed);
            case Semaphore semaphore -> new SemaphoreMetrics(semaphore, tags, timerOptions, timerFeed);
            case Event event -> new EventMetrics(event, tags, timerOptions, timerFeed);
            case Barrier barrier -> new BarrierMetrics(barrier, tags, timerOptions, timerFeed);
            case Condition condition -> new ConditionMetrics(condition, tags, timerOptions, timerFeed);
        };
    }
}
