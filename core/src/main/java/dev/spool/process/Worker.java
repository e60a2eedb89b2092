package dev.spool.process;

import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One worker process, as its {@link Supervisor} sees it. The plain fields belong to the manager thread; the
 * volatile ones are written by it and read by anyone ({@code ProcessEngine.workers()}); {@link #inFlight} is shared
 * with the worker's {@link WorkerLink}, which takes a job off it when its RESULT arrives.
 */
final class Worker {
    /** A task sent to this worker and not yet answered, with its payload's size for the pipeline's budget. */
    record InFlight(long id, Job job, int payloadSize) {
    }

    final int number;
    final String name;
    final Process process;
    final long pid;
    final Instant startedAt;
    final long spawnNanos;
    final ProcessEngine.StartReason reason;
    final OutputPump.Tail tail = new OutputPump.Tail(40); // a JVM crash banner alone is about 20 lines
    final ConcurrentLinkedQueue<InFlight> inFlight = new ConcurrentLinkedQueue<>();

    // manager-owned
    FrameWriter writer;
    boolean ready;
    int inFlightCount;
    long inFlightBytes;
    int dispatched;
    boolean retiring;       // got its last task (maxTasksPerChild)
    boolean lastResultSeen; // and answered it
    boolean stopping;       // was sent SHUTDOWN
    boolean unusable;       // a write to it failed: it is dying
    boolean destroyedByPool;
    boolean initFailed;

    // written by the manager, read by anyone
    volatile ProcessEngine.WorkerState state = ProcessEngine.WorkerState.STARTING;
    volatile long tasksRun;

    Worker(int number, String name, Process process, ProcessEngine.StartReason reason, long spawnNanos) {
        this.number = number;
        this.name = name;
        this.process = process;
        this.pid = process.pid();
        this.startedAt = Instant.now();
        this.spawnNanos = spawnNanos;
        this.reason = reason;
    }

    /** @return true if a task may be sent to it now (ready, not leaving) */
    boolean accepting() {
        return ready && !retiring && !stopping && !unusable && !destroyedByPool;
    }

    ProcessEngine.WorkerView view() {
        return new ProcessEngine.WorkerView(name, pid, tasksRun, startedAt, state);
    }

    @Override
    public String toString() {
        return name + " (pid " + pid + ")";
    }
}
