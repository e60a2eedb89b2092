package dev.spool.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.spool.autoconfigure.InvalidSpoolConfigurationException.Problem;
import dev.spool.futures.ExecutorType;
import dev.spool.futures.ProcessPool;
import dev.spool.futures.RejectionPolicy;
import dev.spool.futures.ThreadPool;
import dev.spool.threading.Barrier;
import dev.spool.threading.Semaphore;

/**
 * Checks a bound {@link SpoolProperties} before any bean is built: every problem is collected, so one start-up
 * reports them all. Binding itself (an unknown {@code type}, a word where a number belongs) is checked earlier by
 * Boot, whose report also names the key and lists the valid values.
 *
 * <p>Each {@link SpoolKind} entry names the check of its own properties (the static {@code check*} methods here);
 * names must be unique across all kinds. A range rule (at least 1 worker, 0 or more permits) is not written here: the
 * value is handed to the core builder or constructor that takes it, and a refusal becomes a problem at the key.
 */
final class SpoolConfigurationValidator {

    private final List<Problem> problems = new ArrayList<>();

    private SpoolConfigurationValidator() {
    }

    /**
     * @param properties the bound configuration
     * @throws InvalidSpoolConfigurationException listing every problem found
     */
    static void validate(SpoolProperties properties) {
        validate(properties, List.of());
    }

    /**
     * @param properties the bound configuration
     * @param earlier    problems found before binding (unknown keys), reported first
     * @throws InvalidSpoolConfigurationException listing every problem found, the earlier ones included
     */
    static void validate(SpoolProperties properties, List<Problem> earlier) {
        SpoolConfigurationValidator validator = new SpoolConfigurationValidator();
        validator.problems.addAll(earlier);
        validator.check(properties);
        if (!validator.problems.isEmpty()) {
            throw new InvalidSpoolConfigurationException(validator.problems);
        }
    }

    private void check(SpoolProperties properties) {
        checkUniqueNames(properties);
        for (SpoolKind kind : SpoolKind.values()) {
            kind.check(properties, this::add);
        }
        checkDefaultExecutor(properties);
        checkAdopt(properties);
        checkExecutorDefaults(properties);
        checkMetricsAndHealth(properties);
        SpoolAlertsCheck.check(properties.getAlerts(), this::add);
    }

    private void checkExecutorDefaults(SpoolProperties properties) {
        Duration run = properties.getExecutorDefaults().getRunTimeout();
        if (run != null && refuses(() -> ThreadPool.builder().runTimeout(run))) {
            add(DEFAULT_RUN_TIMEOUT, "must be positive, was " + run,
                    "set a duration longer than any task should take, such as 5m, or remove it (no default)");
        }
    }

    private void checkUniqueNames(SpoolProperties properties) {
        Map<String, SpoolKind> firstKind = new LinkedHashMap<>();
        for (SpoolKind kind : SpoolKind.values()) {
            for (String name : kind.names(properties)) {
                SpoolKind earlier = firstKind.putIfAbsent(name, kind);
                if (earlier != null) {
                    add(kind.key(name), "uses the name '" + name + "', already taken by " + earlier.key(name)
                                    + " (names are bean names, unique across all kinds)",
                            "rename one of the two");
                }
            }
        }
    }

    // The range rules are core's: each check below hands the value to the builder or constructor that will receive
    // it and reports a refusal at the key, so a rule cannot differ between start-up and plain Java. The checks that
    // are the starter's own say which keys apply to which type.

    /** {@code spool.executors.<name>.*}. */
    static void checkExecutor(String key, String name, SpoolProperties.Executor executor, SpoolProperties properties,
                              SpoolKind.Problems problems) {
        ExecutorType type = executor.getType();
        Integer maxWorkers = executor.getMaxWorkers();
        if (maxWorkers != null && refuses(() -> maxWorkers(type, maxWorkers))) {
            problems.add(key + ".max-workers", "must be at least 1, was " + maxWorkers,
                    "set it to 1 or more, or remove it for the default (" + defaultWorkers(type) + ")");
        } else if (maxWorkers != null && type != ExecutorType.PROCESS && refuses(() -> ThreadPool.builder().name(name)
                .virtualThreads(type == ExecutorType.VIRTUAL).maxWorkers(maxWorkers).build().shutdownNow())) {
            // The upper bound is checked by build(), which knows the pool's type; a pool built without prestart
            // has no thread yet, and shutdownNow() leaves nothing behind.
            problems.add(key + ".max-workers", "must be at most " + ThreadPool.MAX_WORKERS + ", was " + maxWorkers,
                    "set it to " + ThreadPool.MAX_WORKERS + " or less");
        }
        Integer capacity = executor.getQueueCapacity();
        if (type == ExecutorType.SCHEDULED) {
            checkScheduled(key, executor, problems);
        }
        if (capacity != null && type == ExecutorType.SCHEDULED) {
            // checkScheduled has said it; the range check below would only repeat the key
        } else if (capacity != null && type == ExecutorType.PROCESS) {
            problems.add(key + ".queue-capacity", "does not apply to a process pool",
                    "remove it, or change type to thread or virtual");
        } else if (capacity != null && refuses(() -> ThreadPool.builder().queueCapacity(capacity))) {
            problems.add(key + ".queue-capacity", "must be 0 or more, was " + capacity,
                    "set it to 0 (hand tasks only to idle or new workers) or more, or remove it for an unbounded"
                            + " queue");
        }
        if (refuses(() -> ThreadPool.builder().keepAlive(executor.getKeepAlive()))) {
            problems.add(key + ".keep-alive", "must be positive, was " + executor.getKeepAlive(),
                    "set a positive duration such as 60s");
        }
        if (type == ExecutorType.VIRTUAL && executor.isPrestart()) {
            problems.add(key + ".prestart", "does not apply to a virtual pool: its threads start with their task",
                    "remove it, or change type to thread");
        }
        if (type == ExecutorType.PROCESS && executor.getThreadNamePrefix() != null) {
            problems.add(key + ".thread-name-prefix",
                    "does not apply to a process pool: its workers are named <name>-worker-<n>",
                    "remove it, or change type to thread or virtual");
        }
        if (type != ExecutorType.PROCESS) {
            if (executor.getMaxTasksPerChild() != null) {
                problems.add(key + ".max-tasks-per-child", "applies to process pools only; this one is type "
                        + type.tag(), "remove it, or set type: process");
            }
            if (executor.getJvmOptions() != null) {
                problems.add(key + ".jvm-options", "applies to process pools only; this one is type " + type.tag(),
                        "remove it, or set type: process");
            }
        } else if (executor.getJvmOptions() != null
                && refuses(() -> ProcessPool.builder().jvmOptions(executor.getJvmOptions()))) {
            problems.add(key + ".jvm-options", "has a blank entry: " + executor.getJvmOptions(),
                    "remove the empty entry; each entry is one JVM option such as -Xmx512m");
        }
        Integer maxTasks = executor.getMaxTasksPerChild();
        if (type == ExecutorType.PROCESS && maxTasks != null
                && refuses(() -> ProcessPool.builder().maxTasksPerChild(maxTasks))) {
            problems.add(key + ".max-tasks-per-child", "must be at least 1, was " + maxTasks,
                    "set it to 1 or more, or remove it so workers are never recycled");
        }
        checkTimeouts(key, executor, properties, problems);
        // SpoolLifecycle's own setting: no builder receives it.
        Duration await = executor.getShutdown().getAwaitTermination();
        if (await == null || await.isNegative()) {
            problems.add(key + ".shutdown.await-termination", "must be zero or positive, was " + await,
                    "set a duration such as 30s (0s: do not wait)");
        }
    }

    /**
     * The keys a scheduled pool has no use for: its workers' queue holds the runs that are due, unbounded (a run is
     * never refused: it is late, and its lateness is measured), and its runs are never refused or timed out in the
     * queue, for the same reason.
     */
    private static void checkScheduled(String key, SpoolProperties.Executor executor, SpoolKind.Problems problems) {
        String why = "does not apply to a scheduled pool: a run that is due waits for a worker in an unbounded queue,"
                + " and how long it waited is its lateness (spool.executor.schedule.lateness)";
        if (executor.getQueueCapacity() != null) {
            problems.add(key + ".queue-capacity", why, "remove it, or change type to thread or virtual");
        }
        if (executor.getRejectionPolicy() != RejectionPolicy.ABORT) {
            problems.add(key + ".rejection-policy", why, "remove it, or change type to thread or virtual");
        }
        if (executor.getQueueTimeout() != null) {
            problems.add(key + ".queue-timeout", why, "remove it; watch the lateness timer instead");
        }
    }

    /** The key of the run-timeout every executor without its own has. */
    static final String DEFAULT_RUN_TIMEOUT = "spool.executor-defaults.run-timeout";

    /** {@code run-timeout}, {@code interrupt-on-run-timeout}, {@code queue-timeout}, {@code cancel-on-queue-timeout}. */
    private static void checkTimeouts(String key, SpoolProperties.Executor executor, SpoolProperties properties,
                                      SpoolKind.Problems problems) {
        Duration run = executor.getRunTimeout();
        if (run != null && refuses(() -> ThreadPool.builder().runTimeout(run))) {
            problems.add(key + ".run-timeout", "must be positive, was " + run,
                    "set a duration longer than its slowest task should take, such as 30s, or remove it (then "
                            + DEFAULT_RUN_TIMEOUT + " applies, if set)");
        }
        Duration queue = executor.getQueueTimeout();
        if (queue != null && executor.getType() != ExecutorType.SCHEDULED
                && refuses(() -> ThreadPool.builder().queueTimeout(queue))) {
            problems.add(key + ".queue-timeout", "must be positive, was " + queue,
                    "set a duration such as 5s, or remove it to let tasks wait as long as the queue holds them");
        }
        if (executor.isInterruptOnRunTimeout() && executor.getType() == ExecutorType.PROCESS) {
            problems.add(key + ".interrupt-on-run-timeout", "does not apply to a process pool: its tasks run in"
                            + " worker JVMs, whose threads this JVM cannot interrupt",
                    "remove it; run-timeout still reports hung tasks, and ProcessPool.terminateWorkers() ends the"
                            + " running tasks with their worker JVMs");
        } else if (executor.isInterruptOnRunTimeout() && properties.runTimeoutOf(executor) == null) {
            problems.add(key + ".interrupt-on-run-timeout", "needs a run-timeout, and neither " + key
                            + ".run-timeout nor " + DEFAULT_RUN_TIMEOUT + " is set",
                    "set " + key + ".run-timeout (such as 30s), or remove interrupt-on-run-timeout");
        }
        if (executor.isCancelOnQueueTimeout() && executor.getType() == ExecutorType.SCHEDULED) {
            problems.add(key + ".cancel-on-queue-timeout", "does not apply to a scheduled pool: a due run is never"
                    + " cancelled for waiting; it is late", "remove it");
        } else if (executor.isCancelOnQueueTimeout() && queue == null) {
            problems.add(key + ".cancel-on-queue-timeout", "needs a queue-timeout, which " + key
                            + ".queue-timeout does not set",
                    "set " + key + ".queue-timeout (such as 5s), or remove cancel-on-queue-timeout");
        }
    }

    private static void maxWorkers(ExecutorType type, int maxWorkers) {
        if (type == ExecutorType.PROCESS) {
            ProcessPool.builder().maxWorkers(maxWorkers);
        } else {
            ThreadPool.builder().maxWorkers(maxWorkers);
        }
    }

    /** {@code spool.semaphores.<name>.*}. */
    static void checkSemaphore(String key, String name, SpoolProperties.SemaphoreSpec semaphore,
                               SpoolProperties properties, SpoolKind.Problems problems) {
        if (refuses(() -> new Semaphore(name, semaphore.getPermits(), false))) {
            problems.add(key + ".permits", "must not be negative, was " + semaphore.getPermits(),
                    "set it to 0 or more (0: every acquire waits for a release)");
        }
    }

    /** {@code spool.events.<name>.*}. */
    static void checkEvent(String key, String name, SpoolProperties.EventSpec event, SpoolProperties properties,
                           SpoolKind.Problems problems) {
        if (event.isInitiallySet() && properties.backendOf(event) != SpoolProperties.Backend.LOCAL) {
            problems.add(key + ".initially-set", "does not apply to an event with backend redis: its flag lives in"
                            + " Redis and outlives every instance, so each instance that starts would set it again"
                            + " after another cleared it",
                    "remove it, and call set() where the application knows the event happened");
        }
    }

    /** {@code spool.barriers.<name>.*}. */
    static void checkBarrier(String key, String name, SpoolProperties.BarrierSpec barrier, SpoolProperties properties,
                             SpoolKind.Problems problems) {
        Integer parties = barrier.getParties();
        if (parties == null) {
            problems.add(key + ".parties", "is required",
                    "set it to the number of threads that meet at the barrier, 1 or more");
        } else if (refuses(() -> new Barrier(name, parties))) {
            problems.add(key + ".parties", "must be at least 1, was " + parties,
                    "set it to the number of threads that meet at the barrier, 1 or more");
        }
        // The starter's rule: core's Barrier takes any timeout (zero or negative: every wait times out at once).
        if (barrier.getTimeout() != null && !isPositive(barrier.getTimeout())) {
            problems.add(key + ".timeout", "must be positive, was " + barrier.getTimeout(),
                    "set a positive duration such as 30s, or remove it to wait without a limit");
        }
    }

    /** {@code spool.conditions.<name>.*}. */
    static void checkCondition(String key, String name, SpoolProperties.ConditionSpec condition,
                               SpoolProperties properties, SpoolKind.Problems problems) {
        String lock = condition.getLock();
        if (lock != null && !lock.isBlank() && !properties.getLocks().containsKey(lock)) {
            problems.add(key + ".lock", "names lock '" + lock + "', which spool.locks does not define",
                    "define spool.locks." + lock + ", name one of " + properties.getLocks().keySet()
                            + ", or remove the key to give the condition a reentrant lock of its own");
        } else if (lock != null && !lock.isBlank()
                && properties.backendOf(properties.getLocks().get(lock)) != SpoolProperties.Backend.LOCAL) {
            problems.add(key + ".lock", "names lock '" + lock + "', whose backend is redis; a condition parks its"
                            + " waiters in its lock's own queue in this JVM, so it needs a local lock",
                    "set spool.locks." + lock + ".backend: local, or name a local lock, or coordinate the instances"
                            + " with an event with backend: redis");
        }
    }

    /** The shortest lease a shared hold may have: renewed every third of it, a shorter one is renewed too often. */
    static final Duration MIN_LEASE = Duration.ofSeconds(1);

    /**
     * {@code spool.<kind>.<name>.backend} and {@code lease}, and {@code spool.backend} as the default: the rules of
     * every primitive kind, which {@link SpoolKind} applies to each entry with the kind's {@code shareable} flag.
     * Whether the backend is there and answers is {@link SharedBackends}' check, when the first primitive on it is
     * built: its bean comes from another module's auto-configuration.
     */
    static void checkBackend(SpoolKind kind, String key, SpoolProperties.PrimitiveSpec spec,
                             SpoolProperties properties, SpoolKind.Problems problems) {
        SpoolProperties.Backend backend = properties.backendOf(spec);
        boolean explicit = spec.getBackend() != null;
        if (!kind.shareable()) {
            if (explicit && backend != SpoolProperties.Backend.LOCAL) {
                problems.add(key + ".backend", "is " + tag(backend) + ", but " + kind.key() + " are always local:"
                                + " their waits park in this JVM and no Redis object keeps their behaviour across"
                                + " instances (docs/distributed.md, \"What is refused\")",
                        "remove the key or set it to local; to coordinate instances, use a lock, semaphore or event"
                                + " with backend: redis");
            }
            return;
        }
        if (spec instanceof SpoolProperties.HeldSpec held && held.getLease() != null) {
            if (backend == SpoolProperties.Backend.LOCAL) {
                problems.add(key + ".lease", "applies to backend redis only; this " + kind.key().replaceAll("s$", "")
                                + " is local, and a local holder cannot outlive its JVM",
                        "remove it, or set backend: redis");
            } else if (held.getLease().compareTo(MIN_LEASE) < 0) {
                problems.add(key + ".lease", "must be at least " + MIN_LEASE.toSeconds() + "s, was "
                        + held.getLease(), "set a duration such as 30s (a dead holder's hold comes back after it)");
            }
        }
    }

    private static String tag(SpoolProperties.Backend backend) {
        return backend.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** @return whether core refuses what {@code probe} hands it, as it would when the bean is built */
    private static boolean refuses(Runnable probe) {
        try {
            probe.run();
            return false;
        } catch (IllegalArgumentException | NullPointerException refused) {
            return true;
        }
    }

    private void checkDefaultExecutor(SpoolProperties properties) {
        String name = properties.getDefaultExecutor();
        if (name == null) {
            return;
        }
        SpoolProperties.Executor executor = properties.getExecutors().get(name);
        if (executor == null) {
            add("spool.default-executor", "names executor '" + name + "', which spool.executors does not define",
                    "name one of " + properties.getExecutors().keySet() + ", or remove the key to keep Boot's "
                            + "applicationTaskExecutor");
        } else if (executor.getType() == ExecutorType.PROCESS) {
            add("spool.default-executor", "names '" + name + "', a process pool, which cannot run @Async methods",
                    "name a thread or virtual executor; submit SerializableCallable tasks to the process pool directly");
        }
    }

    /**
     * {@code spool.adopt.*}: adopting Boot's applicationTaskExecutor contradicts {@code spool.default-executor} (which
     * replaces it), and an adopted pool's name must not be a name of {@code spool.*} too.
     */
    private void checkAdopt(SpoolProperties properties) {
        SpoolProperties.Adopt adopt = properties.getAdopt();
        if (adopt.isApplicationTaskExecutor() && properties.getDefaultExecutor() != null) {
            add("spool.adopt.application-task-executor", "adopts Boot's applicationTaskExecutor, but"
                            + " spool.default-executor=" + properties.getDefaultExecutor() + " replaces that pool with"
                            + " a Spool pool, measured already",
                    "remove spool.adopt.application-task-executor to run @Async on the Spool pool, or remove"
                            + " spool.default-executor to keep Boot's pool and observe it");
        }
        Map<String, String> adopted = new LinkedHashMap<>();
        if (adopt.isApplicationTaskExecutor()) {
            adopted.put("applicationTaskExecutor", "spool.adopt.application-task-executor");
        }
        if (adopt.isTaskScheduler()) {
            adopted.put("taskScheduler", "spool.adopt.task-scheduler");
        }
        if (adopt.isTomcat()) {
            adopted.put("tomcat", "spool.adopt.tomcat");
        }
        for (SpoolKind kind : SpoolKind.values()) {
            for (String name : kind.names(properties)) {
                if (adopted.containsKey(name)) {
                    add(kind.key(name), "uses the name '" + name + "', which " + adopted.get(name)
                                    + " gives the adopted pool", "rename it");
                }
            }
        }
    }

    private void checkMetricsAndHealth(SpoolProperties properties) {
        for (Double p : properties.getMetrics().getPercentiles()) {
            if (p == null || !(p >= 0.0 && p <= 1.0)) {
                add("spool.metrics.percentiles", "holds " + p + ", outside [0, 1]",
                        "list fractions such as [0.5, 0.95, 0.99]");
            }
        }
        if (!isPositive(properties.getMetrics().getStep())) {
            add("spool.metrics.step", "must be positive, was " + properties.getMetrics().getStep(),
                    "set a positive duration such as 1s");
        }
        String hungStatus = properties.getHealth().getHungTasksStatus();
        if (hungStatus == null || hungStatus.isBlank()) {
            add("spool.health.hung-tasks-status", "must name a health status, was '" + hungStatus + "'",
                    "set DOWN (the default), OUT_OF_SERVICE, UP (report hung tasks in the details only) or a status"
                            + " of your own");
        }
        double threshold = properties.getHealth().getSaturationThreshold();
        if (!(threshold > 0.0 && threshold <= 1.0)) {
            add("spool.health.saturation-threshold", "must be above 0 and at most 1, was " + threshold,
                    "set a fraction of the queue capacity such as 0.9");
        }
    }

    private static String defaultWorkers(ExecutorType type) {
        return switch (type) {
            case THREAD -> "min(32, cpus + 4)";
            case VIRTUAL -> "unlimited";
            case PROCESS -> "available processors";
            case SCHEDULED -> "1";
        };
    }

    private static boolean isPositive(Duration duration) {
        return duration != null && !duration.isNegative() && !duration.isZero();
    }

    private void add(String key, String description, String action) {
        Problem problem = new Problem(key, description, action);
        if (!problems.contains(problem)) { // spool.backend's problem, found once per primitive that inherits it
            problems.add(problem);
        }
    }
}
