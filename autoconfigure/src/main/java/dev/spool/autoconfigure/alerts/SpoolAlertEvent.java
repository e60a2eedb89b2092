package dev.spool.autoconfigure.alerts;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;

import org.springframework.context.ApplicationEvent;

/**
 * An alert that fired for one executor or lock: what {@code spool.alerts} publishes to the application context, at
 * most once per {@code spool.alerts.silence} for each alert and name. Listen for it as for any event:
 *
 * <pre>{@code
 * @EventListener
 * void onSpoolAlert(SpoolAlertEvent alert) {
 *     pager.send(alert.message());
 * }
 * }</pre>
 *
 * Listeners run on Spool's {@code spool-alerts} thread, one after the other, before the next check: hand slow work
 * (a network call) to an executor, or make the listener {@code @Async}. A listener that throws is logged and the
 * other events of the check are still published.
 *
 * <p>{@link #getSource()} is the executor ({@code dev.spool.futures.ManagedExecutor}) or lock
 * ({@code dev.spool.threading.AbstractLock}) the alert is about; {@link #getTimestamp()} is {@link #instant()} in
 * milliseconds.
 */
public class SpoolAlertEvent extends ApplicationEvent {
    private static final long serialVersionUID = 1L;

    private final SpoolAlert alert;
    private final String name;
    private final double value;
    private final double threshold;
    private final Instant instant;
    private final String message;

    /**
     * @param source    the executor or lock the alert is about
     * @param alert     which alert
     * @param name      the executor's or lock's name (the {@code name} tag of its meters)
     * @param value     what was measured, in {@link SpoolAlert#unit()}
     * @param threshold the threshold it reached, in the same unit
     * @param instant   when it was measured
     * @param message   what happened, for people: {@code executor io: queue 90 % full (90 of 100), threshold 80 %}
     * @throws NullPointerException if an argument is null
     */
    public SpoolAlertEvent(Object source, SpoolAlert alert, String name, double value, double threshold,
                           Instant instant, String message) {
        super(source, Clock.fixed(Objects.requireNonNull(instant, "instant"), ZoneOffset.UTC));
        this.alert = Objects.requireNonNull(alert, "alert");
        this.name = Objects.requireNonNull(name, "name");
        this.value = value;
        this.threshold = threshold;
        this.instant = instant;
        this.message = Objects.requireNonNull(message, "message");
    }

    /** @return which alert fired */
    public SpoolAlert alert() {
        return this.alert;
    }

    /** @return the executor's or lock's name */
    public String name() {
        return this.name;
    }

    /**
     * @return what was measured, in the alert's {@link SpoolAlert#unit() unit}: a ratio for the usage alerts, tasks in
     * one check interval for the counts, seconds for {@link SpoolAlert#LOCK_WAIT}
     */
    public double value() {
        return this.value;
    }

    /** @return the threshold that {@link #value()} reached, in the same unit */
    public double threshold() {
        return this.threshold;
    }

    /** @return when the value was measured */
    public Instant instant() {
        return this.instant;
    }

    /** @return what happened, in one line, as it is logged */
    public String message() {
        return this.message;
    }

    @Override
    public String toString() {
        return "SpoolAlertEvent[" + this.alert + " " + this.name + ": " + this.message + "]";
    }
}
