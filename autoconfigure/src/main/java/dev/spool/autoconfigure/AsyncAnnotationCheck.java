package dev.spool.autoconfigure;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.spool.futures.ProcessPool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.config.TaskManagementConfigUtils;

/**
 * Checks every {@code @Async} method (or class) at start-up, as each bean is created, so that a mistake stops start-up
 * or is logged instead of showing at the first call, or never:
 * <ul>
 *   <li>{@code @Async("name")} naming a {@link ProcessPool}: start-up stops ({@link AsyncOnProcessPoolException}), a
 *       process pool cannot run a method of a Spring bean;</li>
 *   <li>{@code @Async("name")} naming no {@link Executor} bean (by bean name, alias or {@code @Qualifier}, as Spring's
 *       async interceptor looks it up): start-up stops ({@link AsyncExecutorNotFoundException}) naming the bean, the
 *       method, the name and the executors that exist;</li>
 *   <li>{@code @Async} methods in a context where async execution is not enabled (no {@code @EnableAsync}): they run
 *       on the caller's thread; one WARN at start-up names the first such method.</li>
 * </ul>
 * Qualifiers are resolved as Spring resolves them (placeholders, aliases); a placeholder that cannot be resolved at
 * start-up is left to Spring. An {@code @Async} without a name uses the default executor, which is never a process
 * pool ({@code spool.default-executor} is validated), and is not checked.
 */
final class AsyncAnnotationCheck extends AnnotatedBeanCheck {

    private static final Log logger = LogFactory.getLog(AsyncAnnotationCheck.class);

    private final AtomicBoolean warnedDisabled = new AtomicBoolean();

    AsyncAnnotationCheck() {
        super(List.of(Async.class));
    }

    @Override
    void check(Class<?> type, String beanName, ConfigurableListableBeanFactory factory) {
        Map<Method, String> qualifiers = asyncMethods(type);
        if (qualifiers.isEmpty()) {
            return;
        }
        if (!asyncEnabled(factory)) {
            if (this.warnedDisabled.compareAndSet(false, true)) {
                logger.warn("@Async method " + describe(qualifiers.keySet().iterator().next()) + " (bean '" + beanName
                        + "') runs on the caller's thread: async execution is not enabled. Add @EnableAsync to a "
                        + "@Configuration class, or remove @Async.");
            }
            return;
        }
        List<AsyncOnProcessPoolException.Site> onProcessPools = new ArrayList<>();
        List<AsyncExecutorNotFoundException.Site> notFound = new ArrayList<>();
        qualifiers.forEach((method, qualifier) -> {
            String name = resolve(factory, qualifier);
            if (name == null) {
                return;
            }
            String target = executorNamed(factory, name);
            if (target == null) {
                notFound.add(new AsyncExecutorNotFoundException.Site(describe(method), name));
            } else if (factory.isTypeMatch(target, ProcessPool.class)) {
                onProcessPools.add(new AsyncOnProcessPoolException.Site(describe(method), target));
            }
        });
        if (!onProcessPools.isEmpty()) {
            onProcessPools.sort(Comparator.comparing(AsyncOnProcessPoolException.Site::method));
            throw new AsyncOnProcessPoolException(beanName, onProcessPools);
        }
        if (!notFound.isEmpty()) {
            notFound.sort(Comparator.comparing(AsyncExecutorNotFoundException.Site::method));
            throw new AsyncExecutorNotFoundException(beanName, notFound, executorNames(factory));
        }
    }

    /** @return each {@code @Async} method of {@code type} and its qualifier (the method's, else its class's) */
    private static Map<Method, String> asyncMethods(Class<?> type) {
        Map<Method, String> qualifiers = new LinkedHashMap<>();
        Map<Method, Async> onMethods = MethodIntrospector.selectMethods(type,
                (MethodIntrospector.MetadataLookup<Async>) m -> AnnotatedElementUtils.findMergedAnnotation(m, Async.class));
        onMethods.forEach((method, async) -> qualifiers.put(method, async.value()));
        Async onClass = AnnotatedElementUtils.findMergedAnnotation(type, Async.class);
        if (onClass != null) {
            for (Method method : type.getMethods()) {
                if (method.getDeclaringClass() != Object.class) {
                    qualifiers.putIfAbsent(method, onClass.value());
                }
            }
        }
        return qualifiers;
    }

    static boolean asyncEnabled(ListableBeanFactory factory) {
        return factory.containsBean(TaskManagementConfigUtils.ASYNC_ANNOTATION_PROCESSOR_BEAN_NAME)
                || factory.containsBean(TaskManagementConfigUtils.ASYNC_EXECUTION_ASPECT_BEAN_NAME);
    }

    /** @return the executor bean {@code name} selects (bean name, alias or qualifier), null if none */
    private static @Nullable String executorNamed(ConfigurableListableBeanFactory factory, String name) {
        for (String candidate : factory.getBeanNamesForType(Executor.class, true, false)) {
            if (BeanFactoryAnnotationUtils.isQualifierMatch(name::equals, candidate, factory)) {
                return candidate;
            }
        }
        // What getBeanNamesForType cannot see without creating beans (a factory bean): Spring falls back on the name.
        return factory.containsBean(name) ? name : null;
    }

    private static List<String> executorNames(ConfigurableListableBeanFactory factory) {
        return Arrays.asList(factory.getBeanNamesForType(Executor.class, true, false));
    }
}
