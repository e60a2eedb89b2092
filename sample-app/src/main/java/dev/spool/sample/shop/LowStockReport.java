package dev.spool.sample.shop;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every few seconds, on the {@code ticks} scheduled pool, looks for items running low and logs the list when it
 * changes: a small {@code @Scheduled(scheduler = "ticks")} job, whose lateness is
 * {@code spool.executor.schedule.lateness{name="ticks"}} and whose runs show in {@code /actuator/executors/ticks}.
 */
@Component
public class LowStockReport {

    /** An item with fewer units than this is low. */
    static final int LOW = 20;

    private static final Logger log = LoggerFactory.getLogger(LowStockReport.class);

    private final Warehouse warehouse;
    /** Read and written by one run at a time: a fixed-rate task's runs never overlap. */
    private List<String> lastLow = List.of();

    /** @param warehouse whose stock levels it reads */
    public LowStockReport(Warehouse warehouse) {
        this.warehouse = warehouse;
    }

    /** One look at the stock levels; logs only when the set of low items changed. */
    @Scheduled(fixedRate = 5_000, initialDelay = 1_000, scheduler = "ticks")
    public void report() {
        List<String> low = warehouse.levels().entrySet().stream()
                .filter(item -> item.getValue() < LOW)
                .map(Map.Entry::getKey)
                .toList();
        if (!low.equals(lastLow)) {
            log.info("low stock (< {} units): {}", LOW, low.isEmpty() ? "none" : low);
            lastLow = low;
        }
    }
}
