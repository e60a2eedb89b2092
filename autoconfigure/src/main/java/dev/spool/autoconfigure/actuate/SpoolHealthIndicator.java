package dev.spool.autoconfigure.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import dev.spool.autoconfigure.SpoolBeans;
import dev.spool.autoconfigure.SpoolKind;
import dev.spool.autoconfigure.actuate.PrimitivesEndpoint.DeadlockDescriptor;
import dev.spool.futures.ExecutorState;
import dev.spool.futures.ExecutorStats;
import dev.spool.futures.ObservedExecutor;
import dev.spool.futures.RunningTask;
import dev.spool.futures.TimeoutStats;
import dev.spool.threading.Primitive;
import dev.spool.threading.spi.SharedBackend;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The health component {@code spool} (docs/reference.md, "Endpoints").
 *
 * <ul>
 *   <li>DOWN when an executor is {@link ExecutorState#BROKEN} (an initializer failed, a worker process died: it
 *       refuses every task from then on) or when threads are deadlocked on Spool locks (see
 *       {@link PrimitivesEndpoint}); UP otherwise, a shut-down executor included.</li>
 *   <li>Otherwise {@code spool.health.hung-tasks-status} (default DOWN) while a task of an executor runs past its
 *       run-timeout.</li>
 *   <li>Details, always all five (empty when there is nothing to say): {@code executors} (each executor's name to
 *       its state), {@code brokenExecutors} (their names), {@code saturatedExecutors} (name to {@code queued} and
 *       {@code queueCapacity}), {@code deadlocks} (each cycle: its locks, its edges and a one-line
 *       description) and {@code hungTasks} (name to the count and the tasks running past the run-timeout: worker,
 *       task, since, running time). An executor is saturated
 *       when its queue holds at least {@code spool.health.saturation-threshold} (default 0.9) of its capacity;
 *       an unbounded queue, or a capacity of 0 (direct hand-off, nothing ever waits), never is. Saturation alone
 *       does not change the status: a full queue is load, which the rejection policy handles, not a failure.</li>
 * </ul>
 * <ul>
 *   <li>Also DOWN when primitives keep their state in a backend outside the JVM ({@code backend: redis}) and that
 *       backend cannot be reached now: their acquisitions fail with {@code BackendUnavailableException} until it
 *       comes back. The detail {@code backends} gives each backend in use its status, its primitives and, when
 *       DOWN, the error; a context without shared primitives has none.</li>
 * </ul>
 * Boot shows details only as {@code management.endpoint.health.show-details} allows. A check costs one
 * {@code stats()} snapshot per executor, one pass over the threads waiting for Spool locks and one bounded round
 * trip per backend in use; an executor with a hung task adds one read of its running tasks.
 */
public final class SpoolHealthIndicator extends AbstractHealthIndicator {

    private final SpoolBeans beans;
    private final double saturationThreshold;
    private final Status hungTasksStatus;
    private final Supplier<List<SharedBackend>> backends;

    /**
     * @param beans               where the executors are
     * @param saturationThreshold the fraction of a queue's capacity, in (0, 1], from which it counts as saturated
     * @param hungTasksStatus     the status while a task runs past its executor's run-timeout and nothing is DOWN
     * @param backends            the context's backends for shared primitives (none without spool-redis)
     */
    SpoolHealthIndicator(SpoolBeans beans, double saturationThreshold, String hungTasksStatus,
                         Supplier<List<SharedBackend>> backends) {
        super("Spool health check failed");
        this.beans = beans;
        this.saturationThreshold = saturationThreshold;
        // Boot's statuses are upper case; out_of_service is meant as OUT_OF_SERVICE, which Boot maps to 503
        this.hungTasksStatus = new Status(hungTasksStatus.strip().toUpperCase(java.util.Locale.ROOT));
        this.backends = backends;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, String> executors = new LinkedHashMap<>();
        List<String> broken = new ArrayList<>();
        Map<String, Saturation> saturated = new LinkedHashMap<>();
        Map<String, HungTasks> hung = new LinkedHashMap<>();
        for (Map.Entry<String, ObservedExecutor> entry : this.beans.observedExecutors().entrySet()) {
            HungTasks hungTasks = hungTasks(entry.getValue());
            if (hungTasks != null) {
                hung.put(entry.getKey(), hungTasks);
            }
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
        Map<String, BackendHealth> backends = backends();
        boolean backendDown = backends.values().stream().anyMatch(b -> !b.status().equals("UP"));

        if (!broken.isEmpty() || !deadlocks.isEmpty() || backendDown) {
            builder.down();
        } else if (!hung.isEmpty()) {
            builder.status(this.hungTasksStatus);
        } else {
            builder.up();
        }
        // Every detail, empty ones included: an operator reads "nothing broken" rather than guessing from a bare UP.
        builder.withDetail("executors", executors)
                .withDetail("brokenExecutors", broken)
                .withDetail("saturatedExecutors", saturated)
                .withDetail("deadlocks", deadlocks)
                .withDetail("hungTasks", hung);
        if (!backends.isEmpty()) {
            builder.withDetail("backends", backends);
        }
    }

    /** @return each backend that some primitive uses, with its status now */
    private Map<String, BackendHealth> backends() {
        Map<String, List<String>> users = new TreeMap<>();
        for (SpoolKind kind : SpoolKind.primitives()) {
            this.beans.live(kind).forEach((name, bean) -> {
                if (bean instanceof Primitive<?> primitive && !primitive.backend().equals(Primitive.LOCAL_BACKEND)) {
                    users.computeIfAbsent(primitive.backend(), b -> new ArrayList<>()).add(name);
                }
            });
        }
        Map<String, BackendHealth> health = new LinkedHashMap<>();
        if (users.isEmpty()) {
            return health;
        }
        for (SharedBackend backend : this.backends.get()) {
            List<String> primitives = users.get(backend.name());
            if (primitives == null) {
                continue;
            }
            try {
                backend.check();
                health.put(backend.name(), new BackendHealth("UP", backend.instanceId(), primitives, null));
            } catch (RuntimeException unreachable) {
                health.put(backend.name(), new BackendHealth("DOWN", backend.instanceId(), primitives,
                        unreachable.getMessage()));
            }
        }
        return health;
    }

    /**
     * @return the executor's tasks running past its run-timeout, or null when none is; the running tasks are read only
     * when its statistics count a hung one, so a check of a pool without hung tasks costs one pass over its workers
     */
    private static @org.jspecify.annotations.Nullable HungTasks hungTasks(ObservedExecutor executor) {
        TimeoutStats timeouts = executor.timeoutStats();
        if (timeouts.hung() == 0) {
            return null;
        }
        List<ExecutorsEndpoint.HungTask> tasks = new ArrayList<>();
        for (RunningTask task : executor.runningTasks(false)) {
            if (task.hung()) {
                tasks.add(ExecutorsEndpoint.HungTask.of(task));
            }
        }
        return tasks.isEmpty() ? null : new HungTasks(tasks.size(), List.copyOf(tasks)); // ended since the count
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

    /**
     * An executor's tasks that run past its run-timeout now.
     *
     * @param count how many
     * @param tasks each one: its worker, what it is, since when and for how long it has run
     */
    public record HungTasks(int count, List<ExecutorsEndpoint.HungTask> tasks) {
    }

    /**
     * A backend that shared primitives use.
     *
     * @param status     {@code UP} when it answered now, {@code DOWN} when it could not be reached
     * @param instance   this instance's id in it (the {@code instance} of the {@code instance/thread} names)
     * @param primitives the names of the primitives that keep their state there
     * @param error      why it is DOWN; absent when UP
     */
    public record BackendHealth(String status, String instance, List<String> primitives,
                                @org.jspecify.annotations.Nullable String error) {
    }
}
