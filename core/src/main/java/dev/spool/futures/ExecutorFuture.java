package dev.spool.futures;

/**
 * A future that an executor made for one of its tasks: as it is created, starts and ends, it keeps the executor's
 * {@link TaskStatistics}. {@link ThreadPool} and {@link ProcessPool} build their task futures on it.
 *
 * @param <T> the result type
 */
class ExecutorFuture<T> extends TaskFuture<T> {
    private final TaskStatistics statistics;

    /** Creates a pending future and counts it as submitted (and queued) in {@code statistics}. */
    ExecutorFuture(TaskStatistics statistics) {
        this.statistics = statistics;
        statistics.taskSubmitted();
    }

    @Override
    void onStart() {
        statistics.taskStarted(this);
    }

    @Override
    void onEnd(TaskOutcome outcome, boolean started) {
        statistics.taskEnded(this, outcome, started);
    }
}
