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
 * @param task      the task it runs now (its description, since when, for how long, whether past the pool's
 *                  run-timeout; never a stack, the task runs in another JVM), or null when it runs none: idle,
 *                  starting, or between two tasks. Always null in what a {@link ProcessPool.WorkerListener} is told
 */
public record WorkerInfo(String name, long pid, long tasksRun, Instant startedAt, State state, RunningTask task) {

    /**
     * A worker that runs no task.
     *
     * @param name      the worker's name within its pool
     * @param pid       the worker process's id
     * @param tasksRun  tasks the worker has finished
     * @param startedAt when the worker process was started
     * @param state     what it is doing now
     */
    public WorkerInfo(String name, long pid, long tasksRun, Instant startedAt, State state) {
        this(name, pid, tasksRun, startedAt, state, null);
    }

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
