package dev.spool.sample.shop;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The shop's HTTP API. Errors are problem details ({@link ShopErrors}).
 *
 * <ul>
 *   <li>{@code GET /}: what to open;</li>
 *   <li>{@code GET /products}: the catalogue with prices and stock;</li>
 *   <li>{@code POST /orders}: place an order, {@code {"customer": "ada", "lines": [{"sku": "linen", "quantity":
 *       2}]}};</li>
 *   <li>{@code POST /inventory/{sku}/restock?quantity=N}: a delivery;</li>
 *   <li>{@code POST /stocktake}: count the warehouse;</li>
 *   <li>{@code POST /catalog/refresh}: load the next price list.</li>
 * </ul>
 */
@RestController
public class ShopController {

    private final OrderService orders;
    private final Catalog catalog;
    private final Warehouse warehouse;
    private final Stocktake stocktake;

    /**
     * Makes the controller.
     *
     * @param orders    places orders
     * @param catalog   products and prices
     * @param warehouse stock
     * @param stocktake counts the warehouse
     */
    public ShopController(OrderService orders, Catalog catalog, Warehouse warehouse, Stocktake stocktake) {
        this.orders = orders;
        this.catalog = catalog;
        this.warehouse = warehouse;
        this.stocktake = stocktake;
    }

    /**
     * What to open first.
     *
     * @return the sample's URLs, by what they show
     */
    @GetMapping("/")
    public Map<String, String> index() {
        Map<String, String> links = new LinkedHashMap<>();
        links.put("products", "GET /products");
        links.put("order", "POST /orders {\"customer\": \"ada\", \"lines\": [{\"sku\": \"linen\", \"quantity\": 2}]}");
        links.put("load", "POST /load?seconds=30 (then GET /load)");
        links.put("stocktake", "POST /stocktake");
        links.put("executors", "GET /actuator/executors");
        links.put("primitives", "GET /actuator/primitives");
        links.put("health", "GET /actuator/health");
        links.put("prometheus", "GET /actuator/prometheus");
        return links;
    }

    /**
     * The catalogue with stock levels.
     *
     * @return every product with its current price and units in stock
     */
    @GetMapping("/products")
    public Map<String, Object> products() {
        Map<String, Integer> levels = warehouse.levels();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("catalogVersion", catalog.version());
        body.put("products", catalog.products().stream().map(product -> Map.of(
                "sku", product.sku(), "name", product.name(), "listPriceCents", product.listPriceCents(),
                "inStock", levels.getOrDefault(product.sku(), 0))).toList());
        return body;
    }

    /**
     * Places an order (see {@link OrderService#place}).
     *
     * @param request the order
     * @return 201 with the paid order
     * @throws InterruptedException if the request thread is interrupted
     */
    @PostMapping("/orders")
    public ResponseEntity<Order> placeOrder(@RequestBody OrderRequest request) throws InterruptedException {
        Order order = orders.place(request);
        return ResponseEntity.created(URI.create("/orders/" + order.id())).body(order);
    }

    /**
     * Records a delivery, which wakes reservations waiting for the item.
     *
     * @param sku      the item delivered
     * @param quantity units delivered
     * @return the units in stock now
     */
    @PostMapping("/inventory/{sku}/restock")
    public Map<String, Object> restock(@PathVariable String sku, @RequestParam int quantity) {
        catalog.product(sku); // 400 for an unknown item
        return Map.of("sku", sku, "inStock", warehouse.restock(sku, quantity));
    }

    /**
     * Counts the warehouse (see {@link Stocktake#run()}).
     *
     * @return what the auditors counted
     */
    @PostMapping("/stocktake")
    public StocktakeReport stocktake() {
        return stocktake.run();
    }

    /**
     * Loads the next price list; orders wait on the {@code ready} event meanwhile.
     *
     * @return the price list version now in force
     */
    @PostMapping("/catalog/refresh")
    public Map<String, Integer> refreshCatalog() {
        return Map.of("catalogVersion", catalog.refresh());
    }
}
