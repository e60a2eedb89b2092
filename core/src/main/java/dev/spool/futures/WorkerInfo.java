package dev.spool.futures;

import java.time.Instant;

/**
 * One worker process of a {@link ProcessPool}, as {@link ProcessPool#workers()} and
 * {@code /actuator/executors/{name}} show it.
 *
 * @param name      the worker's name within its pool ({@code <pool>-worker-<n>})
 * @param pid       the worker process's id
 * @param tasksRun  tasks the worker has finished
 * @param startedAt when the worker process was started
 * @param state     what it is doing now
 */
public record WorkerInfo(String name, long pid, long tasksRun, Instant startedAt, State state) {

    /** What a worker is doing. */
    public enum State {
        /** Launched, not yet ready (handshake and initializer still running). */
        STARTING,
        /** Ready, no task. */
        IDLE,
        /** Running a task. */
        BUSY,
        /** Finishing its last task before it exits ({@code maxTasksPerChild} reached, or shutdown). */
        RETIRING
    }
}
