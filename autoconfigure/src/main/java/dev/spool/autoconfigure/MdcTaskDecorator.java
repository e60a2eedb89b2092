package dev.spool.autoconfigure;

import java.util.Map;

import org.slf4j.MDC;
import org.springframework.core.task.TaskDecorator;

/**
 * Runs a task with the SLF4J MDC that its submitting thread had at submit time, and gives the running thread its own
 * MDC back afterwards (so a pool thread carries no context from one task to the next, and a task run by its caller
 * under {@code caller-runs} leaves the caller's MDC as it was). Spool applies it to its thread and virtual pools
 * unless {@code spool.propagate-mdc=false}; it is not a bean, so it changes no other executor.
 */
final class MdcTaskDecorator implements TaskDecorator {

    @Override
    public Runnable decorate(Runnable runnable) {
        Map<String, String> submitter = MDC.getCopyOfContextMap();
        return () -> {
            Map<String, String> own = MDC.getCopyOfContextMap();
            set(submitter);
            try {
                runnable.run();
            } finally {
                set(own);
            }
        };
    }

    private static void set(Map<String, String> context) {
        if (context == null || context.isEmpty()) {
            MDC.clear();
        } else {
            MDC.setContextMap(context);
        }
    }
}
