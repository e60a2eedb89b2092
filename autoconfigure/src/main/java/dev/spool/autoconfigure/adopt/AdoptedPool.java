package dev.spool.autoconfigure.adopt;

import dev.spool.autoconfigure.SpoolProperties;

/**
 * The pools {@code spool.adopt.*} can adopt: the key that switches each on, the name it shows under (meters, endpoint,
 * health, alerts) and the bean Spool reads it from.
 */
enum AdoptedPool {
    /** Boot's {@code applicationTaskExecutor}. */
    APPLICATION_TASK_EXECUTOR("spool.adopt.application-task-executor", "applicationTaskExecutor"),
    /** Boot's {@code taskScheduler}, made by Boot only with {@code @EnableScheduling}. */
    TASK_SCHEDULER("spool.adopt.task-scheduler", "taskScheduler"),
    /** The embedded Tomcat's request pool: no bean, it is found on the started server. */
    TOMCAT("spool.adopt.tomcat", "tomcat");

    private final String key;
    private final String poolName;

    AdoptedPool(String key, String poolName) {
        this.key = key;
        this.poolName = poolName;
    }

    /** @return the key that switches its adoption on */
    String key() {
        return this.key;
    }

    /** @return the name it shows under: the {@code name} tag of its meters; also its bean name for the two Boot pools */
    String poolName() {
        return this.poolName;
    }

    /** @return the bean name of its {@link dev.spool.futures.AdoptedExecutor} */
    String observerBeanName() {
        return "spoolAdopted" + Character.toUpperCase(this.poolName.charAt(0)) + this.poolName.substring(1);
    }

    /**
     * @param adopt the bound {@code spool.adopt.*}
     * @return whether this pool is to be adopted
     */
    boolean isOn(SpoolProperties.Adopt adopt) {
        return switch (this) {
            case APPLICATION_TASK_EXECUTOR -> adopt.isApplicationTaskExecutor();
            case TASK_SCHEDULER -> adopt.isTaskScheduler();
            case TOMCAT -> adopt.isTomcat();
        };
    }
}
