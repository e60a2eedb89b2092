package dev.spool.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import dev.spool.stats.DurationHistogram;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Feeds Spool's Micrometer {@link Timer}s from the engine's own duration histograms, off the hot path, and keeps
 * track of what every {@link SpoolMeterBinder} has bound.
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
 * Each {@link SpoolMeterBinder#bindTo} registers its meters through a replay, which remembers them per registry,
 * keyed by the kind of source and the meters' tags (so by name):
 * <ul>
 *   <li>binding the same source again is a no-op: no meter is duplicated, no timer fed twice;</li>
 *   <li>binding another source under the same key replaces the first binding: its meters leave the registry and the
 *       new source's are registered (a pool re-created under the same name shows up at once; if the old one is still
 *       reachable, a warning is logged, since it is no longer measured);</li>
 *   <li>sources are held weakly: once a source is garbage-collected, the next step removes its meters from the
 *       registry, so short-lived pools and primitives created at run time leave nothing behind;</li>
 *   <li>{@link SpoolMeterBinder#unbindFrom} removes a binding's meters at once.</li>
 * </ul>
 * Use one replay per registry (the {@link #shared()} one, or one the application owns, such as the Spring starter's).
 *
 * <h2>Life cycle</h2>
 * The thread starts with the first binding and runs until {@link #close()}, which replays a last time and stops it;
 * the meters stay registered (gauges and counters still read their sources; timers stop growing), and binding again
 * throws {@link IllegalStateException}. The {@link #shared()} replay is never closed; being a daemon thread, it does
 * not hold up the JVM's exit.
 */
public final class HistogramReplay implements AutoCloseable {

    /** The default step: one second. */
    public static final Duration DEFAULT_STEP = Duration.ofSeconds(1);

    private static final System.Logger LOG = System.getLogger("dev.spool.metrics");

    private final Duration step;
    private final boolean shared;
    private final ReentrantLock lock = new ReentrantLock();
    /** Registry → key → binding. Guarded by {@link #lock}. */
    private final Map<MeterRegistry, Map<Binding.Key, Binding>> bindings = new IdentityHashMap<>();
    /** Null until the first binding. Guarded by {@link #lock}. */
    private ScheduledThreadPoolExecutor thread;
    private boolean closed;

    /** A replay with the {@linkplain #DEFAULT_STEP default step} of one second. */
    public HistogramReplay() {
        this(DEFAULT_STEP);
    }

    /**
     * @param step how often the thread replays: the most a timer lags its histogram
     * @throws IllegalArgumentException if {@code step} is zero or negative
     */
    public HistogramReplay(Duration step) {
        this(step, false);
    }

    private HistogramReplay(Duration step, boolean shared) {
        Objects.requireNonNull(step, "step");
        if (step.isZero() || step.isNegative()) {
            throw new IllegalArgumentException("step must be positive, was " + step);
        }
        this.step = step;
        this.shared = shared;
    }

    /**
     * The process-wide replay with the default step, which binders use when given none. Its thread starts with its
     * first binding.
     *
     * @return the shared replay
     */
    public static HistogramReplay shared() {
        return Shared.INSTANCE;
    }

    private static final class Shared {
        static final HistogramReplay INSTANCE = new HistogramReplay(DEFAULT_STEP, true);
    }

    /** @return how often the thread replays */
    public Duration step() {
        return step;
    }

    /**
     * Replays every histogram's growth now, in the calling thread, and drops the bindings whose source has been
     * garbage-collected (removing their meters). Waits for a replay in progress on the thread. After it returns, every
     * duration recorded before it was called is in its timer, except one caught half-recorded (see
     * {@link HistogramReplay}), which the next replay takes. A binding whose replay throws is logged and skipped.
     */
    public void flush() {
        lock.lock();
        try {
            long now = System.nanoTime();
            for (Iterator<Map.Entry<MeterRegistry, Map<Binding.Key, Binding>>> registries =
                         bindings.entrySet().iterator(); registries.hasNext(); ) {
                Map.Entry<MeterRegistry, Map<Binding.Key, Binding>> entry = registries.next();
                if (entry.getKey().isClosed()) {
                    registries.remove();
                    continue;
                }
                for (Iterator<Binding> each = entry.getValue().values().iterator(); each.hasNext(); ) {
                    Binding binding = each.next();
                    boolean alive;
                    try {
                        alive = binding.replay(now);
                    } catch (RuntimeException failure) {
                        LOG.log(System.Logger.Level.WARNING, "replaying the timers of " + describe(binding.key())
                                + " failed", failure);
                        continue;
                    }
                    if (!alive) {
                        binding.remove();
                        each.remove();
                    }
                }
                if (entry.getValue().isEmpty()) {
                    registries.remove();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Replays a last time, then stops the thread and waits for it to end. Meters stay registered; timers stop growing.
     * Safe to call more than once.
     *
     * @throws UnsupportedOperationException on the {@link #shared()} replay
     */
    @Override
    public void close() {
        if (shared) {
            throw new UnsupportedOperationException("the shared replay runs as long as the JVM");
        }
        ScheduledThreadPoolExecutor stopping;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
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
        Objects.requireNonNull(registry, "registry");
        Binding.Key key = binder.key();
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("this replay is closed: it binds nothing more");
            }
            Map<Binding.Key, Binding> inRegistry = bindings.computeIfAbsent(registry, r -> new HashMap<>());
            Binding existing = inRegistry.get(key);
            if (existing != null) {
                Object previous = existing.source();
                if (previous == binder.source()) {
                    return;
                }
                if (previous != null) {
                    LOG.log(System.Logger.Level.WARNING, () -> "the meters of " + describe(key) + " now follow "
                            + binder.source() + "; " + previous + " has the same name and is no longer measured");
                }
                existing.remove();
                inRegistry.remove(key);
            }
            Binding binding = new Binding(registry, key, binder.source(), binder.timerOptions());
            try {
                binder.register(binding);
            } catch (RuntimeException failure) {
                binding.remove();
                throw failure;
            }
            inRegistry.put(key, binding);
            if (thread == null) {
                start();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Removes the meters {@code binder} registered in {@code registry}, if its source is the one bound there. */
    void unbind(MeterRegistry registry, SpoolMeterBinder binder) {
        lock.lock();
        try {
            Map<Binding.Key, Binding> inRegistry = bindings.get(registry);
            Binding existing = inRegistry == null ? null : inRegistry.get(binder.key());
            if (existing != null && existing.source() == binder.source()) {
                existing.remove();
                inRegistry.remove(binder.key());
                if (inRegistry.isEmpty()) {
                    bindings.remove(registry);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** @return the bindings in {@code registry}, for tests */
    List<Binding> bindings(MeterRegistry registry) {
        lock.lock();
        try {
            Map<Binding.Key, Binding> inRegistry = bindings.get(registry);
            return inRegistry == null ? List.of() : new ArrayList<>(inRegistry.values());
        } finally {
            lock.unlock();
        }
    }

    /** @return the replayed timer feeding {@code timer}, for tests; null if none */
    ReplayedTimer<?> replayedTimer(Meter timer) {
        lock.lock();
        try {
            for (Map<Binding.Key, Binding> inRegistry : bindings.values()) {
                for (Binding binding : inRegistry.values()) {
                    for (ReplayedTimer<?> replayed : binding.timers()) {
                        if (replayed.timer() == timer) {
                            return replayed;
                        }
                    }
                }
            }
            return null;
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

    private static String describe(Binding.Key key) {
        return key.kind() + " " + key.tags();
    }

    @Override
    public String toString() {
        return "HistogramReplay[step=" + step + (shared ? ", shared" : "") + "]";
    }
}
