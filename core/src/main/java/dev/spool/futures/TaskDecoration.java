package dev.spool.futures;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A task of a pool with a {@code taskDecorator}: the {@link Runnable} the decorator is given (the whole execution of
 * the task: start, the work, the outcome), and the decorator's wrapper of it, which the task's thread runs instead.
 * Made in the submitting thread when the task is submitted, so a decorator can capture the submitter's context
 * (MDC, security, tracing) and set it around the execution. Pools without a decorator never make one.
 *
 * <p>The wrapper must call {@link #run()} once, in the thread that runs the wrapper. If it throws before that, or
 * returns without doing it, the task's future fails with that exception (or with an
 * {@link IllegalStateException}), so nobody waits for it forever; an exception after it is logged.
 */
final class TaskDecoration implements Runnable {
    private final PoolEngine engine;
    private final PoolTask<?> task;
    private Runnable wrapper;
    /** Set by the running thread for the time the wrapper runs. */
    private PoolEngine.TaskRunner taskRunner;
    private boolean ran;
    private boolean leave;

    private TaskDecoration(PoolEngine engine, PoolTask<?> task) {
        this.engine = engine;
        this.task = task;
    }

    /**
     * Applies {@code decorator} to a new task, in the calling (submitting) thread.
     *
     * @throws RuntimeException whatever the decorator throws, or a {@link NullPointerException} if it returns null;
     *                          the task is then cancelled and counted as rejected
     */
    static void decorate(PoolEngine engine, PoolTask<?> task, UnaryOperator<Runnable> decorator) {
        TaskDecoration decoration = new TaskDecoration(engine, task);
        try {
            decoration.wrapper = Objects.requireNonNull(decorator.apply(decoration), "the task decorator returned null");
        } catch (RuntimeException | Error refused) {
            task.cancel(TaskOutcome.REJECTED);
            throw refused;
        }
        task.decoration = decoration;
        if (task.name == null && decoration.wrapper instanceof DescribedTask described) {
            task.name = Objects.requireNonNull(described.taskDescription(), "the task description is null");
        }
    }

    /** The task's execution, as the wrapper calls it. */
    @Override
    public void run() {
        PoolEngine.TaskRunner current = taskRunner;
        if (current == null || ran) {
            throw new IllegalStateException("a task decorator must run the task it wraps once, in the thread that "
                    + "runs the wrapper");
        }
        ran = true;
        leave = engine.run(task, current);
    }

    /** Runs the wrapper in the calling thread. @return as {@link PoolEngine#run} */
    boolean runWrapped(PoolEngine.TaskRunner taskRunner) {
        Runnable w = wrapper;
        wrapper = null;
        this.taskRunner = taskRunner;
        Throwable failure = null;
        try {
            w.run();
        } catch (Throwable t) {
            failure = t;
        } finally {
            this.taskRunner = null;
        }
        if (!ran) {
            ran = true;
            boolean left = taskRunner.beforeOutcome();
            task.fail(failure != null ? failure
                    : new IllegalStateException("the task decorator's wrapper returned without running the task"));
            return left;
        }
        if (failure != null) {
            PoolEngine.LOG.log(System.Logger.Level.WARNING, "the task decorator of thread pool " + engine.name
                    + " threw after its task had run", failure);
        }
        return leave;
    }
}
