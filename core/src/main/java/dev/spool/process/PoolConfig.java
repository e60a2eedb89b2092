package dev.spool.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a {@link Supervisor} needs: the {@link ProcessEngine.Settings} with what the engine derived from them
 * (the frame limit, the filter, the encoded initializer, the parent JVM).
 *
 * @param name                   the pool's name
 * @param maxWorkers             the most worker processes alive at once
 * @param initializer            the INIT payload's value block (the serialized initializer, or a null value)
 * @param maxTasksPerChild       tasks after which a worker exits and is replaced; 0 for no limit
 * @param prestart               start every worker at once instead of on demand
 * @param java                   the java executable
 * @param jvmOptions             options of the worker JVMs
 * @param customCommand          the user's launch command, or null
 * @param parent                 the parent JVM, for the class path and Spring Boot detection
 * @param inheritJavaToolOptions keep JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS and _JAVA_OPTIONS in the workers'
 *                               environment
 * @param maxFrameBytes          the largest payload either side may send
 * @param filterSpec             the serialization filter's patterns
 * @param loader                 the class loader results are resolved with
 * @param startTimeout           how long a new worker may take to connect
 * @param shutdownGrace          how long a worker may take to exit before it is terminated, then killed
 * @param events                 where worker starts and exits are reported
 * @param configurationPrefix    the configuration keys' prefix the pool was built from (for example
 *                               {@code spool.executors.cpu}), named in messages; null when built in code
 */
record PoolConfig(String name, int maxWorkers, byte[] initializer, int maxTasksPerChild, boolean prestart,
                         Path java, List<String> jvmOptions, List<String> customCommand, WorkerCommand.Parent parent,
                         boolean inheritJavaToolOptions, int maxFrameBytes, String filterSpec, ClassLoader loader,
                         Duration startTimeout, Duration shutdownGrace, ProcessEngine.Events events,
                         String configurationPrefix) {

    /**
     * How a message names a setting: the configuration key when the pool came from configuration and the setting
     * has one, and the builder method always.
     *
     * @param builderMethod the {@code ProcessPool.Builder} method, for example {@code jvmOptions}
     * @param key           the key under the prefix, for example {@code jvm-options}; null when there is none
     */
    String setting(String builderMethod, String key) {
        return setting(configurationPrefix, builderMethod, key);
    }

    /** As {@link #setting(String, String)}, for a given prefix (null for none). */
    static String setting(String configurationPrefix, String builderMethod, String key) {
        String method = "ProcessPool.Builder." + builderMethod;
        if (configurationPrefix == null || key == null) {
            return method;
        }
        return configurationPrefix + "." + key + " (" + method + ")";
    }
}
