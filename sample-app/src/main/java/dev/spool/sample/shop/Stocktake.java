package dev.spool.sample.shop;

import java.time.Duration;
import java.util.Arrays;

import dev.spool.futures.TaskFuture;
import dev.spool.futures.TaskGroup;
import dev.spool.futures.TaskGroupException;
import dev.spool.futures.TaskGroupTimeoutException;
import dev.spool.futures.ThreadPool;
import dev.spool.sample.SampleProperties;
import dev.spool.threading.Barrier;
import dev.spool.threading.Lock;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Counts the warehouse: one auditor per zone, as many zones as the {@code audit} barrier has parties
 * (application.yml: {@code barriers.audit.parties}). Each auditor counts its zone, then waits at the barrier for
 * the others; once all have arrived, the one the barrier gives index 0 adds the counts up and publishes the report.
 *
 * <p>The auditors are one {@link TaskGroup} (named {@code stocktake}: its {@code spool.taskgroup.*} meters): they
 * succeed or fail together, and the first failure, or the order timeout, interrupts the others.
 *
 * <p>The auditors run on the virtual {@code requests} pool, which has a thread for each of them: on a pool with
 * fewer workers than the barrier has parties, the auditors that got a worker would wait at the barrier for ones that
 * never start (until the barrier's timeout breaks it).
 */
@Component // bean "stocktake"; the barrier is "audit": Spool's names are bean names, and must not clash
public class Stocktake {

    private final Barrier barrier;
    private final ThreadPool requests;
    private final Warehouse warehouse;
    private final Duration timeout;
    /** One stocktake at a time: two sets of auditors at one barrier would trip it with each other's counts. */
    private final Lock running = new Lock("stocktake-running");

    /**
     * Makes the stocktake.
     *
     * @param barrier    the {@code audit} barrier: its parties are the zones
     * @param requests   the {@code requests} virtual pool, where the auditors run
     * @param warehouse  the stock
     * @param properties the order timeout, also the longest a stocktake may take
     */
    public Stocktake(@Qualifier("audit") Barrier barrier, @Qualifier("requests") ThreadPool requests,
                     Warehouse warehouse, SampleProperties properties) {
        this.barrier = barrier;
        this.requests = requests;
        this.warehouse = warehouse;
        this.timeout = properties.orderTimeout();
    }

    /**
     * Counts every zone and returns the report.
     *
     * @return what was counted
     * @throws ShopException.StocktakeInProgress if another stocktake is running
     * @throws ShopException.Busy                if the auditors did not finish within the order timeout, or the
     *                                           barrier broke (its own timeout, an abort)
     */
    public StocktakeReport run() {
        if (!running.acquire(false)) {
            throw new ShopException.StocktakeInProgress();
        }
        try {
            int zones = barrier.parties();
            long[] counted = new long[zones];
            // Completed by the auditor that publishes: a future nobody's executor runs, as Python's Future() allows.
            TaskFuture<StocktakeReport> report = new TaskFuture<>();
            // One group: the auditors succeed or fail together. The first failure (a broken barrier) or the timeout
            // interrupts the others, which wake from the barrier; the group's meters are named "stocktake".
            try (TaskGroup auditors = TaskGroup.on(requests, "stocktake", timeout)) {
                for (int zone = 0; zone < zones; zone++) {
                    int mine = zone;
                    auditors.submit(() -> {
                        counted[mine] = warehouse.countZone(mine, zones);
                        // The barrier orders the writes to counted[] before every return from await().
                        if (barrier.await() == 0) {
                            report.setResult(new StocktakeReport(Arrays.stream(counted).boxed().toList(),
                                    Arrays.stream(counted).sum(), Thread.currentThread().getName()));
                        }
                        return null;
                    });
                }
                auditors.join();
            } catch (TaskGroupTimeoutException slow) {
                throw new ShopException.Busy("the stocktake took longer than " + timeout, slow);
            } catch (TaskGroupException failed) {
                throw new ShopException.Busy("the stocktake failed: " + failed.exceptions(), failed);
            }
            return report.resultNow();
        } finally {
            if (barrier.broken()) {
                barrier.reset(); // ready for the next stocktake
            }
            running.release();
        }
    }
}
