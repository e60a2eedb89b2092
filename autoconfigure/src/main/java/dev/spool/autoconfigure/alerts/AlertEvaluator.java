package dev.spool.autoconfigure.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import dev.spool.futures.ObservedExecutor;
import dev.spool.threading.AbstractLock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * One check of every executor and lock against the alert thresholds ({@link #evaluate}), called by
 * {@link AlertSchedule} every check interval, or by a test with the instant it chooses.
 *
 * <p>For each alert and name whose measurement reaches its threshold: unless that pair is silenced, publish a
 * {@link SpoolAlertEvent}, log it at WARN, count it, and silence the pair until {@code now + silence}. A pair stays
 * silenced for the whole period even if its condition clears and returns meanwhile (as a Prometheus alert that stays
 * firing notifies once per repeat interval): under a condition that lasts, one event per silence period; for a
 * condition that flaps, no more. Below the threshold nothing happens, and nothing is remembered but the counters.
 */
final class AlertEvaluator {

    private static final Log logger = LogFactory.getLog("dev.spool.autoconfigure.alerts");

    /** What the evaluator watches, read at every check: the context's live executors and locks. */
    interface Sources {
        /** @return the executors to check */
        Collection<? extends ObservedExecutor> executors();

        /** @return the locks to check */
        Collection<AbstractLock> locks();
    }

    /** One alert for one name, the unit of silence. */
    private record Key(SpoolAlert alert, String name) {
    }

    private final Sources sources;
    private final AlertRules rules;
    private final Duration silence;
    private final ApplicationEventPublisher publisher;
    private final AlertMeters meters;
    /** Each source seen, by identity: two beans may share a name, each has its counters. */
    private Map<Object, Watch> watches = new IdentityHashMap<>();
    private final Map<Key, Instant> silencedUntil = new HashMap<>();

    AlertEvaluator(Sources sources, AlertRules rules, Duration silence, ApplicationEventPublisher publisher,
                   AlertMeters meters) {
        this.sources = Objects.requireNonNull(sources, "sources");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.silence = Objects.requireNonNull(silence, "silence");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    /**
     * Starts watching the executors and locks there are now, without measuring them: registers their counters at 0.
     * The next {@link #evaluate} counts their rejections and timeouts from their creation.
     */
    synchronized void watchCurrent() {
        refreshWatches();
    }

    /**
     * Checks every executor and lock once.
     *
     * @param now the time of the check: what the silences are measured against and what each event says
     * @return the events published, in the order they were
     */
    synchronized List<SpoolAlertEvent> evaluate(Instant now) {
        List<SpoolAlertEvent> published = new ArrayList<>();
        for (Watch watch : refreshWatches()) {
            List<Reading> readings;
            try {
                readings = watch.read(now);
            } catch (RuntimeException failure) { // statistics never throw; a bug here must not stop the others
                logger.warn("Spool could not check " + watch.name() + " for alerts", failure);
                continue;
            }
            for (Reading reading : readings) {
                double threshold = this.rules.threshold(reading.alert(), watch.name());
                if (!Double.isNaN(threshold) && reading.alert().fires(reading.value(), threshold)) {
                    SpoolAlertEvent event = fire(watch, reading, threshold, now);
                    if (event != null) {
                        published.add(event);
                    }
                }
            }
        }
        return published;
    }

    /**
     * @return the watch of every source there is now, in the order the sources are listed (configuration order); new
     * ones are registered, and sources gone are forgotten
     */
    private List<Watch> refreshWatches() {
        Map<Object, Watch> current = new IdentityHashMap<>();
        List<Watch> ordered = new ArrayList<>();
        for (ObservedExecutor executor : this.sources.executors()) {
            ordered.add(current.computeIfAbsent(executor, e -> known(e, () -> new ExecutorWatch(executor))));
        }
        for (AbstractLock lock : this.sources.locks()) {
            ordered.add(current.computeIfAbsent(lock, l -> known(l, () -> new LockWatch(lock))));
        }
        this.watches = current;
        return ordered;
    }

    private Watch known(Object source, Supplier<Watch> fresh) {
        Watch watch = this.watches.get(source);
        return watch != null ? watch : watched(fresh.get());
    }

    private Watch watched(Watch watch) {
        for (SpoolAlert alert : watch.alerts()) {
            if (!Double.isNaN(this.rules.threshold(alert, watch.name()))) {
                this.meters.watch(alert, watch.name());
            }
        }
        return watch;
    }

    /** @return the event published, or null when the pair is silenced */
    private SpoolAlertEvent fire(Watch watch, Reading reading, double threshold, Instant now) {
        Key key = new Key(reading.alert(), watch.name());
        Instant until = this.silencedUntil.get(key);
        if (until != null && now.isBefore(until)) {
            return null;
        }
        this.silencedUntil.put(key, now.plus(this.silence));
        String message = reading.detail() + ", threshold " + threshold(reading.alert(), threshold);
        SpoolAlertEvent event = new SpoolAlertEvent(watch.source(), reading.alert(), watch.name(), reading.value(),
                threshold, now, message);
        logger.warn("Spool alert " + reading.alert() + ": " + message + (this.silence.isZero() ? ""
                : " (quiet for " + watch.name() + " for " + AlertText.duration(this.silence) + ", spool.alerts.silence)"));
        this.meters.fired(reading.alert(), watch.name());
        try {
            this.publisher.publishEvent(event);
        } catch (RuntimeException failure) {
            logger.warn("A listener of Spool alert " + reading.alert() + " for " + watch.name() + " failed", failure);
        }
        return event;
    }

    private static String threshold(SpoolAlert alert, double threshold) {
        return switch (alert) {
            case QUEUE_USAGE, WORKER_USAGE -> AlertText.percent(threshold);
            case REJECTIONS, RUN_TIMEOUT, QUEUE_TIMEOUT -> String.valueOf((long) threshold);
            case LOCK_WAIT -> AlertText.seconds(threshold);
        };
    }
}
