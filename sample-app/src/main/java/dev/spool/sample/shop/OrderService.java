package dev.spool.sample.shop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import dev.spool.futures.DoneAndNotDone;
import dev.spool.futures.FutureTimeoutException;
import dev.spool.futures.Futures;
import dev.spool.futures.ProcessPool;
import dev.spool.futures.ReturnWhen;
import dev.spool.futures.TaskFuture;
import dev.spool.futures.ThreadPool;
import dev.spool.sample.SampleProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * Places orders. One order, step by step:
 * <ol>
 *   <li>wait until no price list is loading (the {@code ready} event);</li>
 *   <li>reserve every line at once, one task per line on the {@code io} pool, and gather them with
 *       {@link Futures#wait} until all are reserved or the first one fails ({@link ReturnWhen#FIRST_EXCEPTION});
 *       on a failure the others are cancelled or given back;</li>
 *   <li>price every line at once, one {@link PriceQuoteJob} per line on the {@code crunch} process pool, and add
 *       the quotes up with {@link Futures#asCompleted} as they arrive, stopping as soon as the total passes the credit
 *       limit;</li>
 *   <li>charge the card through {@link Payments#charge}, an {@code @Async("io")} method.</li>
 * </ol>
 * Whatever fails after step 2 gives the reserved stock back.
 */
@Service
public class OrderService {

    private final AtomicLong sequence = new AtomicLong();
    private final ThreadPool io;
    private final ProcessPool crunch;
    private final Catalog catalog;
    private final Warehouse warehouse;
    private final Payments payments;
    private final SampleProperties properties;

    /**
     * Makes the service.
     *
     * @param io         the {@code io} thread pool, where reservations run
     * @param crunch     the {@code crunch} process pool, where lines are priced
     * @param catalog    the products and prices
     * @param warehouse  the stock
     * @param payments   the card charges
     * @param properties timeouts, the credit limit and the pricing cost
     */
    public OrderService(@Qualifier("io") ThreadPool io, @Qualifier("crunch") ProcessPool crunch, Catalog catalog,
                        Warehouse warehouse, Payments payments, SampleProperties properties) {
        this.io = io;
        this.crunch = crunch;
        this.catalog = catalog;
        this.warehouse = warehouse;
        this.payments = payments;
        this.properties = properties;
    }

    /**
     * Places and pays an order.
     *
     * @param request what the customer orders
     * @return the paid order
     * @throws IllegalArgumentException          if the request is malformed
     * @throws ShopException.UnknownProduct      if a line names an item the catalogue does not have
     * @throws ShopException.OutOfStock          if a line cannot be reserved (nothing stays reserved)
     * @throws ShopException.CreditLimitExceeded if the order costs more than the credit limit
     * @throws ShopException.PaymentDeclined     if the card is declined
     * @throws ShopException.Busy                if a pool refused work or a step took longer than the order timeout
     * @throws InterruptedException              if the calling thread is interrupted while it waits
     */
    public Order place(OrderRequest request) throws InterruptedException {
        request.validate();
        catalog.awaitReady(properties.orderTimeout());
        int catalogVersion = catalog.version();
        List<PriceQuoteJob> jobs = new ArrayList<>();
        for (OrderRequest.Line line : request.lines()) {
            jobs.add(new PriceQuoteJob(line.sku(), line.quantity(), catalog.product(line.sku()).listPriceCents(),
                    properties.pricingSimulations()));
        }
        String id = "order-" + sequence.incrementAndGet();
        List<Reservation> reserved = reserve(request.lines());
        try {
            List<Quote> quotes = price(jobs);
            long total = quotes.stream().mapToLong(Quote::totalCents).sum();
            Receipt receipt = charge(id, request.customer(), total);
            return new Order(id, request.customer(), quotes, total, receipt, catalogVersion);
        } catch (RuntimeException | InterruptedException failure) {
            warehouse.release(reserved);
            throw failure;
        }
    }

    /** Step 2: every line reserved, or none. */
    private List<Reservation> reserve(List<OrderRequest.Line> lines) {
        List<TaskFuture<Reservation>> futures = new ArrayList<>(lines.size());
        try {
            for (OrderRequest.Line line : lines) {
                futures.add(io.submit(() -> warehouse.reserve(line.sku(), line.quantity(), properties.stockWait())));
            }
        } catch (RejectedExecutionException full) {
            throw rollBack(futures, new ShopException.Busy("the io pool refused the reservation: " + full.getMessage(),
                    full));
        }
        DoneAndNotDone<TaskFuture<Reservation>> outcome =
                Futures.wait(futures, properties.orderTimeout(), ReturnWhen.FIRST_EXCEPTION);
        if (outcome.notDone().isEmpty() && futures.stream().allMatch(OrderService::succeeded)) {
            return futures.stream().map(TaskFuture::resultNow).toList();
        }
        RuntimeException failure = outcome.done().stream()
                .filter(future -> !future.cancelled() && future.exception() != null)
                .findFirst()
                .map(future -> asUnchecked(future.exception()))
                .orElseGet(() -> new ShopException.Busy("reserving took longer than " + properties.orderTimeout(),
                        null));
        throw rollBack(futures, failure);
    }

    /**
     * Undoes the reservations of a failed order: those not started are cancelled, those running are waited for, and
     * whatever was reserved goes back to stock.
     *
     * @return {@code failure}, for the caller to throw
     */
    private RuntimeException rollBack(List<TaskFuture<Reservation>> futures, RuntimeException failure) {
        futures.forEach(TaskFuture::cancel); // a reservation already running cannot be cancelled: it ends on its own
        DoneAndNotDone<TaskFuture<Reservation>> ended =
                Futures.wait(futures, properties.orderTimeout(), ReturnWhen.ALL_COMPLETED);
        warehouse.release(ended.done().stream().filter(OrderService::succeeded).map(TaskFuture::resultNow).toList());
        for (TaskFuture<Reservation> late : ended.notDone()) {
            // Still running after the whole timeout (the lock is badly contended): give it back when it ends.
            late.addDoneCallback(done -> {
                if (succeeded(done)) {
                    warehouse.release(List.of(done.resultNow()));
                }
            });
        }
        return failure;
    }

    /** Step 3: every line priced on the crunch pool, in the request's order. */
    private List<Quote> price(List<PriceQuoteJob> jobs) {
        List<TaskFuture<Quote>> futures = new ArrayList<>(jobs.size());
        try {
            for (PriceQuoteJob job : jobs) {
                futures.add(crunch.submit(job));
            }
            long runningTotal = 0;
            // Quotes come in the order the workers finish them; the running total can stop the order early.
            for (TaskFuture<Quote> quoted : Futures.asCompleted(futures, properties.orderTimeout())) {
                runningTotal += quoted.result().totalCents();
                if (runningTotal > properties.creditLimitCents()) {
                    throw new ShopException.CreditLimitExceeded(runningTotal, properties.creditLimitCents());
                }
            }
            return futures.stream().map(TaskFuture::resultNow).toList();
        } catch (RejectedExecutionException refused) {
            throw new ShopException.Busy("the crunch pool refused the pricing job: " + refused.getMessage(), refused);
        } catch (FutureTimeoutException slow) {
            throw new ShopException.Busy("pricing took longer than " + properties.orderTimeout(), slow);
        } finally {
            // A no-op for the quotes that are done; frees the workers from the ones nobody will read.
            futures.forEach(TaskFuture::cancel);
        }
    }

    /** Step 4: the card charged, on the io pool. */
    private Receipt charge(String orderId, String customer, long totalCents) throws InterruptedException {
        CompletableFuture<Receipt> receipt;
        try {
            receipt = payments.charge(orderId, customer, totalCents);
        } catch (RejectedExecutionException full) {
            throw new ShopException.Busy("the io pool refused the payment: " + full.getMessage(), full);
        }
        try {
            return receipt.get(properties.orderTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException failed) {
            throw asUnchecked(failed.getCause());
        } catch (TimeoutException slow) {
            // The charge may still go through; a real shop would reconcile it. The order fails either way.
            receipt.cancel(false);
            throw new ShopException.Busy("the payment took longer than " + properties.orderTimeout(), slow);
        }
    }

    private static boolean succeeded(TaskFuture<?> future) {
        return future.done() && !future.cancelled() && future.exception() == null;
    }

    private static RuntimeException asUnchecked(Throwable failure) {
        return failure instanceof RuntimeException unchecked ? unchecked
                : new IllegalStateException(failure.getMessage(), failure);
    }
}
