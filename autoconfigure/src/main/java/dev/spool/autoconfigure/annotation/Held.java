package dev.spool.autoconfigure.annotation;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

/** One annotated method's call: what it takes before the method runs and gives back after. */
@FunctionalInterface
interface Held {

    /**
     * @param invocation the call
     * @return what the method returned
     * @throws Throwable what the method threw, or a {@code NotAcquiredException} when it did not run
     */
    @Nullable Object around(MethodInvocation invocation) throws Throwable;
}
