package dev.spool.autoconfigure;

import java.util.stream.Collectors;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains an {@link AsyncExecutorNotFoundException}: which methods name which missing executor, and what exists. */
class AsyncExecutorNotFoundFailureAnalyzer extends AbstractFailureAnalyzer<AsyncExecutorNotFoundException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, AsyncExecutorNotFoundException cause) {
        String sites = cause.sites().stream()
                .map(site -> "    " + site + ": no executor is named '" + site.name() + "'")
                .collect(Collectors.joining("\n"));
        String executors = cause.executors().isEmpty() ? "none" : String.join(", ", cause.executors());
        String description = "@Async on bean '" + cause.beanName() + "' names an executor that does not exist:\n\n"
                + sites + "\n\nThe executors of this application: " + executors + ".";
        String name = cause.sites().get(0).name();
        String action = "Name one of the executors above in @Async, or define the pool, for example in "
                + "application.yml:\n\n    spool:\n      executors:\n        " + name + ":\n          max-workers: 4";
        return new FailureAnalysis(description, action, cause);
    }
}
