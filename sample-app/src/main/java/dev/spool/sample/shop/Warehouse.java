package dev.spool.sample.shop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.spool.sample.SampleProperties;
import dev.spool.threading.Condition;
import dev.spool.threading.RLock;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * The stock levels and the stock ledger that records every change to them: two resources, two primitives.
 *
 * <ul>
 *   <li>The levels live in this instance's memory and are guarded by the {@code restocked} condition itself (a
 *       {@link Condition} is also a lock: {@link Condition#hold()} takes the lock it waits on). A reservation of a
 *       sold-out item waits on that condition: waiting releases the lock, so restocks and other reservations go on,
 *       and every restock or release signals the waiters to look again.</li>
 *   <li>Every change is also written to the stock ledger (a simulated write, {@code sample.ledger-write}) holding the
 *       {@code inventory} RLock: the ledger is what replicas of the shop share, and its write is why that lock
 *       contends when many orders reserve at once.</li>
 * </ul>
 * A change holds both, the condition's lock first, then the inventory lock for the ledger row, and changes the level
 * only once its row is written, so that a level and the ledger never disagree. The order is always that one, so two
 * changes cannot deadlock.
 *
 * <p>By default (application.yml: {@code conditions.restocked.lock: inventory}) the condition waits on the
 * {@code inventory} RLock itself: the two are one lock, and the ledger write re-enters it. In the {@code redis}
 * profile (application-redis.yml) the {@code inventory} lock lives in Redis, one lock for every replica, while the
 * condition gets a local lock of its own ({@code conditions.restocked.lock: ""}): a condition parks its waiters in
 * this JVM, which is why Spool refuses a condition over a Redis lock.
 */
@Component // bean "warehouse": bean names are shared with Spool's, and "inventory" is the lock's
public class Warehouse {

    private final RLock inventory;
    private final Condition restocked;
    private final Duration ledgerWrite;
    /** Units in stock by SKU, in catalogue order. Guarded by {@link #restocked}'s lock. */
    private final Map<String, Integer> stock = new LinkedHashMap<>();

    /**
     * Makes an empty warehouse: {@link #open} stocks it.
     *
     * @param inventory  the {@code inventory} RLock, held for each ledger write
     * @param restocked  the {@code restocked} condition, whose lock guards the levels
     * @param properties the simulated ledger write
     */
    public Warehouse(@Qualifier("inventory") RLock inventory, @Qualifier("restocked") Condition restocked,
                     SampleProperties properties) {
        this.inventory = inventory;
        this.restocked = restocked;
        this.ledgerWrite = properties.ledgerWrite();
    }

    /**
     * Takes {@code quantity} units of {@code sku} out of stock, waiting up to {@code wait} for a restock if there are
     * not enough.
     *
     * @param sku      the item
     * @param quantity units to take, at least 1
     * @param wait     how long to wait for a restock
     * @return the reservation, to give back with {@link #release} if the order fails
     * @throws ShopException.OutOfStock if there are still not enough units after {@code wait}
     * @throws InterruptedException     if the thread is interrupted while it waits (nothing is taken)
     */
    public Reservation reserve(String sku, int quantity, Duration wait) throws InterruptedException {
        try (var held = restocked.hold()) {
            if (!restocked.awaitFor(() -> level(sku) >= quantity, wait)) {
                throw new ShopException.OutOfStock(sku, quantity, level(sku));
            }
            write(sku, -quantity);
            return new Reservation(sku, quantity);
        }
    }

    /**
     * Gives reserved units back (an order that failed after reserving), and wakes reservations waiting for them.
     *
     * @param reservations what to give back
     */
    public void release(Collection<Reservation> reservations) {
        if (reservations.isEmpty()) {
            return;
        }
        try (var held = restocked.hold()) {
            for (Reservation reservation : reservations) {
                write(reservation.sku(), reservation.quantity());
            }
            restocked.signalAll();
        }
    }

    /**
     * Adds units of one item, and wakes reservations waiting for it.
     *
     * @param sku      the item
     * @param quantity units to add, at least 1
     * @return units in stock now
     */
    public int restock(String sku, int quantity) {
        if (quantity < 1) {
            throw new IllegalArgumentException("a restock adds at least 1 unit, not " + quantity);
        }
        try (var held = restocked.hold()) {
            write(sku, quantity);
            restocked.signalAll();
            return stock.get(sku);
        }
    }

    /**
     * Brings every item below {@code threshold} back up to {@code level}: the supplier's regular delivery.
     *
     * @param threshold restock items with fewer units than this
     * @param level     units each of them has afterwards
     * @return the items restocked
     */
    public List<String> topUp(int threshold, int level) {
        List<String> restockedSkus = new ArrayList<>();
        try (var held = restocked.hold()) {
            for (Map.Entry<String, Integer> item : stock.entrySet()) {
                if (item.getValue() < threshold) {
                    restockedSkus.add(item.getKey());
                }
            }
            for (String sku : restockedSkus) {
                write(sku, level - stock.get(sku));
            }
            if (!restockedSkus.isEmpty()) {
                restocked.signalAll();
            }
        }
        return restockedSkus;
    }

    /**
     * Makes the items known to the warehouse, with their opening stock; items it knows already keep theirs.
     *
     * @param skus    the items
     * @param opening units of each in stock at opening
     */
    public void open(Collection<String> skus, int opening) {
        try (var held = restocked.hold()) {
            for (String sku : skus) {
                stock.putIfAbsent(sku, opening);
            }
            restocked.signalAll();
        }
    }

    /**
     * Counts the units of one item.
     *
     * @param sku an item
     * @return units in stock now (0 for an item the warehouse does not know)
     */
    public int available(String sku) {
        try (var held = restocked.hold()) {
            return level(sku);
        }
    }

    /**
     * Every stock level at one instant.
     *
     * @return units in stock by item, in catalogue order
     */
    public Map<String, Integer> levels() {
        try (var held = restocked.hold()) {
            return new LinkedHashMap<>(stock);
        }
    }

    /**
     * Counts the units of one warehouse zone, as a stocktake auditor does: the items are dealt round the zones in
     * catalogue order.
     *
     * @param zone  the zone, {@code 0 .. zones - 1}
     * @param zones how many zones the warehouse has
     * @return units in stock in that zone
     */
    public long countZone(int zone, int zones) {
        long units = 0;
        int i = 0;
        try (var held = restocked.hold()) {
            for (int level : stock.values()) {
                if (i++ % zones == zone) {
                    units += level;
                }
            }
        }
        return units;
    }

    /** Units of one item; the caller holds {@link #restocked}'s lock. */
    private int level(String sku) {
        return stock.getOrDefault(sku, 0);
    }

    /**
     * Writes the ledger row of a change, holding the {@code inventory} lock, then changes the level. The caller holds
     * {@link #restocked}'s lock, so nobody sees the level before its row is written; a write that fails (the lock's
     * backend out of reach) leaves the level as it was.
     */
    private void write(String sku, int delta) {
        if (!stock.containsKey(sku)) {
            throw new ShopException.UnknownProduct(sku);
        }
        try (var ledger = inventory.hold()) {
            SimulatedLatency.roundTrip(ledgerWrite); // INSERT INTO stock_ledger ...
        }
        stock.merge(sku, delta, Integer::sum);
    }
}
