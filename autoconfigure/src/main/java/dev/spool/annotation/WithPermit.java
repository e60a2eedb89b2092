package dev.spool.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method holding permits of a Spool semaphore: the {@code Semaphore} or {@code BoundedSemaphore} bean of
 * that name (from {@code spool.semaphores.<name>}, local or {@code backend: redis}, or a semaphore bean of the
 * application's own). The permits are taken before the method runs and given back when it returns or throws, as
 * {@code try (var held = semaphore.hold())} around its body would, so the semaphore's meters
 * ({@code spool.semaphore.*}) and endpoint view see the call as they see direct use.
 *
 * <pre>
 * &#64;WithPermit("db")                                       // waits as long as it takes, as db.acquire()
 * public Receipt charge(String orderId) { ... }
 *
 * &#64;WithPermit(value = "db", timeout = "500ms")            // PermitNotAcquiredException after 500 ms
 * &#64;WithPermit(value = "db", blocking = false)             // PermitNotAcquiredException if none is free now
 * &#64;WithPermit(value = "db", permits = 2)                  // two permits for one call
 * </pre>
 *
 * <p>On a class, it applies to each of the class's public methods that has no {@code @WithPermit} or
 * {@link WithLock} of its own ({@code equals}, {@code hashCode} and {@code toString} excepted). It works through the
 * bean's Spring proxy: a call from the bean to its own method does not take a permit. With {@code @Async} on the same
 * method the permits are taken on the thread that runs the body. Start-up stops, naming the bean, the method and what
 * to write instead, when the name is no semaphore, the timeout cannot be read, {@code permits} is below 1 or above a
 * bounded semaphore's permits, or the method cannot hold permits for its work. docs/annotations.md gives the whole
 * behaviour.
 *
 * @see PermitNotAcquiredException
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WithPermit {

    /**
     * @return the semaphore's bean name: a name under {@code spool.semaphores}, such as {@code db}; may be a
     * {@code ${placeholder}}, resolved at start-up
     */
    String value();

    /**
     * How many permits one call holds, 1 or more (at most a bounded semaphore's permits). Several permits are taken
     * one after the other, all within the timeout, and a call that cannot have them all gives back those it took.
     * Calls of this JVM that wait for several permits of one semaphore take turns, so two of them cannot each hold
     * part of what both need; on a shared ({@code backend: redis}) semaphore other instances' calls do not take turns
     * with them, so several permits need a timeout or {@code blocking = false} there (start-up says so).
     *
     * @return the permits per call
     */
    int permits() default 1;

    /**
     * How long a call waits for its permits before it fails with {@link PermitNotAcquiredException}, as a duration
     * the Spring way: {@code 500ms}, {@code 2s}, ISO-8601 {@code PT2S}, or a bare number of milliseconds; may be a
     * {@code ${placeholder}}. {@code 0s} only tries, as {@code blocking = false}. Empty (the default): wait as long
     * as it takes, as {@code semaphore.acquire()} does.
     *
     * @return the longest wait, or empty for no limit
     */
    String timeout() default "";

    /**
     * @return false to fail with {@link PermitNotAcquiredException} at once when the permits are not free, without
     * waiting (as {@code semaphore.acquire(false)}); a timeout then makes no sense, and start-up refuses the two
     * together
     */
    boolean blocking() default true;
}
