package dev.spool.futures;

import java.util.concurrent.atomic.AtomicInteger;

import dev.spool.internal.StripedCounter;
import dev.spool.stats.DurationHistogram;

/**
 * What every {@link TaskGroup} of one name did, since the first group of that name opened in its
 * {@link TaskGroups}: how long the groups took, by outcome; how their tasks ended; how many are open now. One object
 * per name, shared by every group of that name, so a name used by a million short-lived groups still has one set
 * of meters ({@code dev.spool.metrics.TaskGroupMetrics} reads it).
 *
 * <p>Counts are cumulative and never reset. A group is counted when it ends (in {@code join()}, or {@code close()}),
 * with its duration from {@link TaskGroup#on opening} to that end; a task when its future is done and its body has
 * left (or when it was cancelled before it started, or refused by the pool).
 */
public final class TaskGroupStatistics {
    private final String name;
    private final DurationHistogram[] durations = new DurationHistogram[TaskGroupOutcome.values().length];
    private final StripedCounter[] tasks = new StripedCounter[TaskOutcome.values().length];
    private final AtomicInteger active = new AtomicInteger();

    TaskGroupStatistics(String name) {
        this.name = name;
        for (int i = 0; i < durations.length; i++) {
            durations[i] = new DurationHistogram();
        }
        for (int i = 0; i < tasks.length; i++) {
            tasks[i] = new StripedCounter();
        }
    }

    /** @return the groups' name: the {@code name} tag of their meters */
    public String name() {
        return name;
    }

    /**
     * The live distribution of the durations of the groups that ended with {@code outcome}: the same object on every
     * call, never reset. Read it; do not record into it.
     *
     * @param outcome success, failure, timeout or cancelled
     * @return the histogram; its count is the number of such groups
     */
    public DurationHistogram durationHistogram(TaskGroupOutcome outcome) {
        return durations[outcome.ordinal()];
    }

    /**
     * @param outcome success, failure, timeout or cancelled
     * @return how many groups of this name ended so
     */
    public long groups(TaskGroupOutcome outcome) {
        return durations[outcome.ordinal()].count();
    }

    /**
     * @param outcome {@link TaskOutcome#SUCCESS}, {@link TaskOutcome#FAILURE}, {@link TaskOutcome#CANCELLED} (before
     *                or while it ran) or {@link TaskOutcome#REJECTED} (the pool refused it)
     * @return how many tasks of groups of this name ended so
     */
    public long tasks(TaskOutcome outcome) {
        return tasks[outcome.ordinal()].sum();
    }

    /** @return groups of this name open now: opened and not yet ended by {@code join()} or {@code close()} */
    public int active() {
        return active.get();
    }

    void groupOpened() {
        active.incrementAndGet();
    }

    void groupEnded(TaskGroupOutcome outcome, long nanos) {
        durations[outcome.ordinal()].record(nanos);
        active.decrementAndGet();
    }

    void taskEnded(TaskOutcome outcome) {
        tasks[outcome.ordinal()].increment();
    }

    @Override
    public String toString() {
        return "TaskGroupStatistics[name=" + name + ", active=" + active() + ", groups(success/failure/timeout/"
                + "cancelled)=" + groups(TaskGroupOutcome.SUCCESS) + "/" + groups(TaskGroupOutcome.FAILURE) + "/"
                + groups(TaskGroupOutcome.TIMEOUT) + "/" + groups(TaskGroupOutcome.CANCELLED) + "]";
    }
}
