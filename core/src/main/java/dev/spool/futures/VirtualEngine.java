package dev.spool.futures;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiConsumer;

/**
 * Virtual-thread mode of a {@link ThreadPool}: every task runs in a virtual thread of its own, started for it, and
 * at most {@code maxWorkers} run at once (by default there is no limit). The control word's count is the number of
 * run slots taken; a task that finds them all taken waits in the queue. A task's thread, once the outcome is
 * published, passes its slot to the oldest waiting task (starting that task's thread) or gives it back. Nothing is
 * ever idle here, so the balance is never positive and nobody needs waking.
 *
 * <p>A waiting task is only ever taken out of the queue after its removal was counted in the control word
 * ("claimed"): the taker then blocks in {@code take()} for the moment it may take an admitted task to arrive.
 */
final class VirtualEngine extends PoolEngine {
    /** The threads running a task now, each known by its task. */
    private final VirtualThreadRegistry threads = new VirtualThreadRegistry();

    VirtualEngine(String name, TaskStatistics statistics, ThreadFactory threadFactory, Runnable initializer,
                  RejectionPolicy rejectionPolicy, int maxWorkers, int queueCapacity) {
        super(name, statistics, threadFactory, initializer, rejectionPolicy, maxWorkers, queueCapacity);
    }

    @Override
    void start(PoolTask<?> task) {
        threadFactory.newThread(() -> runInThisThread(task)).start();
    }

    /**
     * The thread lists itself, so the submitting thread does nothing per task for the registry (with the JDK's own
     * registration of every virtual thread, two contended inserts per submit were its largest cost). A
     * {@code shutdownNow} either finds it listed and interrupts it, or set {@code stopping} before this thread reads
     * it: the add and the sweep each hold the thread's stripe, and the flag is written before the sweep.
     */
    private void runInThisThread(PoolTask<?> task) {
        task.runner = Thread.currentThread();
        threads.add(task);
        if (stopping) {
            Thread.currentThread().interrupt(); // the sweep may have run before the add
        }
        try {
            if (initialize(task)) {
                runTask(task, FRESH_THREAD);
            }
        } finally {
            threads.remove(task);
            handOff();
        }
    }

    @Override
    void forEachThread(BiConsumer<Thread, Slot> action) {
        threads.forEach(action);
    }

    @Override
    boolean isPoolThread(Thread thread) {
        return threads.contains(thread);
    }

    /** Passes this task's run slot to the oldest waiting task, or gives it back. */
    private void handOff() {
        long c = ctl();
        for (;;) {
            long w;
            if (balance(c) < 0 && count(c) <= maxWorkers) {
                if ((w = exchange(c, c + 1)) == c) {
                    startClaimed();
                    return;
                }
            } else if ((w = exchange(c, c - ONE_WORKER)) == c) {
                terminatedIfLast(c - ONE_WORKER);
                return;
            }
            c = w;
        }
    }

    /** A slot is counted for a waiting task whose removal is counted too: takes it and starts its thread. */
    private void startClaimed() {
        PoolTask<?> next = takeClaimed();
        try {
            start(next);
        } catch (Throwable failure) {
            LOG.log(System.Logger.Level.ERROR, "thread pool " + name + " could not start a thread", failure);
            next.fail(new RejectedExecutionException("thread pool " + name + " could not start a thread", failure));
            handOff();
        }
    }

    private PoolTask<?> takeClaimed() {
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return queue.take();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    PoolTask<?> removeWaiting() {
        long c = ctl();
        for (;;) {
            if (balance(c) >= 0) {
                return null;
            }
            long w = exchange(c, c + 1);
            if (w == c) {
                return takeClaimed();
            }
            c = w;
        }
    }

    @Override
    void wakeIdle() {
    }

    @Override
    void maxWorkersChanged(int previous) {
        long c = ctl();
        while (balance(c) < 0 && count(c) < maxWorkers) {
            long w = exchange(c, c + ONE_WORKER + 1); // one more slot, given to a waiting task
            if (w == c) {
                startClaimed();
                c = ctl();
            } else {
                c = w;
            }
        }
    }
}
