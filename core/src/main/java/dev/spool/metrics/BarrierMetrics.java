package dev.spool.metrics;

import dev.spool.threading.Barrier;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;

/**
 * The meters of one {@link Barrier}, tagged {@code name} and {@code backend}:
 * <ul>
 *   <li>{@code spool.barrier.waiting} (gauge, threads): threads waiting at it now (0 while broken);</li>
 *   <li>{@code spool.barrier.trips} (function counter): times every party arrived and it tripped;</li>
 *   <li>{@code spool.barrier.broken} (function counter): times it broke (abort, reset with threads waiting, a
 *       timeout, an interrupt, a failing action);</li>
 *   <li>{@code spool.barrier.wait} (timer): how long the waits that blocked waited.</li>
 * </ul>
 * The timer is fed from {@link Barrier#waitHistogram()} by a {@link TimerFeed}.
 */
public final class BarrierMetrics extends SpoolMeterBinder {

    /** @param barrier the barrier to observe, with no extra tags, no percentiles, the shared replay */
    public BarrierMetrics(Barrier barrier) {
        this(barrier, Tags.empty());
    }

    /**
     * @param barrier the barrier to observe
     * @param tags    extra tags on every meter; no percentiles, the shared replay
     */
    public BarrierMetrics(Barrier barrier, Iterable<Tag> tags) {
        this(barrier, tags, TimerOptions.DEFAULTS, TimerFeed.shared());
    }

    /**
     * @param barrier      the barrier to observe
     * @param tags         extra tags on every meter (they cannot replace {@code name} or {@code backend})
     * @param timerOptions the distribution statistics of the timer
     * @param replay       what feeds the timer
     */
    public BarrierMetrics(Barrier barrier, Iterable<Tag> tags, TimerOptions timerOptions, TimerFeed replay) {
        super("barrier", barrier, tags, timerOptions, replay);
    }

    @Override
    void register(SourceMeters b) {
        Barrier barrier = (Barrier) source();
        b.gauge("spool.barrier.waiting", "Threads waiting at the barrier now",
                BaseUnits.THREADS, barrier, Barrier::waiting);
        b.counter("spool.barrier.trips", "Times every party arrived and the barrier tripped",
                null, barrier, r -> r.stats().trips());
        b.counter("spool.barrier.broken", "Times the barrier broke (abort, reset, timeout, interrupt, failed action)",
                null, barrier, r -> r.stats().breaks());
        b.timer("spool.barrier.wait", "Time waits at the barrier blocked",
                barrier, r -> r.waitHistogram().snapshot());
    }
}
