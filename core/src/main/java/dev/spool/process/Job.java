package dev.spool.process;

/**
 * What a {@link ProcessEngine} moves along for one task it was {@linkplain ProcessEngine#offer offered}: the
 * caller's future, seen from the engine. The engine keeps the task's payload itself; a job only hears what becomes
 * of it. Calls come from the engine's manager thread or from the link thread of the worker that ran the task.
 */
public interface Job {
    /**
     * Moves the future to running, as Python's {@code set_running_or_notify_cancel}.
     *
     * @return true if the task should be sent to a worker, false if it was cancelled (now acknowledged)
     */
    boolean start();

    /**
     * Ends the job with what its worker sent back; a no-op if the future is already done (a broken engine failed
     * it first).
     *
     * @param value the result (for a chunk: the results of the items before the failing one)
     * @param error what the task threw, or null
     */
    void finish(Object value, Throwable error);

    /**
     * Fails the job because the engine broke, its worker was killed, or the engine ended before it ran; a no-op
     * if the future is already done.
     *
     * @param message what happened to which worker
     * @param cause   the underlying failure (an initializer's exception), or null
     */
    void broken(String message, Throwable cause);

    /** @return true if this call cancelled the job, false if it had started or ended already */
    boolean cancelPending();

    /** @return the caller's task, as {@code shutdownNow()} returns it */
    Runnable task();

    /**
     * @return what the task is, for people (the name the caller gave it, or its class), as the running tasks and
     * the run-timeout's log line show it; called from any thread, so it must be cheap and safe
     */
    String description();
}
