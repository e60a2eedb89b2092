package dev.spool.sample.shop;

/**
 * Units taken out of stock for an order: given back with {@link Warehouse#release} if the order fails.
 *
 * @param sku      the item
 * @param quantity units taken
 */
public record Reservation(String sku, int quantity) {
}
