package dev.spool.autoconfigure.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Numbers as the alert messages print them: {@code 90 %}, {@code 820 ms}, {@code 12.3 s}, {@code 3 tasks}. */
final class AlertText {

    private AlertText() {
    }

    /** @return a ratio as a whole percentage, {@code 90 %} */
    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f %%", ratio * 100.0);
    }

    /** @return a duration in nanoseconds as people read it: {@code 820 ms}, {@code 12.3 s}, {@code 5 min} */
    static String nanos(long nanos) {
        if (nanos < 1_000_000L) {
            return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        }
        if (nanos < 1_000_000_000L) {
            return String.format(Locale.ROOT, "%d ms", nanos / 1_000_000L);
        }
        if (nanos < 120_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
        }
        return String.format(Locale.ROOT, "%.1f min", nanos / 6e10);
    }

    /** @return a duration as {@link #nanos(long)} prints it */
    static String duration(Duration duration) {
        return nanos(duration.toNanos());
    }

    /** @return seconds as {@link #nanos(long)} prints them */
    static String seconds(double seconds) {
        return nanos(Math.round(seconds * 1e9));
    }

    /** @return {@code 1 task}, {@code 3 tasks} */
    static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }

    /**
     * @param previous the last check of the same executor or lock, null if this is its first
     * @param now      this check
     * @return the interval the counts cover: {@code in the last 10.0 s}, or {@code since it was created} at the
     * first check (the counters start with the executor or lock)
     */
    static String since(Instant previous, Instant now) {
        return previous == null ? "since it was created" : "in the last " + duration(Duration.between(previous, now));
    }
}
