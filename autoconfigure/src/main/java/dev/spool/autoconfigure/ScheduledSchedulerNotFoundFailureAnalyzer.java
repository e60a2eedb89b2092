package dev.spool.autoconfigure;

import java.util.stream.Collectors;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link ScheduledSchedulerNotFoundException}: which methods name which scheduler, what each name selects
 * instead, the schedulers that exist, and the configuration that makes a Spool pool schedule.
 */
class ScheduledSchedulerNotFoundFailureAnalyzer extends AbstractFailureAnalyzer<ScheduledSchedulerNotFoundException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ScheduledSchedulerNotFoundException cause) {
        String sites = cause.sites().stream().map(site -> "    " + site + ": " + site.problem())
                .collect(Collectors.joining("\n"));
        String schedulers = cause.schedulers().isEmpty() ? "none" : String.join(", ", cause.schedulers());
        String description = "@Scheduled on bean '" + cause.beanName()
                + "' names a scheduler that does not exist or cannot schedule:\n\n" + sites
                + "\n\nThe schedulers of this application: " + schedulers + ".";
        ScheduledSchedulerNotFoundException.Site first = cause.sites().get(0);
        String yaml = "\n\n    spool:\n      executors:\n        " + first.name() + ":\n          type: scheduled";
        String action = first.spoolPool()
                ? "Name one of the schedulers above in @Scheduled, or make the pool a scheduled pool in "
                        + "application.yml:" + yaml
                : "Name one of the schedulers above in @Scheduled, or define a scheduled pool, for example in "
                        + "application.yml:" + yaml;
        return new FailureAnalysis(description, action, cause);
    }
}
