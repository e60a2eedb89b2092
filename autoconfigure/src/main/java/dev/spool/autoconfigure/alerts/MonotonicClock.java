package dev.spool.autoconfigure.alerts;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The wall clock's time when the clock was made, advanced by {@link System#nanoTime()}: an instant that reads like the
 * time of day and never jumps, so a wall clock set back an hour does not stretch a silence by an hour.
 */
final class MonotonicClock extends Clock {

    private final Instant origin;
    private final long originNanos;

    MonotonicClock() {
        this.origin = Instant.now();
        this.originNanos = System.nanoTime();
    }

    @Override
    public Instant instant() {
        return this.origin.plusNanos(System.nanoTime() - this.originNanos);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone)) {
            throw new UnsupportedOperationException("the alerts' clock is in UTC only, not " + zone);
        }
        return this;
    }
}
