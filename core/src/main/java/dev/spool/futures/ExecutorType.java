package dev.spool.futures;

import java.util.Locale;

/** The kind of a {@link ManagedExecutor}: the {@code type} tag of its meters and its {@code type} in configuration. */
public enum ExecutorType {
    /** A {@link ThreadPool} of platform threads. */
    THREAD,
    /** A {@link ThreadPool} that starts one virtual thread per task. */
    VIRTUAL,
    /** A {@link ProcessPool} of worker JVMs. */
    PROCESS,
    /** A {@link ScheduledPool}: a timer in front of a pool of platform threads. */
    SCHEDULED;

    /**
     * @return the lower-case name used in configuration and as a meter tag: {@code thread}, {@code virtual},
     * {@code process}, {@code scheduled}
     */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
