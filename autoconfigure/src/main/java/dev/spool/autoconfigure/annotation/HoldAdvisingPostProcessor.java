package dev.spool.autoconfigure.annotation;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.interceptor.AsyncExecutionInterceptor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Proxies each bean with a {@code @WithLock} or {@code @WithPermit} method, as Spring's
 * {@code AsyncAnnotationBeanPostProcessor} does for {@code @Async}: one advisor (the {@link HoldPointcut} and the
 * {@link HoldInterceptor}), added to the bean's proxy when it has one, or in a proxy of its own (of the class, as Boot
 * proxies by default, unless {@code spring.aop.proxy-target-class} says otherwise).
 *
 * <p>Where the advisor goes in an existing proxy is the point of this class: right after Spring's async interceptor,
 * and before everything else. After the async interceptor, so that the lock is taken on the thread that runs the body
 * (Spring adds its async advisor first, before or after this one runs); before the rest, notably a transaction, so
 * that the transaction commits before the lock is released and the next holder reads what this one wrote.
 */
final class HoldAdvisingPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

    private @Nullable HoldInterceptor interceptor;

    HoldAdvisingPostProcessor() {
        setBeforeExistingAdvisors(false);
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        super.setBeanFactory(beanFactory);
        HoldInterceptor interceptor = new HoldInterceptor((ConfigurableListableBeanFactory) beanFactory);
        this.interceptor = interceptor;
        this.advisor = new DefaultPointcutAdvisor(new HoldPointcut(), interceptor);
    }

    /** @return the interceptor, once the bean factory is set; for tests */
    @Nullable HoldInterceptor interceptor() {
        return this.interceptor;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Advisor advisor = this.advisor;
        if (advisor != null && bean instanceof Advised advised && !(bean instanceof AopInfrastructureBean)
                && !advised.isFrozen() && isEligible(AopUtils.getTargetClass(bean))) {
            advised.addAdvisor(positionIn(advised), advisor);
            return bean;
        }
        return super.postProcessAfterInitialization(bean, beanName);
    }

    /** @return the index after the last async advisor of the proxy; 0 when it has none */
    static int positionIn(Advised advised) {
        Advisor[] advisors = advised.getAdvisors();
        int position = 0;
        for (int i = 0; i < advisors.length; i++) {
            if (advisors[i].getAdvice() instanceof AsyncExecutionInterceptor) {
                position = i + 1;
            }
        }
        return position;
    }
}
