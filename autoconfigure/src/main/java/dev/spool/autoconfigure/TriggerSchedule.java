package dev.spool.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.spool.futures.DescribedTask;
import dev.spool.futures.ScheduledPool;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.support.SimpleTriggerContext;

/**
 * A schedule driven by a {@link Trigger} (a {@code cron} method, or {@code TaskScheduler.schedule(task, trigger)}) on a
 * scheduled pool: each run is a one-shot task of the pool, which asks the trigger for the next run as it ends.
 *
 * <p>Why not Spring's rescheduling, as {@code ConcurrentTaskScheduler} does it: it hands the pool a runnable of its
 * own, so every {@code cron} run read as Spring's {@code ReschedulingRunnable} in the running-task views. Here each
 * run says what it runs: the method, as Spring names it.
 *
 * <p>The future stands for the whole schedule, as Spring's does. {@code cancel} stops it whenever it comes: the run
 * scheduled now is cancelled, and a run going on (cancelled at once, as a {@code ScheduledTaskFuture} is during a run)
 * is followed by no other. {@code get} waits for the run scheduled or running now, and the delay is that run's.
 */
final class TriggerSchedule implements Runnable, DescribedTask, ScheduledFuture<Object> {

    private final ScheduledPool pool;
    /** The task inside the scheduler's error handler. */
    private final Runnable handled;
    private final String description;
    private final Trigger trigger;
    private final SimpleTriggerContext context;
    private final Object lock = new Object();
    /** The run scheduled or running now; guarded by {@link #lock}, as is the rest. */
    private @Nullable ScheduledFuture<?> current;
    private @Nullable Instant scheduledFor;
    private boolean cancelled;
    /** The trigger had no next run, or the pool refused it (shut down): no run follows the current one. */
    private boolean ended;

    TriggerSchedule(ScheduledPool pool, Runnable handled, String description, Trigger trigger, Clock clock) {
        this.pool = pool;
        this.handled = handled;
        this.description = description;
        this.trigger = trigger;
        this.context = new SimpleTriggerContext(clock);
    }

    /**
     * Schedules the first run.
     *
     * @return this, or null when the trigger has no run at all
     * @throws java.util.concurrent.RejectedExecutionException when the pool refuses it
     */
    @Nullable ScheduledFuture<?> start() {
        synchronized (this.lock) {
            return scheduleNext() ? this : null;
        }
    }

    /** Under the lock: asks the trigger for the next run and schedules it. @return false when there is none */
    private boolean scheduleNext() {
        Instant next = this.trigger.nextExecution(this.context);
        if (next == null) {
            this.ended = true;
            return false;
        }
        long delay = Duration.between(this.context.getClock().instant(), next).toNanos();
        this.current = this.pool.schedule(this, delay, TimeUnit.NANOSECONDS);
        this.scheduledFor = next;
        return true;
    }

    @Override
    public void run() {
        Instant actual = this.context.getClock().instant();
        try {
            this.handled.run();
        } finally {
            Instant completed = this.context.getClock().instant();
            synchronized (this.lock) {
                this.context.update(this.scheduledFor, actual, completed);
                if (!this.cancelled) {
                    try {
                        scheduleNext();
                    } catch (java.util.concurrent.RejectedExecutionException shutDown) {
                        this.ended = true; // the pool is shutting down: the schedule ends with it
                    }
                }
            }
        }
    }

    @Override
    public String taskDescription() {
        return this.description;
    }

    /**
     * Stops the schedule: the run scheduled now is cancelled; a run going on goes on to its end (interrupted if
     * asked), and none follows it.
     *
     * @return true if this call stopped the schedule, false if it had stopped already (cancelled, by a call or by the
     *         pool's shutdown, or ended)
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        synchronized (this.lock) {
            if (isCancelled() || this.ended) {
                return false;
            }
            this.cancelled = true;
            if (this.current != null) {
                this.current.cancel(mayInterruptIfRunning);
            }
            return true;
        }
    }

    /** @return whether it was cancelled: by {@link #cancel}, or by the pool's shutdown, which cancels the run waiting */
    @Override
    public boolean isCancelled() {
        synchronized (this.lock) {
            return this.cancelled || this.current != null && this.current.isCancelled();
        }
    }

    /** @return whether no run is to come: cancelled, or the trigger has no next run and the last one is over */
    @Override
    public boolean isDone() {
        synchronized (this.lock) {
            return isCancelled() || this.ended && (this.current == null || this.current.isDone());
        }
    }

    @Override
    public @Nullable Object get() throws InterruptedException, ExecutionException {
        return currentRun().get();
    }

    @Override
    public @Nullable Object get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return currentRun().get(timeout, unit);
    }

    @Override
    public long getDelay(TimeUnit unit) {
        return currentRun().getDelay(unit);
    }

    @Override
    public int compareTo(Delayed other) {
        return other == this ? 0 : Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    private ScheduledFuture<?> currentRun() {
        synchronized (this.lock) {
            if (this.current == null) {
                throw new IllegalStateException("the schedule of " + this.description + " has not started");
            }
            return this.current;
        }
    }

    @Override
    public String toString() {
        return this.description + " on trigger " + this.trigger;
    }
}
