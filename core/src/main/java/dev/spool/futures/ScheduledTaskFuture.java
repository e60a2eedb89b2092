package dev.spool.futures;

import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The future of a task given to a {@link ScheduledPool}: a {@link TaskFuture} (Python's waits and callbacks) that is
 * also the JDK's {@link ScheduledFuture}.
 *
 * <p>A one-shot task's future ends with its result or exception. A periodic task's future never ends normally: it
 * stays pending between runs, fails with the exception of the first run that throws (no run follows), and is
 * cancelled by {@link #cancel(boolean)} or by the pool's shutdown. {@code cancel} succeeds while the future is not
 * done, also during a run, as with {@link java.util.concurrent.FutureTask}: the future is cancelled at once, no further
 * run starts, and with {@code cancel(true)} the thread running the current run is interrupted.
 *
 * @param <V> the result type (null for a periodic task)
 */
public final class ScheduledTaskFuture<V> extends TaskFuture<V> implements ScheduledFuture<V> {

    private final ScheduledPool.Entry<V> entry;

    ScheduledTaskFuture(ScheduledPool.Entry<V> entry) {
        this.entry = entry;
    }

    /** @return the time left until the next run is due, negative when it is late, in {@code unit} */
    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(entry.time - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    /** Orders by the time the next run is due, as the JDK's scheduled futures compare. */
    @Override
    public int compareTo(Delayed other) {
        if (other == this) {
            return 0;
        }
        long difference = getDelay(TimeUnit.NANOSECONDS) - other.getDelay(TimeUnit.NANOSECONDS);
        return difference < 0 ? -1 : difference > 0 ? 1 : 0;
    }

    /** @return whether the task runs periodically (fixed rate or fixed delay) */
    public boolean isPeriodic() {
        return entry.period != 0;
    }

    /** @return how many runs of the task have started so far */
    public long runs() {
        return entry.runs;
    }

    /**
     * Cancels the task if it is not done: no run starts after this; see the class description.
     *
     * @param mayInterruptIfRunning also interrupt the thread running the current run, if one runs now
     * @return true if the future is now cancelled (also when it already was), false if it had finished
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = cancel(TaskOutcome.CANCELLED) || cancelled();
        if (cancelled) {
            entry.cancelled(mayInterruptIfRunning);
        }
        return cancelled;
    }

    /** {@code cancel(false)}. */
    @Override
    public boolean cancel() {
        return cancel(false);
    }

    @Override
    public String toString() {
        return "ScheduledTaskFuture[" + entry.description + ", " + futureState() + "]";
    }
}
