package dev.spool.sample.shop;

import java.util.List;

/**
 * A placed and paid order.
 *
 * @param id             its id
 * @param customer       who ordered
 * @param lines          each line's quote, in the order of the request
 * @param totalCents     what the customer paid
 * @param receipt        the payment's receipt
 * @param catalogVersion the price list it was priced from
 */
public record Order(String id, String customer, List<Quote> lines, long totalCents, Receipt receipt,
                    int catalogVersion) {
}
