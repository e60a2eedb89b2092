package dev.spool.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The sample's own settings ({@code sample.*}): the simulated latencies that stand in for a database and a pricing
 * service, and the load generator's defaults. Spool's settings are under {@code spool.*}.
 *
 * @param ledgerWrite        time the stock ledger write takes; it happens with the {@code inventory} lock held (the
 *                           ledger is what replicas share), which is what makes that lock contend under load
 * @param dbWrite            time a payment's database write takes, with a permit of the {@code db} semaphore held
 * @param catalogueLoad      time loading the price list takes, while the {@code ready} event is clear
 * @param pricingSimulations Monte Carlo rounds per discount level of a price quote: the CPU cost of one job on the
 *                           {@code crunch} process pool
 * @param stockWait          how long a reservation waits on the {@code restocked} condition for a sold-out item
 * @param orderTimeout       how long an order waits for each of its steps (catalogue, reservations, quotes, payment)
 * @param creditLimitCents   the most one order may cost; quotes stop as soon as their running total passes it
 * @param load               the load generator
 */
@ConfigurationProperties("sample")
public record SampleProperties(
        @DefaultValue("1ms") Duration ledgerWrite,
        @DefaultValue("20ms") Duration dbWrite,
        @DefaultValue("50ms") Duration catalogueLoad,
        @DefaultValue("20000") int pricingSimulations,
        @DefaultValue("250ms") Duration stockWait,
        @DefaultValue("10s") Duration orderTimeout,
        @DefaultValue("500000") long creditLimitCents,
        @DefaultValue Load load) {

    /**
     * The load generator's defaults.
     *
     * @param onStart   whether a run starts as soon as the application is ready (the {@code load} profile sets it)
     * @param duration  how long a run lasts; zero runs until {@code DELETE /load} or shutdown
     * @param customers simulated customers ordering at once, each a task on the {@code requests} virtual pool
     */
    public record Load(
            @DefaultValue("false") boolean onStart,
            @DefaultValue("30s") Duration duration,
            @DefaultValue("48") int customers) {
    }
}
