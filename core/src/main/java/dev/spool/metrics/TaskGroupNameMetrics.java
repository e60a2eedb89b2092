package dev.spool.metrics;

import dev.spool.futures.TaskGroupOutcome;
import dev.spool.futures.TaskGroupStatistics;
import dev.spool.futures.TaskOutcome;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;

/**
 * The meters of one task-group name, tagged {@code name}: what {@link TaskGroupMetrics} binds for each
 * {@link TaskGroupStatistics} of its registry (see there for the list).
 */
final class TaskGroupNameMetrics extends SpoolMeterBinder {

    TaskGroupNameMetrics(TaskGroupStatistics statistics, Iterable<Tag> tags, TimerOptions timerOptions,
                         TimerFeed replay) {
        super("taskgroup", statistics, Tags.of("name", statistics.name()), tags, timerOptions, replay);
    }

    @Override
    void register(SourceMeters b) {
        TaskGroupStatistics statistics = (TaskGroupStatistics) source();
        for (TaskGroupOutcome outcome : TaskGroupOutcome.values()) {
            b.timer("spool.taskgroup.duration",
                    "Time task groups took, from opening to the end of join() or close(), by outcome: success, failure,"
                            + " timeout or cancelled",
                    statistics, s -> s.durationHistogram(outcome).snapshot(), Tag.of("outcome", outcome.tag()));
        }
        for (TaskOutcome outcome : TaskOutcome.values()) {
            b.counter("spool.taskgroup.tasks",
                    "Tasks of task groups that ended, by outcome: success, failure, cancelled (before or while they"
                            + " ran) or rejected (by the pool)",
                    BaseUnits.TASKS, statistics, s -> s.tasks(outcome), Tag.of("outcome", outcome.tag()));
        }
        b.gauge("spool.taskgroup.active", "Task groups open now: opened and not yet ended by join() or close()",
                "groups", statistics, TaskGroupStatistics::active);
    }
}
