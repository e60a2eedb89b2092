package dev.spool.futures;

import java.util.List;
import java.util.Objects;

/**
 * Every failure of a {@link TaskGroup}, in one exception: Python's {@code ExceptionGroup} as
 * {@code asyncio.TaskGroup} raises it.
 *
 * <p>{@link #exceptions()} lists what the failed tasks threw, in the order they failed (and, for
 * {@link TaskGroup#run}, what the body threw, last, as asyncio does). Each one is also a
 * {@linkplain #getSuppressed() suppressed exception}, so a logged stack trace shows them all. There is no cause:
 * no failure is more important than the others. Cancelled tasks are not failures and are not listed. The message
 * names the group, the count and the first few: {@code TaskGroup[checkout] failed with 3 exceptions: IOException:
 * disk full; …}.
 */
public class TaskGroupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Serializable (an immutable list copy), so the exception can travel as a remote task's failure. */
    private final List<Throwable> exceptions;

    /**
     * @param message    what failed
     * @param exceptions the failures, at least one; each is added as suppressed
     * @throws IllegalArgumentException if {@code exceptions} is empty
     */
    public TaskGroupException(String message, List<? extends Throwable> exceptions) {
        super(message);
        this.exceptions = List.copyOf(Objects.requireNonNull(exceptions, "exceptions"));
        if (this.exceptions.isEmpty()) {
            throw new IllegalArgumentException("a TaskGroupException carries at least one exception");
        }
        this.exceptions.forEach(this::addSuppressed);
    }

    /** @return the failures, in the order they happened; never empty, unmodifiable */
    public List<Throwable> exceptions() {
        return exceptions;
    }
}
