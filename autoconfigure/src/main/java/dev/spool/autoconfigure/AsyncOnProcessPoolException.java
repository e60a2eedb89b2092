package dev.spool.autoconfigure;

import java.util.List;

/**
 * {@code @Async} names a process pool. A process pool runs serializable tasks in other JVMs; it cannot run a method
 * of a Spring bean (the call would fail to serialize, silently for a {@code void} method), so start-up stops and
 * {@link AsyncOnProcessPoolFailureAnalyzer} says what to do instead.
 */
public class AsyncOnProcessPoolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String beanName;
    private final transient List<Site> sites;

    /**
     * @param beanName the bean whose class has the annotations
     * @param sites    each annotated method and the pool it names, at least one
     */
    public AsyncOnProcessPoolException(String beanName, List<Site> sites) {
        super("@Async on bean '" + beanName + "' names a process pool: " + sites);
        this.beanName = beanName;
        this.sites = List.copyOf(sites);
    }

    /** @return the bean whose class has the annotations */
    public String beanName() {
        return this.beanName;
    }

    /** @return each annotated method and the pool it names */
    public List<Site> sites() {
        return this.sites;
    }

    /**
     * One {@code @Async} method aimed at a process pool.
     *
     * @param method the method, as {@code Class.method(parameter types)}
     * @param pool   the process pool's name
     */
    public record Site(String method, String pool) {
        @Override
        public String toString() {
            return "@Async(\"" + pool + "\") " + method;
        }
    }
}
