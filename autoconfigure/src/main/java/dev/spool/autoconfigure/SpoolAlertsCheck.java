package dev.spool.autoconfigure;

import java.time.Duration;
import java.util.Map;

import dev.spool.autoconfigure.SpoolProperties.Alerts;

/**
 * The checks of {@code spool.alerts.*}, run by {@link SpoolConfigurationValidator} with every other check, so a wrong
 * threshold stops start-up naming its key. Kept apart from the validator: the alerts are one feature with many keys.
 */
final class SpoolAlertsCheck {

    private static final String PREFIX = "spool.alerts.";

    private SpoolAlertsCheck() {
    }

    /**
     * @param alerts   the bound {@code spool.alerts}
     * @param problems where problems go
     */
    static void check(Alerts alerts, SpoolKind.Problems problems) {
        if (!isPositive(alerts.getCheckInterval())) {
            problems.add(PREFIX + "check-interval", "must be positive, was " + alerts.getCheckInterval(),
                    "set a positive duration such as 10s");
        }
        Duration silence = alerts.getSilence();
        if (silence == null || silence.isNegative()) {
            problems.add(PREFIX + "silence", "must be zero or positive, was " + silence,
                    "set a duration such as 5m (0s: an event at every check that finds the alert's condition)");
        }
        checkUsage(PREFIX + "queue-usage", alerts.getQueueUsage(), "the queue capacity", "0.8", problems);
        checkUsage(PREFIX + "worker-usage", alerts.getWorkerUsage(), "the workers", "0.9", problems);
        checkCount(PREFIX + "rejections", alerts.getRejections(), problems);
        checkCount(PREFIX + "run-timeout", alerts.getRunTimeout(), problems);
        checkCount(PREFIX + "queue-timeout", alerts.getQueueTimeout(), problems);
        checkWait(PREFIX + "lock-wait.threshold", alerts.getLockWait().getThreshold(), problems);
        alerts.getLockWait().getNames().forEach((name, override) -> {
            if (override.getThreshold() != null) {
                checkWait(PREFIX + "lock-wait.names." + name + ".threshold", override.getThreshold(), problems);
            }
        });
    }

    private static void checkUsage(String key, SpoolProperties.UsageAlert alert, String of, String example,
                                   SpoolKind.Problems problems) {
        checkRatio(key + ".threshold", alert.getThreshold(), of, example, problems);
        for (Map.Entry<String, SpoolProperties.UsageOverride> entry : alert.getNames().entrySet()) {
            Double threshold = entry.getValue().getThreshold();
            if (threshold != null) {
                checkRatio(key + ".names." + entry.getKey() + ".threshold", threshold, of, example, problems);
            }
        }
    }

    private static void checkRatio(String key, double threshold, String of, String example,
                                   SpoolKind.Problems problems) {
        if (!(threshold > 0.0 && threshold <= 1.0)) {
            problems.add(key, "must be above 0 and at most 1, was " + threshold,
                    "set a fraction of " + of + " such as " + example);
        }
    }

    private static void checkCount(String key, SpoolProperties.CountAlert alert, SpoolKind.Problems problems) {
        checkCount(key + ".threshold", alert.getThreshold(), problems);
        for (Map.Entry<String, SpoolProperties.CountOverride> entry : alert.getNames().entrySet()) {
            Integer threshold = entry.getValue().getThreshold();
            if (threshold != null) {
                checkCount(key + ".names." + entry.getKey() + ".threshold", threshold, problems);
            }
        }
    }

    private static void checkCount(String key, int threshold, SpoolKind.Problems problems) {
        if (threshold < 1) {
            problems.add(key, "must be at least 1, was " + threshold,
                    "set it to 1 (fire on any) or more: the tasks in one check interval that fire the alert");
        }
    }

    private static void checkWait(String key, Duration threshold, SpoolKind.Problems problems) {
        if (!isPositive(threshold)) {
            problems.add(key, "must be positive, was " + threshold, "set a duration such as 500ms");
        }
    }

    private static boolean isPositive(Duration duration) {
        return duration != null && !duration.isNegative() && !duration.isZero();
    }
}
