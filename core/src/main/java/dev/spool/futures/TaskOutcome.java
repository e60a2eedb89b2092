package dev.spool.futures;

import java.util.Locale;

/**
 * How a submitted task ended; the {@code outcome} tag of {@code spool.executor.tasks}, {@code spool.future.latency}
 * and {@code spool.taskgroup.tasks}.
 */
public enum TaskOutcome {
    /** The task returned normally. */
    SUCCESS,
    /** The task threw, or the pool broke under it. */
    FAILURE,
    /** The future was cancelled before the task started (by the caller, or by {@code shutdown(…, true)}). */
    CANCELLED,
    /** The pool refused the task (shut down, queue full under {@code ABORT}, or dropped by a {@code DISCARD} policy). */
    REJECTED;

    /** @return the lower-case tag value: {@code success}, {@code failure}, {@code cancelled}, {@code rejected} */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
