package dev.spool.futures;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;

import dev.spool.process.ProcessEngine;

/**
 * The one submit path of a {@link ProcessPool}, for {@code submit}, {@code execute} and each chunk of {@code map}:
 * refuse when the pool is closed, let the engine encode the task, make the future (already failed when the task
 * cannot travel), hand it to the engine, and turn the engine's refusals into the pool's exceptions. Holds no
 * reference to the pool, so an abandoned pool can still be collected.
 */
final class ProcessSubmitter {
    /** Encodes one task with the engine; throws what the task's future fails with when it cannot travel. */
    @FunctionalInterface
    interface Encoding {
        ProcessEngine.Task encode() throws IOException;
    }

    private final ProcessEngine engine;
    private final TaskStatistics statistics;
    private final ProcessTasks tasks;

    ProcessSubmitter(ProcessEngine engine, TaskStatistics statistics, ProcessTasks tasks) {
        this.engine = engine;
        this.statistics = statistics;
        this.tasks = tasks;
    }

    /**
     * @param original         the caller's task as {@code shutdownNow} returns it
     * @param what             what describes the task while it runs: the name the caller gave (a String), or the
     *                         class of what the caller submitted
     * @param fixed            whether the future's result is {@code result} rather than the worker's
     * @param refuseUnsendable throw a {@link RejectedExecutionException} (caused by the encoding's exception) for a
     *                         task that cannot travel, instead of returning a failed future ({@code execute})
     * @throws BrokenProcessPoolException if the pool is broken
     * @throws RejectedExecutionException if it is shut down
     */
    <T> ProcessTaskFuture<T> submit(Encoding encoding, Runnable original, Object what, boolean fixed, T result,
                                    boolean refuseUnsendable) {
        refuseUnlessAccepting();
        ProcessEngine.Task task;
        try {
            task = encoding.encode();
        } catch (IOException unsendable) {
            if (refuseUnsendable) {
                countRejected();
                throw new RejectedExecutionException(unsendable.getMessage(), unsendable);
            }
            ProcessTaskFuture<T> failed = new ProcessTaskFuture<>(statistics, original, fixed, result, what, null);
            failed.setException(unsendable);
            return failed;
        }
        ProcessTaskFuture<T> future = new ProcessTaskFuture<>(statistics, original, fixed, result, what,
                tasks.timeouts);
        try {
            engine.offer(future, task);
        } catch (RejectedExecutionException refused) {
            future.cancel(TaskOutcome.REJECTED);
            throw translate(refused);
        }
        tasks.offered(future);
        return future;
    }

    /** A refused task counts as submitted and rejected, as in every executor. */
    private void refuseUnlessAccepting() {
        try {
            engine.checkAccepting();
        } catch (RejectedExecutionException refused) {
            countRejected();
            throw translate(refused);
        }
    }

    private void countRejected() {
        new ProcessTaskFuture<>(statistics, null, false, null, null, null).cancel(TaskOutcome.REJECTED);
    }

    /** The engine's refusal as the pool throws it: {@link BrokenProcessPoolException} when the engine broke. */
    static RejectedExecutionException translate(RejectedExecutionException refused) {
        return refused instanceof ProcessEngine.Broken broken ? new BrokenProcessPoolException(broken.getMessage())
                : refused;
    }

    /**
     * The exception for a task that uses a class the workers of pool {@code pool} cannot load (the engine decides
     * that): it says which class, which class loader, and what to do.
     *
     * @param what what uses it: "the task", "the function", "the task's object graph"
     */
    static UnreachableClassException unreachable(String pool, Class<?> type, String what) {
        ClassLoader loader = type.getClassLoader();
        String loaderName = loader.getName() == null ? loader.toString()
                : "'" + loader.getName() + "' (" + loader + ")";
        String className = type.isHidden() ? type.getName().replaceFirst("\\$\\$Lambda.*$", "") + " (a lambda)"
                : type.getName();
        return new UnreachableClassException(type.getName(), loaderName, what + " uses " + className
                + ", which comes from class loader " + loaderName + "; the worker JVMs of process pool '" + pool
                + "' cannot load it: their class path is java.class.path and the jars and directories of the URL class"
                + " loaders the pool was built with. Build the pool with that class loader (ProcessPool.Builder"
                + ".classLoader, or as the building thread's context class loader) when it is a URLClassLoader, put"
                + " the class on the class path, or start the workers with ProcessPool.Builder.command");
    }
}
