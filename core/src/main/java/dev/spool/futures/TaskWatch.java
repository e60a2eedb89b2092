package dev.spool.futures;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * The one daemon thread ({@code spool-task-watch}) that looks at every thread pool with a run-timeout or a
 * queue-timeout, a few times per timeout: it finds hung tasks and cancels tasks that waited too long. It starts with
 * the first such pool and forgets a pool once the pool has terminated. Pools without timeouts never meet it.
 */
final class TaskWatch implements Runnable {
    private static final System.Logger LOG = System.getLogger("dev.spool.futures");
    private static final TaskWatch SHARED = new TaskWatch();

    /** What the watch looks at: a pool with a run-timeout or a queue-timeout. */
    interface Watched {
        /** @return the pool's name, for the log */
        String watchedName();

        /** @return true once the pool has terminated: the watch forgets it */
        boolean watchEnded();

        /** Looks at the pool's running and queued tasks at {@code now} ({@link System#nanoTime()}). */
        void scanTimeouts(long now);

        /** @return how long the watch may wait before it looks again */
        long tickNanos();
    }

    private final CopyOnWriteArrayList<Watched> engines = new CopyOnWriteArrayList<>();
    private Thread thread;

    private TaskWatch() {
    }

    /** Watches {@code engine} (which has timeouts) until it terminates. */
    static void watch(Watched engine) {
        SHARED.add(engine);
    }

    private synchronized void add(Watched engine) {
        engines.add(engine);
        if (thread == null || !thread.isAlive()) { // never ends by itself; if an Error ended it, a new one takes over
            thread = Thread.ofPlatform().daemon(true).name("spool-task-watch").unstarted(this);
            thread.start();
        } else {
            LockSupport.unpark(thread); // it may wait longer than this pool's tick
        }
    }

    /**
     * Looks at every pool, then waits for the shortest tick. What a look does on this thread (a log handler, the done
     * callbacks of a task cancelled for its run-timeout or queue-timeout) delays the next look of every pool: such
     * callbacks should be short, as every done-callback should.
     */
    @Override
    public void run() {
        for (;;) {
            long tick = 1_000_000_000L;
            for (Watched engine : engines) {
                try {
                    if (engine.watchEnded()) {
                        engines.remove(engine);
                        continue;
                    }
                    engine.scanTimeouts(System.nanoTime());
                    tick = Math.min(tick, engine.tickNanos());
                } catch (Throwable failure) { // the watch serves every pool: one pool's trouble must not end it
                    report(engine, failure);
                }
            }
            LockSupport.parkNanos(this, tick);
        }
    }

    private static void report(Watched engine, Throwable failure) {
        try {
            LOG.log(System.Logger.Level.ERROR, engine.watchedName() + ": the task watch failed", failure);
        } catch (Throwable logFailed) {
            // the log itself failed: nothing left to tell, and the watch must go on
        }
    }
}
