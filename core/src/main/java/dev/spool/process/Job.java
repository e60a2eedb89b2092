package dev.spool.process;

/**
 * One task handed to a {@link Supervisor}: its frame payload and the future it completes. The pool's futures
 * implement it.
 */
public interface Job {
    /** @return the TASK payload (kind byte and body); the job forgets it, so it is called once, at dispatch */
    byte[] takePayload();

    /** @return the payload's size in bytes */
    int payloadSize();

    /**
     * Moves the future to running, as Python's {@code set_running_or_notify_cancel}.
     *
     * @return true if the task should be sent to a worker, false if it was cancelled (now acknowledged)
     */
    boolean start();

    /**
     * Ends the job with what its worker sent back; a no-op if the future is already done (a broken pool failed it
     * first).
     *
     * @param value the result (for a chunk: the results of the items before the failing one)
     * @param error what the task threw, or null
     */
    void finish(Object value, Throwable error);

    /** Fails the job (the pool broke, or its worker was killed); a no-op if the future is already done. */
    void fail(Throwable error);

    /** @return true if this call cancelled the job, false if it had started or ended already */
    boolean cancelPending();

    /** @return the caller's task, as {@code shutdownNow()} returns it */
    Runnable task();
}
