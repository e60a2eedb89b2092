package dev.spool.futures;

import java.util.List;
import java.util.Objects;

/**
 * A {@link TaskGroup}'s timeout passed before its tasks ended: the group cancelled them all, waited for them, and
 * throws this from {@link TaskGroup#join()} (Python: {@code TimeoutError} from {@code asyncio.timeout} around the
 * group). It is a {@link FutureTimeoutException}, so code that handles Spool's timeouts handles this one too.
 *
 * <p>{@link #exceptions()} lists the tasks that failed anyway (before or while they were being cancelled), each also
 * a {@linkplain #getSuppressed() suppressed exception}; it is empty when nothing failed.
 */
public class TaskGroupTimeoutException extends FutureTimeoutException {
    private static final long serialVersionUID = 1L;

    private final List<Throwable> exceptions;

    /**
     * @param message    what timed out, and after how long
     * @param exceptions the failures, possibly none; each is added as suppressed
     */
    public TaskGroupTimeoutException(String message, List<? extends Throwable> exceptions) {
        super(message);
        this.exceptions = List.copyOf(Objects.requireNonNull(exceptions, "exceptions"));
        this.exceptions.forEach(this::addSuppressed);
    }

    /** @return the tasks' failures, in the order they happened; possibly empty, unmodifiable */
    public List<Throwable> exceptions() {
        return exceptions;
    }
}
