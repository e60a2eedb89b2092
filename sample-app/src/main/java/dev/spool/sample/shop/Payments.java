package dev.spool.sample.shop;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.spool.annotation.WithPermit;
import dev.spool.sample.SampleProperties;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;

/**
 * Charges cards. Each charge writes a payment row, and the database takes only as many connections as the
 * {@code db} semaphore has permits (application.yml: {@code semaphores.db.permits}); a charge holds one for the
 * length of the write ({@code sample.db-write}), and waits for one when all are taken. The semaphore is bounded, so a
 * bug that gave a permit back twice would fail loudly instead of letting one more connection through.
 *
 * <p>The permit is taken by {@link WithPermit @WithPermit("db")} rather than in the body: with {@code @Async} on the
 * same method, it is taken on the {@code io} worker that runs the charge, and given back when the charge returns or
 * is declined (docs/annotations.md).
 */
@Service
public class Payments {

    /** Customers whose card issuer declines every charge: the sample's way to exercise a failed order. */
    private static final Set<String> DECLINED = Set.of("mallory");

    private final Duration dbWrite;

    /**
     * Makes the service.
     *
     * @param properties the simulated write time
     */
    public Payments(SampleProperties properties) {
        this.dbWrite = properties.dbWrite();
    }

    /**
     * Charges {@code customer}'s card, on a thread of the {@code io} pool; the caller gets the receipt, or the
     * failure, through the returned future.
     *
     * @param orderId     the order paid
     * @param customer    whose card
     * @param amountCents how much
     * @return the receipt; failed with {@link ShopException.PaymentDeclined} when the issuer declines
     */
    @Async("io")
    @WithPermit("db") // one database connection, for the length of the write
    public CompletableFuture<Receipt> charge(String orderId, String customer, long amountCents) {
        SimulatedLatency.roundTrip(dbWrite); // INSERT INTO payments ...
        if (DECLINED.contains(customer)) {
            throw new ShopException.PaymentDeclined(customer);
        }
        return CompletableFuture.completedFuture(new Receipt("pay-" + orderId.substring("order-".length()),
                orderId, amountCents, Instant.now(), Thread.currentThread().getName()));
    }
}
