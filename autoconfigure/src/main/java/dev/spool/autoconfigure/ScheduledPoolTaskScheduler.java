package dev.spool.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.spool.futures.DescribedTask;
import dev.spool.futures.RunningTask;
import dev.spool.futures.ScheduledPool;
import org.jspecify.annotations.Nullable;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.support.TaskUtils;
import org.springframework.util.ErrorHandler;

/**
 * The {@link TaskScheduler} that {@code @Scheduled(scheduler = "<name>")} finds for a {@code type: scheduled} pool:
 * what Spring would make of the pool without it (a {@code ConcurrentTaskScheduler} around it), with two changes.
 * <ul>
 *   <li>Spring's error handler catches what a repeating {@code @Scheduled} method throws, logs it and lets the
 *       schedule go on, so the pool would count that run as a success. This one logs exactly as Spring does and then
 *       reports the failure to the pool ({@link ScheduledPool#failCurrentRun}): the run counts as failed in
 *       {@code spool.executor.tasks}, and the schedule goes on as before. That holds for {@code fixedRate},
 *       {@code fixedDelay} and {@code cron} methods alike.</li>
 *   <li>A run is a {@link DescribedTask} named after the method ({@code com.acme.Jobs.refresh}, Spring's own name
 *       for the task), in the running-task views and the run-timeout's log line, where it would read as Spring's
 *       error-handling wrapper, or as its rescheduling runnable for a {@code cron} method: trigger schedules
 *       ({@code cron}) are Spool's own {@link TriggerSchedule}.</li>
 * </ul>
 *
 * <p>Registered by {@link SpoolBeanRegistrar} under the pool's name as qualifier and not as a default candidate, so
 * an unqualified {@code TaskScheduler} (Boot's {@code taskScheduler}, for the other {@code @Scheduled} methods) is
 * resolved as without Spool.
 */
final class ScheduledPoolTaskScheduler implements TaskScheduler {

    private final ScheduledPool pool;
    private final ErrorHandler errorHandler;
    private final Clock clock = Clock.systemDefaultZone();

    ScheduledPoolTaskScheduler(ScheduledPool pool) {
        this.pool = pool;
        this.errorHandler = failure -> {
            TaskUtils.LOG_AND_SUPPRESS_ERROR_HANDLER.handleError(failure);
            pool.failCurrentRun(failure);
        };
    }

    @Override
    public Clock getClock() {
        return this.clock;
    }

    @Override
    public @Nullable ScheduledFuture<?> schedule(Runnable task, Trigger trigger) {
        Runnable handled = TaskUtils.decorateTaskWithErrorHandler(task, this.errorHandler, true);
        TriggerSchedule schedule = new TriggerSchedule(this.pool, handled, describe(task), trigger, this.clock);
        try {
            return schedule.start();
        } catch (RejectedExecutionException refused) {
            throw new TaskRejectedException(this.pool, task, refused);
        }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
        return onPool(task, run -> this.pool.schedule(run, nanosUntil(startTime), TimeUnit.NANOSECONDS));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Instant startTime, Duration period) {
        return onPool(task, run -> this.pool.scheduleAtFixedRate(run, nanosUntil(startTime), period.toNanos(),
                TimeUnit.NANOSECONDS));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
        return scheduleAtFixedRate(task, getClock().instant(), period);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Instant startTime, Duration delay) {
        return onPool(task, run -> this.pool.scheduleWithFixedDelay(run, nanosUntil(startTime), delay.toNanos(),
                TimeUnit.NANOSECONDS));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration delay) {
        return scheduleWithFixedDelay(task, getClock().instant(), delay);
    }

    /**
     * Schedules the task on the pool inside Spool's error handler, described as {@link #describe} says;
     * a refusal is Spring's {@link TaskRejectedException}, as {@code ConcurrentTaskScheduler} throws it.
     */
    private ScheduledFuture<?> onPool(Runnable task, Function<Runnable, ScheduledFuture<?>> scheduling) {
        Runnable handled = TaskUtils.decorateTaskWithErrorHandler(task, this.errorHandler, true);
        try {
            return scheduling.apply(DescribedTask.describedAs(describe(task), handled));
        } catch (RejectedExecutionException refused) {
            throw new TaskRejectedException(this.pool, task, refused);
        }
    }

    private long nanosUntil(Instant startTime) {
        return Duration.between(getClock().instant(), startTime).toNanos();
    }

    /**
     * What a run is called: the method, as Spring's scheduled tasks say in {@code toString()}; else what the pool
     * would call the task itself (a lambda: its class).
     */
    private static String describe(Runnable task) {
        return describesItself(task) ? task.toString() : RunningTask.describe(task);
    }

    /** Spring's scheduled tasks say which method they run in {@code toString()}; a lambda does not. */
    private static boolean describesItself(Runnable task) {
        try {
            return task.getClass().getMethod("toString").getDeclaringClass() != Object.class;
        } catch (NoSuchMethodException impossible) {
            return false;
        }
    }
}
