package dev.spool.process;

import dev.spool.futures.ProcessPool;
import dev.spool.futures.WorkerInfo;

/** Where a {@link Supervisor} reports worker starts and exits; called on the manager thread. */
public interface WorkerEvents {
    /**
     * A worker is ready (handshake done, initializer run).
     *
     * @param startupNanos from spawning the process until ready
     */
    void started(WorkerInfo worker, ProcessPool.StartReason reason, long startupNanos);

    /**
     * A worker process has ended (also one that never got ready).
     *
     * @param exitCode its exit code ({@code 128 + n} when killed by signal {@code n})
     */
    void exited(WorkerInfo worker, ProcessPool.ExitCause cause, int exitCode);
}
