package dev.spool.futures;

/**
 * A task that says what it is, in words a person reads, where its class would not: the running-task views
 * ({@link ObservedExecutor#runningTasks(boolean)}, {@code /actuator/executors/{name}}, the console) and the
 * run-timeout's log line show it. A task of a {@link ThreadPool} or a {@link ScheduledPool} is described by the name
 * given to {@code submit(name, task)}; else by this interface when the task implements it, or when the pool's task
 * decorator returns a wrapper that implements it (Spool's Spring integration names an {@code @Async} method's task
 * this way, since the task Spring submits is a lambda of its own); else by its class.
 */
public interface DescribedTask {

    /** @return what the task runs, for people, not null: for example {@code com.acme.Mailer.send} */
    String taskDescription();

    /**
     * Wraps a task so that it says what it is: what a task decorator returns to name the task it was given.
     *
     * @param description what the task runs, for people, not null
     * @param task        the task, run as it is, not null
     * @return a {@code Runnable} that runs {@code task} and is a {@code DescribedTask} saying {@code description}
     */
    static Runnable describedAs(String description, Runnable task) {
        return new DescribedRunnable(description, task);
    }
}
