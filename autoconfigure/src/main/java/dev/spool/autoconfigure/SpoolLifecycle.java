package dev.spool.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.spool.futures.ExecutorStats;
import dev.spool.futures.ManagedExecutor;
import dev.spool.futures.ProcessPool;
import dev.spool.futures.ScheduledPool;
import dev.spool.futures.ThreadPool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ExecutorConfigurationSupport;

/**
 * Shuts Spool's executors down when the application context closes, in phase {@value #PHASE}: after the web server
 * has stopped taking requests (Boot's graceful shutdown runs at {@code SmartLifecycle.DEFAULT_PHASE - 1024}, the
 * server stops at {@code DEFAULT_PHASE - 2048}) and after Spring's own executors and schedulers (phase
 * {@code Integer.MAX_VALUE / 2}), whose tasks may still submit to Spool pools; and before any bean is destroyed, so a
 * task that is finishing can still use the beans it needs.
 *
 * <p>For each executor that Spool built (an application's bean of the same name is the application's to close) and
 * that was created, {@link #stop(Runnable)}:
 * <ol>
 *   <li>calls {@code shutdown(false, cancelFutures)} at once, so no new task is accepted from then on, while every
 *       task accepted before still runs (unless {@code shutdown.cancel-futures} cancels the queued ones);</li>
 *   <li>waits, off the calling thread and for all executors at the same time (one thread each), up to each
 *       executor's {@code shutdown.await-termination} for its tasks to end;</li>
 *   <li>at the deadline, logs a warning naming what is still running (thread names, or the pids of worker
 *       processes) and, for a process pool, terminates its workers; a thread pool's tasks are left to end on their
 *       own;</li>
 *   <li>logs one INFO line per executor: how long it took, how many tasks it drained (completed or failed since the
 *       shutdown began) and cancelled, of those running or queued when it began;</li>
 *   <li>then tells the context it is done.</li>
 * </ol>
 * Spring waits at most {@code spring.lifecycle.timeout-per-shutdown-phase} (30 s by default) for a phase: keep it
 * above the longest {@code await-termination}. The component does not take part in a context pause, and a stopped
 * context cannot restart the executors (a shut-down pool stays shut down). Each executor's bean also has
 * {@code shutdown()} as its destroy method, which does not wait: it ends the executors of a context whose start-up
 * failed, before this lifecycle ever ran.
 */
public final class SpoolLifecycle implements SmartLifecycle {

    /**
     * The phase: {@code Integer.MAX_VALUE / 2 - 1024} = {@value}, below Spring's executors and schedulers
     * ({@link ExecutorConfigurationSupport#DEFAULT_PHASE}) and the web server, above plain {@code Lifecycle} beans
     * (phase 0).
     */
    public static final int PHASE = ExecutorConfigurationSupport.DEFAULT_PHASE - 1024;

    private static final Log logger = LogFactory.getLog(SpoolLifecycle.class);

    private final ConfigurableListableBeanFactory beanFactory;
    private final Map<String, SpoolProperties.Shutdown> executors;
    private volatile boolean running;

    /**
     * @param beanFactory where the executors are
     * @param executors   the names of the executors Spool registered, with their shutdown settings
     */
    SpoolLifecycle(ConfigurableListableBeanFactory beanFactory, Map<String, SpoolProperties.Shutdown> executors) {
        this.beanFactory = beanFactory;
        this.executors = new LinkedHashMap<>(executors);
    }

    @Override
    public void start() {
        this.running = true;
    }

    /** Shuts the executors down and waits for them, in the calling thread. */
    @Override
    public void stop() {
        try {
            awaitAll(shutdownAll());
        } finally {
            this.running = false;
        }
    }

    /** Shuts the executors down now, and waits for them in a thread of its own before it runs {@code callback}. */
    @Override
    public void stop(Runnable callback) {
        List<Stopping> stopping = shutdownAll();
        if (stopping.isEmpty()) {
            this.running = false;
            callback.run();
            return;
        }
        Thread.ofPlatform().name("spool-shutdown").daemon(true).start(() -> {
            try {
                awaitAll(stopping);
            } finally {
                this.running = false;
                callback.run();
            }
        });
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** @return false: pausing a context must not shut pools down for good */
    @Override
    public boolean isPauseable() {
        return false;
    }

    private List<Stopping> shutdownAll() {
        long now = System.nanoTime();
        List<Stopping> stopping = new ArrayList<>();
        this.executors.forEach((name, shutdown) -> {
            if (!this.beanFactory.containsSingleton(name)) {
                return; // never created (lazy), or not Spool's
            }
            if (!(this.beanFactory.getSingleton(name) instanceof ManagedExecutor executor)) {
                return;
            }
            ExecutorStats before = executor.stats();
            try {
                executor.shutdown(false, shutdown.isCancelFutures());
            } catch (RuntimeException ex) {
                logger.warn("Could not shut down executor '" + name + "'", ex);
                return;
            }
            Duration await = shutdown.getAwaitTermination();
            stopping.add(new Stopping(name, executor, await, now, now + await.toNanos(), before));
        });
        return stopping;
    }

    /**
     * Waits for every executor at the same time, one thread each, so that each one's log line says when it really
     * ended (a slow pool does not delay the report of a fast one); returns once all have ended or been reported late.
     */
    private static void awaitAll(List<Stopping> stopping) {
        List<Thread> waiters = new ArrayList<>();
        for (Stopping s : stopping) {
            waiters.add(Thread.ofPlatform().name("spool-shutdown-" + s.name()).daemon(true).start(() -> await(s)));
        }
        boolean interrupted = false;
        for (Thread waiter : waiters) {
            while (waiter.isAlive()) {
                try {
                    waiter.join();
                } catch (InterruptedException ex) {
                    // Stop waiting: each waiter, interrupted, reports its executor as late now.
                    interrupted = true;
                    waiters.forEach(Thread::interrupt);
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(Stopping s) {
        boolean terminated = s.executor().isTerminated();
        if (!terminated) {
            try {
                terminated = s.executor().awaitTermination(s.deadline() - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException ex) {
                terminated = s.executor().isTerminated();
            }
        }
        long elapsed = System.nanoTime() - s.started();
        ExecutorStats after = s.executor().stats();
        if (!terminated) {
            reportAndEnd(s);
        }
        logger.info(summary(s, after, terminated, elapsed));
    }

    /**
     * @return {@code Executor 'io' shut down in 12 ms: 3 task(s) drained (2 completed, 1 failed), 4 cancelled, of 7
     *         running or queued at shutdown}
     */
    static String summary(Stopping s, ExecutorStats after, boolean terminated, long elapsedNanos) {
        ExecutorStats before = s.before();
        long completed = after.completed() - before.completed();
        long failed = after.failed() - before.failed();
        long cancelled = after.cancelled() - before.cancelled();
        String took = TimeUnit.NANOSECONDS.toMillis(elapsedNanos) + " ms";
        return "Executor '" + s.name() + "' " + (terminated ? "shut down in " + took : "stopped waiting after " + took
                + " with tasks left (spool.executors." + s.name() + ".shutdown.await-termination)") + ": "
                + (completed + failed) + " task(s) drained (" + completed + " completed, " + failed + " failed), "
                + cancelled + " cancelled, of " + (before.active() + before.queued()) + " running or queued at shutdown";
    }

    private static void reportAndEnd(Stopping s) {
        ManagedExecutor executor = s.executor();
        ExecutorStats stats = executor.stats();
        String late = "Executor '" + s.name() + "' did not terminate within " + DurationStyle.SIMPLE.print(s.await())
                + " of shutdown (spool.executors." + s.name() + ".shutdown.await-termination): " + stats.active()
                + " task(s) running" + (stats.queued() > 0 ? ", " + stats.queued() + " queued" : "");
        if (executor instanceof ProcessPool pool) {
            String workers = pool.workers().stream()
                    .map(w -> "pid " + w.pid() + " (" + w.name() + ", " + w.state().name().toLowerCase(Locale.ROOT) + ")")
                    .collect(Collectors.joining(", ", "[", "]"));
            logger.warn(late + ", in worker processes " + workers + "; terminating the workers: their tasks fail");
            pool.terminateWorkers();
        } else {
            String threads = executor instanceof ThreadPool pool ? ", in threads " + pool.threadNames() : "";
            if (executor instanceof ScheduledPool pool) {
                // Delayed tasks would keep it from terminating until they are due: cancel them, as Spring's own
                // schedulers do at shutdown; a run in progress is left to end, as in a thread pool.
                threads = ", in threads " + pool.threadNames() + ", " + pool.scheduledCount() + " scheduled";
                pool.shutdown(false, true);
                logger.warn(late + threads + "; the scheduled tasks are cancelled, the running ones left to end on"
                        + " their own");
                return;
            }
            logger.warn(late + threads + "; they are left to end on their own");
        }
    }

    /**
     * An executor being shut down.
     *
     * @param started  {@link System#nanoTime()} when the shutdown began
     * @param deadline {@link System#nanoTime()} of its {@code await-termination} limit
     * @param before   its statistics just before {@code shutdown}, to say what the shutdown drained and cancelled
     */
    record Stopping(String name, ManagedExecutor executor, Duration await, long started, long deadline,
                    ExecutorStats before) {
    }
}
