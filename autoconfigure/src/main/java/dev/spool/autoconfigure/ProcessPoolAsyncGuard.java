package dev.spool.autoconfigure;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.spool.futures.ProcessPool;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.config.TaskManagementConfigUtils;
import org.springframework.util.StringUtils;

/**
 * Stops start-up when an {@code @Async} method (or class) names a {@link ProcessPool} bean: each bean's class is
 * checked as the bean is created, with qualifiers resolved as Spring resolves them (placeholders, aliases). Only
 * when {@code @EnableAsync} is on and the context has a process pool; otherwise it does nothing.
 */
final class ProcessPoolAsyncGuard implements BeanPostProcessor, BeanFactoryAware {

    private @Nullable ConfigurableListableBeanFactory beanFactory;
    private volatile @Nullable Map<String, String> processPools;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
        ConfigurableListableBeanFactory factory = this.beanFactory;
        if (factory == null) {
            return bean;
        }
        Map<String, String> pools = processPools(factory);
        if (pools.isEmpty()) {
            return bean;
        }
        Class<?> type = AopUtils.getTargetClass(bean);
        if (!AnnotationUtils.isCandidateClass(type, Async.class)) {
            return bean;
        }
        Async onClass = AnnotatedElementUtils.findMergedAnnotation(type, Async.class);
        Map<Method, Async> onMethods = MethodIntrospector.selectMethods(type,
                (MethodIntrospector.MetadataLookup<Async>) m -> AnnotatedElementUtils.findMergedAnnotation(m, Async.class));
        List<AsyncOnProcessPoolException.Site> sites = new ArrayList<>();
        onMethods.forEach((method, async) -> check(factory, pools, method, async.value(), sites));
        if (onClass != null) {
            for (Method method : type.getMethods()) {
                if (method.getDeclaringClass() != Object.class && !onMethods.containsKey(method)) {
                    check(factory, pools, method, onClass.value(), sites);
                }
            }
        }
        if (!sites.isEmpty()) {
            sites.sort((a, b) -> a.method().compareTo(b.method()));
            throw new AsyncOnProcessPoolException(beanName, sites);
        }
        return bean;
    }

    private static void check(ConfigurableListableBeanFactory factory, Map<String, String> pools, Method method,
                              String qualifier, List<AsyncOnProcessPoolException.Site> sites) {
        if (!StringUtils.hasLength(qualifier)) {
            return; // the default executor: spool.default-executor is never a process pool (validated)
        }
        String resolved = factory.resolveEmbeddedValue(qualifier);
        String pool = resolved != null ? pools.get(resolved) : null;
        if (pool != null) {
            String parameters = Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
                    .collect(Collectors.joining(", "));
            sites.add(new AsyncOnProcessPoolException.Site(
                    method.getDeclaringClass().getName() + "." + method.getName() + "(" + parameters + ")", pool));
        }
    }

    /** @return each name and alias of a process pool bean, to the pool's name; empty without {@code @EnableAsync} */
    private Map<String, String> processPools(ConfigurableListableBeanFactory factory) {
        Map<String, String> pools = this.processPools;
        if (pools == null) {
            pools = new HashMap<>();
            if (factory.containsBeanDefinition(TaskManagementConfigUtils.ASYNC_ANNOTATION_PROCESSOR_BEAN_NAME)
                    || factory.containsBeanDefinition(TaskManagementConfigUtils.ASYNC_EXECUTION_ASPECT_BEAN_NAME)) {
                for (String pool : factory.getBeanNamesForType(ProcessPool.class, true, false)) {
                    pools.put(pool, pool);
                    for (String alias : factory.getAliases(pool)) {
                        pools.put(alias, pool);
                    }
                }
            }
            this.processPools = pools;
        }
        return pools;
    }
}
