package dev.spool.futures;

/**
 * A future that an executor made for one of its tasks: as it is created, starts and ends, it keeps the executor's
 * {@link TaskStatistics}. {@link ThreadPool} and {@link ProcessPool} build their task futures on it.
 *
 * @param <T> the result type
 */
class ExecutorFuture<T> extends TaskFuture<T> {
    private final TaskStatistics statistics;
    /** The running thread's own recorder, set by a pool's worker before it starts the task; null otherwise. */
    TaskStatistics.Recorder recorder;

    /** Creates a pending future and counts it as submitted (and queued) in {@code statistics}. */
    ExecutorFuture(TaskStatistics statistics) {
        this.statistics = statistics;
        statistics.taskSubmitted();
    }

    @Override
    void onStart() {
        statistics.taskStarted(this, recorder);
    }

    @Override
    void onEnd(TaskOutcome outcome, boolean started) {
        statistics.taskEnded(this, outcome, started, recorder);
    }
}
