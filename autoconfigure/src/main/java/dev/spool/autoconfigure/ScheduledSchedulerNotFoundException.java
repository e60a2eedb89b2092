package dev.spool.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * {@code @Scheduled(scheduler = "name")} names no bean that can schedule: no bean at all, or one that is neither a
 * {@code TaskScheduler} nor a {@code ScheduledExecutorService} (a Spool pool of a type other than {@code scheduled},
 * say). Spring would fail at the end of start-up without naming the method, so start-up stops here and
 * {@link ScheduledSchedulerNotFoundFailureAnalyzer} names the method, the name, what it names, and the schedulers that
 * exist.
 */
public class ScheduledSchedulerNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String beanName;
    private final transient List<Site> sites;
    private final transient List<String> schedulers;

    /**
     * @param beanName   the bean whose class has the annotations
     * @param sites      each annotated method and the name it gives, at least one
     * @param schedulers the names of the scheduler beans that exist
     */
    public ScheduledSchedulerNotFoundException(String beanName, List<Site> sites, List<String> schedulers) {
        super("@Scheduled on bean '" + beanName + "' names no scheduler: " + sites + "; schedulers: " + schedulers);
        this.beanName = beanName;
        this.sites = List.copyOf(sites);
        this.schedulers = List.copyOf(schedulers);
    }

    /** @return the bean whose class has the annotations */
    public String beanName() {
        return this.beanName;
    }

    /** @return each annotated method and the name it gives */
    public List<Site> sites() {
        return this.sites;
    }

    /** @return the names of the context's {@code TaskScheduler} and {@code ScheduledExecutorService} beans */
    public List<String> schedulers() {
        return this.schedulers;
    }

    /**
     * One {@code @Scheduled} method whose scheduler does not exist or cannot schedule.
     *
     * @param method    the method, as {@code Class.method(parameter types)}
     * @param name      the scheduler name it gives, placeholders resolved
     * @param found     what the name selects instead, for people; null when no bean has the name
     * @param spoolPool the name selects a Spool pool of another type, which {@code type: scheduled} would fix
     */
    public record Site(String method, String name, @Nullable String found, boolean spoolPool) {
        @Override
        public String toString() {
            return "@Scheduled(scheduler = \"" + name + "\") " + method;
        }

        /** @return what is wrong, in a few words */
        public String problem() {
            return found == null ? "no bean is named '" + name + "'"
                    : "'" + name + "' is " + found + ", which cannot schedule";
        }
    }
}
