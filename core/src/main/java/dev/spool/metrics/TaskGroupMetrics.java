package dev.spool.metrics;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.spool.futures.TaskGroup;
import dev.spool.futures.TaskGroupStatistics;
import dev.spool.futures.TaskGroups;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The meters of every {@link TaskGroup} name of a {@link TaskGroups} registry, tagged {@code name} (the group name;
 * {@value TaskGroups#UNNAMED} for groups without one):
 * <ul>
 *   <li>{@code spool.taskgroup.duration} (timer, tag {@code outcome} = success, failure, timeout, cancelled): how
 *       long groups took, from opening to the end of {@code join()} or {@code close()};</li>
 *   <li>{@code spool.taskgroup.tasks} (function counter, tasks, tag {@code outcome} = success, failure, cancelled,
 *       rejected): how their tasks ended;</li>
 *   <li>{@code spool.taskgroup.active} (gauge, groups): groups open now.</li>
 * </ul>
 * Meters are per name, never per group, so their number is bounded by the registry's names (see {@link TaskGroups}),
 * however many groups come and go. {@link #bindTo} binds the names there are, then each new name as its first group
 * opens, until {@link #close()}. The timers are fed from {@link TaskGroupStatistics#durationHistogram} by a
 * {@link TimerFeed}, as every Spool timer.
 *
 * <pre>{@code
 * new TaskGroupMetrics(TaskGroups.global()).bindTo(registry);     // plain Java; the Spring starter does this itself
 * }</pre>
 */
public final class TaskGroupMetrics implements MeterBinder, AutoCloseable {

    private final TaskGroups groups;
    private final Tags tags;
    private final TimerOptions timerOptions;
    private final TimerFeed replay;
    /** The registries bound, which new names are bound to as well. */
    private final List<MeterRegistry> following = new CopyOnWriteArrayList<>();
    private final Consumer<TaskGroupStatistics> onNewName = this::bindNewName;
    /** Whether {@link #onNewName} is registered with the groups. Guarded by {@code this}. */
    private boolean listening;
    private volatile boolean closed;

    /**
     * Binds with no extra tags, no percentiles and the {@linkplain TimerFeed#shared() shared replay}.
     *
     * @param groups the registry whose names to measure, usually {@link TaskGroups#global()}
     */
    public TaskGroupMetrics(TaskGroups groups) {
        this(groups, Tags.empty(), TimerOptions.DEFAULTS, TimerFeed.shared());
    }

    /**
     * @param groups       the registry whose names to measure
     * @param tags         extra tags on every meter (they cannot replace {@code name})
     * @param timerOptions the distribution statistics of the timers
     * @param replay       what feeds the timers
     */
    public TaskGroupMetrics(TaskGroups groups, Iterable<Tag> tags, TimerOptions timerOptions, TimerFeed replay) {
        this.groups = Objects.requireNonNull(groups, "groups");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
        this.timerOptions = Objects.requireNonNull(timerOptions, "timerOptions");
        this.replay = Objects.requireNonNull(replay, "replay");
    }

    /**
     * Registers the meters of every name in {@code registry}, and of every later name when its first group opens.
     * Binding the same registry again does nothing more.
     *
     * @throws IllegalStateException if this binder is closed, or its replay is
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (closed) {
            throw new IllegalStateException("this TaskGroupMetrics is closed: it binds nothing more");
        }
        if (!following.contains(registry)) {
            following.add(registry);
        }
        if (!listening) {
            groups.addListener(onNewName); // before reading the names, so that none falls between the two
            listening = true;
        }
        for (TaskGroupStatistics statistics : groups.all()) {
            binder(statistics).bindTo(registry);
        }
    }

    /**
     * Removes every name's meters from {@code registry} and stops binding new names to it.
     *
     * @param registry where the meters were bound
     */
    public synchronized void unbindFrom(MeterRegistry registry) {
        following.remove(registry);
        if (following.isEmpty()) {
            stopListening();
        }
        for (TaskGroupStatistics statistics : groups.all()) {
            binder(statistics).unbindFrom(registry);
        }
    }

    /**
     * Stops binding new names; the meters bound stay (gauges and counters keep reading, timers keep being fed), so a
     * registry's last publication at shutdown still sees them.
     */
    @Override
    public synchronized void close() {
        closed = true;
        stopListening();
        following.clear();
    }

    private synchronized void stopListening() {
        groups.removeListener(onNewName);
        listening = false;
    }

    private void bindNewName(TaskGroupStatistics statistics) {
        for (MeterRegistry registry : following) {
            if (registry.isClosed()) {
                following.remove(registry); // its application is gone: let it be collected
            } else {
                binder(statistics).bindTo(registry);
            }
        }
        if (following.isEmpty()) {
            stopListening();
        }
    }

    private SpoolMeterBinder binder(TaskGroupStatistics statistics) {
        return new TaskGroupNameMetrics(statistics, tags, timerOptions, replay);
    }

    @Override
    public String toString() {
        return "TaskGroupMetrics[" + groups + (closed ? ", closed" : "") + "]";
    }
}
