package dev.spool.sample.load;

import java.time.Instant;

/**
 * A load run's progress, as {@code GET /load} shows it.
 *
 * @param running          whether its customers are still ordering
 * @param customers        simulated customers ordering at once
 * @param startedAt        when it started, null if no run ever started
 * @param endsAt           when it stops by itself, null for a run that lasts until stopped
 * @param placed           orders placed and paid
 * @param outOfStock       orders refused for lack of stock (after waiting on the {@code restocked} condition)
 * @param declined         orders whose payment was declined
 * @param overLimit        orders over the credit limit
 * @param busy             orders refused because a pool was full or a step timed out
 * @param failed           orders that failed otherwise (a bug: see the log)
 * @param restocks         items topped up by the supplier
 * @param stocktakes       stocktakes done (each trips the {@code audit} barrier once)
 * @param catalogRefreshes price lists loaded (each clears and sets the {@code ready} event)
 */
public record LoadStatus(boolean running, int customers, Instant startedAt, Instant endsAt, long placed,
                         long outOfStock, long declined, long overLimit, long busy, long failed, long restocks,
                         long stocktakes, long catalogRefreshes) {
}
