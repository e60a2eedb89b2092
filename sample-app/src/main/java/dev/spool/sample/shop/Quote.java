package dev.spool.sample.shop;

import java.io.Serializable;

/**
 * The price of one order line, as a {@link PriceQuoteJob} worked it out in a worker JVM of the {@code crunch} pool.
 * Serializable: it travels back from that JVM.
 *
 * @param sku             the item
 * @param quantity        units
 * @param listPriceCents  the list price of one unit
 * @param discountPercent the volume discount chosen
 * @param unitPriceCents  the price of one unit after discount
 * @param totalCents      the line's total
 * @param workerPid       the process id of the worker JVM that priced it (not the application's)
 */
public record Quote(String sku, int quantity, long listPriceCents, int discountPercent, long unitPriceCents,
                    long totalCents, long workerPid) implements Serializable {
}
