package dev.spool.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.CompositeTaskDecorator;
import org.springframework.util.ClassUtils;

/**
 * The task decorator of Spool's thread and virtual pools: every {@link TaskDecorator} bean of the context, in their
 * {@code @Order} (as Boot composes them for its own executor: so Boot's {@code ContextPropagatingTaskDecorator},
 * registered with {@code spring.task.execution.propagate-context=true}, applies too), wrapped in Spool's MDC
 * propagation when SLF4J is present and {@code spool.propagate-mdc} is on. The MDC wrapper is the outermost, so the
 * other decorators already see the submitter's MDC when their wrappers run.
 */
final class SpoolTaskDecorators {

    private static final boolean SLF4J_PRESENT = ClassUtils.isPresent("org.slf4j.MDC",
            SpoolTaskDecorators.class.getClassLoader());

    private SpoolTaskDecorators() {
    }

    /**
     * @param beanFactory  where the {@code TaskDecorator} beans are
     * @param propagateMdc {@code spool.propagate-mdc}
     * @return the decorator for {@code ThreadPool.Builder.taskDecorator}, or null when there is nothing to apply
     */
    static @Nullable UnaryOperator<Runnable> forPools(ListableBeanFactory beanFactory, boolean propagateMdc) {
        List<TaskDecorator> decorators = new ArrayList<>(
                beanFactory.getBeanProvider(TaskDecorator.class).orderedStream().toList());
        if (propagateMdc && SLF4J_PRESENT) {
            decorators.add(new MdcTaskDecorator());
        }
        if (decorators.isEmpty()) {
            return null;
        }
        TaskDecorator decorator = decorators.size() == 1 ? decorators.get(0) : new CompositeTaskDecorator(decorators);
        return decorator::decorate;
    }
}
