package dev.spool.futures;

import java.time.Duration;

/**
 * An executor's run-timeout and queue-timeout, and what they caught ({@link ManagedExecutor#timeoutStats()}).
 *
 * <p>A task that runs longer than the run-timeout is <em>hung</em>: counted once in {@link #runTimeouts()}, logged
 * once (with its worker's stack in a thread pool; a process pool's task runs in another JVM), and counted in
 * {@link #hung()} for as long as it still runs. A task that waited in the
 * queue longer than the queue-timeout is counted once in {@link #queueTimeouts()}, when it starts or, if the executor
 * cancels such tasks, when it is cancelled.
 *
 * @param runTimeout    the run-timeout, or null when there is none
 * @param queueTimeout  the queue-timeout, or null when there is none
 * @param hung          tasks running now that have run past the run-timeout (as last seen by the watch, which looks
 *                      several times per run-timeout)
 * @param runTimeouts   tasks that ever ran past the run-timeout
 * @param queueTimeouts tasks that waited past the queue-timeout (cancelled ones included)
 */
public record TimeoutStats(Duration runTimeout, Duration queueTimeout, int hung, long runTimeouts,
                           long queueTimeouts) {

    /** An executor with neither timeout. */
    public static final TimeoutStats NONE = new TimeoutStats(null, null, 0, 0, 0);
}
