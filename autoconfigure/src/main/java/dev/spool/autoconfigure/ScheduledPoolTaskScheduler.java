package dev.spool.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import dev.spool.futures.ScheduledPool;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.concurrent.ConcurrentTaskScheduler;
import org.springframework.scheduling.support.TaskUtils;

/**
 * The {@link TaskScheduler} that {@code @Scheduled(scheduler = "<name>")} finds for a {@code type: scheduled} pool:
 * Spring's own {@link ConcurrentTaskScheduler} around the pool (what Spring would make of the pool without it), with
 * one change. Spring's error handler catches what a repeating {@code @Scheduled} method throws, logs it and lets the
 * schedule go on, so the pool would count that run as a success; this one logs exactly as Spring does and then
 * reports the failure to the pool ({@link ScheduledPool#failCurrentRun}), so the run counts as failed in
 * {@code spool.executor.tasks} and the schedule goes on as before. That holds for {@code fixedRate},
 * {@code fixedDelay} and {@code cron} methods alike.
 *
 * <p>Registered by {@link SpoolBeanRegistrar} under the pool's name as qualifier and not as a default candidate, so
 * an unqualified {@code TaskScheduler} (Boot's {@code taskScheduler}, for the other {@code @Scheduled} methods) is
 * resolved as without Spool.
 */
final class ScheduledPoolTaskScheduler implements TaskScheduler {

    private final ConcurrentTaskScheduler scheduler;

    ScheduledPoolTaskScheduler(ScheduledPool pool) {
        this.scheduler = new ConcurrentTaskScheduler(pool);
        this.scheduler.setErrorHandler(failure -> {
            TaskUtils.LOG_AND_SUPPRESS_ERROR_HANDLER.handleError(failure);
            pool.failCurrentRun(failure);
        });
    }

    @Override
    public Clock getClock() {
        return this.scheduler.getClock();
    }

    @Override
    public @Nullable ScheduledFuture<?> schedule(Runnable task, Trigger trigger) {
        return this.scheduler.schedule(task, trigger);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
        return this.scheduler.schedule(task, startTime);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Instant startTime, Duration period) {
        return this.scheduler.scheduleAtFixedRate(task, startTime, period);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
        return this.scheduler.scheduleAtFixedRate(task, period);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Instant startTime, Duration delay) {
        return this.scheduler.scheduleWithFixedDelay(task, startTime, delay);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration delay) {
        return this.scheduler.scheduleWithFixedDelay(task, delay);
    }
}
