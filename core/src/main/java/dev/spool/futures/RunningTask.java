package dev.spool.futures;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One task running now, as {@link ManagedExecutor#runningTasks(boolean)} and {@code /actuator/executors/{name}}
 * show it: which worker runs it, what it is, since when, and whether it has run past the executor's
 * {@code run-timeout}.
 *
 * @param worker      the worker that runs it: the thread's name (a virtual thread with no name shows as
 *                    {@code #<thread id>}), or a process pool's worker name ({@code <pool>-worker-<n>})
 * @param description what the task is: the name given to {@link ManagedExecutor#submit(String, java.util.concurrent.Callable)},
 *                    else what a {@link DescribedTask} says, else the task's class ({@code com.example.Report$$Lambda}
 *                    for a lambda)
 * @param startedAt   when it started, on the wall clock: derived from the monotonic start stamp through one fixed
 *                    pairing of the two clocks, so every view of the same task gives the same instant
 * @param runningFor  how long it has run when this view was made
 * @param hung        it has run longer than the executor's run-timeout (false when the executor has none)
 * @param stack       the worker thread's stack, innermost frame first, when asked for and available (a thread pool's
 *                    worker that is still running the task); empty otherwise
 */
public record RunningTask(String worker, String description, Instant startedAt, Duration runningFor, boolean hung,
                          List<StackTraceElement> stack) {

    /** Checks the components are there and freezes the stack. */
    public RunningTask {
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(runningFor, "runningFor");
        stack = List.copyOf(stack);
    }

    /** One reading of both clocks, taken once: monotonic stamps become wall-clock instants through it. */
    private static final long BASE_NANOS = System.nanoTime();
    private static final Instant BASE_INSTANT = Instant.now();

    /** @return the wall-clock instant of a {@link System#nanoTime()} stamp, the same for every call with that stamp */
    static Instant instantOf(long nanoTime) {
        return BASE_INSTANT.plusNanos(nanoTime - BASE_NANOS);
    }

    /**
     * What the running-task views call a task it was given no name for: what a {@link DescribedTask} says of itself,
     * else its class name, with the JVM's per-run suffix of a lambda class ({@code /0x0000…}) dropped so the same
     * lambda reads the same in every run. For an integration that hands a pool a wrapper of its own and wants the
     * wrapped task's name on it.
     *
     * @param work a submitted task (a {@code Callable} or a {@code Runnable}), or null
     * @return its description; {@code (finished)} for null
     */
    public static String describe(Object work) {
        if (work == null) {
            return "(finished)";
        }
        if (work instanceof DescribedTask described) {
            return described.taskDescription();
        }
        return describeClass(work.getClass());
    }

    /**
     * {@link #describe(Object)} from the task's class, for an executor that keeps the class rather than the task
     * (a process pool's task has gone to another JVM).
     *
     * @param type a submitted task's class
     * @return its description
     */
    static String describeClass(Class<?> type) {
        String name = type.getName();
        int hidden = name.indexOf('/');
        return hidden > 0 ? name.substring(0, hidden) : name;
    }
}
