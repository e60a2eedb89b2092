package dev.spool.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method holding a Spool lock: the {@code Lock} or {@code RLock} bean of that name (from
 * {@code spool.locks.<name>}, local or {@code backend: redis}, or a lock bean of the application's own). The lock is
 * acquired before the method runs and released when it returns or throws, as {@code try (var held = lock.hold())}
 * around its body would, so the lock's meters ({@code spool.lock.*}), endpoint view and deadlock detection see the
 * call as they see direct use.
 *
 * <pre>
 * &#64;WithLock("inventory")                                  // waits as long as it takes, as lock.acquire()
 * public Reservation reserve(String sku, int quantity) { ... }
 *
 * &#64;WithLock(value = "inventory", timeout = "2s")          // LockNotAcquiredException after 2 s
 * &#64;WithLock(value = "inventory", blocking = false)        // LockNotAcquiredException if it is held now
 * </pre>
 *
 * <p>On a class, it applies to each of the class's public methods that has no {@code @WithLock} or
 * {@link WithPermit} of its own ({@code equals}, {@code hashCode} and {@code toString} excepted). It works through the
 * bean's Spring proxy: a call from the bean to its own method ({@code this.reserve(...)}) does not take the lock.
 * With {@code @Async} on the same method the lock is taken on the thread that runs the body. Start-up stops, naming
 * the bean, the method and what to write instead, when the name is no lock, the timeout cannot be read, or the method
 * cannot hold a lock for its work (a private or final method, or one that returns a future or a reactive type
 * without {@code @Async}). docs/annotations.md gives the whole behaviour.
 *
 * @see LockNotAcquiredException
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WithLock {

    /**
     * @return the lock's bean name: a name under {@code spool.locks}, such as {@code inventory}; may be a
     * {@code ${placeholder}}, resolved at start-up
     */
    String value();

    /**
     * How long a call waits for the lock before it fails with {@link LockNotAcquiredException}, as a duration the
     * Spring way: {@code 500ms}, {@code 2s}, {@code 1m}, ISO-8601 {@code PT2S}, or a bare number of milliseconds; may
     * be a {@code ${placeholder}}. {@code 0s} only tries, as {@code blocking = false}. Empty (the default): wait as
     * long as it takes, as {@code lock.acquire()} does.
     *
     * @return the longest wait, or empty for no limit
     */
    String timeout() default "";

    /**
     * @return false to fail with {@link LockNotAcquiredException} at once when the lock is held, without waiting
     * (as {@code lock.acquire(false)}); a timeout then makes no sense, and start-up refuses the two together
     */
    boolean blocking() default true;
}
