package dev.spool.autoconfigure.actuate;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.spool.autoconfigure.SpoolBeans;
import dev.spool.autoconfigure.SpoolKind;
import dev.spool.stats.DurationHistogram;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps recent snapshots of every distribution the endpoints show, so that they can show the last minute beside
 * everything since start (the {@code lastMinute} of a {@link DurationSummary}).
 *
 * <h2>How</h2>
 * One daemon thread, {@code spool-windows}, takes a {@link DurationHistogram.Snapshot} of each {@link Distribution}
 * of every live executor and primitive every {@link #INTERVAL} (10 s), starting when the context has started. A
 * distribution keeps a ring of its samples: everything younger than {@link #WINDOW} (60 s) and the newest one at
 * least that old, so seven or eight. An endpoint read takes a snapshot now and subtracts the newest sample at least
 * {@link #WINDOW} old: the window starts between 60 and 70 s ago (later only if the sampler fell behind) and ends at
 * the read. When the sampler has known the distribution for less than a minute, the window is everything since the
 * executor or primitive was built ({@code sinceStart}).
 *
 * <h2>What it costs</h2>
 * Nothing on the path of a task or of a wait: it reads snapshots (a few hundred bytes each, only the non-empty
 * buckets) on its own thread. The lookup of the live beans is {@link SpoolBeans#live}, which never creates a lazy
 * bean; a bean created later is sampled from the next step on, one that is destroyed is forgotten at the next step.
 * The executors and primitives are held weakly, by identity: a destroyed bean is never kept alive, and a bean
 * replaced under the same name starts a ring of its own.
 *
 * <h2>Life cycle</h2>
 * A {@link SmartLifecycle} in phase {@value #PHASE}: it starts after the context's refresh and stops (the thread ends
 * and the rings are dropped) before any bean is destroyed, after the web server and Spool's executors have stopped.
 * Tests build it with a clock of their own and call {@link #sample()} instead of starting it.
 */
final class RecentWindows implements SmartLifecycle {

    /** How often the distributions are sampled. */
    static final Duration INTERVAL = Duration.ofSeconds(10);
    /** How far back {@code lastMinute} reaches, at least. */
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Below Spool's executors' shutdown ({@code SpoolLifecycle.PHASE}): sampling goes on while they drain. */
    static final int PHASE = dev.spool.autoconfigure.SpoolLifecycle.PHASE - 1;

    private static final Log logger = LogFactory.getLog(RecentWindows.class);

    private final Supplier<? extends Collection<?>> sources;
    private final LongSupplier nanoClock;
    private final long intervalNanos;
    private final long windowNanos;
    private final ReentrantLock lock = new ReentrantLock();
    /** Each source's rings, by identity. Guarded by {@link #lock}. */
    private final Map<Key, Rings> rings = new HashMap<>();
    /** Null while stopped. Guarded by {@link #lock}. */
    private @Nullable ScheduledThreadPoolExecutor thread;

    /**
     * @param sources   the executors and primitives to sample, as they are at each step
     * @param nanoClock the clock, in nanoseconds ({@link System#nanoTime()})
     * @param interval  how often the thread samples
     * @param window    how far back a window reaches, at least
     */
    RecentWindows(Supplier<? extends Collection<?>> sources, LongSupplier nanoClock, Duration interval,
                  Duration window) {
        if (interval.isNegative() || interval.isZero() || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("interval and window must be positive, were " + interval + " and "
                    + window);
        }
        this.sources = sources;
        this.nanoClock = nanoClock;
        this.intervalNanos = interval.toNanos();
        this.windowNanos = window.toNanos();
    }

    /**
     * @param beans the context's Spool beans
     * @return windows over every live executor and primitive of the context, on the system clock
     */
    static RecentWindows of(SpoolBeans beans) {
        return of(beans, System::nanoTime);
    }

    /**
     * @param beans     the context's Spool beans
     * @param nanoClock the clock, in nanoseconds
     * @return windows over every live executor and primitive of the context, every {@link #INTERVAL}, each
     *         reaching {@link #WINDOW} back
     */
    static RecentWindows of(SpoolBeans beans, LongSupplier nanoClock) {
        return new RecentWindows(() -> {
            List<Object> live = new ArrayList<>();
            for (SpoolKind kind : SpoolKind.values()) {
                live.addAll(beans.live(kind).values());
            }
            return live;
        }, nanoClock, INTERVAL, WINDOW);
    }

    /**
     * One step: a snapshot of each distribution of each source, added to its ring, and the rings of the sources that
     * are gone dropped. The thread calls it every interval; tests call it directly.
     */
    void sample() {
        Collection<?> live = this.sources.get();
        // Snapshots are taken outside the lock: an endpoint read never waits for a whole step.
        Map<Key, Map<Distribution, DurationHistogram.Snapshot>> taken = new LinkedHashMap<>();
        for (Object source : live) {
            Map<Distribution, DurationHistogram.Snapshot> snapshots = new EnumMap<>(Distribution.class);
            for (Distribution distribution : Distribution.values()) {
                if (distribution.appliesTo(source)) {
                    snapshots.put(distribution, distribution.snapshot(source));
                }
            }
            taken.put(new Key(source), snapshots);
        }
        long now = this.nanoClock.getAsLong();
        this.lock.lock();
        try {
            this.rings.keySet().retainAll(taken.keySet()); // gone (or collected: a cleared key equals none)
            taken.forEach((key, snapshots) -> {
                Rings of = this.rings.computeIfAbsent(key, k -> new Rings(now));
                snapshots.forEach((distribution, snapshot) -> of.add(distribution, now, snapshot, this.windowNanos));
            });
        } finally {
            this.lock.unlock();
        }
    }

    /**
     * What {@code source}'s {@code distribution} recorded in the recent window.
     *
     * @param source       an executor or primitive
     * @param distribution one of its distributions
     * @param now          that distribution's snapshot now
     * @return the window; since start when the sampler has known the source for less than the window
     */
    Window recent(Object source, Distribution distribution, DurationHistogram.Snapshot now) {
        long at = this.nanoClock.getAsLong();
        this.lock.lock();
        try {
            Key key = new Key(source);
            Rings of = this.rings.get(key);
            if (of == null) {
                // Created since the last step (or the sampler is not running): known from now on.
                of = new Rings(at);
                of.add(distribution, at, now, this.windowNanos);
                this.rings.put(key, of);
            }
            Sample start = of.startOf(distribution, at, this.windowNanos);
            if (start == null) {
                return new Window(now, seconds(at - of.firstSeenNanos), true);
            }
            return new Window(now.minus(start.snapshot()), seconds(at - start.nanos()), false);
        } finally {
            this.lock.unlock();
        }
    }

    /** @return how many sources have rings now, for tests */
    int sources() {
        this.lock.lock();
        try {
            return this.rings.size();
        } finally {
            this.lock.unlock();
        }
    }

    /** @return the number of samples in {@code source}'s ring of {@code distribution}, 0 if none; for tests */
    int samples(Object source, Distribution distribution) {
        this.lock.lock();
        try {
            Rings of = this.rings.get(new Key(source));
            ArrayDeque<Sample> ring = of == null ? null : of.rings.get(distribution);
            return ring == null ? 0 : ring.size();
        } finally {
            this.lock.unlock();
        }
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1_000_000.0) / 1_000.0;
    }

    // ------------------------------------------------------------------------------------------- life cycle

    @Override
    public void start() {
        this.lock.lock();
        try {
            if (this.thread != null) {
                return;
            }
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread t = new Thread(runnable, "spool-windows");
                t.setDaemon(true);
                return t;
            });
            executor.scheduleWithFixedDelay(this::tick, 0, this.intervalNanos, TimeUnit.NANOSECONDS);
            this.thread = executor;
        } finally {
            this.lock.unlock();
        }
    }

    /** Ends the thread, waiting for a step in progress, and drops every ring. */
    @Override
    public void stop() {
        ScheduledThreadPoolExecutor stopping;
        this.lock.lock();
        try {
            stopping = this.thread;
            this.thread = null;
        } finally {
            this.lock.unlock();
        }
        if (stopping != null) {
            stopping.shutdownNow();
            try {
                if (!stopping.awaitTermination(10, TimeUnit.SECONDS)) {
                    logger.warn("The thread of Spool's recent windows did not end within 10 s");
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        this.lock.lock();
        try {
            this.rings.clear();
        } finally {
            this.lock.unlock();
        }
    }

    @Override
    public boolean isRunning() {
        this.lock.lock();
        try {
            return this.thread != null;
        } finally {
            this.lock.unlock();
        }
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void tick() {
        try {
            sample();
        } catch (RuntimeException ex) { // a periodic task that throws is never run again: keep sampling
            logger.warn("Sampling Spool's distributions for the recent windows failed", ex);
        }
    }

    // ---------------------------------------------------------------------------------------------- parts

    /**
     * What a distribution recorded in a window that ends now.
     *
     * @param snapshot   the durations recorded in it
     * @param seconds    how long it is: since its start sample, or, since start, since the sampler first saw the
     *                   source (which may be older)
     * @param sinceStart whether it reaches back to the source's construction: the sampler has known it for less
     *                   than the window
     */
    record Window(DurationHistogram.Snapshot snapshot, double seconds, boolean sinceStart) {
    }

    /** One sample of a distribution: when, and what it held. */
    record Sample(long nanos, DurationHistogram.Snapshot snapshot) {
    }

    /** The rings of one source, by distribution, and when the sampler first saw it. */
    private static final class Rings {
        final long firstSeenNanos;
        final Map<Distribution, ArrayDeque<Sample>> rings = new EnumMap<>(Distribution.class);

        Rings(long firstSeenNanos) {
            this.firstSeenNanos = firstSeenNanos;
        }

        /** Adds a sample, then drops those older than the newest one at least a window old. */
        void add(Distribution distribution, long nanos, DurationHistogram.Snapshot snapshot, long windowNanos) {
            ArrayDeque<Sample> ring = this.rings.computeIfAbsent(distribution, d -> new ArrayDeque<>());
            Sample last = ring.peekLast();
            if (last != null && nanos - last.nanos() < 0) {
                return; // a read registered a later one meanwhile
            }
            ring.addLast(new Sample(nanos, snapshot));
            while (ring.size() >= 2 && nanos - second(ring).nanos() >= windowNanos) {
                ring.removeFirst();
            }
        }

        /** @return the newest sample at least a window older than {@code now}, null when there is none */
        @Nullable Sample startOf(Distribution distribution, long now, long windowNanos) {
            ArrayDeque<Sample> ring = this.rings.get(distribution);
            if (ring == null) {
                return null;
            }
            Sample start = null;
            for (Sample sample : ring) {
                if (now - sample.nanos() < windowNanos) {
                    break;
                }
                start = sample;
            }
            return start;
        }

        private static Sample second(ArrayDeque<Sample> ring) {
            Iterator<Sample> samples = ring.iterator();
            samples.next();
            return samples.next();
        }
    }

    /**
     * A source by identity, held weakly: equal to another key of the same live object. Once the object is collected,
     * its key equals no other, so the next step drops it.
     */
    private static final class Key {
        private final WeakReference<Object> source;
        private final int hash;

        Key(Object source) {
            this.source = new WeakReference<>(source);
            this.hash = System.identityHashCode(source);
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            if (!(other instanceof Key key) || key.hash != this.hash) {
                return false;
            }
            Object mine = this.source.get();
            return mine != null && mine == key.source.get();
        }

        @Override
        public int hashCode() {
            return this.hash;
        }
    }
}
