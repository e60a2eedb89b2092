package dev.spool.sample.shop;

import java.util.SplittableRandom;

import dev.spool.futures.SerializableCallable;

/**
 * Prices one order line: picks the volume discount that a Monte Carlo simulation of customer demand says earns the
 * most, and returns the resulting {@link Quote}. CPU-bound and self-contained, so it runs on the {@code crunch}
 * process pool: a record of plain values is serialized to a worker JVM, runs there, and its {@link Quote} comes
 * back. Its class lives in the application (in a Spring Boot jar: under {@code BOOT-INF/classes}), which the
 * worker JVMs load the way the application does.
 *
 * <p>Deterministic: the same line at the same price always gets the same quote, whichever worker runs it.
 *
 * @param sku            the item
 * @param quantity       units ordered
 * @param listPriceCents the list price of one unit
 * @param simulations    simulated buyers per discount level: the job's cost
 */
public record PriceQuoteJob(String sku, int quantity, long listPriceCents, int simulations)
        implements SerializableCallable<Quote> {

    /** The discounts the shop may give, in percent. */
    private static final int[] DISCOUNTS = {0, 2, 5, 8, 10, 12, 15};

    @Override
    public Quote call() {
        SplittableRandom random = new SplittableRandom(31L * sku.hashCode() + 17L * quantity + listPriceCents);
        int best = 0;
        double bestRevenue = Double.NEGATIVE_INFINITY;
        for (int discount : DISCOUNTS) {
            double unitPrice = listPriceCents * (100 - discount) / 100.0;
            double revenue = 0;
            for (int i = 0; i < simulations; i++) {
                // A buyer's price sensitivity varies; a bigger order is more sensitive to the discount, and a buyer
                // who would walk away at list price may stay for a discount.
                double elasticity = 1.5 + 0.5 * random.nextGaussian();
                double stay = 0.9 - 0.002 * quantity + elasticity * discount / 100.0;
                if (random.nextDouble() < stay) {
                    revenue += unitPrice * quantity;
                }
            }
            if (revenue > bestRevenue) {
                bestRevenue = revenue;
                best = discount;
            }
        }
        long unitPriceCents = listPriceCents * (100 - best) / 100;
        return new Quote(sku, quantity, listPriceCents, best, unitPriceCents, unitPriceCents * quantity,
                ProcessHandle.current().pid());
    }
}
