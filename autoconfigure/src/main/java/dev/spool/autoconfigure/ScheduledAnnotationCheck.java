package dev.spool.autoconfigure;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.spool.futures.ManagedExecutor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.annotation.Schedules;
import org.springframework.scheduling.config.TaskManagementConfigUtils;

/**
 * Checks every {@code @Scheduled} method at start-up, as each bean is created, so that a mistake stops start-up with
 * the method and what to do, or is logged, instead of an exception that names neither at the end of start-up, or
 * nothing at all:
 * <ul>
 *   <li>{@code @Scheduled(scheduler = "name")} naming a bean that cannot schedule (a Spool thread, virtual or process
 *       pool, or any bean that is neither a {@code TaskScheduler} nor a {@code ScheduledExecutorService}), or naming
 *       no bean: start-up stops ({@link ScheduledSchedulerNotFoundException}) naming the bean, the method, the name,
 *       and the schedulers that exist;</li>
 *   <li>{@code @Scheduled} methods in a context where scheduling is not enabled (no {@code @EnableScheduling}): they
 *       never run; one WARN at start-up names the first such method.</li>
 * </ul>
 * A scheduler is found as Spring's scheduling finds it: a {@code TaskScheduler}, else a
 * {@code ScheduledExecutorService}, by bean name, alias or {@code @Qualifier}, placeholders resolved. A placeholder that
 * cannot be resolved at start-up, and a {@code @Scheduled} without a scheduler, are left to Spring.
 */
final class ScheduledAnnotationCheck extends AnnotatedBeanCheck {

    private static final Log logger = LogFactory.getLog(ScheduledAnnotationCheck.class);
    private static final List<Class<?>> SCHEDULER_TYPES = List.of(TaskScheduler.class, ScheduledExecutorService.class);

    private final AtomicBoolean warnedDisabled = new AtomicBoolean();

    ScheduledAnnotationCheck() {
        super(List.of(Scheduled.class, Schedules.class));
    }

    @Override
    void check(Class<?> type, String beanName, ConfigurableListableBeanFactory factory) {
        Map<Method, Set<Scheduled>> methods = MethodIntrospector.selectMethods(type,
                (MethodIntrospector.MetadataLookup<Set<Scheduled>>) method -> {
                    Set<Scheduled> found = AnnotatedElementUtils.getMergedRepeatableAnnotations(method,
                            Scheduled.class, Schedules.class);
                    return found.isEmpty() ? null : found;
                });
        if (methods.isEmpty()) {
            return;
        }
        if (!factory.containsBean(TaskManagementConfigUtils.SCHEDULED_ANNOTATION_PROCESSOR_BEAN_NAME)) {
            if (this.warnedDisabled.compareAndSet(false, true)) {
                logger.warn("@Scheduled method " + describe(methods.keySet().iterator().next())
                        + " (bean '" + beanName + "') never runs: scheduling is not enabled. Add @EnableScheduling to "
                        + "a @Configuration class, or remove @Scheduled.");
            }
            return;
        }
        List<ScheduledSchedulerNotFoundException.Site> sites = new ArrayList<>();
        methods.forEach((method, annotations) -> {
            Set<String> names = new LinkedHashSet<>();
            for (Scheduled scheduled : annotations) {
                String name = resolve(factory, scheduled.scheduler());
                if (name != null) {
                    names.add(name);
                }
            }
            for (String name : names) {
                if (!isScheduler(factory, name)) {
                    ScheduledSchedulerNotFoundException.Site site = site(factory, method, name);
                    if (site != null) {
                        sites.add(site);
                    }
                }
            }
        });
        if (!sites.isEmpty()) {
            sites.sort(Comparator.comparing(ScheduledSchedulerNotFoundException.Site::method));
            throw new ScheduledSchedulerNotFoundException(beanName, sites, schedulerNames(factory));
        }
    }

    /** @return whether {@code name} selects a scheduler as Spring's scheduling looks one up */
    private static boolean isScheduler(ConfigurableListableBeanFactory factory, String name) {
        for (Class<?> schedulerType : SCHEDULER_TYPES) {
            for (String candidate : factory.getBeanNamesForType(schedulerType, true, false)) {
                if (BeanFactoryAnnotationUtils.isQualifierMatch(name::equals, candidate, factory)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** @return what is wrong with a name that selects no scheduler; null to leave it to Spring (type not known) */
    private static ScheduledSchedulerNotFoundException.@Nullable Site site(ConfigurableListableBeanFactory factory,
                                                                         Method method, String name) {
        String described = describe(method);
        if (!factory.containsBean(name)) {
            return new ScheduledSchedulerNotFoundException.Site(described, name, null, false);
        }
        Class<?> actual = factory.getType(name, false);
        if (actual == null || SCHEDULER_TYPES.stream().anyMatch(t -> t.isAssignableFrom(actual))) {
            return null; // a factory bean Spring may still resolve to a scheduler
        }
        boolean spoolPool = ManagedExecutor.class.isAssignableFrom(actual);
        String what = spoolPool ? "a Spool " + actual.getSimpleName() + " (" + SpoolKind.EXECUTOR.key(name) + ")"
                : "a " + actual.getName();
        return new ScheduledSchedulerNotFoundException.Site(described, name, what, spoolPool);
    }

    private static List<String> schedulerNames(ConfigurableListableBeanFactory factory) {
        Set<String> names = new LinkedHashSet<>();
        for (Class<?> schedulerType : SCHEDULER_TYPES) {
            names.addAll(Arrays.asList(factory.getBeanNamesForType(schedulerType, true, false)));
        }
        names.removeIf(SpoolBeanRegistrar::isPoolsTaskScheduler); // a scheduled pool's: the pool itself is listed
        return List.copyOf(names);
    }
}
