package dev.spool.annotation;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A bean's {@link WithLock} or {@link WithPermit} annotations cannot work as written: a name that is no lock or
 * semaphore (or the other kind), a timeout that cannot be read, permits out of range, or a method that a proxy cannot
 * hold a lock around. Start-up stops as the bean is created, and Spool's failure analyzer lists every problem of the
 * bean with its method and what to write instead.
 */
public class InvalidSpoolAnnotationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String beanName;
    private final transient List<Problem> problems;

    /**
     * @param beanName the bean whose class has the annotations
     * @param problems what is wrong, at least one
     */
    public InvalidSpoolAnnotationException(String beanName, List<Problem> problems) {
        super("@WithLock/@WithPermit on bean '" + beanName + "': "
                + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        this.beanName = beanName;
        this.problems = List.copyOf(problems);
    }

    /** @return the bean whose class has the annotations */
    public String beanName() {
        return this.beanName;
    }

    /** @return what is wrong, by method */
    public List<Problem> problems() {
        return this.problems;
    }

    /**
     * One annotated method that cannot work.
     *
     * @param method      the method, as {@code Class.method(parameter types)}
     * @param annotation  the annotation as written, such as {@code @WithLock("inventory")}
     * @param description what is wrong
     * @param action      what to write instead
     */
    public record Problem(String method, String annotation, String description, String action) {
        @Override
        public String toString() {
            return annotation + " " + method + ": " + description;
        }
    }
}
