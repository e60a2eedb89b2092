package dev.spool.autoconfigure.annotation;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import dev.spool.annotation.WithLock;
import dev.spool.annotation.WithPermit;
import dev.spool.internal.Timeouts;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Which of {@link WithLock} and {@link WithPermit} applies to a method of a bean class, and what it asks for once its
 * placeholders are resolved: the one reading of the annotations that the pointcut, the interceptor and the start-up
 * check share, so that what start-up accepts is what a call does.
 *
 * <p>A method's own annotation wins over its class's; the class's applies to the public instance methods, except
 * those of {@code Object} and {@code equals}, {@code hashCode} and {@code toString}. Annotations are found as Spring
 * finds {@code @Async}'s: on the method or the methods it overrides or implements, on the class or its supertypes,
 * also as meta-annotations.
 */
final class HoldAnnotations {

    /** The two annotations, for {@code AnnotationUtils.isCandidateClass}. */
    static final Set<Class<? extends Annotation>> TYPES = Set.of(WithLock.class, WithPermit.class);

    private HoldAnnotations() {
    }

    /** What an annotation holds. */
    enum Kind {
        LOCK("@WithLock", "lock", "locks"),
        PERMIT("@WithPermit", "semaphore", "semaphores");

        final String annotation;
        final String noun;
        final String key;

        Kind(String annotation, String noun, String key) {
            this.annotation = annotation;
            this.noun = noun;
            this.key = key;
        }
    }

    /**
     * An annotation as written.
     *
     * @param kind     which of the two
     * @param value    the name, placeholders unresolved
     * @param timeout  the timeout, placeholders unresolved, empty for none
     * @param blocking its {@code blocking}
     * @param permits  its {@code permits} (1 for a lock)
     * @param both     whether the other annotation is on the same element too (a mistake the check reports)
     */
    record Declared(Kind kind, String value, String timeout, boolean blocking, int permits, boolean both) {

        static Declared of(WithLock lock, boolean both) {
            return new Declared(Kind.LOCK, lock.value(), lock.timeout(), lock.blocking(), 1, both);
        }

        static Declared of(WithPermit permit, boolean both) {
            return new Declared(Kind.PERMIT, permit.value(), permit.timeout(), permit.blocking(), permit.permits(),
                    both);
        }

        /** @return the annotation as a person wrote it: {@code @WithLock("inventory")}, with the non-defaults */
        String notation() {
            StringBuilder attributes = new StringBuilder();
            if (!this.timeout.isEmpty()) {
                attributes.append(", timeout = \"").append(this.timeout).append('"');
            }
            if (!this.blocking) {
                attributes.append(", blocking = false");
            }
            if (this.permits != 1) {
                attributes.append(", permits = ").append(this.permits);
            }
            return attributes.isEmpty() ? this.kind.annotation + "(\"" + this.value + "\")"
                    : this.kind.annotation + "(value = \"" + this.value + "\"" + attributes + ")";
        }
    }

    /**
     * What a call holds, resolved.
     *
     * @param kind     a lock or permits
     * @param name     the bean name of the lock or semaphore
     * @param timeout  the longest wait: null for no limit, zero to only try
     * @param permits  how many permits (1 for a lock)
     * @param method   the method, as {@code Class.method(parameter types)}
     * @param notation the annotation as written
     */
    record Hold(Kind kind, String name, @Nullable Duration timeout, int permits, String method, String notation) {

        boolean waitsForever() {
            return this.timeout == null;
        }
    }

    /** Where resolution reports a problem: what is wrong and what to write instead. */
    @FunctionalInterface
    interface Problems {
        void add(String description, String action);
    }

    /**
     * @param method      a method, as the proxy sees it (may be an interface's)
     * @param targetClass the bean's class
     * @return the annotation that applies to it, null for none
     */
    static @Nullable Declared find(Method method, Class<?> targetClass) {
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        Declared own = on(AnnotatedElementUtils.findMergedAnnotation(specific, WithLock.class),
                AnnotatedElementUtils.findMergedAnnotation(specific, WithPermit.class));
        if (own != null || !classLevelApplies(specific)) {
            return own;
        }
        return on(AnnotatedElementUtils.findMergedAnnotation(targetClass, WithLock.class),
                AnnotatedElementUtils.findMergedAnnotation(targetClass, WithPermit.class));
    }

    /** @return whether {@code method} has an annotation of its own (not from its class) */
    static boolean annotatedItself(Method method) {
        return AnnotatedElementUtils.hasAnnotation(method, WithLock.class)
                || AnnotatedElementUtils.hasAnnotation(method, WithPermit.class);
    }

    /** @return whether a class-level annotation covers {@code method}: its public instance methods but Object's */
    static boolean classLevelApplies(Method method) {
        int modifiers = method.getModifiers();
        return Modifier.isPublic(modifiers) && !Modifier.isStatic(modifiers)
                && method.getDeclaringClass() != Object.class && !ReflectionUtils.isEqualsMethod(method)
                && !ReflectionUtils.isHashCodeMethod(method) && !ReflectionUtils.isToStringMethod(method);
    }

    private static @Nullable Declared on(@Nullable WithLock lock, @Nullable WithPermit permit) {
        if (lock != null) {
            return Declared.of(lock, permit != null);
        }
        return permit != null ? Declared.of(permit, false) : null;
    }

    /**
     * Resolves placeholders and reads the timeout.
     *
     * @param declared    the annotation
     * @param method      the method, as {@code Class.method(parameter types)}
     * @param beanFactory resolves {@code ${...}}
     * @param problems    where each problem goes
     * @return what a call holds, null when there was a problem
     */
    static @Nullable Hold resolve(Declared declared, String method, ConfigurableBeanFactory beanFactory,
                                  Problems problems) {
        Counting counting = new Counting(problems);
        if (declared.both()) {
            counting.add("has both @WithLock and @WithPermit", "keep one: to hold a lock and permits, call a method "
                    + "with one annotation from a method with the other (through the bean, not this)");
        }
        String name = placeholders(declared.value(), "the name", beanFactory, counting);
        if (name != null && name.isBlank()) {
            counting.add("names no " + declared.kind().noun, "give the bean name of a " + declared.kind().noun
                    + " of spool." + declared.kind().key + ", such as " + declared.kind().annotation + "(\"name\")");
        }
        Duration wait = wait(declared, beanFactory, counting);
        if (declared.permits() < 1) {
            counting.add("asks for " + declared.permits() + " permits", "ask for 1 or more (permits = 1, the default)");
        }
        if (counting.count > 0 || name == null) {
            return null;
        }
        return new Hold(declared.kind(), name, wait, declared.permits(), method, declared.notation());
    }

    private static @Nullable Duration wait(Declared declared, ConfigurableBeanFactory beanFactory,
                                           Counting problems) {
        if (!declared.blocking()) {
            if (!declared.timeout().isEmpty()) {
                problems.add("has blocking = false and a timeout: blocking = false never waits",
                        "remove the timeout to fail at once when the " + declared.kind().noun + " is taken, or "
                                + "blocking = false to wait up to the timeout");
            }
            return Duration.ZERO;
        }
        if (declared.timeout().isEmpty()) {
            return null;
        }
        String timeout = placeholders(declared.timeout(), "the timeout", beanFactory, problems);
        if (timeout == null) {
            return null;
        }
        try {
            Duration parsed = DurationStyle.detectAndParse(timeout.trim());
            if (parsed.isNegative()) {
                problems.add("has a negative timeout (" + timeout + ")", "give a timeout of 0s or more, such as "
                        + "timeout = \"2s\", or none to wait as long as it takes");
            }
            // As core: a wait too long to count has no limit (and a deadline of now + it stays computable).
            return Timeouts.nanos(parsed) >= Timeouts.FOREVER ? null : parsed;
        } catch (IllegalArgumentException | ArithmeticException unreadable) {
            problems.add("has a timeout that is not a duration: \"" + timeout + "\"", "write it as 500ms, 2s, 1m, "
                    + "PT2S or a number of milliseconds, or leave it out to wait as long as it takes");
            return null;
        }
    }

    /** @return {@code text} with its placeholders resolved; null (and a problem) when one cannot be */
    private static @Nullable String placeholders(String text, String what, ConfigurableBeanFactory beanFactory,
                                                 Problems problems) {
        if (!text.contains("${")) {
            return text;
        }
        String resolved;
        try {
            resolved = beanFactory.resolveEmbeddedValue(text);
        } catch (IllegalArgumentException unresolvable) {
            resolved = null;
        }
        if (resolved == null || resolved.contains("${")) {
            problems.add(what + " \"" + text + "\" has a placeholder that cannot be resolved",
                    "set the property it names, or give it a default: ${property:value}");
            return null;
        }
        return resolved;
    }

    /** @return {@code Class.method(parameter types)}, with the bean's class */
    static String describe(Method method, Class<?> targetClass) {
        String parameters = Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", "));
        return targetClass.getName() + "." + method.getName() + "(" + parameters + ")";
    }

    /** Counts the problems it passes on, so that resolution knows whether it found any. */
    private static final class Counting implements Problems {
        private final Problems to;
        private int count;

        Counting(Problems to) {
            this.to = to;
        }

        @Override
        public void add(String description, String action) {
            this.count++;
            this.to.add(description, action);
        }
    }
}
