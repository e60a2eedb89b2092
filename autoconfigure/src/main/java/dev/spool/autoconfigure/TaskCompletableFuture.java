package dev.spool.autoconfigure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.spool.futures.TaskFuture;

/**
 * The {@link CompletableFuture} {@link DefaultExecutorAdapter#submitCompletable} hands out for a Spool task, with the
 * exception shape of Spring's executors and of {@code CompletableFuture.supplyAsync}: a task that throws completes it
 * with a {@link CompletionException} whose cause is the task's exception (so {@code get()} throws an
 * {@code ExecutionException} with that cause, and {@code join()} and the dependent stages see the
 * {@code CompletionException}). Cancelling it cancels the task, as {@link TaskFuture#cancel(boolean)} would: a task that
 * has not started never runs, and with {@code true} a running one is interrupted.
 */
final class TaskCompletableFuture<T> extends CompletableFuture<T> {

    private final TaskFuture<T> task;

    private TaskCompletableFuture(TaskFuture<T> task) {
        this.task = task;
    }

    /** @return a future that completes when {@code task} ends, with its outcome */
    static <T> TaskCompletableFuture<T> of(TaskFuture<T> task) {
        TaskCompletableFuture<T> view = new TaskCompletableFuture<>(task);
        task.addDoneCallback(view::mirror);
        return view;
    }

    private void mirror(TaskFuture<T> done) {
        switch (done.state()) {
            case SUCCESS -> complete(done.resultNow());
            case FAILED -> completeExceptionally(new CompletionException(done.exceptionNow()));
            default -> super.cancel(false);
        }
    }

    /** Cancels the task first; this future is cancelled only if the task is (else it keeps the task's outcome). */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (this.task.cancel(mayInterruptIfRunning)) {
            return super.cancel(mayInterruptIfRunning);
        }
        return false;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
