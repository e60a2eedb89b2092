package dev.spool.autoconfigure.actuate;

import java.util.function.Function;

import dev.spool.futures.ObservedExecutor;
import dev.spool.futures.ScheduledPool;
import dev.spool.futures.TaskOutcome;
import dev.spool.stats.DurationHistogram;
import dev.spool.threading.AbstractLock;
import dev.spool.threading.Primitive;

/**
 * The duration distributions the {@code executors} and {@code primitives} endpoints show, each read the same way by
 * the endpoint (now) and by {@link RecentWindows} (every few seconds), so that the two subtract snapshots of the same
 * thing.
 */
enum Distribution {
    /** An executor's {@code queueWait}: submit to start. */
    QUEUE_WAIT(ObservedExecutor.class, executor -> executor.queueWaitHistogram().snapshot()),
    /** An executor's {@code execution}: start to end. */
    EXECUTION(ObservedExecutor.class, executor -> executor.executionHistogram().snapshot()),
    /** An executor's {@code latency}: submit to done, every outcome together. */
    LATENCY(ObservedExecutor.class, Distribution::latency),
    /** A scheduled pool's {@code schedule.lateness}: due to started, over its scheduled runs. */
    LATENESS(ScheduledPool.class, pool -> pool.latenessHistogram().snapshot()),
    /** A primitive's {@code waitTimes}: the waits that blocked. */
    WAIT_TIMES(Primitive.class, primitive -> primitive.waitHistogram().snapshot()),
    /** A lock's {@code contendedHoldTimes}: the holds another thread waited on. */
    CONTENDED_HOLD_TIMES(AbstractLock.class, lock -> lock.holdHistogram().snapshot());

    private final Class<?> type;
    private final Function<Object, DurationHistogram.Snapshot> reader;

    <T> Distribution(Class<T> type, Function<? super T, DurationHistogram.Snapshot> reader) {
        this.type = type;
        this.reader = source -> reader.apply(type.cast(source));
    }

    /** @return whether {@code source} (an executor or a primitive) has this distribution */
    boolean appliesTo(Object source) {
        return this.type.isInstance(source);
    }

    /**
     * @param source an executor or primitive this distribution {@linkplain #appliesTo applies to}
     * @return what its histogram (or histograms) hold now
     */
    DurationHistogram.Snapshot snapshot(Object source) {
        return this.reader.apply(source);
    }

    private static DurationHistogram.Snapshot latency(ObservedExecutor executor) {
        DurationHistogram.Snapshot latency = DurationHistogram.Snapshot.EMPTY;
        for (TaskOutcome outcome : TaskOutcome.values()) {
            latency = latency.plus(executor.latencyHistogram(outcome).snapshot());
        }
        return latency;
    }
}
