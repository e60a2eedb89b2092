package dev.spool.sample.shop;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.spool.sample.SampleProperties;
import dev.spool.threading.Event;
import dev.spool.threading.Lock;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * The products and their current price list. Loading a price list takes a while (a call to the pricing service);
 * while it loads, the {@code ready} event is clear and orders wait on it, so that no order is priced from a list half
 * replaced. The first load happens at start-up ({@code Warmup}); {@code POST /catalog/refresh} and the load generator
 * load the next one.
 */
@Component
public class Catalog {

    /** The base price list: version 1 of every later one. */
    private static final List<Product> BASE = List.of(
            new Product("thread-red", "Cotton thread, red, 100 m", 249),
            new Product("thread-blue", "Cotton thread, blue, 100 m", 249),
            new Product("thread-black", "Polyester thread, black, 500 m", 599),
            new Product("needles", "Hand-sewing needles, 20", 325),
            new Product("bobbins", "Metal bobbins, 10", 450),
            new Product("pincushion", "Tomato pincushion", 599),
            new Product("scissors", "Fabric scissors, 21 cm", 1899),
            new Product("tape-measure", "Tape measure, 150 cm", 275),
            new Product("cotton", "Quilting cotton, per metre", 1250),
            new Product("linen", "Washed linen, per metre", 2290),
            new Product("buttons", "Wooden buttons, tin of 50", 875),
            new Product("zip", "Nylon zip, 20 cm", 199));

    private final Event ready;
    private final Duration loadTime;
    /** One load at a time: a second refresh must not set {@code ready} while the first is still loading. */
    private final Lock loading = new Lock("catalog-loading");
    private volatile Map<String, Product> products = Map.of();
    private volatile int version;

    /**
     * Makes the catalogue, empty until the first {@link #refresh()}.
     *
     * @param ready      the event orders wait on while a price list loads
     * @param properties the simulated load time
     */
    public Catalog(@Qualifier("ready") Event ready, SampleProperties properties) {
        this.ready = ready;
        this.loadTime = properties.catalogueLoad();
    }

    /**
     * Loads the next version of the price list. Orders that arrive meanwhile wait for it on {@code ready}; a refresh
     * that is already running makes this one wait for it, then load again.
     *
     * @return the version now in force
     */
    public int refresh() {
        try (var held = loading.hold()) {
            ready.clear();
            try {
                SimulatedLatency.roundTrip(loadTime); // the call to the pricing service
                int next = version + 1;
                products = priceList(next);
                version = next;
            } finally {
                // Even if the load failed, the previous list is whole: let orders go on with it.
                ready.set();
            }
            return version;
        }
    }

    /**
     * Waits until no price list is loading.
     *
     * @param timeout how long to wait at most
     * @throws ShopException.Busy    if the list is still loading after {@code timeout}
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    public void awaitReady(Duration timeout) throws InterruptedException {
        if (!ready.await(timeout)) {
            throw new ShopException.Busy("the catalogue is still loading after " + timeout, null);
        }
    }

    /**
     * Looks an item up in the price list in force.
     *
     * @param sku an item
     * @return the item, at the current price list's price
     * @throws ShopException.UnknownProduct if the catalogue has no such item
     */
    public Product product(String sku) {
        Product product = products.get(sku);
        if (product == null) {
            throw new ShopException.UnknownProduct(sku);
        }
        return product;
    }

    /**
     * The items the shop sells, whatever the price list.
     *
     * @return the SKU of every item, in catalogue order
     */
    public static List<String> skus() {
        return BASE.stream().map(Product::sku).toList();
    }

    /**
     * The items with their prices in the price list in force.
     *
     * @return every item, in catalogue order
     */
    public List<Product> products() {
        return List.copyOf(products.values());
    }

    /**
     * The price list in force: each {@link #refresh()} loads the next version.
     *
     * @return its version, 0 before the first load
     */
    public int version() {
        return version;
    }

    /** Prices move by up to 5% either way from one version to the next, so that a refresh changes something. */
    private static Map<String, Product> priceList(int version) {
        Map<String, Product> list = new LinkedHashMap<>();
        for (int i = 0; i < BASE.size(); i++) {
            Product base = BASE.get(i);
            long percent = version == 1 ? 100 : 95 + Math.floorMod(version * 7 + i * 3, 11);
            list.put(base.sku(), new Product(base.sku(), base.name(), base.listPriceCents() * percent / 100));
        }
        return Collections.unmodifiableMap(list);
    }
}
