package dev.spool.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import io.micrometer.context.ContextSnapshotFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.CompositeTaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.util.ClassUtils;

/**
 * The task decorator of Spool's thread and virtual pools, outermost last:
 * <ol>
 *   <li>every {@link TaskDecorator} bean of the context, in their {@code @Order} (as Boot composes them for its own
 *       executor; so Boot's {@code ContextPropagatingTaskDecorator}, registered with
 *       {@code spring.task.execution.propagate-context=true}, applies too);</li>
 *   <li>context propagation ({@code spool.propagate-context}, on when {@code io.micrometer:context-propagation} is
 *       present): a snapshot of every {@code ThreadLocalAccessor} of the {@code ContextRegistry} (the current
 *       observation and so the trace, Spring Security's context, ...) taken at submit and set around the task;
 *       left out when a {@code ContextPropagatingTaskDecorator} bean already does it, so no value is set twice;</li>
 *   <li>Spool's MDC propagation ({@code spool.propagate-mdc}, when SLF4J is present);</li>
 *   <li>with {@code @EnableAsync}, the name of the {@code @Async} method a task runs ({@link AsyncTaskNames}).</li>
 * </ol>
 * So when the task's thread runs, the submitter's MDC is there first; the snapshot's scopes (tracing's puts the
 * trace id into the MDC) open inside it and close before the worker's own MDC is put back.
 */
final class SpoolTaskDecorators {

    static final boolean SLF4J_PRESENT = ClassUtils.isPresent("org.slf4j.MDC",
            SpoolTaskDecorators.class.getClassLoader());

    private static final boolean CONTEXT_PROPAGATION_PRESENT = ClassUtils.isPresent(
            "io.micrometer.context.ContextSnapshotFactory", SpoolTaskDecorators.class.getClassLoader());

    private SpoolTaskDecorators() {
    }

    /**
     * @param beanFactory      where the {@code TaskDecorator} beans are
     * @param propagateContext {@code spool.propagate-context}
     * @param propagateMdc     {@code spool.propagate-mdc}
     * @return the decorator for {@code ThreadPool.Builder.taskDecorator}, or null when there is nothing to apply
     */
    static @Nullable UnaryOperator<Runnable> forPools(ListableBeanFactory beanFactory, boolean propagateContext,
                                                      boolean propagateMdc) {
        List<TaskDecorator> decorators = new ArrayList<>(
                beanFactory.getBeanProvider(TaskDecorator.class).orderedStream().toList());
        if (propagateContext && CONTEXT_PROPAGATION_PRESENT && !propagatesContext(decorators)) {
            decorators.add(ContextSnapshots.decorator());
        }
        if (propagateMdc && SLF4J_PRESENT) {
            decorators.add(new MdcTaskDecorator());
        }
        if (AsyncAnnotationCheck.asyncEnabled(beanFactory)) {
            decorators.add(AsyncTaskNames.decorator());
        }
        if (decorators.isEmpty()) {
            return null;
        }
        TaskDecorator decorator = decorators.size() == 1 ? decorators.get(0) : new CompositeTaskDecorator(decorators);
        return decorator::decorate;
    }

    /** Whether a bean already applies context-propagation's snapshot (Boot's, or the application's own). */
    private static boolean propagatesContext(List<TaskDecorator> decorators) {
        return decorators.stream().anyMatch(ContextPropagatingTaskDecorator.class::isInstance);
    }

    /** Kept apart so that nothing of context-propagation is loaded when the library is absent. */
    private static final class ContextSnapshots {
        private ContextSnapshots() {
        }

        /**
         * Every accessor's value at submit, and with {@code clearMissing}: an accessor with no value then has none
         * in the task either, even when a task before it on the same thread left one behind.
         */
        static TaskDecorator decorator() {
            return new ContextPropagatingTaskDecorator(ContextSnapshotFactory.builder().clearMissing(true).build());
        }
    }
}
