package dev.spool.autoconfigure;

import dev.spool.futures.ProcessPoolStartException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link ProcessPoolStartException}: the worker JVMs of a process pool with {@code prestart: true} could
 * not start. The description quotes what the worker JVM printed; the action names the key to fix.
 */
class ProcessPoolStartFailureAnalyzer extends AbstractFailureAnalyzer<ProcessPoolStartException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ProcessPoolStartException cause) {
        String pool = cause.poolName();
        String description = "The worker JVMs of process pool '" + pool + "' could not start (spool.executors." + pool
                + ".prestart: true waits for them at start-up):\n\n    "
                + cause.getMessage().replace("\n", "\n    ");
        String action = "Fix " + cause.setting() + ": the worker JVM's own words are quoted above. Remove or correct "
                + "the option it names (`java <option> -version` shows whether a JVM accepts an option), or drop "
                + "spool.executors." + pool + ".prestart to start the application anyway (the first task then fails "
                + "with the same message).";
        return new FailureAnalysis(description, action, cause);
    }
}
