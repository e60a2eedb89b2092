package dev.spool.autoconfigure;

import java.util.stream.Collectors;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains an {@link AsyncOnProcessPoolException}: why a process pool cannot run {@code @Async}, and what to do. */
class AsyncOnProcessPoolFailureAnalyzer extends AbstractFailureAnalyzer<AsyncOnProcessPoolException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, AsyncOnProcessPoolException cause) {
        String sites = cause.sites().stream()
                .map(site -> "    " + site + ": '" + site.pool() + "' is a process pool (spool.executors." + site.pool()
                        + ".type: process)")
                .collect(Collectors.joining("\n"));
        String description = "@Async on bean '" + cause.beanName() + "' names a process pool:\n\n" + sites + "\n\n"
                + "A process pool runs each task in a worker JVM, so the task must be serializable; an @Async call is a "
                + "method of a Spring bean and cannot travel there (a void method would fail without a word).";
        String pool = cause.sites().get(0).pool();
        String action = "Inject the ProcessPool and submit a SerializableCallable instead, for example\n\n"
                + "    @Qualifier(\"" + pool + "\") ProcessPool " + pool + ";\n"
                + "    TaskFuture<Report> report = " + pool + ".submit(() -> Reports.build(input));\n\n"
                + "(the lambda and what it captures must be serializable), or aim @Async at a thread or virtual "
                + "executor of spool.executors.";
        return new FailureAnalysis(description, action, cause);
    }
}
