package dev.spool.sample.shop;

import java.time.Instant;

/**
 * Proof of a payment.
 *
 * @param id          the payment's id
 * @param orderId     the order paid
 * @param amountCents the amount charged
 * @param chargedAt   when
 * @param thread      the thread that charged the card: one of the {@code io} pool's
 */
public record Receipt(String id, String orderId, long amountCents, Instant chargedAt, String thread) {
}
