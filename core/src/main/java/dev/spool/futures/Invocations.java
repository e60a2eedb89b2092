package dev.spool.futures;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code invokeAll} and {@code invokeAny} for every {@link ManagedExecutor}, written once on top of its
 * {@code submit}: the tasks go through the executor's own admission, and an executor only has to say how it runs one.
 * They keep the JDK's {@code ExecutorService} contract, as {@code AbstractExecutorService} does: what is no longer
 * wanted is cancelled with {@code cancel(true)}.
 */
final class Invocations {
    private Invocations() {
    }

    /** Submits every task and waits for each, until the deadline when {@code timed}; see ManagedExecutor. */
    static <T> List<Future<T>> invokeAll(ManagedExecutor executor, Collection<? extends Callable<T>> tasks,
                                         boolean timed, long deadline) throws InterruptedException {
        List<Future<T>> futures = submitAll(executor, tasks);
        try {
            for (Future<T> future : futures) {
                try {
                    if (timed) {
                        future.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    } else {
                        future.get();
                    }
                } catch (ExecutionException | CancellationException ended) {
                    // its outcome is in its future
                } catch (TimeoutException timedOut) {
                    cancelAll(futures);
                    break;
                }
            }
            return futures;
        } catch (InterruptedException e) {
            cancelAll(futures);
            throw e;
        }
    }

    /** Submits every task and returns the first result that succeeds; see ManagedExecutor. */
    static <T> T invokeAny(ManagedExecutor executor, Collection<? extends Callable<T>> tasks, boolean timed,
                           long deadline) throws InterruptedException, ExecutionException, TimeoutException {
        if (Objects.requireNonNull(tasks, "tasks").isEmpty()) {
            throw new IllegalArgumentException("invokeAny needs at least one task");
        }
        List<Future<T>> futures = submitAll(executor, tasks);
        @SuppressWarnings("unchecked")
        List<TaskFuture<T>> taskFutures = (List<TaskFuture<T>>) (List<?>) futures;
        CompletionQueue<TaskFuture<T>> completions = new CompletionQueue<>(taskFutures);
        try {
            ExecutionException last = null;
            while (completions.remaining() > 0) {
                TaskFuture<T> done = completions.next(timed, deadline, true);
                if (done == null) {
                    throw new TimeoutException("no task of " + tasks.size() + " succeeded in time");
                }
                switch (done.state()) {
                    case SUCCESS -> {
                        return done.resultNow();
                    }
                    case FAILED -> last = new ExecutionException(done.exceptionNow());
                    default -> last = new ExecutionException(new CancellationException("cancelled: " + done));
                }
            }
            throw last;
        } finally {
            completions.close();
            cancelAll(futures);
        }
    }

    private static <T> List<Future<T>> submitAll(ManagedExecutor executor, Collection<? extends Callable<T>> tasks) {
        Objects.requireNonNull(tasks, "tasks");
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> task : tasks) {
                futures.add(executor.submit(task));
            }
        } catch (RuntimeException | Error refused) {
            cancelAll(futures);
            throw refused;
        }
        return futures;
    }

    private static void cancelAll(List<? extends Future<?>> futures) {
        for (Future<?> future : futures) {
            future.cancel(true);
        }
    }
}
