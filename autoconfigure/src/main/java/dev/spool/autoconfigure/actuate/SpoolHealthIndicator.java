package dev.spool.autoconfigure.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.spool.autoconfigure.SpoolBeans;
import dev.spool.autoconfigure.SpoolKind;
import dev.spool.autoconfigure.actuate.PrimitivesEndpoint.DeadlockDescriptor;
import dev.spool.futures.ExecutorState;
import dev.spool.futures.ExecutorStats;
import dev.spool.futures.ManagedExecutor;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The health component {@code spool} (docs/reference.md, "Endpoints").
 *
 * <ul>
 *   <li>DOWN when an executor is {@link ExecutorState#BROKEN} (an initializer failed, a worker process died: it
 *       refuses every task from then on) or when threads are deadlocked on Spool locks (see
 *       {@link PrimitivesEndpoint}); UP otherwise, a shut-down executor included.</li>
 *   <li>Details, always all four (empty when there is nothing to say): {@code executors} (each executor's name to
 *       its state), {@code brokenExecutors} (their names), {@code saturatedExecutors} (name to {@code queued} and
 *       {@code queueCapacity}) and {@code deadlocks} (each cycle: its locks, its edges and a one-line
 *       description). An executor is saturated
 *       when its queue holds at least {@code spool.health.saturation-threshold} (default 0.9) of its capacity;
 *       an unbounded queue, or a capacity of 0 (direct hand-off, nothing ever waits), never is. Saturation alone
 *       does not change the status: a full queue is load, which the rejection policy handles, not a failure.</li>
 * </ul>
 * Boot shows details only as {@code management.endpoint.health.show-details} allows. A check costs one
 * {@code stats()} snapshot per executor and one pass over the threads waiting for Spool locks.
 */
public final class SpoolHealthIndicator extends AbstractHealthIndicator {

    private final SpoolBeans beans;
    private final double saturationThreshold;

    /**
     * @param beans               where the executors are
     * @param saturationThreshold the fraction of a queue's capacity, in (0, 1], from which it counts as saturated
     */
    SpoolHealthIndicator(SpoolBeans beans, double saturationThreshold) {
        super("Spool health check failed");
        this.beans = beans;
        this.saturationThreshold = saturationThreshold;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, String> executors = new LinkedHashMap<>();
        List<String> broken = new ArrayList<>();
        Map<String, Saturation> saturated = new LinkedHashMap<>();
        for (Map.Entry<String, ManagedExecutor> entry : this.beans.live(SpoolKind.EXECUTOR, ManagedExecutor.class).entrySet()) {
            ExecutorStats stats = entry.getValue().stats();
            executors.put(entry.getKey(), stats.state().name());
            if (stats.state() == ExecutorState.BROKEN) {
                broken.add(entry.getKey());
            }
            if (saturated(stats)) {
                saturated.put(entry.getKey(), new Saturation(stats.queued(), stats.queueCapacity()));
            }
        }
        List<DeadlockDescriptor> deadlocks = PrimitivesEndpoint.deadlocks();

        if (broken.isEmpty() && deadlocks.isEmpty()) {
            builder.up();
        } else {
            builder.down();
        }
        // Every detail, empty ones included: an operator reads "nothing broken" rather than guessing from a bare UP.
        builder.withDetail("executors", executors)
                .withDetail("brokenExecutors", broken)
                .withDetail("saturatedExecutors", saturated)
                .withDetail("deadlocks", deadlocks);
    }

    private boolean saturated(ExecutorStats stats) {
        int capacity = stats.queueCapacity();
        return capacity > 0 && capacity != Integer.MAX_VALUE && stats.queued() >= this.saturationThreshold * capacity;
    }

    /**
     * A saturated executor's queue.
     *
     * @param queued        tasks waiting now
     * @param queueCapacity the queue's limit
     */
    public record Saturation(int queued, int queueCapacity) {
    }
}
