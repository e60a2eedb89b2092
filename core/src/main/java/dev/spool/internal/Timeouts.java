package dev.spool.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Spool's one time rule, for every wait of the engine and the primitives ({@link #nanos}), and durations as people
 * write them, for every message that states a timeout ({@link #format}): {@code 200 ms}, {@code 1.5 s},
 * {@code 2 min}, rather than {@link Duration#toString()}'s {@code PT0.2S}. Three significant digits at most, in the
 * largest unit that keeps the number at 1 or more (ns, µs, ms, s, min, h), so a remaining time of
 * {@code PT0.180082536S} reads {@code 180 ms}.
 */
public final class Timeouts {

    private static final long[] UNIT_NANOS = {1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L,
            3_600_000_000_000L};
    private static final String[] UNIT_NAMES = {"ns", "µs", "ms", "s", "min", "h"};
    private static final MathContext THREE_DIGITS = new MathContext(3, RoundingMode.HALF_UP);

    /**
     * A wait of this many nanoseconds or more (about 146 years) is a wait without a limit. Below it,
     * {@code System.nanoTime() + nanos}, which {@code AbstractQueuedSynchronizer} computes for a timed wait, cannot
     * overflow.
     */
    public static final long FOREVER = Long.MAX_VALUE >>> 1;

    private Timeouts() {
    }

    /**
     * The one check of a positive duration setting (a builder's run-timeout, queue-timeout, ...).
     *
     * @param duration the value given
     * @param what     the setting's name, for the message
     * @return {@code duration}
     * @throws NullPointerException     if it is null
     * @throws IllegalArgumentException if it is zero or negative: "{@code <what> must be positive, was <duration>}"
     */
    public static Duration positive(Duration duration, String what) {
        java.util.Objects.requireNonNull(duration, what);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + duration);
        }
        return duration;
    }

    /**
     * The nanoseconds to wait for: 0 for a duration of zero or less (do not block), {@link #FOREVER} for one too long
     * to count (saturated, never an overflow error).
     *
     * @param timeout how long to wait
     * @return 0 to {@link #FOREVER}
     * @throws NullPointerException if {@code timeout} is null (the message says to use the overload without one)
     */
    public static long nanos(Duration timeout) {
        if (timeout == null) {
            throw new NullPointerException("timeout: use the overload without a Duration to wait without a limit");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            return 0L;
        }
        if (timeout.getSeconds() >= FOREVER / 1_000_000_000L) {
            return FOREVER;
        }
        return Math.min(timeout.toNanos(), FOREVER);
    }

    /**
     * The duration in the unit that suits it, e.g. {@code "200 ms"}, {@code "1.5 s"}, {@code "-3 s"}, {@code "0 s"}.
     *
     * @param duration any duration, negative and zero included
     * @return a number (three significant digits at most, no trailing zeros), a space and a unit
     * @throws NullPointerException if {@code duration} is null
     */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0 s";
        }
        BigDecimal nanos = new BigDecimal(duration.getSeconds()).movePointRight(9).add(new BigDecimal(duration.getNano()));
        BigDecimal magnitude = nanos.abs();
        int unit = UNIT_NANOS.length - 1;
        while (unit > 0 && magnitude.compareTo(BigDecimal.valueOf(UNIT_NANOS[unit])) < 0) {
            unit--;
        }
        BigDecimal value = nanos.divide(BigDecimal.valueOf(UNIT_NANOS[unit]), THREE_DIGITS);
        if (unit < UNIT_NANOS.length - 1
                && value.abs().compareTo(BigDecimal.valueOf(UNIT_NANOS[unit + 1] / UNIT_NANOS[unit])) >= 0) {
            // rounding carried into the next unit: 999.9 ms is "1 s", not "1000 ms"
            unit++;
            value = nanos.divide(BigDecimal.valueOf(UNIT_NANOS[unit]), THREE_DIGITS);
        }
        return value.stripTrailingZeros().toPlainString() + " " + UNIT_NAMES[unit];
    }
}
