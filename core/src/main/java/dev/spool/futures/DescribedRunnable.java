package dev.spool.futures;

import java.util.Objects;

/** {@link DescribedTask#describedAs}: a task run as it is, with the words that describe it. */
record DescribedRunnable(String description, Runnable task) implements Runnable, DescribedTask {

    DescribedRunnable {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(task, "task");
    }

    @Override
    public void run() {
        this.task.run();
    }

    @Override
    public String taskDescription() {
        return this.description;
    }
}
