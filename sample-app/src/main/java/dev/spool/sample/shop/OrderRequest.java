package dev.spool.sample.shop;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a customer orders: {@code {"customer": "ada", "lines": [{"sku": "linen", "quantity": 2}]}}.
 *
 * @param customer who orders
 * @param lines    what, at most one line per item
 */
public record OrderRequest(String customer, List<Line> lines) {

    /** The most lines one order may have. */
    public static final int MAX_LINES = 12;
    /** The most units one line may ask for. */
    public static final int MAX_QUANTITY = 100;

    /**
     * Checks the request's shape (not whether the items exist: the catalogue says that).
     *
     * @throws IllegalArgumentException with what to fix
     */
    public void validate() {
        if (customer == null || customer.isBlank()) {
            throw new IllegalArgumentException("customer: required");
        }
        if (lines == null || lines.isEmpty() || lines.size() > MAX_LINES) {
            throw new IllegalArgumentException("lines: between 1 and " + MAX_LINES + " lines");
        }
        Set<String> skus = new HashSet<>();
        for (Line line : lines) {
            if (line == null || line.sku() == null || !skus.add(line.sku())) {
                throw new IllegalArgumentException("lines: each needs a sku, and a sku appears once");
            }
            if (line.quantity() < 1 || line.quantity() > MAX_QUANTITY) {
                throw new IllegalArgumentException("lines[" + line.sku() + "].quantity: between 1 and " + MAX_QUANTITY
                        + ", was " + line.quantity());
            }
        }
    }

    /**
     * One line of an order.
     *
     * @param sku      the item
     * @param quantity units
     */
    public record Line(String sku, int quantity) {
    }
}
