package dev.spool.process;

import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One worker process, as its {@link Supervisor} sees it. The plain fields belong to the manager thread; the
 * volatile ones are written by it and read by anyone ({@code ProcessEngine.workers()}); {@link #inFlight} is shared
 * with the worker's {@link WorkerLink}, which takes a job off it when its RESULT arrives. The head of
 * {@link #inFlight} is the task the worker runs now (the ones behind it wait in its socket), which anyone may read.
 */
final class Worker {
    /**
     * A task sent to this worker and not yet answered, with its payload's size for the pipeline's budget, and when
     * the worker began on it.
     */
    static final class InFlight {
        private final long id;
        private final Job job;
        private final int payloadSize;
        /**
         * {@link System#nanoTime()} when the worker began on it: when it was sent to a free worker, or when the task
         * before it was answered; 0 until then. Stamped by whichever of the manager (which sent it) and the link
         * (which took the task before it off) sees it at the head of the queue first: see {@link #markStarted}.
         */
        private volatile long startedNanos;

        InFlight(long id, Job job, int payloadSize) {
            this.id = id;
            this.job = job;
            this.payloadSize = payloadSize;
        }

        long id() {
            return id;
        }

        Job job() {
            return job;
        }

        int payloadSize() {
            return payloadSize;
        }

        /** @return when the worker began on it, or 0 if it still waits behind another task */
        long startedNanos() {
            return startedNanos;
        }

        /**
         * Stamps the start, once it is at the head of the queue. Both the manager (after adding it) and the link
         * (after removing the task before it) look at the head and stamp it, so whichever order their queue
         * operations take, one of them sees it there; both may stamp, microseconds apart, which does not matter.
         * No lock: a read and at most one write of a volatile field.
         */
        void markStarted(long now) {
            if (startedNanos == 0L) {
                startedNanos = now == 0L ? 1L : now; // 0 means "not started"
            }
        }
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

    /** @return the worker as it is now, with the task it runs (any thread may call it) */
    ProcessEngine.WorkerView view() {
        InFlight running = inFlight.peek();
        long since = running == null ? 0L : running.startedNanos();
        return new ProcessEngine.WorkerView(name, pid, tasksRun, startedAt, state, since == 0L ? null : running.job(),
                since);
    }

    @Override
    public String toString() {
        return name + " (pid " + pid + ")";
    }
}
