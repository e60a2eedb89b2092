package dev.spool.autoconfigure;

import java.lang.annotation.Annotation;
import java.util.Collection;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * What the start-up checks of annotated methods share ({@link AsyncAnnotationCheck}, {@link ScheduledAnnotationCheck}):
 * each bean is looked at as it is created, before its proxies, and only when its class may carry the annotations.
 * A check stops start-up by throwing, or logs; the bean itself is never changed.
 */
abstract class AnnotatedBeanCheck implements BeanPostProcessor, BeanFactoryAware {

    private final List<Class<? extends Annotation>> annotations;
    private @Nullable ConfigurableListableBeanFactory beanFactory;

    AnnotatedBeanCheck(Collection<Class<? extends Annotation>> annotations) {
        this.annotations = List.copyOf(annotations);
    }

    @Override
    public final void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }

    @Override
    public final Object postProcessBeforeInitialization(Object bean, String beanName) {
        ConfigurableListableBeanFactory factory = this.beanFactory;
        Class<?> type = AopUtils.getTargetClass(bean);
        if (factory != null && AnnotationUtils.isCandidateClass(type, this.annotations)) {
            check(type, beanName, factory);
        }
        return bean;
    }

    /**
     * Checks the methods of one bean's class.
     *
     * @param type     the bean's class (the target's, for a bean that is a proxy already)
     * @param beanName its name, for messages
     * @param factory  where the names the annotations give are looked up
     */
    abstract void check(Class<?> type, String beanName, ConfigurableListableBeanFactory factory);
}
