package dev.spool.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.spool.futures.DescribedTask;
import dev.spool.futures.ScheduledPool;
import org.jspecify.annotations.Nullable;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.concurrent.ConcurrentTaskScheduler;
import org.springframework.scheduling.support.TaskUtils;
import org.springframework.util.ErrorHandler;

/**
 * The {@link TaskScheduler} that {@code @Scheduled(scheduler = "<name>")} finds for a {@code type: scheduled} pool:
 * what Spring would make of the pool without it (a {@link ConcurrentTaskScheduler} around it), with two changes.
 * <ul>
 *   <li>Spring's error handler catches what a repeating {@code @Scheduled} method throws, logs it and lets the
 *       schedule go on, so the pool would count that run as a success. This one logs exactly as Spring does and then
 *       reports the failure to the pool ({@link ScheduledPool#failCurrentRun}): the run counts as failed in
 *       {@code spool.executor.tasks}, and the schedule goes on as before. That holds for {@code fixedRate},
 *       {@code fixedDelay} and {@code cron} methods alike.</li>
 *   <li>A {@code fixedRate}, {@code fixedDelay} or one-shot run is a {@link DescribedTask} named after the method
 *       ({@code com.acme.Jobs.refresh}, Spring's own name for the task), in the running-task views and the
 *       run-timeout's log line, where it would read as Spring's error-handling wrapper. A {@code cron} method's runs
 *       go through Spring's rescheduling runnable, which keeps that name.</li>
 * </ul>
 *
 * <p>Registered by {@link SpoolBeanRegistrar} under the pool's name as qualifier and not as a default candidate, so
 * an unqualified {@code TaskScheduler} (Boot's {@code taskScheduler}, for the other {@code @Scheduled} methods) is
 * resolved as without Spool.
 */
final class ScheduledPoolTaskScheduler implements TaskScheduler {

    private final ScheduledPool pool;
    private final ErrorHandler errorHandler;
    /** For triggers (cron): Spring's rescheduling, which is not public. */
    private final ConcurrentTaskScheduler triggers;

    ScheduledPoolTaskScheduler(ScheduledPool pool) {
        this.pool = pool;
        this.errorHandler = failure -> {
            TaskUtils.LOG_AND_SUPPRESS_ERROR_HANDLER.handleError(failure);
            pool.failCurrentRun(failure);
        };
        this.triggers = new ConcurrentTaskScheduler(pool);
        this.triggers.setErrorHandler(this.errorHandler);
    }

    @Override
    public Clock getClock() {
        return this.triggers.getClock();
    }

    @Override
    public @Nullable ScheduledFuture<?> schedule(Runnable task, Trigger trigger) {
        return this.triggers.schedule(task, trigger);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
        try {
            return this.pool.schedule(run(task), nanosUntil(startTime), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException refused) {
            throw new TaskRejectedException(this.pool, task, refused);
        }
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Instant startTime, Duration period) {
        return fixedRate(task, nanosUntil(startTime), period);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
        return fixedRate(task, 0L, period);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Instant startTime, Duration delay) {
        return fixedDelay(task, nanosUntil(startTime), delay);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration delay) {
        return fixedDelay(task, 0L, delay);
    }

    private ScheduledFuture<?> fixedRate(Runnable task, long initialDelayNanos, Duration period) {
        try {
            return this.pool.scheduleAtFixedRate(run(task), initialDelayNanos, period.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException refused) {
            throw new TaskRejectedException(this.pool, task, refused);
        }
    }

    private ScheduledFuture<?> fixedDelay(Runnable task, long initialDelayNanos, Duration delay) {
        try {
            return this.pool.scheduleWithFixedDelay(run(task), initialDelayNanos, delay.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException refused) {
            throw new TaskRejectedException(this.pool, task, refused);
        }
    }

    private long nanosUntil(Instant startTime) {
        return Duration.between(getClock().instant(), startTime).toNanos();
    }

    /** @return the task inside Spool's error handler, described as Spring describes it when it does */
    private Runnable run(Runnable task) {
        Runnable handled = TaskUtils.decorateTaskWithErrorHandler(task, this.errorHandler, true);
        return describesItself(task) ? new Described(handled, task.toString()) : handled;
    }

    /** Spring's scheduled tasks say which method they run in {@code toString()}; a lambda does not. */
    private static boolean describesItself(Runnable task) {
        try {
            return task.getClass().getMethod("toString").getDeclaringClass() != Object.class;
        } catch (NoSuchMethodException impossible) {
            return false;
        }
    }

    /** A run, with the name of what it runs. */
    private record Described(Runnable handled, String description) implements Runnable, DescribedTask {
        @Override
        public void run() {
            this.handled.run();
        }

        @Override
        public String taskDescription() {
            return this.description;
        }
    }
}
