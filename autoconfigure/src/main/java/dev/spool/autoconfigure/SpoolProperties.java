package dev.spool.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.spool.futures.ExecutorType;
import dev.spool.futures.RejectionPolicy;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Spool's configuration: the spool.* keys of application.yml. Every executor and primitive is
 * named by its key, and that name is its bean name, its @Async qualifier and the name tag of its
 * meters. Names are unique across all kinds.
 *
 * <pre>
 * spool:
 *   executors:
 *     io: { type: thread, max-workers: 16 }
 *   locks:
 *     inventory: { reentrant: true }
 * </pre>
 */
@ConfigurationProperties("spool")
public class SpoolProperties {

    /**
     * Name of the executor that @Async uses when it names none, and that is also exposed as
     * applicationTaskExecutor (Spring MVC async requests, Boot's bootstrap executor). Must name a thread or
     * virtual executor of spool.executors. Unset: Boot's own applicationTaskExecutor and its
     * spring.task.execution.* keys stay in charge, as without Spool.
     */
    private @Nullable String defaultExecutor;

    /**
     * Where the named locks, semaphores and events keep their state unless their own backend key says otherwise:
     * local (this JVM only) or redis (shared by every instance that uses the same Redis, through Redisson; needs the
     * spool-redis module). Barriers and conditions are always local.
     */
    private Backend backend = Backend.LOCAL;

    /**
     * Executors by name: a ThreadPool (type thread or virtual) or a ProcessPool (type process) bean each. Keys of
     * each: type, max-workers, queue-capacity, rejection-policy, thread-name-prefix, keep-alive, prestart,
     * max-tasks-per-child, jvm-options, run-timeout, interrupt-on-run-timeout, queue-timeout, cancel-on-queue-timeout,
     * shutdown.await-termination, shutdown.cancel-futures.
     */
    private final Map<String, Executor> executors = new LinkedHashMap<>();

    private final ExecutorDefaults executorDefaults = new ExecutorDefaults();

    /** Locks by name: a Lock bean each, or an RLock when reentrant. Keys of each: reentrant, fair, backend, lease. */
    private final Map<String, LockSpec> locks = new LinkedHashMap<>();

    /**
     * Semaphores by name: a Semaphore bean each, or a BoundedSemaphore when bounded. Keys of each: permits, bounded,
     * fair, backend, lease.
     */
    private final Map<String, SemaphoreSpec> semaphores = new LinkedHashMap<>();

    /** Events by name: an Event bean each. Keys of each: initially-set, backend. */
    private final Map<String, EventSpec> events = new LinkedHashMap<>();

    /** Barriers by name: a Barrier bean each. Keys of each: parties (required), timeout. */
    private final Map<String, BarrierSpec> barriers = new LinkedHashMap<>();

    /**
     * Conditions by name: a Condition bean each, over the lock that its lock key names (the same Lock or RLock
     * bean) or, without one, over a reentrant lock of its own. Keys of each: lock.
     */
    private final Map<String, ConditionSpec> conditions = new LinkedHashMap<>();

    /**
     * Whether tasks of Spool thread and virtual pools run with the SLF4J MDC of the thread that submitted them
     * (also across @Async), restoring the worker's own MDC afterwards; and whether process pools send that MDC
     * with each task to the worker JVM, which sets it around the task (when SLF4J is on the workers' class path
     * too). Applies when SLF4J is on the class path.
     */
    private boolean propagateMdc = true;

    /**
     * Whether tasks of Spool thread and virtual pools run with the context of the thread that submitted them, as
     * captured by Micrometer's context-propagation library (every ThreadLocalAccessor of its ContextRegistry: the
     * current observation and trace, Spring Security's context, the application's own), also across @Async.
     * Applies when io.micrometer:context-propagation is on the class path; independent of
     * spring.task.execution.propagate-context, whose decorator Spool uses instead of its own when it is on.
     */
    private boolean propagateContext = true;

    /**
     * What a key under spool.* that Spool does not know (a misspelling such as max-worker) does: fail stops start-up
     * naming the key, where it was set and the nearest valid key; warn logs the same at WARN and starts. Environment
     * variables are not checked.
     */
    private UnknownKeys unknownKeys = UnknownKeys.FAIL;

    private final Metrics metrics = new Metrics();

    private final Endpoints endpoints = new Endpoints();

    private final Health health = new Health();

    private final Alerts alerts = new Alerts();

    private final Adopt adopt = new Adopt();

    public @Nullable String getDefaultExecutor() {
        return this.defaultExecutor;
    }

    public void setDefaultExecutor(@Nullable String defaultExecutor) {
        this.defaultExecutor = defaultExecutor;
    }

    public Backend getBackend() {
        return this.backend;
    }

    public void setBackend(Backend backend) {
        this.backend = backend;
    }

    /**
     * @param spec one primitive's properties
     * @return its backend: its own {@code backend} key, else {@code spool.backend}
     */
    public Backend backendOf(PrimitiveSpec spec) {
        return spec.getBackend() != null ? spec.getBackend() : this.backend;
    }

    public UnknownKeys getUnknownKeys() {
        return this.unknownKeys;
    }

    public void setUnknownKeys(UnknownKeys unknownKeys) {
        this.unknownKeys = unknownKeys;
    }

    public boolean isPropagateMdc() {
        return this.propagateMdc;
    }

    public void setPropagateMdc(boolean propagateMdc) {
        this.propagateMdc = propagateMdc;
    }

    public boolean isPropagateContext() {
        return this.propagateContext;
    }

    public void setPropagateContext(boolean propagateContext) {
        this.propagateContext = propagateContext;
    }

    public Map<String, Executor> getExecutors() {
        return this.executors;
    }

    public ExecutorDefaults getExecutorDefaults() {
        return this.executorDefaults;
    }

    /**
     * @param executor one executor's properties
     * @return its run-timeout: its own {@code run-timeout} key, else {@code spool.executor-defaults.run-timeout}; null
     * when neither is set
     */
    public @Nullable Duration runTimeoutOf(Executor executor) {
        return executor.getRunTimeout() != null ? executor.getRunTimeout() : this.executorDefaults.getRunTimeout();
    }

    public Map<String, LockSpec> getLocks() {
        return this.locks;
    }

    public Map<String, SemaphoreSpec> getSemaphores() {
        return this.semaphores;
    }

    public Map<String, EventSpec> getEvents() {
        return this.events;
    }

    public Map<String, BarrierSpec> getBarriers() {
        return this.barriers;
    }

    public Map<String, ConditionSpec> getConditions() {
        return this.conditions;
    }

    public Metrics getMetrics() {
        return this.metrics;
    }

    public Endpoints getEndpoints() {
        return this.endpoints;
    }

    public Health getHealth() {
        return this.health;
    }

    public Alerts getAlerts() {
        return this.alerts;
    }

    public Adopt getAdopt() {
        return this.adopt;
    }

    /** What {@code spool.unknown-keys} does with a key Spool does not know. */
    public enum UnknownKeys {
        /** Start-up stops, naming each unknown key, where it was set and the nearest valid key. */
        FAIL,
        /** Each unknown key is logged at WARN, with where it was set and the nearest valid key; start-up goes on. */
        WARN
    }

    /** One executor: a thread pool, a virtual-thread pool or a pool of worker JVMs. */
    public static class Executor {

        /**
         * Kind of pool: thread (platform threads), virtual (one virtual thread per task), process (worker JVMs) or
         * scheduled (a timer in front of platform threads: a ScheduledExecutorService, for
         * {@code @Scheduled(scheduler = "<name>")}).
         */
        private ExecutorType type = ExecutorType.THREAD;

        /**
         * Most workers: threads for a thread pool (default min(32, cpus + 4)), tasks running at once for a virtual
         * pool (default unlimited), worker JVMs for a process pool (default: available processors), threads that run
         * the due runs of a scheduled pool (default 1).
         */
        private @Nullable Integer maxWorkers;

        /**
         * Most tasks waiting for a worker. Default unbounded. Thread and virtual pools only (a scheduled pool's is
         * unbounded).
         */
        private @Nullable Integer queueCapacity;

        /** What a full queue does with a new task: abort, caller-runs, discard or discard-oldest. */
        private RejectionPolicy rejectionPolicy = RejectionPolicy.ABORT;

        /**
         * Prefix of worker thread names: threads are named prefix + a number, with an underscore between them unless
         * the prefix ends in '-', '_', '.' or a space ({@code worker} gives worker_0, {@code worker-} gives worker-0).
         * Default: the executor's name followed by a dash (io-0, io-1, ...); a virtual pool leaves its threads
         * unnamed unless this is set. Thread and virtual pools only.
         */
        private @Nullable String threadNamePrefix;

        /** How long an idle worker thread lives before it retires. Thread pools only (virtual threads never idle). */
        private Duration keepAlive = Duration.ofSeconds(60);

        /**
         * Whether to start every worker (thread or worker JVM) when the pool is built instead of on demand. Thread and
         * process pools only. A process pool then waits for its worker JVMs at start-up, and start-up stops, naming
         * jvm-options and quoting the JVM's error, when they cannot start.
         */
        private boolean prestart;

        /** Tasks a worker JVM runs before it is replaced by a fresh one. Default unlimited. Process pools only. */
        private @Nullable Integer maxTasksPerChild;

        /**
         * JVM options of every worker JVM, replacing Spool's fast-start defaults: -XX:+UseSerialGC,
         * -XX:TieredStopAtLevel=1, -Xmx256m, -XX:+ExitOnOutOfMemoryError, -Xshare:auto, -XX:-UsePerfData. Process
         * pools only.
         */
        private @Nullable List<String> jvmOptions;

        /**
         * A task that runs longer than this is hung: counted (spool.executor.tasks.hung while it runs,
         * spool.executor.run.timeouts), logged once at WARN with its worker's stack, listed in
         * /actuator/executors/{name} and in the spool health component. It is not stopped unless
         * interrupt-on-run-timeout says so. Default: spool.executor-defaults.run-timeout, else none.
         */
        private @Nullable Duration runTimeout;

        /**
         * Whether a task that runs past run-timeout is cancelled as cancel(true) does: its future is cancelled and its
         * thread interrupted. Needs a run-timeout. Thread and virtual pools only.
         */
        private boolean interruptOnRunTimeout;

        /**
         * A task that waits in the queue longer than this before it starts is counted
         * (spool.executor.queue.timeouts); with cancel-on-queue-timeout it is cancelled instead of run. Default none.
         */
        private @Nullable Duration queueTimeout;

        /**
         * Whether a task that waited past queue-timeout is cancelled before it starts (a running task never is).
         * Needs a queue-timeout.
         */
        private boolean cancelOnQueueTimeout;

        private final Shutdown shutdown = new Shutdown();

        public ExecutorType getType() {
            return this.type;
        }

        public void setType(ExecutorType type) {
            this.type = type;
        }

        public @Nullable Integer getMaxWorkers() {
            return this.maxWorkers;
        }

        public void setMaxWorkers(@Nullable Integer maxWorkers) {
            this.maxWorkers = maxWorkers;
        }

        public @Nullable Integer getQueueCapacity() {
            return this.queueCapacity;
        }

        public void setQueueCapacity(@Nullable Integer queueCapacity) {
            this.queueCapacity = queueCapacity;
        }

        public RejectionPolicy getRejectionPolicy() {
            return this.rejectionPolicy;
        }

        public void setRejectionPolicy(RejectionPolicy rejectionPolicy) {
            this.rejectionPolicy = rejectionPolicy;
        }

        public @Nullable String getThreadNamePrefix() {
            return this.threadNamePrefix;
        }

        public void setThreadNamePrefix(@Nullable String threadNamePrefix) {
            this.threadNamePrefix = threadNamePrefix;
        }

        public Duration getKeepAlive() {
            return this.keepAlive;
        }

        public void setKeepAlive(Duration keepAlive) {
            this.keepAlive = keepAlive;
        }

        public boolean isPrestart() {
            return this.prestart;
        }

        public void setPrestart(boolean prestart) {
            this.prestart = prestart;
        }

        public @Nullable Integer getMaxTasksPerChild() {
            return this.maxTasksPerChild;
        }

        public void setMaxTasksPerChild(@Nullable Integer maxTasksPerChild) {
            this.maxTasksPerChild = maxTasksPerChild;
        }

        public @Nullable List<String> getJvmOptions() {
            return this.jvmOptions;
        }

        public void setJvmOptions(@Nullable List<String> jvmOptions) {
            this.jvmOptions = jvmOptions;
        }

        public @Nullable Duration getRunTimeout() {
            return this.runTimeout;
        }

        public void setRunTimeout(@Nullable Duration runTimeout) {
            this.runTimeout = runTimeout;
        }

        public boolean isInterruptOnRunTimeout() {
            return this.interruptOnRunTimeout;
        }

        public void setInterruptOnRunTimeout(boolean interruptOnRunTimeout) {
            this.interruptOnRunTimeout = interruptOnRunTimeout;
        }

        public @Nullable Duration getQueueTimeout() {
            return this.queueTimeout;
        }

        public void setQueueTimeout(@Nullable Duration queueTimeout) {
            this.queueTimeout = queueTimeout;
        }

        public boolean isCancelOnQueueTimeout() {
            return this.cancelOnQueueTimeout;
        }

        public void setCancelOnQueueTimeout(boolean cancelOnQueueTimeout) {
            this.cancelOnQueueTimeout = cancelOnQueueTimeout;
        }

        public Shutdown getShutdown() {
            return this.shutdown;
        }
    }

    /** What every executor of spool.executors has unless its own key says otherwise. */
    public static class ExecutorDefaults {

        /**
         * The run-timeout of every executor of spool.executors that has no run-timeout key of its own. Default none
         * (no executor watches for hung tasks unless told).
         */
        private @Nullable Duration runTimeout;

        public @Nullable Duration getRunTimeout() {
            return this.runTimeout;
        }

        public void setRunTimeout(@Nullable Duration runTimeout) {
            this.runTimeout = runTimeout;
        }
    }

    /** How an executor ends when the application context closes. */
    public static class Shutdown {

        /**
         * How long to wait for queued and running tasks to finish once the context closes (Spool's lifecycle phase
         * comes after the web server has stopped taking requests); tasks still running then are named in the log
         * and left to end on their own, and the workers of a process pool are terminated. Keep
         * spring.lifecycle.timeout-per-shutdown-phase (default 30s) above the longest of these.
         */
        private Duration awaitTermination = Duration.ofSeconds(30);

        /** Whether to cancel queued tasks at close instead of running them. Running tasks always finish. */
        private boolean cancelFutures;

        public Duration getAwaitTermination() {
            return this.awaitTermination;
        }

        public void setAwaitTermination(Duration awaitTermination) {
            this.awaitTermination = awaitTermination;
        }

        public boolean isCancelFutures() {
            return this.cancelFutures;
        }

        public void setCancelFutures(boolean cancelFutures) {
            this.cancelFutures = cancelFutures;
        }
    }

    /** Where a primitive keeps its state: the values of {@code spool.backend} and of each primitive's backend key. */
    public enum Backend {
        /** In this JVM: the primitive is shared by this application's threads only. */
        LOCAL,
        /** In Redis, through the application's RedissonClient: shared by every instance (the spool-redis module). */
        REDIS
    }

    /** What every named primitive's properties have: where its state lives. */
    public abstract static class PrimitiveSpec {

        /** Where its state lives: local or redis. Unset: spool.backend. */
        private @Nullable Backend backend;

        public @Nullable Backend getBackend() {
            return this.backend;
        }

        public void setBackend(@Nullable Backend backend) {
            this.backend = backend;
        }
    }

    /** What the properties of a primitive that is held have besides the backend: the lease of a hold. */
    public abstract static class HeldSpec extends PrimitiveSpec {

        /** The lease of a shared hold without a lease key. */
        public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

        /**
         * With backend redis: how long a hold outlives a holder that has stopped renewing it (its instance killed or cut
         * off). A live holder renews its lease, so a long hold keeps its lock or permit. At least 1s; default 30s.
         * Applies to backend redis only (a local holder cannot outlive its JVM).
         */
        private @Nullable Duration lease;

        public @Nullable Duration getLease() {
            return this.lease;
        }

        public void setLease(@Nullable Duration lease) {
            this.lease = lease;
        }

        /** @return the lease a shared hold gets: its lease key, else {@link #DEFAULT_LEASE} */
        public Duration leaseOrDefault() {
            return this.lease != null ? this.lease : DEFAULT_LEASE;
        }
    }

    /** One lock. */
    public static class LockSpec extends HeldSpec {

        /** Whether the owning thread may acquire it again (RLock) or not (Lock, which any thread may release). */
        private boolean reentrant;

        /** Whether waiting threads get the lock in arrival order (slower under contention). */
        private boolean fair;

        public boolean isReentrant() {
            return this.reentrant;
        }

        public void setReentrant(boolean reentrant) {
            this.reentrant = reentrant;
        }

        public boolean isFair() {
            return this.fair;
        }

        public void setFair(boolean fair) {
            this.fair = fair;
        }
    }

    /** One semaphore. */
    public static class SemaphoreSpec extends HeldSpec {

        /** Permits at start. */
        private int permits = 1;

        /** Whether releasing past the initial permits is an error (BoundedSemaphore). */
        private boolean bounded;

        /** Whether waiting threads get permits in arrival order. */
        private boolean fair;

        public int getPermits() {
            return this.permits;
        }

        public void setPermits(int permits) {
            this.permits = permits;
        }

        public boolean isBounded() {
            return this.bounded;
        }

        public void setBounded(boolean bounded) {
            this.bounded = bounded;
        }

        public boolean isFair() {
            return this.fair;
        }

        public void setFair(boolean fair) {
            this.fair = fair;
        }
    }

    /** One event. */
    public static class EventSpec extends PrimitiveSpec {

        /** Whether the event starts set. */
        private boolean initiallySet;

        public boolean isInitiallySet() {
            return this.initiallySet;
        }

        public void setInitiallySet(boolean initiallySet) {
            this.initiallySet = initiallySet;
        }
    }

    /** One barrier (always local: its backend key accepts local only). */
    public static class BarrierSpec extends PrimitiveSpec {

        /** Threads that must arrive before any passes. Required. */
        private @Nullable Integer parties;

        /** Default timeout of a wait on this barrier; a wait that times out breaks it. Default: none. */
        private @Nullable Duration timeout;

        public @Nullable Integer getParties() {
            return this.parties;
        }

        public void setParties(@Nullable Integer parties) {
            this.parties = parties;
        }

        public @Nullable Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(@Nullable Duration timeout) {
            this.timeout = timeout;
        }
    }

    /** One condition (always local, over a local lock: its backend key accepts local only). */
    public static class ConditionSpec extends PrimitiveSpec {

        /**
         * Name of the lock (of spool.locks) the condition waits on: the condition and the lock bean then share one
         * lock. Empty or unset: a reentrant lock of its own.
         */
        private @Nullable String lock;

        public @Nullable String getLock() {
            return this.lock;
        }

        public void setLock(@Nullable String lock) {
            this.lock = lock;
        }
    }

    /** Micrometer meters of every Spool executor and primitive. */
    public static class Metrics {

        /** Percentiles each Spool timer computes in the application, such as 0.5, 0.95, 0.99. */
        private List<Double> percentiles = new ArrayList<>();

        /** Whether Spool timers publish histogram buckets, for percentiles computed by the monitoring system. */
        private boolean percentileHistogram;

        /** How often the engine's latency histograms are copied into Micrometer timers. */
        private Duration step = Duration.ofSeconds(1);

        public List<Double> getPercentiles() {
            return this.percentiles;
        }

        public void setPercentiles(List<Double> percentiles) {
            this.percentiles = percentiles;
        }

        public boolean isPercentileHistogram() {
            return this.percentileHistogram;
        }

        public void setPercentileHistogram(boolean percentileHistogram) {
            this.percentileHistogram = percentileHistogram;
        }

        public Duration getStep() {
            return this.step;
        }

        public void setStep(Duration step) {
            this.step = step;
        }
    }

    /** The executors and primitives actuator endpoints. */
    public static class Endpoints {

        private final Write write = new Write();

        public Write getWrite() {
            return this.write;
        }

        /** Write operations. */
        public static class Write {

            /**
             * Whether POST /actuator/executors/{name} may resize executors. Off by default; when on, secure
             * it as any actuator write operation (for instance with Spring Security).
             */
            private boolean enabled;

            public boolean isEnabled() {
                return this.enabled;
            }

            public void setEnabled(boolean enabled) {
                this.enabled = enabled;
            }
        }
    }

    /** The spool health component. */
    public static class Health {

        /** Queue fill ratio (queued / capacity) at or above which a bounded executor is reported as saturated. */
        private double saturationThreshold = 0.9;

        /**
         * The status of the spool component while a task of an executor runs past its run-timeout (and nothing is
         * DOWN): DOWN, OUT_OF_SERVICE, UP (list hung tasks in the details only) or a status of your own; read in
         * upper case.
         */
        private String hungTasksStatus = "DOWN";

        public double getSaturationThreshold() {
            return this.saturationThreshold;
        }

        public void setSaturationThreshold(double saturationThreshold) {
            this.saturationThreshold = saturationThreshold;
        }

        public String getHungTasksStatus() {
            return this.hungTasksStatus;
        }

        public void setHungTasksStatus(String hungTasksStatus) {
            this.hungTasksStatus = hungTasksStatus;
        }
    }

    /**
     * Threshold alerts on executors and locks, published as {@code SpoolAlertEvent}s (docs/operations.md, "Alert
     * events"). The defaults are those of docs/prometheus-alerts.yml, so both tell one story.
     */
    public static class Alerts {

        /**
         * Whether Spool checks its executors and locks every check-interval and publishes a SpoolAlertEvent (logged at
         * WARN and counted in spool.alerts) for each alert whose threshold is reached.
         */
        private boolean enabled = true;

        /**
         * How often the executors and locks are checked, on one daemon thread (spool-alerts). The count thresholds
         * (rejections, run-timeout, queue-timeout) count what happened in one such interval.
         */
        private Duration checkInterval = Duration.ofSeconds(10);

        /**
         * After an alert fires for an executor or lock, how long that alert stays quiet for it, even if its condition
         * clears and returns meanwhile. 0s: an event at every check that finds the condition.
         */
        private Duration silence = Duration.ofMinutes(5);

        private final UsageAlert queueUsage = UsageAlert.withThreshold(0.8);

        private final UsageAlert workerUsage = UsageAlert.withThreshold(0.9);

        private final CountAlert rejections = new CountAlert();

        private final CountAlert runTimeout = new CountAlert();

        private final CountAlert queueTimeout = new CountAlert();

        private final WaitAlert lockWait = new WaitAlert();

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getCheckInterval() {
            return this.checkInterval;
        }

        public void setCheckInterval(Duration checkInterval) {
            this.checkInterval = checkInterval;
        }

        public Duration getSilence() {
            return this.silence;
        }

        public void setSilence(Duration silence) {
            this.silence = silence;
        }

        /** @return queued / queue capacity of a bounded executor; default threshold 0.8 */
        public UsageAlert getQueueUsage() {
            return this.queueUsage;
        }

        /** @return busy workers / max workers of an executor with a worker limit, tasks queued; default 0.9 */
        public UsageAlert getWorkerUsage() {
            return this.workerUsage;
        }

        /** @return tasks an executor refused or dropped in one check interval; default threshold 1 */
        public CountAlert getRejections() {
            return this.rejections;
        }

        /** @return tasks hung now, or that crossed the run-timeout in one check interval; default threshold 1 */
        public CountAlert getRunTimeout() {
            return this.runTimeout;
        }

        /** @return tasks that waited past the queue-timeout in one check interval; default threshold 1 */
        public CountAlert getQueueTimeout() {
            return this.queueTimeout;
        }

        /** @return how long threads wait for a lock; default threshold 500ms */
        public WaitAlert getLockWait() {
            return this.lockWait;
        }
    }

    /** What every alert has: whether it is checked at all. */
    public abstract static class AlertSpec {

        /** Whether this alert is checked. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** What every per-name override of an alert has: whether the alert is checked for that name. */
    public abstract static class AlertOverride {

        /** Whether the alert is checked for this executor or lock. Unset: the alert's own enabled key. */
        private @Nullable Boolean enabled;

        public @Nullable Boolean getEnabled() {
            return this.enabled;
        }

        public void setEnabled(@Nullable Boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** An alert on a fill ratio: queue usage or worker usage. */
    public static class UsageAlert extends AlertSpec {

        /**
         * Ratio in (0, 1] at or above which the alert fires: queued / queue capacity for queue-usage (bounded queues
         * only), busy workers / max workers while tasks are queued for worker-usage (pools with a worker limit only).
         * Defaults: queue-usage 0.8, worker-usage 0.9.
         */
        private double threshold;

        /** Thresholds of single executors, by name: names.batch.threshold, names.batch.enabled. */
        private final Map<String, UsageOverride> names = new LinkedHashMap<>();

        static UsageAlert withThreshold(double threshold) {
            UsageAlert alert = new UsageAlert();
            alert.threshold = threshold;
            return alert;
        }

        public double getThreshold() {
            return this.threshold;
        }

        public void setThreshold(double threshold) {
            this.threshold = threshold;
        }

        public Map<String, UsageOverride> getNames() {
            return this.names;
        }
    }

    /** One executor's own queue-usage or worker-usage settings. */
    public static class UsageOverride extends AlertOverride {

        /** Ratio in (0, 1] at or above which the alert fires for this executor. Unset: the alert's threshold. */
        private @Nullable Double threshold;

        public @Nullable Double getThreshold() {
            return this.threshold;
        }

        public void setThreshold(@Nullable Double threshold) {
            this.threshold = threshold;
        }
    }

    /** An alert on what happened during one check interval: rejections, run-timeouts, queue-timeouts. */
    public static class CountAlert extends AlertSpec {

        /**
         * Tasks (1 or more) in one check interval at or above which the alert fires: 1 fires on any. For run-timeout,
         * the larger of the tasks hung now and those that crossed the run-timeout in the interval.
         */
        private int threshold = 1;

        /** Thresholds of single executors, by name: names.batch.threshold, names.batch.enabled. */
        private final Map<String, CountOverride> names = new LinkedHashMap<>();

        public int getThreshold() {
            return this.threshold;
        }

        public void setThreshold(int threshold) {
            this.threshold = threshold;
        }

        public Map<String, CountOverride> getNames() {
            return this.names;
        }
    }

    /** One executor's own rejections, run-timeout or queue-timeout settings. */
    public static class CountOverride extends AlertOverride {

        /** Tasks in one check interval at or above which the alert fires for this executor. Unset: the alert's. */
        private @Nullable Integer threshold;

        public @Nullable Integer getThreshold() {
            return this.threshold;
        }

        public void setThreshold(@Nullable Integer threshold) {
            this.threshold = threshold;
        }
    }

    /** The lock-wait alert. */
    public static class WaitAlert extends AlertSpec {

        /**
         * Wait above which the alert fires: the mean wait of the acquisitions that waited and ended in the last check
         * interval, or, while threads wait now, how long the current hold has lasted, whichever is longer.
         */
        private Duration threshold = Duration.ofMillis(500);

        /** Thresholds of single locks, by name: names.ledger.threshold, names.ledger.enabled. */
        private final Map<String, WaitOverride> names = new LinkedHashMap<>();

        public Duration getThreshold() {
            return this.threshold;
        }

        public void setThreshold(Duration threshold) {
            this.threshold = threshold;
        }

        public Map<String, WaitOverride> getNames() {
            return this.names;
        }
    }

    /** One lock's own lock-wait settings. */
    public static class WaitOverride extends AlertOverride {

        /** Wait above which the alert fires for this lock. Unset: the alert's threshold. */
        private @Nullable Duration threshold;

        public @Nullable Duration getThreshold() {
            return this.threshold;
        }

        public void setThreshold(@Nullable Duration threshold) {
            this.threshold = threshold;
        }
    }

    /**
     * {@code spool.adopt.*}: Spring Boot's own pools that Spool observes without running them (docs/adopting-boot-pools.md).
     * Each adopted pool keeps its threads, limits and rejection, and gets Spool's executor meters, its view in
     * /actuator/executors, health and alerts under a fixed name: its bean name ({@code applicationTaskExecutor},
     * {@code taskScheduler}) or {@code tomcat}.
     */
    public static class Adopt {

        /**
         * Whether Boot's applicationTaskExecutor (a ThreadPoolTaskExecutor, or a SimpleAsyncTaskExecutor with
         * spring.threads.virtual.enabled) is observed, as executor 'applicationTaskExecutor'. Contradicts
         * spool.default-executor, which replaces that pool with a Spool pool.
         */
        private boolean applicationTaskExecutor;

        /**
         * Whether Boot's taskScheduler (a ThreadPoolTaskScheduler, or a SimpleAsyncTaskScheduler with
         * spring.threads.virtual.enabled) is observed, as executor 'taskScheduler'.
         */
        private boolean taskScheduler;

        /** Whether the embedded Tomcat's request pool is observed, as executor 'tomcat'. */
        private boolean tomcat;

        public boolean isApplicationTaskExecutor() {
            return this.applicationTaskExecutor;
        }

        public void setApplicationTaskExecutor(boolean applicationTaskExecutor) {
            this.applicationTaskExecutor = applicationTaskExecutor;
        }

        public boolean isTaskScheduler() {
            return this.taskScheduler;
        }

        public void setTaskScheduler(boolean taskScheduler) {
            this.taskScheduler = taskScheduler;
        }

        public boolean isTomcat() {
            return this.tomcat;
        }

        public void setTomcat(boolean tomcat) {
            this.tomcat = tomcat;
        }
    }
}
