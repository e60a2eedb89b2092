package dev.spool.autoconfigure;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.ProxyFactory;
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

    /**
     * Puts {@code spool} in the place of {@code bean}, the application's (or Boot's) configurer: as a subclass proxy
     * of the bean's class whose {@code getAsyncExecutor()} and {@code getAsyncUncaughtExceptionHandler()} answer
     * through {@code spool} and whose other methods reach the bean, so the bean can still be injected and looked up
     * by its own type; or, when the class cannot be subclassed (final, hidden, a JDK proxy, those methods final), as
     * {@code spool} itself, which is what Boot does with its own wrapper.
     *
     * @param bean  the configurer bean, {@code spool}'s delegate
     * @param spool the configurer that counts failures
     * @return what the context holds instead of {@code bean}
     */
    static Object wrap(AsyncConfigurer bean, SpoolAsyncConfigurer spool) {
        Class<?> type = bean.getClass();
        if (!subclassable(type)) {
            return spool;
        }
        try {
            ProxyFactory factory = new ProxyFactory(bean);
            factory.setProxyTargetClass(true);
            factory.addInterface(Wrapped.class);
            factory.addAdvice((MethodInterceptor) invocation -> {
                Method method = invocation.getMethod();
                if (method.getParameterCount() == 0 && method.getName().equals("getAsyncExecutor")) {
                    return spool.getAsyncExecutor();
                }
                if (method.getParameterCount() == 0 && method.getName().equals("getAsyncUncaughtExceptionHandler")) {
                    return spool.getAsyncUncaughtExceptionHandler();
                }
                return invocation.proceed();
            });
            return factory.getProxy(type.getClassLoader());
        } catch (RuntimeException cannotProxy) {
            return spool;
        }
    }

    private static boolean subclassable(Class<?> type) {
        if (Modifier.isFinal(type.getModifiers()) || type.isHidden() || Proxy.isProxyClass(type)
                || type.isAnonymousClass()) {
            return false;
        }
        try {
            return !Modifier.isFinal(type.getMethod("getAsyncExecutor").getModifiers())
                    && !Modifier.isFinal(type.getMethod("getAsyncUncaughtExceptionHandler").getModifiers());
        } catch (NoSuchMethodException impossible) {
            return false;
        }
    }

    /** Marks a configurer bean that {@link #wrap} has already wrapped. */
    interface Wrapped {
    }
}
