package dev.spool.autoconfigure;

import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.convert.ConversionFailedException;

/**
 * Explains a {@code spool.*} value that names no constant of its enum ({@code type: proces},
 * {@code rejection-policy: callers-run}) with the values as they are written in {@code application.yml}
 * ({@code thread, virtual, process}), where Boot's generic analysis would list the Java constants. It runs before
 * Boot's analyzers; other binding failures are left to Boot's, which name the key and the reason.
 */
class SpoolBindFailureAnalyzer extends AbstractFailureAnalyzer<BindException> implements Ordered {

    @Override
    protected @Nullable FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
        ConfigurationProperty property = cause.getProperty();
        ConversionFailedException conversion = findCause(cause, ConversionFailedException.class);
        if (property == null || conversion == null || !property.getName().toString().startsWith("spool.")) {
            return null;
        }
        Object[] constants = conversion.getTargetType().getType().getEnumConstants();
        if (constants == null) {
            return null;
        }
        String values = Stream.of(constants)
                .map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
        String key = property.getName().toString();
        String origin = property.getOrigin() != null ? " (" + property.getOrigin() + ")" : "";
        String description = "Spool's configuration is invalid:\n\n    " + key + ": '" + property.getValue()
                + "' is not one of " + values + origin;
        String action = "Update your application's configuration:\n\n    " + key + ": write one of " + values;
        return new FailureAnalysis(description, action, cause);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
