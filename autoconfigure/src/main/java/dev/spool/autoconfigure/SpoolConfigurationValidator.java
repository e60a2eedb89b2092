package dev.spool.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.spool.autoconfigure.InvalidSpoolConfigurationException.Problem;
import dev.spool.futures.ExecutorType;
import dev.spool.futures.ThreadPool;

/**
 * Checks a bound {@link SpoolProperties} before any bean is built: every problem is collected, so one start-up
 * reports them all. Binding itself (an unknown {@code type}, a word where a number belongs) is checked earlier by
 * Boot, whose report also names the key and lists the valid values.
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
        properties.getExecutors().forEach((name, executor) -> checkExecutor("spool.executors." + name, executor));
        properties.getSemaphores().forEach((name, semaphore) -> {
            if (semaphore.getPermits() < 0) {
                add("spool.semaphores." + name + ".permits", "must not be negative, was " + semaphore.getPermits(),
                        "set it to 0 or more (0: every acquire waits for a release)");
            }
        });
        properties.getBarriers().forEach((name, barrier) -> {
            String key = "spool.barriers." + name;
            if (barrier.getParties() == null) {
                add(key + ".parties", "is required", "set it to the number of threads that meet at the barrier, 1 or more");
            } else if (barrier.getParties() < 1) {
                add(key + ".parties", "must be at least 1, was " + barrier.getParties(),
                        "set it to the number of threads that meet at the barrier, 1 or more");
            }
            if (barrier.getTimeout() != null && !isPositive(barrier.getTimeout())) {
                add(key + ".timeout", "must be positive, was " + barrier.getTimeout(),
                        "set a positive duration such as 30s, or remove it to wait without a limit");
            }
        });
        properties.getConditions().forEach((name, condition) -> {
            String lock = condition.getLock();
            if (lock != null && !lock.isBlank() && !properties.getLocks().containsKey(lock)) {
                add("spool.conditions." + name + ".lock", "names lock '" + lock + "', which spool.locks does not define",
                        "define spool.locks." + lock + ", name one of " + properties.getLocks().keySet()
                                + ", or remove the key to give the condition a reentrant lock of its own");
            }
        });
        checkDefaultExecutor(properties);
        checkMetricsAndHealth(properties);
    }

    private void checkUniqueNames(SpoolProperties properties) {
        Map<String, String> firstKind = new LinkedHashMap<>();
        Map<String, Map<String, ?>> kinds = new LinkedHashMap<>();
        kinds.put("executors", properties.getExecutors());
        kinds.put("locks", properties.getLocks());
        kinds.put("semaphores", properties.getSemaphores());
        kinds.put("events", properties.getEvents());
        kinds.put("barriers", properties.getBarriers());
        kinds.put("conditions", properties.getConditions());
        kinds.forEach((kind, byName) -> byName.keySet().forEach(name -> {
            String earlier = firstKind.putIfAbsent(name, kind);
            if (earlier != null) {
                add("spool." + kind + "." + name, "uses the name '" + name + "', already taken by spool." + earlier
                                + "." + name + " (names are bean names, unique across all kinds)",
                        "rename one of the two");
            }
        }));
    }

    private void checkExecutor(String key, SpoolProperties.Executor executor) {
        ExecutorType type = executor.getType();
        Integer maxWorkers = executor.getMaxWorkers();
        if (maxWorkers != null && maxWorkers < 1) {
            add(key + ".max-workers", "must be at least 1, was " + maxWorkers,
                    "set it to 1 or more, or remove it for the default (" + defaultWorkers(type) + ")");
        } else if (maxWorkers != null && type == ExecutorType.THREAD && maxWorkers > ThreadPool.MAX_WORKERS) {
            add(key + ".max-workers", "must be at most " + ThreadPool.MAX_WORKERS + ", was " + maxWorkers,
                    "set it to " + ThreadPool.MAX_WORKERS + " or less");
        }
        Integer capacity = executor.getQueueCapacity();
        if (capacity != null && type == ExecutorType.PROCESS) {
            add(key + ".queue-capacity", "does not apply to a process pool",
                    "remove it, or change type to thread or virtual");
        } else if (capacity != null && capacity < 0) {
            add(key + ".queue-capacity", "must be 0 or more, was " + capacity,
                    "set it to 0 (hand tasks only to idle or new workers) or more, or remove it for an unbounded"
                            + " queue");
        }
        if (!isPositive(executor.getKeepAlive())) {
            add(key + ".keep-alive", "must be positive, was " + executor.getKeepAlive(),
                    "set a positive duration such as 60s");
        }
        if (type == ExecutorType.VIRTUAL && executor.isPrestart()) {
            add(key + ".prestart", "does not apply to a virtual pool: its threads start with their task",
                    "remove it, or change type to thread");
        }
        if (type == ExecutorType.PROCESS && executor.getThreadNamePrefix() != null) {
            add(key + ".thread-name-prefix", "does not apply to a process pool: its workers are named <name>-worker-<n>",
                    "remove it, or change type to thread or virtual");
        }
        if (type != ExecutorType.PROCESS) {
            if (executor.getMaxTasksPerChild() != null) {
                add(key + ".max-tasks-per-child", "applies to process pools only; this one is type " + type.tag(),
                        "remove it, or set type: process");
            }
            if (executor.getJvmOptions() != null) {
                add(key + ".jvm-options", "applies to process pools only; this one is type " + type.tag(),
                        "remove it, or set type: process");
            }
        } else if (executor.getJvmOptions() != null && executor.getJvmOptions().stream().anyMatch(o -> o == null
                || o.isBlank())) {
            add(key + ".jvm-options", "has a blank entry: " + executor.getJvmOptions(),
                    "remove the empty entry; each entry is one JVM option such as -Xmx512m");
        }
        if (type == ExecutorType.PROCESS && executor.getMaxTasksPerChild() != null
                && executor.getMaxTasksPerChild() < 1) {
            add(key + ".max-tasks-per-child", "must be at least 1, was " + executor.getMaxTasksPerChild(),
                    "set it to 1 or more, or remove it so workers are never recycled");
        }
        Duration await = executor.getShutdown().getAwaitTermination();
        if (await == null || await.isNegative()) {
            add(key + ".shutdown.await-termination", "must be zero or positive, was " + await,
                    "set a duration such as 30s (0s: do not wait)");
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
        };
    }

    private static boolean isPositive(Duration duration) {
        return duration != null && !duration.isNegative() && !duration.isZero();
    }

    private void add(String key, String description, String action) {
        problems.add(new Problem(key, description, action));
    }
}
