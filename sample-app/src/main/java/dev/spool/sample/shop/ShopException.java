package dev.spool.sample.shop;

/**
 * Why the shop refused a request, one subclass per answer a client can act on. {@code ShopErrors} turns each into an
 * HTTP problem detail.
 */
public abstract sealed class ShopException extends RuntimeException {

    private ShopException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A line asks for more than is in stock, even after waiting for a restock. HTTP 409. */
    public static final class OutOfStock extends ShopException {
        /**
         * Makes the exception.
         *
         * @param sku       the item
         * @param requested units asked for
         * @param available units in stock when the wait ended
         */
        public OutOfStock(String sku, int requested, int available) {
            super("'" + sku + "' is out of stock: " + requested + " requested, " + available + " available", null);
        }
    }

    /** The card issuer declined the payment. HTTP 402. */
    public static final class PaymentDeclined extends ShopException {
        /**
         * Makes the exception.
         *
         * @param customer whose card was declined
         */
        public PaymentDeclined(String customer) {
            super("the card of '" + customer + "' was declined", null);
        }
    }

    /** The order costs more than one order may. HTTP 402. */
    public static final class CreditLimitExceeded extends ShopException {
        /**
         * Makes the exception.
         *
         * @param totalCents what the lines priced so far cost
         * @param limitCents the limit
         */
        public CreditLimitExceeded(long totalCents, long limitCents) {
            super("the order costs at least " + totalCents + " cents, over the limit of " + limitCents, null);
        }
    }

    /** The request names an item the catalogue does not have. HTTP 400. */
    public static final class UnknownProduct extends ShopException {
        /**
         * Makes the exception.
         *
         * @param sku the unknown item
         */
        public UnknownProduct(String sku) {
            super("no product '" + sku + "' in the catalogue", null);
        }
    }

    /** Another stocktake is running; try again when it ends. HTTP 409. */
    public static final class StocktakeInProgress extends ShopException {
        /** Makes the exception. */
        public StocktakeInProgress() {
            super("a stocktake is already running", null);
        }
    }

    /**
     * The shop cannot take the request now: the catalogue is loading, a pool's queue is full, or a step took longer
     * than the order timeout. HTTP 503: retry later.
     */
    public static final class Busy extends ShopException {
        /**
         * Makes the exception.
         *
         * @param message what is busy
         * @param cause   the rejection or timeout, or null
         */
        public Busy(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
