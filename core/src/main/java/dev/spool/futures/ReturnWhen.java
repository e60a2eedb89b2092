package dev.spool.futures;

/** When {@link Futures#wait(java.util.Collection, java.time.Duration, ReturnWhen)} returns. */
public enum ReturnWhen {
    /** As soon as any future is done (finished or cancelled). */
    FIRST_COMPLETED,
    /** As soon as any future finishes with an exception; if none does, when all are done. Cancellation is not an exception. */
    FIRST_EXCEPTION,
    /** When every future is done. */
    ALL_COMPLETED
}
