package dev.spool.autoconfigure.annotation;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;

import dev.spool.annotation.InvalidSpoolAnnotationException;
import dev.spool.annotation.WithLock;
import dev.spool.annotation.WithPermit;
import dev.spool.threading.AbstractLock;
import dev.spool.threading.BoundedSemaphore;
import dev.spool.threading.Primitive;
import dev.spool.threading.Semaphore;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.config.TaskManagementConfigUtils;
import org.springframework.util.ClassUtils;

/**
 * Checks every {@link WithLock} and {@link WithPermit} of a bean as the bean is created, before it is proxied, and
 * stops start-up with an {@link InvalidSpoolAnnotationException} listing each method that cannot work, instead of a
 * failure at its first call or a lock that silently does nothing:
 * <ul>
 *   <li>the name: a bean that exists, and of the annotation's kind (a Spool lock for {@code @WithLock}, a Spool
 *       semaphore for {@code @WithPermit}); a placeholder that cannot be resolved; both annotations on one
 *       element;</li>
 *   <li>the wait: a timeout that is not a duration or is negative, or a timeout with {@code blocking = false};</li>
 *   <li>the permits: fewer than 1, more than a bounded semaphore has, or several without a time limit on a shared
 *       semaphore (see {@link HeldPermits});</li>
 *   <li>the method: private, static or final (a proxy cannot intercept it, so the annotation would do nothing); or
 *       returning a future or a reactive type without {@code @Async} in proxy mode, since the lock would be given
 *       back as the method returns, before the work it stands for is done.</li>
 * </ul>
 */
final class HoldAnnotationCheck implements BeanPostProcessor, BeanFactoryAware {

    private @Nullable ConfigurableListableBeanFactory beanFactory;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
        ConfigurableListableBeanFactory factory = this.beanFactory;
        Class<?> type = AopUtils.getTargetClass(bean);
        if (factory == null || !AnnotationUtils.isCandidateClass(type, HoldAnnotations.TYPES)) {
            return bean;
        }
        List<InvalidSpoolAnnotationException.Problem> problems = new ArrayList<>();
        for (Method method : annotatedMethods(type)) {
            HoldAnnotations.Declared declared = HoldAnnotations.find(method, type);
            if (declared != null) {
                check(factory, method, type, declared, problems);
            }
        }
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparing(InvalidSpoolAnnotationException.Problem::method));
            throw new InvalidSpoolAnnotationException(beanName, problems);
        }
        return bean;
    }

    /** @return the methods with an annotation of their own (any visibility), then those their class's covers */
    private static Set<Method> annotatedMethods(Class<?> type) {
        Set<Method> methods = new LinkedHashSet<>(MethodIntrospector.selectMethods(type,
                (MethodIntrospector.MetadataLookup<Boolean>) m -> HoldAnnotations.annotatedItself(m) ? true : null)
                .keySet());
        if (AnnotatedElementUtils.hasAnnotation(type, WithLock.class)
                || AnnotatedElementUtils.hasAnnotation(type, WithPermit.class)) {
            for (Method method : type.getMethods()) {
                if (HoldAnnotations.classLevelApplies(method)) {
                    methods.add(ClassUtils.getMostSpecificMethod(method, type));
                }
            }
        }
        return methods;
    }

    private static void check(ConfigurableListableBeanFactory factory, Method method, Class<?> type,
                              HoldAnnotations.Declared declared, List<InvalidSpoolAnnotationException.Problem> into) {
        String described = HoldAnnotations.describe(method, type);
        HoldAnnotations.Problems problems = (description, action) -> into.add(
                new InvalidSpoolAnnotationException.Problem(described, declared.notation(), description, action));
        checkMethod(factory, method, type, declared.kind(), problems);
        HoldAnnotations.Hold hold = HoldAnnotations.resolve(declared, described, factory, problems);
        if (hold != null) {
            checkBean(factory, hold, problems);
        }
    }

    private static void checkMethod(ConfigurableListableBeanFactory factory, Method method, Class<?> type,
                                    HoldAnnotations.Kind kind, HoldAnnotations.Problems problems) {
        int modifiers = method.getModifiers();
        String cannot = Modifier.isPrivate(modifiers) ? "private" : Modifier.isStatic(modifiers) ? "static"
                : Modifier.isFinal(modifiers) ? "final" : null;
        if (cannot != null) {
            problems.add("is " + cannot + ": Spring's proxy cannot intercept it, so the annotation would do nothing",
                    "make the method public (or protected) and not " + (cannot.equals("private") ? "static or final"
                            : cannot) + ", and call it through the bean");
            return;
        }
        Class<?> returned = method.getReturnType();
        boolean async = AnnotatedElementUtils.hasAnnotation(method, Async.class)
                || AnnotatedElementUtils.hasAnnotation(type, Async.class);
        if (async && factory.containsBean(TaskManagementConfigUtils.ASYNC_EXECUTION_ASPECT_BEAN_NAME)) {
            problems.add("is @Async with @EnableAsync(mode = ASPECTJ), whose aspect runs inside the method: the "
                    + kind.noun + " would be held on the caller's thread while it hands the call over",
                    "use @EnableAsync in its default proxy mode, or take the " + kind.noun + " in the body");
            return;
        }
        boolean future = Future.class.isAssignableFrom(returned) || CompletionStage.class.isAssignableFrom(returned);
        if (isReactive(returned) && !future) {
            problems.add("returns " + returned.getSimpleName() + ", which does its work after the method returns, "
                    + "when it is subscribed to: the " + kind.noun + " would be given back first",
                    "take the " + kind.noun + " where the work runs (in the pipeline, with its hold()), or make the "
                            + "method return the value itself");
        } else if (future && !(async && asyncProxies(factory))) {
            problems.add("returns " + returned.getSimpleName() + " without @Async: the " + kind.noun + " would be "
                    + "given back when the method returns its future, before the work it stands for is done",
                    "add @Async to the method (with @EnableAsync) so the " + kind.noun + " is held on the worker "
                            + "while the body runs, or make the method return the value itself");
        }
    }

    private static boolean isReactive(Class<?> type) {
        return Flow.Publisher.class.isAssignableFrom(type)
                || ReactiveAdapterRegistry.getSharedInstance().getAdapter(type) != null
                || implementsNamed(type, "org.reactivestreams.Publisher");
    }

    private static boolean implementsNamed(Class<?> type, String name) {
        for (Class<?> each : ClassUtils.getAllInterfacesForClassAsSet(type)) {
            if (each.getName().equals(name)) {
                return true;
            }
        }
        return type.getName().equals(name);
    }

    private static boolean asyncProxies(ConfigurableListableBeanFactory factory) {
        return factory.containsBean(TaskManagementConfigUtils.ASYNC_ANNOTATION_PROCESSOR_BEAN_NAME);
    }

    private static void checkBean(ConfigurableListableBeanFactory factory, HoldAnnotations.Hold hold,
                                  HoldAnnotations.Problems problems) {
        HoldAnnotations.Kind kind = hold.kind();
        String name = hold.name();
        Class<?> wanted = kind == HoldAnnotations.Kind.LOCK ? AbstractLock.class : Semaphore.class;
        List<String> known = Arrays.asList(factory.getBeanNamesForType(wanted, true, false));
        String add = "add spool." + kind.key + "." + name + " to application.yml";
        String oneOf = "name one of the " + kind.key + " (" + String.join(", ", known) + ")";
        if (!factory.containsBean(name)) {
            problems.add("no " + kind.noun + " is named '" + name + "'", known.isEmpty()
                    ? add + " (this application has no " + kind.key + ")" : oneOf + ", or " + add);
            return;
        }
        if (!factory.isTypeMatch(name, wanted)) {
            String other = otherKind(factory, name, kind);
            String action = other != null ? other + (known.isEmpty() ? "" : ", or " + oneOf)
                    : (known.isEmpty() ? "define a Spool " + kind.noun + " under spool." + kind.key : oneOf)
                    + ": the annotation holds Spool's " + kind.key + " only";
            problems.add("'" + name + "' is " + what(factory, name) + ", not a Spool " + kind.noun, action);
            return;
        }
        if (kind == HoldAnnotations.Kind.PERMIT && hold.permits() > 1) {
            Semaphore semaphore = factory.getBean(name, Semaphore.class);
            if (semaphore instanceof BoundedSemaphore bounded && hold.permits() > bounded.initialValue()) {
                problems.add("asks for " + hold.permits() + " permits, and bounded semaphore '" + name + "' has "
                        + bounded.initialValue() + ": no call could ever run", "ask for at most "
                        + bounded.initialValue() + " permits, or raise spool.semaphores." + name + ".permits");
            }
            if (hold.waitsForever() && !Primitive.LOCAL_BACKEND.equals(semaphore.backend())) {
                problems.add("takes " + hold.permits() + " permits of '" + name + "', shared on "
                                + semaphore.backend() + ", without a time limit: calls on two instances could each "
                                + "hold part of the permits and wait for the rest forever",
                        "give it a timeout (timeout = \"5s\") or blocking = false, or take one permit");
            }
        }
    }

    private static String what(ConfigurableListableBeanFactory factory, String name) {
        if (factory.isTypeMatch(name, AbstractLock.class)) {
            return "a lock";
        }
        if (factory.isTypeMatch(name, Semaphore.class)) {
            return "a semaphore";
        }
        Class<?> type = factory.getType(name, false);
        return type == null ? "a bean of unknown type" : "a " + type.getName();
    }

    /** @return the advice to use the other annotation when the bean is of the other kind, else null */
    private static @Nullable String otherKind(ConfigurableListableBeanFactory factory, String name,
                                              HoldAnnotations.Kind kind) {
        if (kind == HoldAnnotations.Kind.LOCK && factory.isTypeMatch(name, Semaphore.class)) {
            return "use @WithPermit(\"" + name + "\") to hold one of its permits";
        }
        if (kind == HoldAnnotations.Kind.PERMIT && factory.isTypeMatch(name, AbstractLock.class)) {
            return "use @WithLock(\"" + name + "\") to hold the lock";
        }
        return null;
    }
}
