package dev.spool.metrics;

import dev.spool.futures.ExecutorStats;
import dev.spool.futures.ManagedExecutor;
import dev.spool.futures.ObservedExecutor;
import dev.spool.futures.ProcessPool;
import dev.spool.futures.ScheduledPool;
import dev.spool.futures.TaskOutcome;
import dev.spool.futures.ThreadPool;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;

import java.util.Locale;

/**
 * The meters of one {@link ObservedExecutor}: a {@link ManagedExecutor} ({@link ThreadPool} of platform or virtual
 * threads, {@link ProcessPool}, or {@link ScheduledPool}) or an {@link dev.spool.futures.AdoptedExecutor} (a pool
 * Spool observes but does not run), tagged {@code name} and {@code type} ({@code thread}, {@code virtual},
 * {@code process}, {@code scheduled}); the same names and tags for both.
 *
 * <p>Micrometer's own {@code executor.*} names, units and descriptions (those of its {@code ExecutorServiceMetrics}),
 * so dashboards that chart Spring Boot's executors show Spool's pools beside them:
 * <ul>
 *   <li>{@code executor.completed} (function counter, tasks): tasks that ran to an end, normally or not
 *       ({@link ExecutorStats#finished()});</li>
 *   <li>{@code executor.active} (gauge, threads): tasks running now;</li>
 *   <li>{@code executor.queued} (gauge, tasks): tasks waiting for a worker;</li>
 *   <li>{@code executor.queue.remaining} (gauge, tasks): free queue slots ({@link Integer#MAX_VALUE} when
 *       unbounded);</li>
 *   <li>{@code executor.pool.size} (gauge, threads): workers alive (worker processes for a process pool);</li>
 *   <li>{@code executor.pool.max} (gauge, threads): the worker limit ({@link Integer#MAX_VALUE} for an unlimited
 *       virtual pool).</li>
 * </ul>
 * Spool's own:
 * <ul>
 *   <li>{@code spool.executor.tasks} (function counter, tasks, tag {@code outcome} = success, failure, cancelled,
 *       rejected): every task's end;</li>
 *   <li>{@code spool.executor.queue.wait} (timer): submit to start;</li>
 *   <li>{@code spool.executor.execution} (timer): start to end;</li>
 *   <li>{@code spool.future.latency} (timer, tag {@code outcome}): submit to done, the latency a caller waiting on
 *       the future sees;</li>
 *   <li>{@code spool.executor.tasks.hung} (gauge): tasks running now past the executor's run-timeout;</li>
 *   <li>{@code spool.executor.run.timeouts} (function counter): tasks that ever ran past the run-timeout;</li>
 *   <li>{@code spool.executor.queue.timeouts} (function counter): tasks that waited past the queue-timeout, started
 *       late or cancelled ({@link dev.spool.futures.TimeoutStats}).</li>
 * </ul>
 * And for a {@link ProcessPool}, its worker processes:
 * <ul>
 *   <li>{@code spool.process.workers.started} (function counter, tag {@code reason} = initial, recycle);</li>
 *   <li>{@code spool.process.workers.exited} (function counter, tag {@code cause} = recycled, shutdown, crashed,
 *       killed, init_failed);</li>
 *   <li>{@code spool.process.worker.startup} (timer): from spawning a worker JVM until it is ready for tasks.</li>
 * </ul>
 * And for a {@link ScheduledPool}, its schedule:
 * <ul>
 *   <li>{@code spool.executor.schedule.lateness} (timer): how late each scheduled run started, from the time it was
 *       due;</li>
 *   <li>{@code spool.executor.schedule.missed} (function counter, runs): runs of periodic tasks that fell due while
 *       an earlier run of theirs had not started ({@link ScheduledPool#missedRuns()});</li>
 *   <li>{@code spool.executor.schedule.pending} (gauge, tasks): tasks waiting for the time of their next run.</li>
 * </ul>
 * The timers are fed from the executor's histograms ({@link ObservedExecutor#queueWaitHistogram()},
 * {@link ObservedExecutor#executionHistogram()}, {@link ObservedExecutor#latencyHistogram(TaskOutcome)}) by a
 * {@link TimerFeed}: they lag by at most its step, and their counts equal the counters'.
 */
public final class ExecutorMetrics extends SpoolMeterBinder {

    /**
     * Binds with no extra tags, no percentiles, and the {@linkplain TimerFeed#shared() shared replay}.
     *
     * @param executor the executor to observe
     */
    public ExecutorMetrics(ObservedExecutor executor) {
        this(executor, Tags.empty());
    }

    /**
     * Binds with extra tags, no percentiles, and the {@linkplain TimerFeed#shared() shared replay}.
     *
     * @param executor the executor to observe
     * @param tags     extra tags on every meter
     */
    public ExecutorMetrics(ObservedExecutor executor, Iterable<Tag> tags) {
        this(executor, tags, TimerOptions.DEFAULTS, TimerFeed.shared());
    }

    /**
     * @param executor     the executor to observe
     * @param tags         extra tags on every meter (they cannot replace {@code name} and {@code type})
     * @param timerOptions the distribution statistics of the timers
     * @param replay       what feeds the timers
     */
    public ExecutorMetrics(ObservedExecutor executor, Iterable<Tag> tags, TimerOptions timerOptions,
                           TimerFeed replay) {
        super("executor", executor, Tags.of("name", executor.name(), "type", executor.type().tag()), tags,
                timerOptions, replay);
    }

    @Override
    void register(SourceMeters b) {
        ObservedExecutor executor = (ObservedExecutor) source();

        // Micrometer's ExecutorServiceMetrics, word for word.
        b.counter("executor.completed", "The approximate total number of tasks that have completed execution",
                BaseUnits.TASKS, executor, ExecutorMetrics::finished);
        b.gauge("executor.active", "The approximate number of threads that are actively executing tasks",
                BaseUnits.THREADS, executor, e -> e.stats().active());
        b.gauge("executor.queued", "The approximate number of tasks that are queued for execution",
                BaseUnits.TASKS, executor, e -> e.stats().queued());
        b.gauge("executor.queue.remaining",
                "The number of additional elements that this queue can ideally accept without blocking",
                BaseUnits.TASKS, executor, e -> e.stats().queueRemaining());
        b.gauge("executor.pool.size", "The current number of threads in the pool",
                BaseUnits.THREADS, executor, e -> e.stats().poolSize());
        b.gauge("executor.pool.max", "The maximum allowed number of threads in the pool",
                BaseUnits.THREADS, executor, e -> e.stats().maxWorkers());

        for (TaskOutcome outcome : TaskOutcome.values()) {
            Tag tag = Tag.of("outcome", outcome.tag());
            b.counter("spool.executor.tasks",
                    "Tasks that ended, by outcome: success, failure, cancelled (before they started) or rejected",
                    BaseUnits.TASKS, executor, e -> e.latencyHistogram(outcome).count(), tag);
            b.timer("spool.future.latency",
                    "Time from submit to done, by outcome: the latency a caller waiting on the future sees",
                    executor, e -> e.latencyHistogram(outcome).snapshot(), tag);
        }
        b.timer("spool.executor.queue.wait", "Time tasks waited in the queue, from submit to start",
                executor, e -> e.queueWaitHistogram().snapshot());
        b.timer("spool.executor.execution", "Time tasks ran, from start to end",
                executor, e -> e.executionHistogram().snapshot());

        b.gauge("spool.executor.tasks.hung", "Tasks running now past the executor's run-timeout",
                null, executor, e -> e.timeoutStats().hung());
        b.counter("spool.executor.run.timeouts", "Tasks that ran past the executor's run-timeout",
                null, executor, e -> e.timeoutStats().runTimeouts());
        b.counter("spool.executor.queue.timeouts",
                "Tasks that waited in the queue past the executor's queue-timeout, started late or cancelled",
                null, executor, e -> e.timeoutStats().queueTimeouts());

        if (executor instanceof ProcessPool pool) {
            registerWorkers(b, pool);
        }
        if (executor instanceof ScheduledPool pool) {
            registerSchedule(b, pool);
        }
    }

    private static void registerSchedule(SourceMeters b, ScheduledPool pool) {
        b.timer("spool.executor.schedule.lateness", "Time scheduled runs started after they were due",
                pool, p -> p.latenessHistogram().snapshot());
        b.counter("spool.executor.schedule.missed",
                "Runs of periodic tasks that fell due while an earlier run of theirs had not started",
                "runs", pool, ScheduledPool::missedRuns);
        b.gauge("spool.executor.schedule.pending", "Scheduled tasks waiting for the time of their next run",
                BaseUnits.TASKS, pool, ScheduledPool::scheduledCount);
    }

    private static void registerWorkers(SourceMeters b, ProcessPool pool) {
        for (ProcessPool.StartReason reason : ProcessPool.StartReason.values()) {
            b.counter("spool.process.workers.started",
                    "Worker processes that became ready, by reason: initial (to grow the pool) or recycle (to replace"
                            + " one that reached maxTasksPerChild)",
                    null, pool, p -> p.workerStatistics().started().getOrDefault(reason, 0L),
                    Tag.of("reason", reason.name().toLowerCase(Locale.ROOT)));
        }
        for (ProcessPool.ExitCause cause : ProcessPool.ExitCause.values()) {
            b.counter("spool.process.workers.exited",
                    "Worker processes that ended, by cause: recycled, shutdown, crashed, killed or init_failed",
                    null, pool, p -> p.workerStatistics().exited().getOrDefault(cause, 0L),
                    Tag.of("cause", cause.name().toLowerCase(Locale.ROOT)));
        }
        b.timer("spool.process.worker.startup", "Time from spawning a worker process until it was ready for tasks",
                pool, p -> p.workerStatistics().startup());
    }

    /** {@link ExecutorStats#finished()} without a whole snapshot: two histogram counts. */
    private static double finished(ObservedExecutor executor) {
        return executor.latencyHistogram(TaskOutcome.SUCCESS).count()
                + executor.latencyHistogram(TaskOutcome.FAILURE).count();
    }
}
