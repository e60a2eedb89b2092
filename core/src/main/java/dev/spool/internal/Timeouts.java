package dev.spool.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Durations as people write them, for every message that states a timeout: {@code 200 ms}, {@code 1.5 s},
 * {@code 2 min}, rather than {@link Duration#toString()}'s {@code PT0.2S}. Three significant digits at most, in the
 * largest unit that keeps the number at 1 or more (ns, µs, ms, s, min, h), so a remaining time of
 * {@code PT0.180082536S} reads {@code 180 ms}.
 */
public final class Timeouts {

    private static final long[] UNIT_NANOS = {1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L,
            3_600_000_000_000L};
    private static final String[] UNIT_NAMES = {"ns", "µs", "ms", "s", "min", "h"};
    private static final MathContext THREE_DIGITS = new MathContext(3, RoundingMode.HALF_UP);

    private Timeouts() {
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
