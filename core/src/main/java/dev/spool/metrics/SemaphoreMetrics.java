package dev.spool.metrics;

import dev.spool.threading.BoundedSemaphore;
import dev.spool.threading.Semaphore;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;

/**
 * The meters of one {@link Semaphore} or {@link BoundedSemaphore}, tagged {@code name} and {@code backend}:
 * <ul>
 *   <li>{@code spool.semaphore.permits} (gauge, permits): permits free now (across every instance, for a shared
 *       semaphore; NaN, a gap in the series, while a shared semaphore's backend cannot be reached);</li>
 *   <li>{@code spool.semaphore.waiting} (gauge, threads): threads waiting for a permit now;</li>
 *   <li>{@code spool.semaphore.timeouts} (function counter): timed acquisitions that waited and gave up;</li>
 *   <li>{@code spool.semaphore.wait} (timer): how long the acquisitions that had to wait waited.</li>
 * </ul>
 * The timer is fed from {@link Semaphore#waitHistogram()} by a {@link TimerFeed}.
 */
public final class SemaphoreMetrics extends SpoolMeterBinder {

    /** Base unit of {@code spool.semaphore.permits} (Prometheus: {@code spool_semaphore_permits}). */
    static final String PERMITS = "permits";

    /** @param semaphore the semaphore to observe, with no extra tags, no percentiles, the shared replay */
    public SemaphoreMetrics(Semaphore semaphore) {
        this(semaphore, Tags.empty());
    }

    /**
     * @param semaphore the semaphore to observe
     * @param tags      extra tags on every meter; no percentiles, the shared replay
     */
    public SemaphoreMetrics(Semaphore semaphore, Iterable<Tag> tags) {
        this(semaphore, tags, TimerOptions.DEFAULTS, TimerFeed.shared());
    }

    /**
     * @param semaphore    the semaphore to observe
     * @param tags         extra tags on every meter (they cannot replace {@code name} or {@code backend})
     * @param timerOptions the distribution statistics of the timer
     * @param replay       what feeds the timer
     */
    public SemaphoreMetrics(Semaphore semaphore, Iterable<Tag> tags, TimerOptions timerOptions,
                            TimerFeed replay) {
        super("semaphore", semaphore, tags, timerOptions, replay);
    }

    @Override
    void register(SourceMeters b) {
        Semaphore semaphore = (Semaphore) source();
        b.gauge("spool.semaphore.permits", "Permits of the semaphore free now",
                PERMITS, semaphore, SemaphoreMetrics::permits);
        b.gauge("spool.semaphore.waiting", "Threads waiting for a permit now",
                BaseUnits.THREADS, semaphore, s -> s.stats().waiting());
        b.counter("spool.semaphore.timeouts", "Timed acquisitions that waited for a permit and gave up",
                null, semaphore, s -> s.stats().timeouts());
        b.timer("spool.semaphore.wait", "Time acquisitions waited for a permit (those that had to wait)",
                semaphore, s -> s.waitHistogram().snapshot());
    }

    /** @return the free permits, or NaN when they cannot be read (the snapshot says -1) */
    private static double permits(Semaphore semaphore) {
        int permits = semaphore.stats().permits();
        return permits < 0 ? Double.NaN : permits;
    }
}
