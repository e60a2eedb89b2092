package dev.spool.autoconfigure.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.spool.autoconfigure.SpoolBeans;
import dev.spool.autoconfigure.SpoolKind;
import dev.spool.futures.ExecutorStats;
import dev.spool.futures.ExecutorType;
import dev.spool.futures.AdoptedExecutor;
import dev.spool.futures.ManagedExecutor;
import dev.spool.futures.ObservedExecutor;
import dev.spool.futures.ProcessPool;
import dev.spool.futures.RunningTask;
import dev.spool.futures.ScheduledPool;
import dev.spool.futures.ThreadPool;
import dev.spool.futures.TimeoutStats;
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
 *       the engine's histograms), the workers with the task each runs, the run-timeout and queue-timeout and the hung
 *       tasks, and for a scheduled pool its {@link ScheduleDescriptor schedule}; {@code ?stacks=true} adds each busy
 *       worker thread's stack; 404 when no executor has that name;</li>
 *   <li>{@code POST /actuator/executors/{name}}: only with {@code spool.endpoints.write.enabled=true}, see
 *       {@link ExecutorsEndpointWebExtension}.</li>
 * </ul>
 * It lists the executors {@code spool.executors} configures and the application's own {@link ManagedExecutor} beans;
 * a lazy one once it has been created. Reading never blocks a pool: each view is one {@link ManagedExecutor#stats()}
 * snapshot and, for one executor, its histograms' snapshots and one read of its running tasks. Only
 * {@code ?stacks=true} costs more (a stack trace of each busy thread), so the list view and a plain read never take
 * stacks.
 */
@Endpoint(id = "executors")
public class ExecutorsEndpoint {

    /** How {@code maxWorkers} and {@code queueCapacity} show that there is no limit. */
    public static final String UNBOUNDED = "unbounded";
    /** The {@code state} of a worker thread that runs a task. */
    public static final String BUSY = "BUSY";
    /** The {@code state} of a worker thread that waits for one. */
    public static final String IDLE = "IDLE";

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
        this.beans.observedExecutors().forEach((name, executor) -> executors.put(name, describe(executor)));
        return new ExecutorsDescriptor(Collections.unmodifiableMap(executors));
    }

    /**
     * {@code GET /actuator/executors/{name}}, and {@code ?stacks=true} for the stack of each busy worker thread.
     *
     * @param name   an executor's bean name
     * @param stacks whether to take the stack of each thread that runs a task (the query parameter
     *               {@code stacks}); null or false: no stacks, nothing but the pool's own bookkeeping is read
     * @return its state, latencies, timeouts and workers; null (HTTP 404) when there is no such executor
     */
    @ReadOperation
    public @Nullable ExecutorDetails executor(@Selector String name, @Nullable Boolean stacks) {
        ObservedExecutor executor = this.beans.findObserved(name);
        return executor != null ? details(executor, Boolean.TRUE.equals(stacks)) : null;
    }

    /**
     * {@link #executor(String, Boolean)} without stacks.
     *
     * @param name an executor's bean name
     * @return its state, latencies, timeouts and workers; null when there is no such executor
     */
    public @Nullable ExecutorDetails executor(String name) {
        return executor(name, null);
    }

    /** @return the executor of that bean name, null if none; for the write extension */
    @Nullable ObservedExecutor find(String name) {
        return this.beans.findObserved(name);
    }

    /** @return the list view of one executor */
    static ExecutorDescriptor describe(ObservedExecutor executor) {
        ExecutorStats s = executor.stats();
        return new ExecutorDescriptor(executor.type().tag(), s.state().name(), limit(s.maxWorkers()), s.poolSize(),
                s.active(), s.queued(), limit(s.queueCapacity()), s.completed(), s.failed(), s.cancelled(),
                s.rejected(), adopted(executor));
    }

    private ExecutorDetails details(ObservedExecutor executor, boolean stacks) {
        ExecutorStats s = executor.stats();
        List<RunningTask> running = executor.runningTasks(stacks);
        return new ExecutorDetails(executor.type().tag(), s.state().name(), limit(s.maxWorkers()), s.poolSize(),
                s.active(), s.queued(), limit(s.queueCapacity()), s.completed(), s.failed(), s.cancelled(), s.rejected(), s.submitted(),
                DurationSummary.of(executor, Distribution.QUEUE_WAIT, this.windows, this.percentiles),
                DurationSummary.of(executor, Distribution.EXECUTION, this.windows, this.percentiles),
                DurationSummary.of(executor, Distribution.LATENCY, this.windows, this.percentiles),
                workers(executor, running), TimeoutsDescriptor.of(executor.timeoutStats()), hungTasks(running),
                executor instanceof ScheduledPool pool ? schedule(pool) : null, adopted(executor));
    }

    /** @return whether Spool observes the pool but does not run it ({@code spool.adopt.*}) */
    static boolean adopted(ObservedExecutor executor) {
        return executor instanceof AdoptedExecutor;
    }

    private ScheduleDescriptor schedule(ScheduledPool pool) {
        Duration next = pool.nextDue();
        return new ScheduleDescriptor(pool.scheduledCount(), next != null ? millis(next) : null, pool.missedRuns(),
                DurationSummary.of(pool, Distribution.LATENESS, this.windows, this.percentiles));
    }

    /**
     * @return {@code limit}, or {@value #UNBOUNDED} for {@link Integer#MAX_VALUE}, which is how the engines say "no
     *         limit": an operator should read "unbounded", not 2147483647
     */
    static Object limit(int limit) {
        return limit == Integer.MAX_VALUE ? UNBOUNDED : limit;
    }

    /**
     * A thread pool's workers are its live threads, each busy with the task it runs or idle; a virtual pool's are the
     * tasks running now (a virtual thread lives for one task); a process pool's are its worker JVMs, with the task
     * each runs when the pool tells.
     */
    private static List<Worker> workers(ObservedExecutor executor, List<RunningTask> running) {
        Map<String, RunningTask> byWorker = new HashMap<>();
        for (RunningTask task : running) {
            byWorker.put(task.worker(), task);
        }
        List<Worker> workers = new ArrayList<>();
        if (adopted(executor) || executor instanceof ThreadPool && executor.type() == ExecutorType.VIRTUAL) {
            // an adopted pool's idle threads are not known: its workers are the threads running a task now
            for (RunningTask task : running) {
                workers.add(ThreadWorker.of(task.worker(), task));
            }
        } else if (executor instanceof ThreadPool pool) {
            for (String thread : pool.threadNames()) {
                workers.add(ThreadWorker.of(thread, byWorker.get(thread)));
            }
        } else if (executor instanceof ScheduledPool pool) {
            for (String thread : pool.threadNames()) {
                workers.add(ThreadWorker.of(thread, byWorker.get(thread)));
            }
        } else if (executor instanceof ProcessPool pool) {
            for (WorkerInfo info : pool.workers()) {
                workers.add(ProcessWorker.of(info, info.task())); // read with its state, so the two agree
            }
        }
        return List.copyOf(workers);
    }

    private static List<HungTask> hungTasks(List<RunningTask> running) {
        List<HungTask> hung = new ArrayList<>();
        for (RunningTask task : running) {
            if (task.hung()) {
                hung.add(HungTask.of(task));
            }
        }
        return List.copyOf(hung);
    }

    /** @return a running time in milliseconds, to the microsecond, as the endpoints give durations */
    static double millis(Duration duration) {
        return DurationSummary.millis(duration.toNanos());
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
     * @param type          {@code thread}, {@code virtual}, {@code process} or {@code scheduled}
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
     * @param adopted       true for a pool Spool observes but does not run ({@code spool.adopt.*}: Boot's
     *                      {@code applicationTaskExecutor}, {@code taskScheduler}, Tomcat's request pool), which cannot
     *                      be resized here
     */
    public record ExecutorDescriptor(String type, String state, Object maxWorkers, int poolSize, int active, int queued,
                                     Object queueCapacity, long completed, long failed, long cancelled, long rejected,
                                     boolean adopted)
            implements OperationResponseBody {
    }

    /**
     * One executor in {@code GET /actuator/executors/{name}}: the fields of {@link ExecutorDescriptor}, then
     * {@code submitted}, three latency distributions, the workers, the timeouts, the hung tasks and, for a scheduled
     * pool, its schedule.
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
     * @param workers       the pool's live threads ({@link ThreadWorker}; for a virtual pool and an adopted pool, the
     *                      threads running a task), or its worker processes ({@link ProcessWorker})
     * @param timeouts      the run-timeout and queue-timeout and what they caught
     * @param hungTasks     the tasks running now past the run-timeout (read with the workers, so it agrees with their
     *                      {@code hung})
     * @param schedule      a scheduled pool's scheduled tasks, missed runs and lateness; absent for other pools
     * @param adopted       as {@link ExecutorDescriptor}
     */
    public record ExecutorDetails(String type, String state, Object maxWorkers, int poolSize, int active, int queued,
                                  Object queueCapacity, long completed, long failed, long cancelled, long rejected,
                                  long submitted, DurationSummary queueWait, DurationSummary execution,
                                  DurationSummary latency, List<Worker> workers, TimeoutsDescriptor timeouts,
                                  List<HungTask> hungTasks, @Nullable ScheduleDescriptor schedule,
                                  boolean adopted) implements OperationResponseBody {
    }

    /**
     * The schedule of a {@link ScheduledPool}.
     *
     * @param scheduled     tasks waiting for the time of their next run ({@link ScheduledPool#scheduledCount()})
     * @param nextDueMillis how long until the earliest of them is due, negative when it is late; absent when none is
     *                      scheduled
     * @param missedRuns    runs of periodic tasks that fell due while an earlier run of theirs had not started
     * @param lateness      how late each scheduled run started, from the time it was due
     */
    public record ScheduleDescriptor(int scheduled, @Nullable Double nextDueMillis, long missedRuns,
                                     DurationSummary lateness) {
    }

    /** A worker of an executor: a thread, or a worker process. */
    public sealed interface Worker permits ThreadWorker, ProcessWorker {
    }

    /**
     * A live thread of a thread or virtual pool, and the task it runs.
     *
     * @param name          the thread's name; an unnamed virtual thread shows as {@code #<threadId>}
     * @param state         {@value #BUSY} while it runs a task, {@value #IDLE} otherwise
     * @param task          what it runs: the name given to {@code submit(name, task)}, else the task's class; absent
     *                      when idle
     * @param since         when the task started, ISO-8601 UTC; absent when idle
     * @param runningMillis how long the task has run; absent when idle
     * @param hung          whether the task has run past the executor's run-timeout
     * @param stack         with {@code ?stacks=true}, the thread's stack while it runs the task, innermost frame first,
     *                      each as {@code at class.method(File.java:line)}; absent otherwise
     */
    public record ThreadWorker(String name, String state, @Nullable String task, @Nullable String since,
                               @Nullable Double runningMillis, boolean hung, @Nullable List<String> stack)
            implements Worker {

        static ThreadWorker of(String name, @Nullable RunningTask task) {
            if (task == null) {
                return new ThreadWorker(name, IDLE, null, null, null, false, null);
            }
            return new ThreadWorker(name, BUSY, task.description(), task.startedAt().toString(),
                    millis(task.runningFor()), task.hung(), task.stack().isEmpty() ? null : stack(task.stack()));
        }

        private static List<String> stack(List<StackTraceElement> frames) {
            List<String> lines = new ArrayList<>(frames.size());
            for (StackTraceElement frame : frames) {
                lines.add("at " + frame);
            }
            return List.copyOf(lines);
        }
    }

    /**
     * A worker JVM of a process pool.
     *
     * @param name          {@code <pool>-worker-<n>}
     * @param pid           its process id
     * @param tasksRun      tasks it has finished
     * @param startedAt     when it was started, ISO-8601 UTC
     * @param state         {@code STARTING}, {@code IDLE}, {@code BUSY} or {@code RETIRING}
     * @param task          what it runs ({@link WorkerInfo#task()}); absent when it runs none
     * @param since         when that task started, ISO-8601 UTC; absent with {@code task}
     * @param runningMillis how long it has run; absent with {@code task}
     * @param hung          whether it has run past the executor's run-timeout
     */
    public record ProcessWorker(String name, long pid, long tasksRun, String startedAt, String state,
                                @Nullable String task, @Nullable String since, @Nullable Double runningMillis,
                                boolean hung) implements Worker {

        static ProcessWorker of(WorkerInfo info, @Nullable RunningTask task) {
            return new ProcessWorker(info.name(), info.pid(), info.tasksRun(), info.startedAt().toString(),
                    info.state().name(), task != null ? task.description() : null,
                    task != null ? task.startedAt().toString() : null,
                    task != null ? millis(task.runningFor()) : null, task != null && task.hung());
        }
    }

    /**
     * An executor's timeouts ({@link TimeoutStats}).
     *
     * @param runTimeoutMillis   the run-timeout; absent when there is none
     * @param queueTimeoutMillis the queue-timeout; absent when there is none
     * @param hung               tasks running now past the run-timeout
     * @param runTimeouts        tasks that ever ran past it
     * @param queueTimeouts      tasks that waited past the queue-timeout, those it cancelled included
     */
    public record TimeoutsDescriptor(@Nullable Double runTimeoutMillis, @Nullable Double queueTimeoutMillis, int hung,
                                     long runTimeouts, long queueTimeouts) {

        static TimeoutsDescriptor of(TimeoutStats stats) {
            return new TimeoutsDescriptor(stats.runTimeout() != null ? millis(stats.runTimeout()) : null,
                    stats.queueTimeout() != null ? millis(stats.queueTimeout()) : null, stats.hung(),
                    stats.runTimeouts(), stats.queueTimeouts());
        }
    }

    /**
     * A task running past its executor's run-timeout.
     *
     * @param worker        the worker that runs it (a thread's name, or {@code <pool>-worker-<n>})
     * @param task          what it is: the name given to {@code submit(name, task)}, else the task's class
     * @param since         when it started, ISO-8601 UTC
     * @param runningMillis how long it has run
     */
    public record HungTask(String worker, String task, String since, double runningMillis) {

        static HungTask of(RunningTask task) {
            return new HungTask(task.worker(), task.description(), task.startedAt().toString(),
                    millis(task.runningFor()));
        }
    }
}
