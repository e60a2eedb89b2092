package dev.spool.autoconfigure.annotation;

import java.util.stream.Collectors;

import dev.spool.annotation.InvalidSpoolAnnotationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains an {@link InvalidSpoolAnnotationException}: each annotated method that cannot work, and what to write. */
class InvalidSpoolAnnotationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSpoolAnnotationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidSpoolAnnotationException cause) {
        String description = cause.problems().stream()
                .map(p -> "    " + p.annotation() + " " + p.method() + ": " + p.description())
                .collect(Collectors.joining("\n", "@WithLock or @WithPermit on bean '" + cause.beanName()
                        + "' cannot work:\n\n", ""));
        String action = cause.problems().stream()
                .map(p -> "    " + p.method() + ": " + p.action())
                .collect(Collectors.joining("\n", "Update the annotations, or the beans they name:\n\n", ""));
        return new FailureAnalysis(description, action, cause);
    }
}
