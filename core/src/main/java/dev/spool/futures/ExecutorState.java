package dev.spool.futures;

/** The life of a {@link ManagedExecutor}, as {@code /actuator/executors} reports it. */
public enum ExecutorState {
    /** Accepting tasks. */
    RUNNING,
    /** {@code shutdown} was called: queued work still runs (unless cancelled), new work is rejected. */
    SHUTDOWN,
    /** A worker failed in a way that makes the pool unusable; every pending future failed and submits throw. */
    BROKEN
}
