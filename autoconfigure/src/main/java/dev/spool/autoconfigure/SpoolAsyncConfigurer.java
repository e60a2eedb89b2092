package dev.spool.autoconfigure;

import java.lang.reflect.Method;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.interceptor.AsyncUncaughtExceptionHandler;
import org.springframework.aop.interceptor.SimpleAsyncUncaughtExceptionHandler;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.AsyncConfigurer;
import org.springframework.util.StringUtils;

/**
 * The {@link AsyncConfigurer} Spring's {@code @EnableAsync} sees when Spool is present: it wraps the application's
 * configurer (or Boot's, which picks {@code applicationTaskExecutor}), or stands alone when there is none.
 * <ul>
 *   <li>Executor for {@code @Async} without a qualifier: the delegate's, if it gives one; otherwise the pool named
 *       by {@code spool.default-executor}; otherwise none, so Spring's own default lookup applies as without
 *       Spool.</li>
 *   <li>Exception handler for {@code void} methods: the delegate's, or Spring's default (which logs), with every
 *       call counted in {@link AsyncFailures} first.</li>
 * </ul>
 */
final class SpoolAsyncConfigurer implements AsyncConfigurer {

    private final BeanFactory beanFactory;
    private final @Nullable AsyncConfigurer delegate;
    private final Supplier<AsyncFailures> failures;
    private final @Nullable String defaultExecutor;

    SpoolAsyncConfigurer(BeanFactory beanFactory, @Nullable AsyncConfigurer delegate, Supplier<AsyncFailures> failures,
                         @Nullable String defaultExecutor) {
        this.beanFactory = beanFactory;
        this.delegate = delegate;
        this.failures = failures;
        this.defaultExecutor = StringUtils.hasText(defaultExecutor) ? defaultExecutor : null;
    }

    @Override
    public @Nullable Executor getAsyncExecutor() {
        Executor executor = this.delegate != null ? this.delegate.getAsyncExecutor() : null;
        if (executor != null) {
            return executor;
        }
        return this.defaultExecutor != null ? this.beanFactory.getBean(this.defaultExecutor, Executor.class) : null;
    }

    @Override
    public AsyncUncaughtExceptionHandler getAsyncUncaughtExceptionHandler() {
        AsyncUncaughtExceptionHandler handler = this.delegate != null
                ? this.delegate.getAsyncUncaughtExceptionHandler() : null;
        AsyncUncaughtExceptionHandler target = handler != null ? handler : new SimpleAsyncUncaughtExceptionHandler();
        AsyncFailures counter = this.failures.get();
        return (exception, method, params) -> {
            counter.record(executorName(method));
            target.handleUncaughtException(exception, method, params);
        };
    }

    /** The executor that ran {@code method}, found as Spring's {@code AnnotationAsyncExecutionInterceptor} does. */
    String executorName(Method method) {
        Async async = AnnotatedElementUtils.findMergedAnnotation(method, Async.class);
        if (async == null) {
            async = AnnotatedElementUtils.findMergedAnnotation(method.getDeclaringClass(), Async.class);
        }
        String qualifier = async != null ? async.value() : null;
        if (StringUtils.hasLength(qualifier) && this.beanFactory instanceof ConfigurableBeanFactory configurable) {
            qualifier = configurable.resolveEmbeddedValue(qualifier);
        }
        if (StringUtils.hasLength(qualifier)) {
            return qualifier;
        }
        return this.defaultExecutor != null ? this.defaultExecutor
                : TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME;
    }

    @Nullable AsyncConfigurer delegate() {
        return this.delegate;
    }
}
