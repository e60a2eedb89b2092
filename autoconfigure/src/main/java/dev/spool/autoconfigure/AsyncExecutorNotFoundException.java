package dev.spool.autoconfigure;

import java.util.List;

/**
 * {@code @Async("name")} names no executor bean. Spring would find out at the method's first call (with a bare "no
 * bean named"), so start-up stops and {@link AsyncExecutorNotFoundFailureAnalyzer} names the method, the name and the
 * executors that exist.
 */
public class AsyncExecutorNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String beanName;
    private final transient List<Site> sites;
    private final transient List<String> executors;

    /**
     * @param beanName  the bean whose class has the annotations
     * @param sites     each annotated method and the name it gives, at least one
     * @param executors the names of the executor beans that exist
     */
    public AsyncExecutorNotFoundException(String beanName, List<Site> sites, List<String> executors) {
        super("@Async on bean '" + beanName + "' names no executor: " + sites + "; executors: " + executors);
        this.beanName = beanName;
        this.sites = List.copyOf(sites);
        this.executors = List.copyOf(executors);
    }

    /** @return the bean whose class has the annotations */
    public String beanName() {
        return this.beanName;
    }

    /** @return each annotated method and the name it gives */
    public List<Site> sites() {
        return this.sites;
    }

    /** @return the names of the executor beans of the context, in definition order */
    public List<String> executors() {
        return this.executors;
    }

    /**
     * One {@code @Async} method whose executor does not exist.
     *
     * @param method the method, as {@code Class.method(parameter types)}
     * @param name   the executor name it gives, placeholders resolved
     */
    public record Site(String method, String name) {
        @Override
        public String toString() {
            return "@Async(\"" + name + "\") " + method;
        }
    }
}
