package dev.spool.autoconfigure;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.StringUtils;

/**
 * What the start-up checks of annotated methods share ({@link AsyncAnnotationCheck}, {@link ScheduledAnnotationCheck}):
 * each bean is looked at as it is created, before its proxies, and only when its class may carry the annotations.
 * A check stops start-up by throwing, or logs; the bean itself is never changed. The two helpers below read the names
 * the annotations give and describe a method the same way for every check.
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

    /**
     * @return the name an annotation gives, placeholders resolved; null when it gives none (the default), or when it
     *         cannot be resolved at start-up (left to Spring, which reports it at the call)
     */
    static @Nullable String resolve(ConfigurableListableBeanFactory factory, String qualifier) {
        if (!StringUtils.hasLength(qualifier)) {
            return null;
        }
        try {
            String resolved = factory.resolveEmbeddedValue(qualifier);
            // A lenient resolver leaves an unknown placeholder as it is: Spring reports it at the call.
            return StringUtils.hasLength(resolved) && !resolved.contains("${") ? resolved : null;
        } catch (IllegalArgumentException unresolvable) {
            return null; // Spring reports it at the call; a placeholder may be meant for a profile not active here
        }
    }

    /** @return {@code Class.method(parameter types)} */
    static String describe(Method method) {
        String parameters = Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", "));
        return method.getDeclaringClass().getName() + "." + method.getName() + "(" + parameters + ")";
    }
}
