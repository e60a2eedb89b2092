package dev.spool.futures;

/**
 * The five states of a {@link TaskFuture}, as Python's {@code concurrent.futures} names them.
 *
 * <pre>
 *   PENDING ──setRunningOrNotifyCancel()──▶ RUNNING ──setResult/setException──▶ FINISHED
 *      │  └───────────────setResult/setException──────────────────────────────▶ FINISHED
 *      └──cancel()──▶ CANCELLED ──setRunningOrNotifyCancel()──▶ CANCELLED_AND_NOTIFIED
 * </pre>
 *
 * <p>Unlike Python, Spool counts both cancelled states as done everywhere, including
 * {@link Futures#wait} and {@link Futures#asCompleted} (see docs/python.md, "Deliberate differences").
 */
public enum FutureState {
    /** Created, not yet picked up by a worker; {@link TaskFuture#cancel()} still succeeds. */
    PENDING,
    /** A worker is running the task; it can no longer be cancelled. */
    RUNNING,
    /** Cancelled while pending; the executor has not yet seen it. */
    CANCELLED,
    /** Cancelled, and the executor has acknowledged it ({@link TaskFuture#setRunningOrNotifyCancel()} returned false). */
    CANCELLED_AND_NOTIFIED,
    /** Completed with a result or an exception. */
    FINISHED
}
