package dev.spool.autoconfigure.alerts;

import java.time.Instant;
import java.util.List;

import dev.spool.threading.AbstractLock;
import dev.spool.threading.LockStats;

/**
 * The {@link SpoolAlert#LOCK_WAIT} alert of one lock. Its value, in seconds, is the longer of
 * <ul>
 *   <li>the mean wait of the acquisitions that waited and ended since the previous check (the lock's contended count
 *       and wait total, the same numbers as {@code spool.lock.wait}'s count and sum, which the Prometheus rule
 *       divides), and</li>
 *   <li>while threads wait for the lock now, how long its current hold has lasted ({@link LockStats#heldForNanos()},
 *       timed from the first waiter's arrival when the hold itself did not wait): a holder that never lets go
 *       ends no wait, so the mean alone would never see it.</li>
 * </ul>
 * For a shared lock these are this instance's waits, as its meters are.
 */
final class LockWatch implements Watch {

    private static final List<SpoolAlert> ALERTS = List.of(SpoolAlert.LOCK_WAIT);

    private final AbstractLock lock;
    private final String name;
    private long contended;
    private long waitTotalNanos;
    private Instant checked;

    LockWatch(AbstractLock lock) {
        this.lock = lock;
        this.name = lock.name();
    }

    @Override
    public Object source() {
        return this.lock;
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
        LockStats stats = this.lock.stats();
        long waits = stats.contended() - this.contended;
        long waited = stats.waitTotalNanos() - this.waitTotalNanos;
        String since = AlertText.since(this.checked, now);
        this.contended = stats.contended();
        this.waitTotalNanos = stats.waitTotalNanos();
        this.checked = now;

        long meanNanos = waits > 0 ? waited / waits : 0L;
        long heldNanos = stats.waiting() > 0 ? stats.heldForNanos() : 0L;
        StringBuilder detail = new StringBuilder("lock ").append(this.name).append(": ");
        if (waits > 0) {
            detail.append(AlertText.count(waits, "wait", "waits")).append(' ').append(since).append(" averaged ")
                    .append(AlertText.nanos(meanNanos));
        } else {
            detail.append("no wait ended ").append(since);
        }
        if (stats.waiting() > 0) {
            detail.append("; ").append(AlertText.count(stats.waiting(), "thread", "threads")).append(" waiting now");
            if (heldNanos > 0) {
                detail.append(", its current hold has lasted ").append(AlertText.nanos(heldNanos));
            }
            if (stats.ownerName() != null) {
                detail.append(" (held by ").append(stats.ownerName()).append(')');
            }
        }
        return List.of(new Reading(SpoolAlert.LOCK_WAIT, Math.max(meanNanos, heldNanos) / 1e9, detail.toString()));
    }
}
