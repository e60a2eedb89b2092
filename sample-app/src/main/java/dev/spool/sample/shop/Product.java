package dev.spool.sample.shop;

/**
 * An item the shop sells.
 *
 * @param sku            its stock-keeping unit, the key of stock and orders
 * @param name           what the customer sees
 * @param listPriceCents the price of one unit before volume discount, in cents
 */
public record Product(String sku, String name, long listPriceCents) {
}
