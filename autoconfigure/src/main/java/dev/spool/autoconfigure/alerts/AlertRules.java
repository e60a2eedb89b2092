package dev.spool.autoconfigure.alerts;

import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.spool.autoconfigure.SpoolProperties;
import org.jspecify.annotations.Nullable;

/**
 * The threshold of each alert for each name, from {@code spool.alerts.*}, in the alert's unit (a ratio, tasks,
 * seconds): an override under {@code names.<name>} wins over the alert's own keys, {@code enabled} as well as
 * {@code threshold}, so one name may be checked while the alert is off for the rest.
 */
final class AlertRules {

    /** One alert's settings, its overrides by name. */
    private record Rule(boolean enabled, double threshold, Map<String, NameRule> names) {
    }

    /** One name's override; a null part is the alert's own. */
    private record NameRule(@Nullable Boolean enabled, @Nullable Double threshold) {
    }

    private final Map<SpoolAlert, Rule> rules;

    private AlertRules(Map<SpoolAlert, Rule> rules) {
        this.rules = rules;
    }

    /**
     * @param alerts the bound, validated {@code spool.alerts}
     * @return its thresholds
     */
    static AlertRules of(SpoolProperties.Alerts alerts) {
        Map<SpoolAlert, Rule> rules = new EnumMap<>(SpoolAlert.class);
        rules.put(SpoolAlert.QUEUE_USAGE, usage(alerts.getQueueUsage()));
        rules.put(SpoolAlert.WORKER_USAGE, usage(alerts.getWorkerUsage()));
        rules.put(SpoolAlert.REJECTIONS, count(alerts.getRejections()));
        rules.put(SpoolAlert.RUN_TIMEOUT, count(alerts.getRunTimeout()));
        rules.put(SpoolAlert.QUEUE_TIMEOUT, count(alerts.getQueueTimeout()));
        SpoolProperties.WaitAlert wait = alerts.getLockWait();
        Map<String, NameRule> waitNames = new LinkedHashMap<>();
        wait.getNames().forEach((name, o) -> waitNames.put(name, new NameRule(o.getEnabled(),
                o.getThreshold() != null ? seconds(o.getThreshold()) : null)));
        rules.put(SpoolAlert.LOCK_WAIT, new Rule(wait.isEnabled(), seconds(wait.getThreshold()), waitNames));
        return new AlertRules(rules);
    }

    private static Rule usage(SpoolProperties.UsageAlert alert) {
        Map<String, NameRule> names = new LinkedHashMap<>();
        alert.getNames().forEach((name, o) -> names.put(name, new NameRule(o.getEnabled(), o.getThreshold())));
        return new Rule(alert.isEnabled(), alert.getThreshold(), names);
    }

    private static Rule count(SpoolProperties.CountAlert alert) {
        Map<String, NameRule> names = new LinkedHashMap<>();
        alert.getNames().forEach((name, o) -> names.put(name, new NameRule(o.getEnabled(),
                o.getThreshold() != null ? o.getThreshold().doubleValue() : null)));
        return new Rule(alert.isEnabled(), alert.getThreshold(), names);
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    /**
     * @param alert an alert
     * @param name  an executor's or lock's name
     * @return the threshold of that alert for that name, in the alert's unit; NaN when it is off for that name
     */
    double threshold(SpoolAlert alert, String name) {
        Rule rule = this.rules.get(alert);
        NameRule override = rule.names().get(name);
        boolean enabled = override != null && override.enabled() != null ? override.enabled() : rule.enabled();
        if (!enabled) {
            return Double.NaN;
        }
        return override != null && override.threshold() != null ? override.threshold() : rule.threshold();
    }

    /** @return the names each alert has an override for */
    Map<SpoolAlert, Set<String>> overriddenNames() {
        Map<SpoolAlert, Set<String>> names = new EnumMap<>(SpoolAlert.class);
        this.rules.forEach((alert, rule) -> {
            if (!rule.names().isEmpty()) {
                names.put(alert, Set.copyOf(rule.names().keySet()));
            }
        });
        return names;
    }
}
