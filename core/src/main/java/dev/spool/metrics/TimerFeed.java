package dev.spool.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import dev.spool.stats.DurationHistogram;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The thread that feeds Spool's Micrometer {@link Timer}s from the engine's own duration histograms, off the hot path,
 * every {@link #step()}. What each binder has bound, per registry, is kept by its {@code MeterBindings}; this class
 * owns the thread, the step and the life cycle.
 *
 * <h2>Why replay</h2>
 * A {@code Timer.record} on a Prometheus registry costs from about 80 ns (count, total and max) to over a microsecond
 * (client-side percentiles) per call under contention: more than a whole task of a thread pool. So executors and
 * primitives never call Micrometer. They record every duration into a cheap cumulative {@link DurationHistogram}
 * (lock-free, no clock of its own, never reset), and this class replays the histograms' growth into real timers.
 *
 * <h2>How</h2>
 * One daemon thread, {@code spool-metrics}, started with the first binding, wakes every {@link #step()} (default 1 s).
 * For each timer it takes a snapshot of the source histogram and, for every bucket that grew by {@code c} durations
 * summing to {@code s} nanoseconds, records {@code c} values into the timer that add up to {@code s} exactly and lie
 * within the bucket (whose width is at most 6.25 % of its lower bound). So:
 * <ul>
 *   <li>a timer's count and total time equal the engine's (the count of {@code spool.future.latency} is the number of
 *       tasks, its total their summed latency) once replayed; its max and its percentiles or histogram buckets are
 *       within 6.25 % of the true values;</li>
 *   <li>a timer lags its histogram by at most one step (plus the time a replay takes); {@link #flush()} replays at
 *       once, for a test, or before a scrape that wants everything recorded so far;</li>
 *   <li>percentiles, percentile histograms and service-level objectives apply as for any timer, through
 *       {@link TimerOptions} and the registry's {@code MeterFilter}s, and nothing is computed per interval and
 *       reset;</li>
 *   <li>the cost is on this thread, per replayed duration (one {@code Timer.record}, uncontended), plus a snapshot of
 *       each histogram per step; never on the thread that ran the task or waited for the lock.</li>
 * </ul>
 * A new timer first receives everything its histogram recorded before it was bound, so it agrees with the
 * function counters beside it, which count from the source's construction too.
 *
 * <h2>Bindings</h2>
 * Each {@link SpoolMeterBinder#bindTo} registers its meters through a feed, whose {@code MeterBindings} remembers
 * them per registry, keyed by the kind of source and the meters' tags (so by name):
 * <ul>
 *   <li>binding the same source again is a no-op: no meter is duplicated, no timer fed twice;</li>
 *   <li>binding another source under the same key replaces the first binding: its meters leave the registry and the
 *       new source's are registered (a pool re-created under the same name shows up at once; if the old one is still
 *       reachable, a warning is logged, since it is no longer measured);</li>
 *   <li>sources are held weakly: once a source is garbage-collected, the next step removes its meters from the
 *       registry, so short-lived pools and primitives created at run time leave nothing behind;</li>
 *   <li>{@link SpoolMeterBinder#unbindFrom} removes a binding's meters at once.</li>
 * </ul>
 * Use one feed per registry (the {@link #shared()} one, or one the application owns, such as the Spring starter's).
 *
 * <h2>Life cycle</h2>
 * The thread starts with the first binding and runs until {@link #close()}, which replays a last time and stops it;
 * the meters stay registered (gauges and counters still read their sources; timers stop growing), and binding again
 * throws {@link IllegalStateException}. The {@link #shared()} feed is never closed; being a daemon thread, it does
 * not hold up the JVM's exit.
 */
public final class TimerFeed implements AutoCloseable {

    /** The default step: one second. */
    public static final Duration DEFAULT_STEP = Duration.ofSeconds(1);

    private static final System.Logger LOG = System.getLogger("dev.spool.metrics");

    private final Duration step;
    private final boolean shared;
    /** What has been bound, per registry: the other half of this class, kept apart (see {@code MeterBindings}). */
    private final MeterBindings bindings = new MeterBindings(this::startOnce);
    private final ReentrantLock lock = new ReentrantLock();
    /** Null until the first binding. Guarded by {@link #lock}. */
    private ScheduledThreadPoolExecutor thread;
    private boolean closed;

    /** A feed with the {@linkplain #DEFAULT_STEP default step} of one second. */
    public TimerFeed() {
        this(DEFAULT_STEP);
    }

    /**
     * @param step how often the thread replays: the most a timer lags its histogram
     * @throws IllegalArgumentException if {@code step} is zero or negative
     */
    public TimerFeed(Duration step) {
        this(step, false);
    }

    private TimerFeed(Duration step, boolean shared) {
        Objects.requireNonNull(step, "step");
        if (step.isZero() || step.isNegative()) {
            throw new IllegalArgumentException("step must be positive, was " + step);
        }
        this.step = step;
        this.shared = shared;
    }

    /**
     * The process-wide feed with the default step, which binders use when given none. Its thread starts with its
     * first binding.
     *
     * @return the shared feed
     */
    public static TimerFeed shared() {
        return Shared.INSTANCE;
    }

    private static final class Shared {
        static final TimerFeed INSTANCE = new TimerFeed(DEFAULT_STEP, true);
    }

    /** @return how often the thread replays */
    public Duration step() {
        return step;
    }

    /**
     * Replays every histogram's growth now, in the calling thread, and drops the bindings whose source has been
     * garbage-collected (removing their meters). Waits for a replay in progress on the thread. After it returns, every
     * duration recorded before it was called is in its timer, except one caught half-recorded (see
     * {@link TimerFeed}), which the next replay takes. A binding whose replay throws is logged and skipped.
     */
    public void flush() {
        flushAt(System.nanoTime());
    }

    /** {@link #flush()} as if the clock read {@code nanoTime}: a test's look "a quiet second later" */
    void flushAt(long nanoTime) {
        bindings.replayAll(nanoTime);
    }

    /**
     * Replays a last time, then stops the thread and waits for it to end. Meters stay registered; timers stop growing.
     * Safe to call more than once.
     *
     * @throws UnsupportedOperationException on the {@link #shared()} feed
     */
    @Override
    public void close() {
        if (shared) {
            throw new UnsupportedOperationException("the shared timer feed runs as long as the JVM");
        }
        ScheduledThreadPoolExecutor stopping;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            bindings.close();
            stopping = thread;
            thread = null;
        } finally {
            lock.unlock();
        }
        if (stopping != null) {
            stopping.shutdownNow();
            boolean interrupted = false;
            for (;;) {
                try {
                    if (stopping.awaitTermination(1, TimeUnit.MINUTES)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        flush();
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------ bindings

    /** Registers {@code binder}'s meters in {@code registry}, unless its source is bound there already. */
    void bind(MeterRegistry registry, SpoolMeterBinder binder) {
        bindings.bind(registry, binder);
    }

    /** Removes the meters {@code binder} registered in {@code registry}, if its source is the one bound there. */
    void unbind(MeterRegistry registry, SpoolMeterBinder binder) {
        bindings.unbind(registry, binder);
    }

    /** @return the bindings in {@code registry}, for tests */
    List<SourceMeters> bindings(MeterRegistry registry) {
        return bindings.in(registry);
    }

    /** @return the replayed timer feeding {@code timer}, for tests; null if none */
    ReplayedTimer<?> replayedTimer(Meter timer) {
        return bindings.replayedTimer(timer);
    }

    /** Starts the thread; {@code MeterBindings} calls it after the first binding, outside its own lock. */
    private void startOnce() {
        lock.lock();
        try {
            if (thread == null && !closed) {
                start();
            }
        } finally {
            lock.unlock();
        }
    }

    private void start() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, "spool-metrics");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        long nanos = step.toNanos();
        executor.scheduleAtFixedRate(this::tick, nanos, nanos, TimeUnit.NANOSECONDS);
        thread = executor;
    }

    private void tick() {
        try {
            flush();
        } catch (Throwable failure) { // a periodic task that throws is never run again: keep replaying
            LOG.log(System.Logger.Level.WARNING, "replaying Spool's timers failed", failure);
        }
    }

    @Override
    public String toString() {
        return "TimerFeed[step=" + step + (shared ? ", shared" : "") + "]";
    }
}
