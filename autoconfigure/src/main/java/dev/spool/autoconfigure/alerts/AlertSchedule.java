package dev.spool.autoconfigure.alerts;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the {@link AlertEvaluator} every check interval on one daemon thread, {@code spool-alerts}, from the start of
 * the context to its close: nothing runs on a task's path. It starts last and stops first ({@link #getPhase()}: the
 * default phase, above the web server and Spool's executors), so no alert fires while the application shuts down.
 * The first check runs one interval after start-up, and counts what happened since each executor and lock was made.
 */
final class AlertSchedule implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog("dev.spool.autoconfigure.alerts");
    /** How long {@link #stop()} waits for a check that is running (its listeners) before it interrupts it. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final AlertEvaluator evaluator;
    private final Duration interval;
    private final Clock clock;
    private final Runnable onStart;
    private @Nullable ScheduledThreadPoolExecutor thread;
    /** The last thread the schedule started, kept so that a test can see it end. */
    private volatile @Nullable Thread worker;

    /**
     * @param evaluator what each check runs
     * @param interval  the time between two checks
     * @param clock     the time of each check
     * @param onStart   run once at start, before the first check (the warnings about the configuration)
     */
    AlertSchedule(AlertEvaluator evaluator, Duration interval, Clock clock, Runnable onStart) {
        this.evaluator = evaluator;
        this.interval = interval;
        this.clock = clock;
        this.onStart = onStart;
    }

    /** @return the evaluator, for a check on demand */
    AlertEvaluator evaluator() {
        return this.evaluator;
    }

    /** @return the thread of the checks, once one has been started; null before */
    @Nullable Thread worker() {
        return this.worker;
    }

    @Override
    public synchronized void start() {
        if (this.thread != null) {
            return;
        }
        this.onStart.run();
        this.evaluator.watchCurrent();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, "spool-alerts");
            t.setDaemon(true);
            this.worker = t;
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        long nanos = this.interval.toNanos();
        executor.scheduleWithFixedDelay(this::check, nanos, nanos, TimeUnit.NANOSECONDS);
        this.thread = executor;
    }

    private void check() {
        try {
            this.evaluator.evaluate(this.clock.instant());
        } catch (Throwable failure) { // a throw would cancel the schedule: the next check must still run
            logger.warn("Spool's alert check failed; the next one runs in " + AlertText.duration(this.interval),
                    failure);
        }
    }

    @Override
    public void stop() {
        ScheduledThreadPoolExecutor executor;
        synchronized (this) {
            executor = this.thread;
            this.thread = null;
        }
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException interrupted) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return this.thread != null;
    }

    @Override
    public int getPhase() {
        return DEFAULT_PHASE;
    }
}
