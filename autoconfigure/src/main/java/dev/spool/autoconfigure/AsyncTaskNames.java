package dev.spool.autoconfigure;

import java.lang.reflect.Method;

import dev.spool.futures.DescribedTask;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.Advisor;
import org.springframework.aop.PointcutAdvisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.interceptor.AsyncExecutionInterceptor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.util.ClassUtils;

/**
 * Names the task of an {@code @Async} method after the method ({@code com.acme.Mailer.send}) in the running-task
 * views and the run-timeout's log line, where it would otherwise read as Spring's own lambda
 * ({@code AsyncExecutionInterceptor$$Lambda}), the same for every {@code @Async} method.
 *
 * <p>Spring's async interceptor submits a lambda that says nothing of the method. So an interceptor of Spool's runs
 * just before it, on the calling thread, and keeps the method's name in a thread-local for the time of the call; the
 * pool's task decorator, which a Spool pool applies in the submitting thread, reads it there and returns a wrapper
 * that is a {@link DescribedTask}. A task submitted any other way finds no name and is not wrapped. An adopted Boot
 * executor ({@code spool.adopt.*}) applies the same decorator to its tasks, after Boot's own.
 *
 * <p>Public only so that the adoption package can apply it; not API.
 */
public final class AsyncTaskNames {
    private static final TaskDecorator DECORATOR = task -> {
        String method = AsyncTaskNames.SUBMITTING.get();
        return method == null ? task : DescribedTask.describedAs(method, task);
    };

    /** The {@code @Async} method whose call is submitting a task on this thread now, or null. */
    private static final ThreadLocal<String> SUBMITTING = new ThreadLocal<>();

    private AsyncTaskNames() {
    }

    /**
     * @return the decorator that names the task of an {@code @Async} call; apply it outermost, so its wrapper is the
     *         one the pool sees
     */
    public static TaskDecorator decorator() {
        return DECORATOR;
    }

    /** Keeps the {@code @Async} method's name for the time of its call, around Spring's async interceptor. */
    private static final class Interceptor implements MethodInterceptor {
        @Override
        public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
            String outer = SUBMITTING.get();
            SUBMITTING.set(describe(invocation));
            try {
                return invocation.proceed();
            } finally {
                SUBMITTING.set(outer);
            }
        }

        private static String describe(MethodInvocation invocation) {
            Method method = invocation.getMethod();
            Object target = invocation.getThis();
            Class<?> type = target != null ? ClassUtils.getUserClass(target) : method.getDeclaringClass();
            return type.getName() + "." + method.getName();
        }
    }

    /**
     * Puts the {@link Interceptor} just in front of Spring's async interceptor in every proxy that has one, with the
     * same pointcut, so it runs exactly for the {@code @Async} methods. It creates no proxy of its own. Not
     * {@code Ordered} on purpose: Spring then runs it after the ordered post-processors, Spring's
     * {@code AsyncAnnotationBeanPostProcessor} among them, so the async advisor is there to be found.
     */
    static final class PostProcessor implements BeanPostProcessor {
        private final Interceptor interceptor = new Interceptor();

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (!(bean instanceof Advised advised) || advised.isFrozen()) {
                return bean;
            }
            Advisor[] advisors = advised.getAdvisors();
            for (int i = 0; i < advisors.length; i++) {
                if (advisors[i] instanceof PointcutAdvisor async
                        && async.getAdvice() instanceof AsyncExecutionInterceptor) {
                    advised.addAdvisor(i, new DefaultPointcutAdvisor(async.getPointcut(), this.interceptor));
                    return bean;
                }
            }
            return bean;
        }
    }
}
