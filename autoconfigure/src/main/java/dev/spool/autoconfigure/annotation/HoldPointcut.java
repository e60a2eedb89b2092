package dev.spool.autoconfigure.annotation;

import java.lang.reflect.Method;

import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * The methods {@link HoldAnnotations} finds an annotation for; classes that cannot have one (the JDK's, those without
 * either annotation anywhere) are passed over without looking at their methods.
 */
final class HoldPointcut extends StaticMethodMatcherPointcut {

    HoldPointcut() {
        setClassFilter(type -> AnnotationUtils.isCandidateClass(type, HoldAnnotations.TYPES));
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
        return HoldAnnotations.find(method, targetClass) != null;
    }
}
