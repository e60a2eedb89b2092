package dev.spool.metrics;

import dev.spool.threading.AbstractLock;
import dev.spool.threading.Lock;
import dev.spool.threading.LockStats;
import dev.spool.threading.RLock;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;

/**
 * The meters of one {@link Lock} or {@link RLock} (an {@link AbstractLock}), tagged {@code name} and {@code backend}:
 * <ul>
 *   <li>{@code spool.lock.acquisitions} (function counter): successful acquisitions, re-entries of an {@link RLock}
 *       included;</li>
 *   <li>{@code spool.lock.contended} (function counter): acquisitions that had to wait (however the wait ended);</li>
 *   <li>{@code spool.lock.timeouts} (function counter): timed acquisitions that waited and gave up;</li>
 *   <li>{@code spool.lock.waiting} (gauge, threads): threads waiting to acquire now;</li>
 *   <li>{@code spool.lock.wait} (timer): how long the contended acquisitions waited;</li>
 *   <li>{@code spool.lock.held} (timer): how long the lock was held, for every hold another thread waited on (the
 *       uncontended path reads no clock: see {@link LockStats}).</li>
 * </ul>
 * The counters of acquisitions, contention and timeouts have no base unit (in Prometheus:
 * {@code spool_lock_contended_total}). The timers are fed from {@link AbstractLock#waitHistogram()} and
 * {@link AbstractLock#holdHistogram()} by a {@link TimerFeed}.
 */
public final class LockMetrics extends SpoolMeterBinder {

    /** @param lock the lock to observe, with no extra tags, no percentiles, the shared replay */
    public LockMetrics(AbstractLock lock) {
        this(lock, Tags.empty());
    }

    /**
     * @param lock the lock to observe
     * @param tags extra tags on every meter; no percentiles, the shared replay
     */
    public LockMetrics(AbstractLock lock, Iterable<Tag> tags) {
        this(lock, tags, TimerOptions.DEFAULTS, TimerFeed.shared());
    }

    /**
     * @param lock         the lock to observe
     * @param tags         extra tags on every meter (they cannot replace {@code name} or {@code backend})
     * @param timerOptions the distribution statistics of the timers
     * @param replay       what feeds the timers
     */
    public LockMetrics(AbstractLock lock, Iterable<Tag> tags, TimerOptions timerOptions, TimerFeed replay) {
        super("lock", lock, tags, timerOptions, replay);
    }

    @Override
    void register(SourceMeters b) {
        AbstractLock lock = (AbstractLock) source();
        b.counter("spool.lock.acquisitions", "Successful acquisitions of the lock, re-entries included",
                null, lock, l -> l.stats().acquisitions());
        b.counter("spool.lock.contended", "Acquisitions that had to wait for the lock",
                null, lock, l -> l.waitHistogram().count());
        b.counter("spool.lock.timeouts", "Timed acquisitions that waited for the lock and gave up",
                null, lock, l -> l.stats().timeouts());
        b.gauge("spool.lock.waiting", "Threads waiting to acquire the lock now",
                BaseUnits.THREADS, lock, l -> l.stats().waiting());
        b.timer("spool.lock.wait", "Time acquisitions waited for the lock (contended ones)",
                lock, l -> l.waitHistogram().snapshot());
        b.timer("spool.lock.held", "Time the lock was held, for the holds another thread waited on",
                lock, l -> l.holdHistogram().snapshot());
    }
}
