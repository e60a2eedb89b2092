package dev.spool.autoconfigure.annotation;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.spool.threading.AbstractLock;
import dev.spool.threading.Lock;
import dev.spool.threading.Semaphore;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Runs each call of an annotated method holding what its annotation names: takes the lock or permits on the calling
 * thread (with {@code @Async}, the worker: this interceptor comes after Spring's async one), runs the method, and
 * gives them back in {@code finally}. What a method holds is read once per bean class and method, at its first call
 * (the start-up check has already refused what cannot work), together with its lock or semaphore bean.
 */
final class HoldInterceptor implements MethodInterceptor {

    /** A method with no annotation (a call the pointcut let through for another method of the same name). */
    private static final Held NONE = invocation -> invocation.proceed();

    private final ConfigurableListableBeanFactory beanFactory;
    /** By bean class, then method: no key to allocate on a call. */
    private final Map<Class<?>, Map<Method, Held>> held = new ConcurrentHashMap<>();
    /** The turn-taking of calls that take several permits of one semaphore; see {@link HeldPermits}. */
    private final Map<Semaphore, Lock> turns = new ConcurrentHashMap<>();

    HoldInterceptor(ConfigurableListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        Class<?> targetClass = target != null ? AopUtils.getTargetClass(target)
                : invocation.getMethod().getDeclaringClass();
        return held(invocation.getMethod(), targetClass).around(invocation);
    }

    private Held held(Method method, Class<?> targetClass) {
        Map<Method, Held> byMethod = this.held.computeIfAbsent(targetClass, type -> new ConcurrentHashMap<>());
        Held found = byMethod.get(method);
        if (found == null) {
            // Built outside the map's lock: it may create the lock or semaphore bean. Two first calls may both build;
            // one of the two is kept, and both hold the same bean.
            Held built = build(method, targetClass);
            found = byMethod.putIfAbsent(method, built);
            if (found == null) {
                found = built;
            }
        }
        return found;
    }

    private Held build(Method method, Class<?> targetClass) {
        HoldAnnotations.Declared declared = HoldAnnotations.find(method, targetClass);
        if (declared == null) {
            return NONE;
        }
        String described = HoldAnnotations.describe(method, targetClass);
        StringBuilder problems = new StringBuilder();
        HoldAnnotations.Hold hold = HoldAnnotations.resolve(declared, described, this.beanFactory,
                (description, action) -> problems.append("; ").append(description));
        if (hold == null) {
            // Only for a bean the start-up check did not see (one created before it was registered).
            throw new IllegalStateException(declared.notation() + " " + described + problems);
        }
        if (hold.kind() == HoldAnnotations.Kind.LOCK) {
            return new HeldLock(this.beanFactory.getBean(hold.name(), AbstractLock.class), hold);
        }
        Semaphore semaphore = this.beanFactory.getBean(hold.name(), Semaphore.class);
        Lock turn = hold.permits() > 1 ? this.turns.computeIfAbsent(semaphore,
                s -> new Lock("@WithPermit turns of " + s.name(), true)) : null;
        return new HeldPermits(semaphore, hold, turn);
    }

    /** @return the turn locks made so far, for tests */
    List<Lock> turns() {
        return List.copyOf(this.turns.values());
    }
}
