package dev.spool.futures;

import java.util.function.UnaryOperator;

/**
 * Carries the submitting thread's {@code java.lang.ScopedValue} bindings into the threads of a pool, on JDK 25 or
 * newer. A scoped value bound with {@code ScopedValue.where(USER, alice).run(...)} is seen by the code that runs
 * inside, and by the forks of a {@code StructuredTaskScope}, but not by a thread pool's threads: a task submitted
 * from inside the binding finds {@code USER} unbound. Declare the scoped values that should follow a task, and the
 * value each one is bound to when the task is submitted is bound again, to the same object, around the task in the
 * thread that runs it:
 *
 * <pre>{@code
 * static final ScopedValue<User> USER = ScopedValue.newInstance();
 *
 * ThreadPool pool = ThreadPool.builder().name("io").carryScopedValues(USER).build();
 * ScopedValue.where(USER, alice).run(() -> pool.submit(() -> USER.get())); // alice, in the pool's thread
 * }</pre>
 *
 * <p>With Spring, a {@code TaskDecorator} bean applies to every Spool thread and virtual pool:
 * {@code @Bean TaskDecorator scopedValues() { return ScopedValues.carrier(USER)::apply; }}.
 *
 * <ul>
 *   <li>A scoped value not bound at submit is not bound in the task either.</li>
 *   <li>The binding lasts for the task and ends with it: nothing stays on the pool thread for the next task.</li>
 *   <li>Thread and virtual pools only. A process pool's task runs in another JVM, where the submitter's bindings
 *       (objects of this JVM) do not exist.</li>
 * </ul>
 *
 * <p>The methods take the scoped values as {@code Object}s because Spool is built for JDK 21, where
 * {@code ScopedValue} is a preview API that no class of a release-21 jar may name. spool-core is a multi-release
 * jar: on JDK 25 and newer its {@code META-INF/versions/25} classes do the work; before JDK 25 every method but
 * {@link #isSupported()} throws {@link UnsupportedOperationException} naming the Java version needed.
 */
public final class ScopedValues {
    private ScopedValues() {
    }

    /**
     * @return true when scoped values can be carried here: on JDK 25 or newer, with spool-core loaded from its
     * multi-release jar
     */
    public static boolean isSupported() {
        return ScopedValueCarrier.supported();
    }

    /**
     * A task decorator (for {@link ThreadPool.Builder#taskDecorator}, or a Spring {@code TaskDecorator} as
     * {@code carrier(...)::apply}) that reads the given scoped values' bindings when it is applied, in the
     * submitting thread, and runs the task inside the same bindings.
     *
     * @param scopedValues the {@code java.lang.ScopedValue} objects to carry, at least one
     * @return the decorator
     * @throws UnsupportedOperationException before JDK 25, or when spool-core's JDK 25 classes are not loaded; the
     *                                       message says which
     * @throws IllegalArgumentException      if none is given, or one is not a {@code ScopedValue}
     * @throws NullPointerException          if the array or one of them is null
     */
    public static UnaryOperator<Runnable> carrier(Object... scopedValues) {
        return ScopedValueCarrier.of(scopedValues);
    }
}
