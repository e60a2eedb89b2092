package dev.spool.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.spool.futures.ProcessPool;
import dev.spool.futures.WorkerInfo;
import dev.spool.sample.shop.Catalog;
import dev.spool.sample.shop.Order;
import dev.spool.sample.shop.OrderRequest;
import dev.spool.sample.shop.Quote;
import dev.spool.sample.shop.StocktakeReport;
import dev.spool.sample.shop.Warehouse;
import dev.spool.threading.Barrier;
import dev.spool.threading.Condition;
import dev.spool.threading.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The order flow over HTTP, against the real application: its application.yml pools and primitives, a real worker
 * JVM for pricing. Each test uses its own items, so that they do not depend on each other's stock.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1",
        "sample.credit-limit-cents=100000",   // $1,000: a hundred metres of linen is over it
        "sample.stock-wait=3s",               // long enough to restock by hand while an order waits
        "sample.pricing-simulations=2000"})
@AutoConfigureRestTestClient
@Timeout(60)
class OrderFlowTests {

    private static final ExecutorService BACKGROUND = Executors.newVirtualThreadPerTaskExecutor();

    @Autowired
    RestTestClient http;
    @Autowired
    Catalog catalog;
    @Autowired
    Warehouse warehouse;
    @Autowired
    @Qualifier("crunch")
    ProcessPool crunch;
    @Autowired
    @Qualifier("ready")
    Event ready;
    @Autowired
    @Qualifier("restocked")
    Condition restocked;
    @Autowired
    @Qualifier("audit")
    Barrier audit;

    @AfterAll
    static void stopBackground() {
        BACKGROUND.shutdownNow();
    }

    @BeforeEach
    void shopIsOpen() {
        // Warmup opens the shop on the io pool once the application is ready.
        await().atMost(Duration.ofSeconds(30)).until(() -> catalog.version() >= 1 && ready.isSet());
    }

    @Test
    void anOrderIsReservedPricedInAWorkerJvmAndCharged() {
        int linen = warehouse.available("linen");
        int needles = warehouse.available("needles");

        Order order = placeOrder(new OrderRequest("ada", List.of(new OrderRequest.Line("linen", 2),
                new OrderRequest.Line("needles", 3))), HttpStatus.CREATED, Order.class);

        assertThat(order.customer()).isEqualTo("ada");
        assertThat(order.lines()).extracting(Quote::sku).containsExactly("linen", "needles");
        assertThat(order.lines()).extracting(Quote::quantity).containsExactly(2, 3);
        assertThat(order.totalCents()).isEqualTo(order.lines().stream().mapToLong(Quote::totalCents).sum())
                .isEqualTo(order.receipt().amountCents());
        assertThat(order.receipt().thread()).as("@Async(\"io\") ran the payment").startsWith("io-");
        List<Long> workerPids = crunch.workers().stream().map(WorkerInfo::pid).toList();
        assertThat(order.lines()).extracting(Quote::workerPid).as("priced in a crunch worker JVM")
                .doesNotContain(ProcessHandle.current().pid())
                .allSatisfy(pid -> assertThat(workerPids).contains(pid));
        assertThat(warehouse.available("linen")).isEqualTo(linen - 2);
        assertThat(warehouse.available("needles")).isEqualTo(needles - 3);
    }

    @Test
    void theSameLineAtTheSamePriceGetsTheSameQuoteWhicheverWorkerPricesIt() {
        Order first = placeOrder(new OrderRequest("grace", List.of(new OrderRequest.Line("bobbins", 4))),
                HttpStatus.CREATED, Order.class);
        Order second = placeOrder(new OrderRequest("alan", List.of(new OrderRequest.Line("bobbins", 4))),
                HttpStatus.CREATED, Order.class);
        assertThat(second.lines().get(0).totalCents()).isEqualTo(first.lines().get(0).totalCents());
        assertThat(first.lines().get(0).unitPriceCents())
                .isEqualTo(first.lines().get(0).listPriceCents() * (100 - first.lines().get(0).discountPercent()) / 100);
    }

    @Test
    void aLineThatCannotBeReservedFailsTheOrderAndGivesTheOtherLinesBack() throws Exception {
        warehouse.reserve("buttons", warehouse.available("buttons") - 5, Duration.ZERO); // 5 left
        int scissors = warehouse.available("scissors");

        ProblemDetail problem = placeOrder(new OrderRequest("edsger", List.of(new OrderRequest.Line("scissors", 3),
                new OrderRequest.Line("buttons", 10))), HttpStatus.CONFLICT, ProblemDetail.class);

        assertThat(problem.getTitle()).isEqualTo("OutOfStock");
        assertThat(problem.getDetail()).isEqualTo("'buttons' is out of stock: 10 requested, 5 available");
        assertThat(warehouse.available("scissors")).as("the reserved line is given back").isEqualTo(scissors);
        assertThat(warehouse.available("buttons")).isEqualTo(5);
    }

    @Test
    void aDeclinedCardFailsTheOrderAndGivesTheStockBack() {
        int cotton = warehouse.available("cotton");

        ProblemDetail problem = placeOrder(new OrderRequest("mallory", List.of(new OrderRequest.Line("cotton", 2))),
                HttpStatus.PAYMENT_REQUIRED, ProblemDetail.class);

        assertThat(problem.getTitle()).isEqualTo("PaymentDeclined");
        assertThat(warehouse.available("cotton")).isEqualTo(cotton);
    }

    @Test
    void anOrderOverTheCreditLimitIsStoppedAsItsQuotesArrive() {
        int tape = warehouse.available("tape-measure");

        ProblemDetail problem = placeOrder(new OrderRequest("barbara", List.of(
                new OrderRequest.Line("tape-measure", 1), new OrderRequest.Line("linen", 100))),
                HttpStatus.PAYMENT_REQUIRED, ProblemDetail.class);

        assertThat(problem.getTitle()).isEqualTo("CreditLimitExceeded");
        assertThat(problem.getDetail()).endsWith("over the limit of 100000");
        assertThat(warehouse.available("tape-measure")).isEqualTo(tape);
    }

    @Test
    void aReservationOfASoldOutItemWaitsOnTheConditionUntilARestock() throws Exception {
        warehouse.reserve("pincushion", warehouse.available("pincushion"), Duration.ZERO); // sold out
        long signals = restocked.stats().signals();

        CompletableFuture<Order> order = CompletableFuture.supplyAsync(() -> placeOrder(new OrderRequest("donald",
                List.of(new OrderRequest.Line("pincushion", 4))), HttpStatus.CREATED, Order.class), BACKGROUND);
        await().atMost(Duration.ofSeconds(10)).until(() -> restocked.stats().waiting() > 0);
        assertThat(order).isNotDone();

        http.post().uri("/inventory/pincushion/restock?quantity=10").exchange().expectStatus().isOk();

        assertThat(order.get().lines().get(0).quantity()).isEqualTo(4);
        assertThat(restocked.stats().signals()).isGreaterThan(signals);
        assertThat(warehouse.available("pincushion")).isEqualTo(6);
    }

    @Test
    void ordersWaitOnTheReadyEventWhileAPriceListLoads() throws Exception {
        ready.clear(); // as Catalog.refresh() does while it loads
        try {
            CompletableFuture<Order> order = CompletableFuture.supplyAsync(() -> placeOrder(new OrderRequest("ken",
                    List.of(new OrderRequest.Line("thread-red", 1))), HttpStatus.CREATED, Order.class), BACKGROUND);
            await().atMost(Duration.ofSeconds(10)).until(() -> ready.stats().waiting() > 0);
            assertThat(order).isNotDone();
            ready.set();
            assertThat(order.get().catalogVersion()).isEqualTo(catalog.version());
        } finally {
            ready.set();
        }
    }

    @Test
    void aNewPriceListIsInForceOnceLoaded() {
        int before = catalog.version();
        Map<?, ?> body = http.post().uri("/catalog/refresh").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(body.get("catalogVersion")).isEqualTo(before + 1);
        assertThat(ready.isSet()).isTrue();
    }

    @Test
    void theStocktakeMeetsItsAuditorsAtTheBarrierAndCountsEveryUnit() {
        long trips = audit.stats().trips();
        long units = warehouse.levels().values().stream().mapToLong(Integer::longValue).sum();

        StocktakeReport report = http.post().uri("/stocktake").exchange().expectStatus().isOk()
                .expectBody(StocktakeReport.class).returnResult().getResponseBody();

        assertThat(report.unitsByZone()).hasSize(audit.parties());
        assertThat(report.totalUnits()).isEqualTo(units);
        assertThat(report.publishedBy()).startsWith("requests-");
        assertThat(audit.stats().trips()).isEqualTo(trips + 1);
        assertThat(audit.broken()).isFalse();
    }

    @Test
    void aMalformedOrderIsRefusedWithWhatToFix() {
        ProblemDetail unknown = placeOrder(new OrderRequest("radia", List.of(new OrderRequest.Line("velvet", 1))),
                HttpStatus.BAD_REQUEST, ProblemDetail.class);
        assertThat(unknown.getDetail()).isEqualTo("no product 'velvet' in the catalogue");

        ProblemDetail tooMany = placeOrder(new OrderRequest("radia", List.of(new OrderRequest.Line("zip", 0))),
                HttpStatus.BAD_REQUEST, ProblemDetail.class);
        assertThat(tooMany.getDetail()).isEqualTo("lines[zip].quantity: between 1 and 100, was 0");
    }

    private <T> T placeOrder(OrderRequest request, HttpStatus status, Class<T> answer) {
        return http.post().uri("/orders").contentType(MediaType.APPLICATION_JSON).body(request).exchange()
                .expectStatus().isEqualTo(status)
                .expectBody(answer).returnResult().getResponseBody();
    }
}
