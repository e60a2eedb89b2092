package dev.spool.autoconfigure;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

import dev.spool.futures.ManagedExecutor;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.util.function.SingletonSupplier;

/**
 * The {@code applicationTaskExecutor} bean when {@code spool.default-executor} is set: Spring's
 * {@link AsyncTaskExecutor} view of the named Spool pool, for what looks that bean up by name or type (Spring MVC and
 * WebFlux async request handling, Boot's bootstrap executor, {@code @Async} without a qualifier).
 *
 * <p>The pool is looked up by name when the first task arrives, so this bean does not force the pool's creation, and
 * the application's own bean wins when it replaced Spool's under that name. Tasks go straight to the pool, which
 * applies the {@code TaskDecorator} beans and MDC propagation itself (so nothing is decorated twice). The pool's
 * lifecycle is Spool's: this view owns nothing and shuts nothing down.
 */
public final class DefaultExecutorAdapter implements AsyncTaskExecutor {

    private final String executorName;
    private final SingletonSupplier<Executor> executor;
    private final SingletonSupplier<AsyncTaskExecutor> adapter;

    /**
     * @param beanFactory  where the pool is
     * @param executorName the pool's bean name, {@code spool.default-executor}
     */
    public DefaultExecutorAdapter(BeanFactory beanFactory, String executorName) {
        this.executorName = executorName;
        this.executor = SingletonSupplier.of(() -> beanFactory.getBean(executorName, Executor.class));
        this.adapter = SingletonSupplier.of(() -> new TaskExecutorAdapter(this.executor.obtain()));
    }

    /** @return the name of the pool tasks go to */
    public String executorName() {
        return this.executorName;
    }

    /** @return the pool tasks go to, looked up on first use */
    public Executor executor() {
        return this.executor.obtain();
    }

    @Override
    public void execute(Runnable task) {
        this.adapter.obtain().execute(task);
    }

    @Override
    public Future<?> submit(Runnable task) {
        return this.adapter.obtain().submit(task);
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return this.adapter.obtain().submit(task);
    }

    /**
     * Submits {@code task}. For a Spool pool, a task that throws completes the result with a
     * {@link java.util.concurrent.CompletionException} wrapping its exception, as {@link #submitCompletable(Runnable)}
     * and Spring's executors do; cancelling the result cancels the task (a task not started never runs;
     * {@code cancel(true)} interrupts a running one).
     *
     * @throws TaskRejectedException if the pool refuses the task (shut down, or its queue is full)
     */
    @Override
    public <T> CompletableFuture<T> submitCompletable(Callable<T> task) {
        if (executor() instanceof ManagedExecutor pool) {
            try {
                return TaskCompletableFuture.of(pool.submit(task));
            } catch (RejectedExecutionException ex) {
                throw new TaskRejectedException(pool, task, ex);
            }
        }
        return this.adapter.obtain().submitCompletable(task);
    }

    @Override
    public String toString() {
        return "DefaultExecutorAdapter[" + this.executorName + "]";
    }
}
