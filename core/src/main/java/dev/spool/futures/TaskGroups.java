package dev.spool.futures;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The statistics of {@link TaskGroup}s, one {@link TaskGroupStatistics} per group name: what the metrics bind.
 *
 * <p>Groups are short-lived and many, so they are measured per name, never per instance: every group named
 * {@code "checkout"} adds to the one {@code checkout} statistics, and groups opened without a name add to
 * {@value #UNNAMED}, which every registry has from the start (so its meters exist before the first group). A name
 * is meant to be fixed in the code, like a metric name. To keep a name built from data ({@code "order-" + id}) from
 * growing the meters without bound, a registry holds at most {@code maxNames} names (default
 * {@value #DEFAULT_MAX_NAMES}); the groups of any further name are counted under {@value #OVERFLOW}, and a warning
 * names the first name that did not fit.
 *
 * <p>{@link #global()} is the registry {@link TaskGroup#on} records into, and the one the Spring starter binds; a
 * registry of its own ({@code new TaskGroups()}, passed to {@link TaskGroup.Builder#statistics}) keeps a library's
 * or a test's groups apart.
 */
public final class TaskGroups {
    /** The name of the statistics of groups opened without a name. */
    public static final String UNNAMED = "unnamed";
    /** The name under which groups are counted once a registry holds {@code maxNames} names. */
    public static final String OVERFLOW = "overflow";
    /** How many names a registry holds by default, {@value #UNNAMED} and {@value #OVERFLOW} included. */
    public static final int DEFAULT_MAX_NAMES = 256;

    private static final System.Logger LOG = System.getLogger("dev.spool.futures");
    private static final TaskGroups GLOBAL = new TaskGroups();

    private final int maxNames;
    private final ConcurrentHashMap<String, TaskGroupStatistics> byName = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<? super TaskGroupStatistics>> listeners =
            new CopyOnWriteArrayList<>();
    private final AtomicBoolean warned = new AtomicBoolean();

    /** A registry of its own, holding at most {@value #DEFAULT_MAX_NAMES} names. */
    public TaskGroups() {
        this(DEFAULT_MAX_NAMES);
    }

    /**
     * @param maxNames the most names this registry holds, {@value #UNNAMED} and {@value #OVERFLOW} included
     * @throws IllegalArgumentException if {@code maxNames} is below 2
     */
    public TaskGroups(int maxNames) {
        if (maxNames < 2) {
            throw new IllegalArgumentException("maxNames must be at least 2 (\"" + UNNAMED + "\" and \"" + OVERFLOW
                    + "\"), was " + maxNames);
        }
        this.maxNames = maxNames;
        byName.put(UNNAMED, new TaskGroupStatistics(UNNAMED));
    }

    /** @return the process-wide registry, which {@link TaskGroup#on} records into */
    public static TaskGroups global() {
        return GLOBAL;
    }

    /**
     * The statistics of the groups named {@code name}, made at the first call for that name (and then announced to the
     * listeners); past {@code maxNames} names, those of {@value #OVERFLOW}.
     *
     * @param name a group name
     * @return the name's statistics, the same object on every call
     */
    public TaskGroupStatistics statistics(String name) {
        Objects.requireNonNull(name, "name");
        TaskGroupStatistics existing = byName.get(name);
        if (existing != null) {
            return existing;
        }
        String key = name;
        if (byName.size() >= maxNames - 1 && !name.equals(OVERFLOW)) { // one place is kept for the overflow
            key = OVERFLOW;
            existing = byName.get(OVERFLOW);
            if (warned.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "TaskGroup name \"" + name + "\" is counted as \"" + OVERFLOW
                        + "\": the registry already holds " + (maxNames - 1) + " names. Give groups fixed names (the"
                        + " name is the 'name' tag of the spool.taskgroup.* meters); never build one from data");
            }
            if (existing != null) {
                return existing;
            }
        }
        TaskGroupStatistics fresh = new TaskGroupStatistics(key);
        TaskGroupStatistics raced = byName.putIfAbsent(key, fresh);
        if (raced != null) {
            return raced;
        }
        for (Consumer<? super TaskGroupStatistics> listener : listeners) {
            try {
                listener.accept(fresh);
            } catch (RuntimeException failure) { // a broken binder must not stop the group that opened
                LOG.log(System.Logger.Level.WARNING, "a TaskGroups listener failed for \"" + key + "\"", failure);
            }
        }
        return fresh;
    }

    /** @return the statistics of every name so far, sorted by name */
    public List<TaskGroupStatistics> all() {
        List<TaskGroupStatistics> all = new ArrayList<>(byName.values());
        all.sort(Comparator.comparing(TaskGroupStatistics::name));
        return all;
    }

    /**
     * Tells {@code listener} about every name made from now on, in the thread that opens the first group of that
     * name, before the group opens (the metrics bind the new name's meters this way). Names that exist already are
     * not announced: read {@link #all()} after adding the listener. Keep it short; an exception it throws is logged.
     *
     * @param listener told of each new name's statistics
     */
    public void addListener(Consumer<? super TaskGroupStatistics> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** @param listener a listener added before; a no-op if it is not there */
    public void removeListener(Consumer<? super TaskGroupStatistics> listener) {
        listeners.remove(listener);
    }

    @Override
    public String toString() {
        return "TaskGroups[names=" + byName.size() + "/" + maxNames + (this == GLOBAL ? ", global" : "") + "]";
    }
}
