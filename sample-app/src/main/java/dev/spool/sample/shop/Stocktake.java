package dev.spool.sample.shop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.spool.futures.Futures;
import dev.spool.futures.ReturnWhen;
import dev.spool.futures.TaskFuture;
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
            List<TaskFuture<?>> auditors = new ArrayList<>(zones);
            for (int zone = 0; zone < zones; zone++) {
                int mine = zone;
                auditors.add(requests.submit(() -> {
                    counted[mine] = warehouse.countZone(mine, zones);
                    // The barrier orders the writes to counted[] before every return from await().
                    if (barrier.await() == 0) {
                        report.setResult(new StocktakeReport(Arrays.stream(counted).boxed().toList(),
                                Arrays.stream(counted).sum(), Thread.currentThread().getName()));
                    }
                    return null;
                }));
            }
            Futures.wait(auditors, timeout, ReturnWhen.ALL_COMPLETED);
            for (TaskFuture<?> auditor : auditors) {
                if (!auditor.done()) {
                    barrier.abort(); // wakes the auditors still waiting, so that none is left behind
                    throw new ShopException.Busy("the stocktake took longer than " + timeout, null);
                }
                if (auditor.exception() != null) {
                    throw new ShopException.Busy("the stocktake failed: " + auditor.exception(), auditor.exception());
                }
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
