package dev.spool.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The record of what every {@link SpoolMeterBinder} has bound through one {@link TimerFeed}: per registry, the
 * {@link SourceMeters} of each source, keyed by the kind of source and the meters' tags. It owns the binding rules
 * that {@link TimerFeed}'s comment lists (binding the same source again does nothing, another source under the same
 * key replaces the first, a collected source's meters leave the registry, unbinding removes them at once); the feed
 * owns the thread and the step. They are two classes because they change for different reasons: how often and on
 * which thread timers are fed, and what a registry holds.
 */
final class MeterBindings {

    private static final System.Logger LOG = System.getLogger("dev.spool.metrics");

    private final Runnable onFirstBinding;
    private final ReentrantLock lock = new ReentrantLock();
    /** Registry → key → binding. Guarded by {@link #lock}. */
    private final Map<MeterRegistry, Map<SourceMeters.Key, SourceMeters>> bindings = new IdentityHashMap<>();
    /** Guarded by {@link #lock}. */
    private boolean closed;
    /** Guarded by {@link #lock}. */
    private boolean bound;

    /** @param onFirstBinding run once, after the first binding is in place (the feed starts its thread then) */
    MeterBindings(Runnable onFirstBinding) {
        this.onFirstBinding = onFirstBinding;
    }

    /** Registers {@code binder}'s meters in {@code registry}, unless its source is bound there already. */
    void bind(MeterRegistry registry, SpoolMeterBinder binder) {
        Objects.requireNonNull(registry, "registry");
        SourceMeters.Key key = binder.key();
        boolean first;
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("this timer feed is closed: it binds nothing more");
            }
            Map<SourceMeters.Key, SourceMeters> inRegistry = bindings.computeIfAbsent(registry, r -> new HashMap<>());
            SourceMeters existing = inRegistry.get(key);
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
            SourceMeters binding = new SourceMeters(registry, key, binder.source(), binder.timerOptions());
            try {
                binder.register(binding);
            } catch (RuntimeException failure) {
                binding.remove();
                throw failure;
            }
            inRegistry.put(key, binding);
            first = !bound;
            bound = true;
        } finally {
            lock.unlock();
        }
        if (first) {
            onFirstBinding.run();
        }
    }

    /** Removes the meters {@code binder} registered in {@code registry}, if its source is the one bound there. */
    void unbind(MeterRegistry registry, SpoolMeterBinder binder) {
        lock.lock();
        try {
            Map<SourceMeters.Key, SourceMeters> inRegistry = bindings.get(registry);
            SourceMeters existing = inRegistry == null ? null : inRegistry.get(binder.key());
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

    /**
     * Replays every binding's timers up to {@code now} and drops the bindings whose source has been collected
     * (removing their meters) and the registries that were closed. A binding whose replay throws is logged and
     * skipped. Waits for a replay in progress on another thread.
     */
    void replayAll(long now) {
        lock.lock();
        try {
            for (Iterator<Map.Entry<MeterRegistry, Map<SourceMeters.Key, SourceMeters>>> registries =
                         bindings.entrySet().iterator(); registries.hasNext(); ) {
                Map.Entry<MeterRegistry, Map<SourceMeters.Key, SourceMeters>> entry = registries.next();
                if (entry.getKey().isClosed()) {
                    registries.remove();
                    continue;
                }
                for (Iterator<SourceMeters> each = entry.getValue().values().iterator(); each.hasNext(); ) {
                    SourceMeters binding = each.next();
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

    /** From now on {@link #bind} throws; what is bound stays bound. */
    void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    /** @return the bindings in {@code registry} */
    List<SourceMeters> in(MeterRegistry registry) {
        lock.lock();
        try {
            Map<SourceMeters.Key, SourceMeters> inRegistry = bindings.get(registry);
            return inRegistry == null ? List.of() : new ArrayList<>(inRegistry.values());
        } finally {
            lock.unlock();
        }
    }

    /** @return the replayed timer feeding {@code timer}; null if none */
    ReplayedTimer<?> replayedTimer(Meter timer) {
        lock.lock();
        try {
            for (Map<SourceMeters.Key, SourceMeters> inRegistry : bindings.values()) {
                for (SourceMeters binding : inRegistry.values()) {
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

    private static String describe(SourceMeters.Key key) {
        return key.kind() + " " + key.tags();
    }
}
