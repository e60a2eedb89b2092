package dev.spool.autoconfigure.adopt;

import java.util.List;

import dev.spool.autoconfigure.AsyncTaskNames;
import dev.spool.futures.AdoptedExecutor;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.CompositeTaskDecorator;

/**
 * The task decorator Spool gives an executor built by one of Boot's builders: Boot's own decorator (the context's
 * {@link TaskDecorator} beans, resolved as Boot's builders resolve them) and then, once the executor is known to be an
 * adopted pool, the {@link AdoptedExecutor}'s wrapper around that, which names an {@code @Async} method's task after
 * the method ({@link AsyncTaskNames}). Until then, and for every other executor built with the same builder, it is
 * exactly Boot's decorator.
 *
 * <p>Why not read the executor's decorator back and wrap it: Spring has no getter for it. Boot sets its decorator
 * before the customizers run, and this one replaces it with the same decorator plus Spool's, so the pool decorates its
 * tasks as before.
 */
final class AdoptingDecorator implements TaskDecorator {

    private final @Nullable TaskDecorator boot;
    private final boolean repeating;
    private volatile @Nullable AdoptedExecutor adopted;

    /**
     * @param boot      the decorator Boot's builder gives the executor; null for none
     * @param repeating whether the executor runs a decorated task many times (a scheduler's periodic task)
     */
    AdoptingDecorator(@Nullable TaskDecorator boot, boolean repeating) {
        this.boot = boot;
        this.repeating = repeating;
    }

    /**
     * The decorator Boot's task builders take: the one {@link TaskDecorator} bean, all of them composed in order when
     * there are several, none without any (Boot's {@code TaskExecutorConfigurations} and
     * {@code TaskSchedulingConfigurations} rule).
     *
     * @param decorators the context's decorators
     * @return what Boot gives its builders
     */
    static @Nullable TaskDecorator bootDecorator(ObjectProvider<TaskDecorator> decorators) {
        List<TaskDecorator> all = decorators.orderedStream().toList();
        if (all.size() == 1) {
            return all.get(0);
        }
        return all.isEmpty() ? null : new CompositeTaskDecorator(all);
    }

    /** @param adopted from now on every task is recorded by it */
    void arm(AdoptedExecutor adopted) {
        this.adopted = adopted;
    }

    /** @return whether it records for an adopted pool */
    boolean armed() {
        return this.adopted != null;
    }

    @Override
    public Runnable decorate(Runnable task) {
        Runnable decorated = this.boot != null ? this.boot.decorate(task) : task;
        AdoptedExecutor observer = this.adopted;
        if (observer == null) {
            return decorated;
        }
        if (this.repeating) {
            return observer.wrapRepeating(task, decorated);
        }
        // an @Async method's task is named after the method, as on Spool's own pools (not "FutureTask")
        return observer.wrap(task, AsyncTaskNames.decorator().decorate(decorated));
    }
}
