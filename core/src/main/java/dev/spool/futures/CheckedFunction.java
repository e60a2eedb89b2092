package dev.spool.futures;

import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * A function that may throw a checked exception, as a {@link java.util.concurrent.Callable} may: what
 * {@link ManagedExecutor#map(CheckedFunction, Iterable)} takes, so that Python's {@code executor.map(fetch, urls)}
 * works with a {@code fetch} that throws {@code IOException}. A lambda passed to {@code map} lands here; when it
 * throws, the stream throws {@link TaskFailedException} whose cause is exactly what it threw, as for
 * {@code submit(Callable)}.
 *
 * <p>It is also a {@link Function}, so it goes wherever one goes; its {@link #apply} wraps a checked exception in a
 * {@link CompletionException} (and sets the interrupt status again for an {@link InterruptedException}).
 *
 * @param <T> the input type
 * @param <R> the result type
 */
@FunctionalInterface
public interface CheckedFunction<T, R> extends Function<T, R> {

    /**
     * Applies the function.
     *
     * @param t the input
     * @return the result
     * @throws Exception whatever the function throws
     */
    R applyChecked(T t) throws Exception;

    /**
     * {@link #applyChecked}, with a checked exception wrapped in a {@link CompletionException}.
     *
     * @param t the input
     * @return the result
     * @throws CompletionException whose cause is the checked exception {@code applyChecked} threw
     */
    @Override
    default R apply(T t) {
        try {
            return applyChecked(t);
        } catch (RuntimeException unchecked) {
            throw unchecked;
        } catch (Exception checked) {
            if (checked instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new CompletionException(checked);
        }
    }
}
