package dev.spool.sample.load;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;

import dev.spool.futures.TaskFuture;
import dev.spool.futures.ThreadPool;
import dev.spool.sample.SampleProperties;
import dev.spool.sample.shop.Catalog;
import dev.spool.sample.shop.Warehouse;
import dev.spool.sample.shop.OrderRequest;
import dev.spool.sample.shop.OrderService;
import dev.spool.sample.shop.ShopException;
import dev.spool.sample.shop.Stocktake;
import dev.spool.threading.Event;
import dev.spool.threading.Lock;
import dev.spool.threading.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Simulated customers and shop operations, so that every Spool meter moves:
 * <ul>
 *   <li>each customer is a task on the virtual {@code requests} pool that places orders back to back: their
 *       reservations and payments queue on the {@code io} pool, payments wait for permits of the {@code db}
 *       semaphore (more io workers than permits), reservations' ledger writes contend for the {@code inventory}
 *       lock, and every line is priced on the {@code crunch} process pool;</li>
 *   <li>a hot item ({@code zip}) sells out between deliveries, so reservations wait on the {@code restocked}
 *       condition; one customer's card is always declined and a few orders are over the credit limit, so orders
 *       fail and give their stock back;</li>
 *   <li>an operations task delivers stock every 200 ms (signalling {@code restocked}), counts the warehouse every
 *       2 s (tripping the {@code audit} barrier), and loads a new price list every 3 s (clearing and setting the
 *       {@code ready} event, which orders wait on meanwhile).</li>
 * </ul>
 * A {@link Timer} ends a timed run. One run at a time; it also stops when the application closes.
 */
@Component
public class LoadGenerator {

    private static final Logger log = LoggerFactory.getLogger(LoadGenerator.class);
    private static final String[] CUSTOMERS = {"ada", "grace", "alan", "edsger", "barbara", "donald", "ken",
            "dennis", "margaret", "frances", "john", "radia"};
    private static final String HOT_ITEM = "zip";
    private static final Duration TICK = Duration.ofMillis(100);

    private final OrderService orders;
    private final Warehouse warehouse;
    private final Catalog catalog;
    private final Stocktake stocktake;
    private final ThreadPool requests;
    private final SampleProperties.Load defaults;
    /** Serializes start and stop. */
    private final Lock control = new Lock("load-control");
    private volatile Run current;

    /**
     * Makes the generator; no run starts until {@link #start} (or {@code sample.load.on-start}).
     *
     * @param orders     places the customers' orders
     * @param warehouse  where deliveries go
     * @param catalog    the price lists to refresh
     * @param stocktake  the warehouse count
     * @param requests   the virtual pool the customers and the operations task run on
     * @param properties the defaults of {@code sample.load.*}
     */
    public LoadGenerator(OrderService orders, Warehouse warehouse, Catalog catalog, Stocktake stocktake,
                         @Qualifier("requests") ThreadPool requests, SampleProperties properties) {
        this.orders = orders;
        this.warehouse = warehouse;
        this.catalog = catalog;
        this.stocktake = stocktake;
        this.requests = requests;
        this.defaults = properties.load();
    }

    /**
     * Starts a run, unless one is running: then that one goes on and its status is returned.
     *
     * @param duration  how long it lasts; zero or less runs until {@link #stop()}
     * @param customers simulated customers ordering at once, at least 1
     * @return the status of the run now going on
     * @throws IllegalArgumentException if {@code customers} is below 1 or above 1000
     */
    public LoadStatus start(Duration duration, int customers) {
        if (customers < 1 || customers > 1000) {
            throw new IllegalArgumentException("customers: between 1 and 1000, was " + customers);
        }
        try (var held = control.hold()) {
            Run run = current;
            if (run != null && run.running()) {
                return run.status();
            }
            run = new Run(duration, customers);
            run.start();
            current = run; // after start(): other threads then see its task list complete
            return run.status();
        }
    }

    /**
     * The customers of a run when the caller does not say.
     *
     * @return {@code sample.load.customers}
     */
    public int defaultCustomers() {
        return defaults.customers();
    }

    /**
     * Shows how the current or last run is doing.
     *
     * @return its status (all zero before the first run)
     */
    public LoadStatus status() {
        Run run = current;
        return run == null ? new LoadStatus(false, 0, null, null, 0, 0, 0, 0, 0, 0, 0, 0, 0) : run.status();
    }

    /**
     * Asks the current run to stop: each customer finishes the order it is placing. Returns at once.
     *
     * @return the run's status
     */
    public LoadStatus stop() {
        Run run = current;
        if (run != null) {
            run.stopped.set();
        }
        return status();
    }

    /** With the {@code load} profile ({@code sample.load.on-start}), a run starts as soon as the shop opens. */
    @EventListener(ApplicationReadyEvent.class)
    public void startOnReady() {
        if (defaults.onStart()) {
            LoadStatus status = start(defaults.duration(), defaults.customers());
            log.info("load generator started: {} customers, {}", status.customers(),
                    status.endsAt() == null ? "until stopped" : "until " + status.endsAt());
        }
    }

    /**
     * Stops the customers when the application closes, before Spool's pools shut down (their lifecycle phase comes
     * after this event), so that shutdown does not wait for a run to end.
     */
    @EventListener(ContextClosedEvent.class)
    public void stopOnClose() {
        stop();
    }

    /** One run: its customers, its operations task, its counters. */
    private final class Run {
        final Event stopped = new Event("load-stopped");
        final int customers;
        final Instant startedAt = Instant.now();
        final Instant endsAt;
        final Timer deadline;
        final List<TaskFuture<?>> tasks = new ArrayList<>();
        final LongAdder placed = new LongAdder();
        final LongAdder outOfStock = new LongAdder();
        final LongAdder declined = new LongAdder();
        final LongAdder overLimit = new LongAdder();
        final LongAdder busy = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder restocks = new LongAdder();
        final LongAdder stocktakes = new LongAdder();
        final LongAdder refreshes = new LongAdder();

        Run(Duration duration, int customers) {
            this.customers = customers;
            boolean timed = duration.isPositive();
            this.endsAt = timed ? startedAt.plus(duration) : null;
            this.deadline = timed ? new Timer(duration, stopped::set) : null;
            if (deadline != null) {
                deadline.setDaemon(true); // a run must not keep the JVM alive
            }
        }

        void start() {
            try {
                tasks.add(requests.submit(this::operate));
                for (int i = 0; i < customers; i++) {
                    long seed = startedAt.toEpochMilli() * 1_000 + i;
                    tasks.add(requests.submit(() -> shop(new SplittableRandom(seed))));
                }
            } catch (RejectedExecutionException refused) {
                stopped.set();
                throw refused;
            }
            if (deadline != null) {
                deadline.start();
            }
        }

        boolean running() {
            return tasks.stream().anyMatch(task -> !task.done());
        }

        /** A customer: orders back to back until the run stops. */
        Void shop(SplittableRandom random) throws InterruptedException {
            while (!stopped.isSet()) {
                try {
                    orders.place(randomOrder(random));
                    placed.increment();
                } catch (ShopException.OutOfStock soldOut) {
                    outOfStock.increment();
                } catch (ShopException.PaymentDeclined declinedCard) {
                    declined.increment();
                } catch (ShopException.CreditLimitExceeded overTheLimit) {
                    overLimit.increment();
                } catch (ShopException.Busy | RejectedExecutionException full) {
                    busy.increment();
                } catch (RuntimeException unexpected) {
                    failed.increment();
                    log.warn("load: an order failed", unexpected);
                }
            }
            return null;
        }

        /** The shop's operations: deliveries, stocktakes and price lists, on a 100 ms tick until the run stops. */
        Void operate() throws InterruptedException {
            long tick = 0;
            while (!stopped.await(TICK)) { // Python's `while not stopped.wait(0.1)`
                tick++;
                if (tick % 2 == 0) {
                    restocks.add(warehouse.topUp(20, 200).size());
                }
                try {
                    if (tick % 20 == 0) {
                        stocktake.run();
                        stocktakes.increment();
                    }
                    if (tick % 30 == 0) {
                        catalog.refresh();
                        refreshes.increment();
                    }
                } catch (ShopException refused) {
                    log.debug("load: {}", refused.getMessage());
                }
            }
            return null;
        }

        /** One to three distinct items; a third of the orders include the hot item; a few are far too big. */
        OrderRequest randomOrder(SplittableRandom random) {
            List<String> skus = new ArrayList<>(Catalog.skus());
            List<OrderRequest.Line> lines = new ArrayList<>();
            boolean bulk = random.nextInt(100) == 0;
            if (random.nextInt(3) == 0) {
                skus.remove(HOT_ITEM);
                lines.add(new OrderRequest.Line(HOT_ITEM, 1 + random.nextInt(4)));
            }
            for (int n = 1 + random.nextInt(3); lines.size() < n; ) {
                String sku = skus.remove(random.nextInt(skus.size()));
                lines.add(new OrderRequest.Line(sku, bulk ? OrderRequest.MAX_QUANTITY : 1 + random.nextInt(4)));
            }
            String customer = random.nextInt(25) == 0 ? "mallory" : CUSTOMERS[random.nextInt(CUSTOMERS.length)];
            return new OrderRequest(customer, lines);
        }

        LoadStatus status() {
            return new LoadStatus(running(), customers, startedAt, endsAt, placed.sum(), outOfStock.sum(),
                    declined.sum(), overLimit.sum(), busy.sum(), failed.sum(), restocks.sum(), stocktakes.sum(),
                    refreshes.sum());
        }
    }
}
