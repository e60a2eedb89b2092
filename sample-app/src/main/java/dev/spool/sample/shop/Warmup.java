package dev.spool.sample.shop;

import dev.spool.futures.ProcessPool;
import dev.spool.futures.TaskFuture;
import dev.spool.futures.ThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Opens the shop once the application is up: loads the first price list and the opening stock on the {@code io}
 * pool, and meanwhile starts a {@code crunch} worker JVM with a small pricing job, so that the first order does not
 * pay for a JVM's start-up. Orders that arrive before the catalogue is in wait for it on the {@code ready} event.
 */
@Component
public class Warmup {

    /** Units of each item in stock at opening. */
    public static final int OPENING_STOCK = 500;

    private static final Logger log = LoggerFactory.getLogger(Warmup.class);

    private final ThreadPool io;
    private final ProcessPool crunch;
    private final Catalog catalog;
    private final Warehouse warehouse;

    /**
     * Makes the warm-up; it runs when the application is ready.
     *
     * @param io        where the catalogue loads
     * @param crunch    the process pool to warm up
     * @param catalog   the catalogue to load
     * @param warehouse the stock to open
     */
    public Warmup(@Qualifier("io") ThreadPool io, @Qualifier("crunch") ProcessPool crunch, Catalog catalog,
                  Warehouse warehouse) {
        this.io = io;
        this.crunch = crunch;
        this.catalog = catalog;
        this.warehouse = warehouse;
    }

    /** Runs once the application is ready; returns at once, the work goes on in the pools. */
    @EventListener(ApplicationReadyEvent.class)
    public void open() {
        TaskFuture<Quote> warm = crunch.submit(new PriceQuoteJob("warm-up", 1, 100, 1));
        warm.addDoneCallback(done -> log.info("crunch worker ready: {}", done.exception() == null
                ? "pid " + done.resultNow().workerPid() : done.exception().toString()));
        io.submit(() -> {
            warehouse.open(Catalog.skus(), OPENING_STOCK); // before the catalogue sets ready: no order sees 0
            int version = catalog.refresh();
            log.info("shop open: price list {}, {} items, {} units each", version, catalog.products().size(),
                    OPENING_STOCK);
            return version;
        });
    }
}
