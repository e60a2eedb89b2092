package dev.spool.autoconfigure.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import dev.spool.annotation.WithLock;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.interceptor.AsyncExecutionInterceptor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.AsyncAnnotationBeanPostProcessor;

/**
 * Where the hold advisor goes in a bean's proxy, whichever of Spring's async post-processor and Spool's runs first:
 * after the async interceptor (the lock is taken on the worker), before any other advice (a transaction commits
 * inside the lock).
 */
@Timeout(10)
class AdvisorOrderTests {

    private final DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();

    @Test
    void inAProxyThatHasAsyncAndOtherAdviceItGoesRightAfterAsync() {
        AsyncAnnotationBeanPostProcessor async = asyncPostProcessor();
        ProxyFactory factory = new ProxyFactory(new Target());
        factory.setProxyTargetClass(true);
        factory.addAdvisor(new DefaultPointcutAdvisor(new Other()));
        Object proxied = async.postProcessAfterInitialization(factory.getProxy(), "target");

        Object bean = holdPostProcessor().postProcessAfterInitialization(proxied, "target");

        assertThat(bean).isSameAs(proxied);
        assertThat(advice(bean)).containsExactly(AsyncExecutionInterceptor.class, HoldInterceptor.class, Other.class);
    }

    @Test
    void whenSpoolProxiesFirstAsyncStillGoesInFront() {
        Object proxied = holdPostProcessor().postProcessAfterInitialization(new Target(), "target");
        Object bean = asyncPostProcessor().postProcessAfterInitialization(proxied, "target");

        assertThat(advice(bean)).containsExactly(AsyncExecutionInterceptor.class, HoldInterceptor.class);
    }

    @Test
    void aBeanWithoutTheAnnotationsIsLeftAsItIs() {
        Object plain = new Object();
        assertThat(holdPostProcessor().postProcessAfterInitialization(plain, "plain")).isSameAs(plain);
    }

    private HoldAdvisingPostProcessor holdPostProcessor() {
        HoldAdvisingPostProcessor processor = new HoldAdvisingPostProcessor();
        processor.setBeanFactory(this.beanFactory);
        return processor;
    }

    private AsyncAnnotationBeanPostProcessor asyncPostProcessor() {
        AsyncAnnotationBeanPostProcessor processor = new AsyncAnnotationBeanPostProcessor();
        processor.setBeanFactory(this.beanFactory);
        return processor;
    }

    /** @return the class of each advice of the proxy, in order, the async interceptor as its base class */
    private static List<Class<?>> advice(Object bean) {
        assertThat(bean).isInstanceOf(Advised.class);
        return Arrays.stream(((Advised) bean).getAdvisors()).map(Advisor::getAdvice)
                .<Class<?>>map(advice -> advice instanceof AsyncExecutionInterceptor ? AsyncExecutionInterceptor.class
                        : advice.getClass())
                .toList();
    }

    /** An {@code @Async} and {@code @WithLock} method. */
    static class Target {
        @Async
        @WithLock("inventory")
        public void run() {
        }
    }

    /** Any other advice, as a transaction's would be. */
    static final class Other implements MethodInterceptor {
        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            return invocation.proceed();
        }
    }
}
