package dev.spool.autoconfigure;

import java.util.stream.Collectors;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an {@link InvalidSpoolConfigurationException} into a start-up report a person can act on. */
class SpoolConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSpoolConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidSpoolConfigurationException cause) {
        String description = cause.problems().stream()
                .map(p -> "    " + p.key() + ": " + p.description())
                .collect(Collectors.joining("\n", "Spool's configuration is invalid:\n\n", ""));
        String action = cause.problems().stream()
                .map(p -> "    " + p.key() + ": " + p.action())
                .collect(Collectors.joining("\n", "Update your application's configuration:\n\n", ""));
        return new FailureAnalysis(description, action, cause);
    }
}
