package dev.spool.autoconfigure.actuate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.spool.autoconfigure.SpoolBeans;
import dev.spool.autoconfigure.SpoolKind;
import dev.spool.futures.ExecutorStats;
import dev.spool.futures.ManagedExecutor;
import dev.spool.futures.ProcessPool;
import dev.spool.futures.ThreadPool;
import dev.spool.futures.WorkerInfo;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code executors} endpoint (docs/reference.md, "Endpoints"): the live state of every Spool executor of the
 * context, by bean name.
 *
 * <ul>
 *   <li>{@code GET /actuator/executors}: {@code {"executors": {"io": {...}, ...}}}, each an
 *       {@link ExecutorDescriptor};</li>
 *   <li>{@code GET /actuator/executors/{name}}: one {@link ExecutorDetails}, which adds the latency distributions (from
 *       the engine's histograms) and the workers; 404 when no executor has that name;</li>
 *   <li>{@code POST /actuator/executors/{name}}: only with {@code spool.endpoints.write.enabled=true}, see
 *       {@link ExecutorsEndpointWebExtension}.</li>
 * </ul>
 * It lists the executors {@code spool.executors} configures and the application's own {@link ManagedExecutor} beans;
 * a lazy one once it has been created. Reading never blocks a pool: each view is one {@link ManagedExecutor#stats()}
 * snapshot and, for one executor, its histograms' snapshots.
 */
@Endpoint(id = "executors")
public class ExecutorsEndpoint {

    /** How {@code maxWorkers} and {@code queueCapacity} show that there is no limit. */
    public static final String UNBOUNDED = "unbounded";

    private final SpoolBeans beans;
    private final List<Double> percentiles;
    private final @Nullable RecentWindows windows;

    /**
     * @param beans       where the executors are
     * @param percentiles the quantiles the latency distributions show
     */
    ExecutorsEndpoint(SpoolBeans beans, List<Double> percentiles) {
        this(beans, percentiles, null);
    }

    /**
     * @param beans       where the executors are
     * @param percentiles the quantiles the latency distributions show
     * @param windows     the sampler behind each distribution's {@code lastMinute}; null for none
     */
    ExecutorsEndpoint(SpoolBeans beans, List<Double> percentiles, @Nullable RecentWindows windows) {
        this.beans = beans;
        this.percentiles = List.copyOf(percentiles);
        this.windows = windows;
    }

    /**
     * {@code GET /actuator/executors}.
     *
     * @return every executor, by bean name
     */
    @ReadOperation
    public ExecutorsDescriptor executors() {
        Map<String, ExecutorDescriptor> executors = new LinkedHashMap<>();
        this.beans.live(SpoolKind.EXECUTOR, ManagedExecutor.class).forEach((name, executor) -> executors.put(name, describe(executor)));
        return new ExecutorsDescriptor(Collections.unmodifiableMap(executors));
    }

    /**
     * {@code GET /actuator/executors/{name}}.
     *
     * @param name an executor's bean name
     * @return its state, latencies and workers; null (HTTP 404) when there is no such executor
     */
    @ReadOperation
    public @Nullable ExecutorDetails executor(@Selector String name) {
        ManagedExecutor executor = this.beans.find(SpoolKind.EXECUTOR, name, ManagedExecutor.class);
        return executor != null ? details(executor) : null;
    }

    /** @return the executor of that bean name, null if none; for the write extension */
    @Nullable ManagedExecutor find(String name) {
        return this.beans.find(SpoolKind.EXECUTOR, name, ManagedExecutor.class);
    }

    /** @return the list view of one executor */
    static ExecutorDescriptor describe(ManagedExecutor executor) {
        ExecutorStats s = executor.stats();
        return new ExecutorDescriptor(executor.type().tag(), s.state().name(), limit(s.maxWorkers()), s.poolSize(),
                s.active(), s.queued(), limit(s.queueCapacity()), s.completed(), s.failed(), s.cancelled(),
                s.rejected());
    }

    private ExecutorDetails details(ManagedExecutor executor) {
        ExecutorStats s = executor.stats();
        return new ExecutorDetails(executor.type().tag(), s.state().name(), limit(s.maxWorkers()), s.poolSize(),
                s.active(), s.queued(), limit(s.queueCapacity()), s.completed(), s.failed(), s.cancelled(), s.rejected(), s.submitted(),
                DurationSummary.of(executor, Distribution.QUEUE_WAIT, this.windows, this.percentiles),
                DurationSummary.of(executor, Distribution.EXECUTION, this.windows, this.percentiles),
                DurationSummary.of(executor, Distribution.LATENCY, this.windows, this.percentiles),
                workers(executor));
    }

    /**
     * @return {@code limit}, or {@value #UNBOUNDED} for {@link Integer#MAX_VALUE}, which is how the engines say "no
     *         limit": an operator should read "unbounded", not 2147483647
     */
    static Object limit(int limit) {
        return limit == Integer.MAX_VALUE ? UNBOUNDED : limit;
    }

    private static List<Worker> workers(ManagedExecutor executor) {
        List<Worker> workers = new ArrayList<>();
        if (executor instanceof ThreadPool pool) {
            for (String thread : pool.threadNames()) {
                workers.add(new ThreadWorker(thread));
            }
        } else if (executor instanceof ProcessPool pool) {
            for (WorkerInfo info : pool.workers()) {
                workers.add(new ProcessWorker(info.name(), info.pid(), info.tasksRun(), info.startedAt().toString(),
                        info.state().name()));
            }
        }
        return List.copyOf(workers);
    }

    /**
     * The answer of {@code GET /actuator/executors}.
     *
     * @param executors bean name to state, in the order the beans were defined
     */
    public record ExecutorsDescriptor(Map<String, ExecutorDescriptor> executors) implements OperationResponseBody {
    }

    /**
     * One executor in {@code GET /actuator/executors}, from {@link ExecutorStats}. The counters count from the
     * executor's construction and are never reset.
     *
     * @param type          {@code thread}, {@code virtual} or {@code process}
     * @param state         {@code RUNNING}, {@code SHUTDOWN} or {@code BROKEN}
     * @param maxWorkers    the worker limit, a number; the string {@code unbounded} for an unlimited virtual pool
     * @param poolSize      workers alive (threads, or worker processes)
     * @param active        tasks running now
     * @param queued        tasks waiting for a worker
     * @param queueCapacity the queue's limit, a number; the string {@code unbounded} when there is none
     * @param completed     tasks that returned normally
     * @param failed        tasks that threw, or were failed by a broken pool
     * @param cancelled     tasks cancelled before they started
     * @param rejected      tasks refused (shut down, queue full) or discarded by the rejection policy
     */
    public record ExecutorDescriptor(String type, String state, Object maxWorkers, int poolSize, int active, int queued,
                                     Object queueCapacity, long completed, long failed, long cancelled, long rejected)
            implements OperationResponseBody {
    }

    /**
     * One executor in {@code GET /actuator/executors/{name}}: the fields of {@link ExecutorDescriptor}, then
     * {@code submitted}, three latency distributions and the workers.
     *
     * @param type          as {@link ExecutorDescriptor}
     * @param state         as {@link ExecutorDescriptor}
     * @param maxWorkers    as {@link ExecutorDescriptor}
     * @param poolSize      as {@link ExecutorDescriptor}
     * @param active        as {@link ExecutorDescriptor}
     * @param queued        as {@link ExecutorDescriptor}
     * @param queueCapacity as {@link ExecutorDescriptor}
     * @param completed     as {@link ExecutorDescriptor}
     * @param failed        as {@link ExecutorDescriptor}
     * @param cancelled     as {@link ExecutorDescriptor}
     * @param rejected      as {@link ExecutorDescriptor}
     * @param submitted     every task handed to the executor, rejected ones included
     * @param queueWait     submit to start, over the tasks that started
     * @param execution     start to end, over the tasks that ran
     * @param latency       submit to done over every task that ended, whatever its outcome: what a caller waiting on
     *                      the future sees
     * @param workers       the pool's live threads ({@link ThreadWorker}), or its worker processes
     *                      ({@link ProcessWorker})
     */
    public record ExecutorDetails(String type, String state, Object maxWorkers, int poolSize, int active, int queued,
                                  Object queueCapacity, long completed, long failed, long cancelled, long rejected,
                                  long submitted, DurationSummary queueWait, DurationSummary execution,
                                  DurationSummary latency, List<Worker> workers) implements OperationResponseBody {
    }

    /** A worker of an executor: a thread, or a worker process. */
    public sealed interface Worker permits ThreadWorker, ProcessWorker {
    }

    /**
     * A live thread of a thread or virtual pool.
     *
     * @param name the thread's name; an unnamed virtual thread shows as {@code #<threadId>}
     */
    public record ThreadWorker(String name) implements Worker {
    }

    /**
     * A worker JVM of a process pool.
     *
     * @param name      {@code <pool>-worker-<n>}
     * @param pid       its process id
     * @param tasksRun  tasks it has finished
     * @param startedAt when it was started, ISO-8601 UTC
     * @param state     {@code STARTING}, {@code IDLE}, {@code BUSY} or {@code RETIRING}
     */
    public record ProcessWorker(String name, long pid, long tasksRun, String startedAt, String state)
            implements Worker {
    }
}
