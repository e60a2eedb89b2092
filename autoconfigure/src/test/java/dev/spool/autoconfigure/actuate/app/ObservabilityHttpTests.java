package dev.spool.autoconfigure.actuate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.spool.autoconfigure.actuate.BoundedDeadlock;
import dev.spool.futures.ProcessPool;
import dev.spool.futures.SerializableCallable;
import dev.spool.futures.ThreadPool;
import dev.spool.metrics.TimerFeed;
import dev.spool.threading.Barrier;
import dev.spool.threading.Condition;
import dev.spool.threading.Event;
import dev.spool.threading.Lock;
import dev.spool.threading.RLock;
import dev.spool.threading.Semaphore;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * {@link ObservedApp} on a real port with a Prometheus registry: every meter family of docs/reference.md, "Meters" in
 * the scrape, and every endpoint over HTTP, writes enabled. The responses are kept in
 * {@code target/endpoint-samples/} for {@code docs/endpoints.md}. {@link WriteDisabledHttpTests} covers the default,
 * writes off.
 */
@SpringBootTest(classes = ObservedApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=observed-app", "spool.endpoints.write.enabled=true"})
@AutoConfigureRestTestClient
@Timeout(60)
class ObservabilityHttpTests {

    /** One series of the scrape: {@code family{labels} value}. */
    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}\\s+(\\S+)");

    @Autowired
    RestTestClient http;

    @Autowired
    @Qualifier("io")
    ThreadPool io;

    @Autowired
    @Qualifier("resizable")
    ThreadPool resizable;

    @Autowired
    @Qualifier("crunch")
    ProcessPool crunch;

    @Autowired
    @Qualifier("inventory")
    RLock inventory;

    @Autowired
    @Qualifier("ledger")
    Lock ledger;

    @Autowired
    @Qualifier("journal")
    Lock journal;

    @Autowired
    Semaphore db;

    @Autowired
    Event ready;

    @Autowired
    Barrier batch;

    @Autowired
    Condition stock;

    @Autowired
    TimerFeed replay;

    @Test
    void theScrapeHasEveryMeterFamilyWithThePoolsAndThePrimitivesNames() {
        for (int i = 0; i < 5; i++) {
            io.submit(() -> 1).result(Duration.ofSeconds(10));
        }
        replay.flush(); // the timers lag their histograms by one step otherwise

        String scrape = get("/actuator/prometheus", MediaType.TEXT_PLAIN, 200);
        Samples.save("prometheus", 200, scrape);
        Set<String> series = new HashSet<>();
        scrape.lines().map(SERIES::matcher).filter(Matcher::find).forEach(m -> {
            Matcher name = Pattern.compile("name=\"([^\"]*)\"").matcher(m.group(2));
            if (name.find()) {
                series.add(m.group(1) + "@" + name.group(1));
            }
        });

        assertThat(series).contains(
                // Boot's own executor, bound by Boot with Micrometer's ExecutorServiceMetrics: the same families
                "executor_queued_tasks@applicationTaskExecutor",
                // the executor's, under Micrometer's names (docs/reference.md, "Meters")
                "executor_queued_tasks@io", "executor_queue_remaining_tasks@io", "executor_active_threads@io",
                "executor_pool_size_threads@io", "executor_pool_max_threads@io", "executor_completed_tasks_total@io",
                "spool_executor_tasks_total@io", "spool_executor_queue_wait_seconds_count@io",
                "spool_executor_execution_seconds_count@io", "spool_future_latency_seconds_count@io",
                // a virtual pool and a process pool are executors too
                "executor_queued_tasks@burst", "executor_queued_tasks@crunch",
                "spool_process_workers_started_total@crunch", "spool_process_workers_exited_total@crunch",
                "spool_process_worker_startup_seconds_count@crunch",
                // the lock's
                "spool_lock_acquisitions_total@ledger", "spool_lock_contended_total@ledger",
                "spool_lock_timeouts_total@ledger", "spool_lock_wait_seconds_count@ledger",
                "spool_lock_held_seconds_count@ledger", "spool_lock_waiting_threads@ledger",
                "spool_lock_acquisitions_total@inventory",
                // every other primitive's
                "spool_semaphore_permits@db", "spool_semaphore_waiting_threads@db",
                "spool_semaphore_wait_seconds_count@db", "spool_semaphore_timeouts_total@db",
                "spool_event_set@ready", "spool_event_waiting_threads@ready", "spool_event_wait_seconds_count@ready",
                "spool_barrier_waiting_threads@batch", "spool_barrier_trips_total@batch",
                "spool_barrier_broken_total@batch", "spool_barrier_wait_seconds_count@batch",
                "spool_condition_waiting_threads@stock", "spool_condition_wait_seconds_count@stock",
                "spool_condition_timeouts_total@stock", "spool_condition_signals_total@stock",
                // task groups, per group name: the unnamed ones' exist before any group
                "spool_taskgroup_duration_seconds_count@unnamed", "spool_taskgroup_tasks_total@unnamed",
                "spool_taskgroup_active_groups@unnamed");

        assertThat(scrape)
                .contains("executor_pool_max_threads{name=\"io\",type=\"thread\"} 2.0")
                .contains("spool_semaphore_permits{backend=\"local\",name=\"db\"} 3.0")
                .containsPattern("spool_executor_tasks_total\\{name=\"io\",outcome=\"success\",type=\"thread\"} [5-9]")
                .containsPattern("spool_future_latency_seconds_count\\{name=\"io\",outcome=\"success\","
                        + "type=\"thread\"} [5-9]")
                .as("spool.metrics.percentiles")
                .contains("spool_future_latency_seconds{name=\"io\",outcome=\"success\",type=\"thread\","
                        + "quantile=\"0.95\"}");
    }

    @Test
    void executorsListsEveryPool() {
        http.get().uri("/actuator/executors").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.executors.io.type").isEqualTo("thread")
                .jsonPath("$.executors.io.state").isEqualTo("RUNNING")
                .jsonPath("$.executors.io.maxWorkers").isEqualTo(2)
                .jsonPath("$.executors.io.queueCapacity").isEqualTo(100)
                .jsonPath("$.executors.burst.type").isEqualTo("virtual")
                .jsonPath("$.executors.crunch.type").isEqualTo("process")
                .jsonPath("$.executors.crunch.queueCapacity").isEqualTo("unbounded")
                .jsonPath("$.executors.burst.queueCapacity").isEqualTo("unbounded")
                .jsonPath("$.executors.resizable").exists();
        Samples.save("executors", 200, get("/actuator/executors", MediaType.APPLICATION_JSON, 200));
    }

    @Test
    void oneExecutorShowsLatencyPercentilesAndWorkers() {
        for (int i = 0; i < 3; i++) {
            io.submit(() -> 1).result(Duration.ofSeconds(10));
        }
        http.get().uri("/actuator/executors/io").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.type").isEqualTo("thread")
                .jsonPath("$.latency.count").value(count -> assertThat(((Number) count).longValue()).isPositive())
                .jsonPath("$.latency.percentilesMillis['0.95']").exists()
                .jsonPath("$.latency.lastMinute.count").value(count ->
                        assertThat(((Number) count).longValue()).isPositive())
                .jsonPath("$.latency.lastMinute.percentilesMillis['0.95']").exists()
                .jsonPath("$.latency.lastMinute.windowSeconds").exists()
                .jsonPath("$.latency.lastMinute.sinceStart").isBoolean()
                .jsonPath("$.queueWait.count").exists()
                .jsonPath("$.queueWait.lastMinute.maxMillis").exists()
                .jsonPath("$.execution.maxMillis").exists()
                .jsonPath("$.execution.lastMinute.meanMillis").exists()
                .jsonPath("$.workers[0].name").value(name -> assertThat((String) name).startsWith("io-"));
        Samples.save("executors-io", 200, get("/actuator/executors/io", MediaType.APPLICATION_JSON, 200));
    }

    @Test
    void oneProcessPoolShowsItsWorkerProcesses() {
        long pid = crunch.submit((SerializableCallable<Long>) () -> ProcessHandle.current().pid())
                .result(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).until(() -> crunch.workers().get(0).tasksRun() == 1);
        http.get().uri("/actuator/executors/crunch").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.type").isEqualTo("process")
                .jsonPath("$.workers[0].pid").isEqualTo(pid)
                .jsonPath("$.workers[0].tasksRun").isEqualTo(1)
                .jsonPath("$.workers[0].state").isEqualTo("IDLE")
                .jsonPath("$.workers[0].startedAt").exists();
        Samples.save("executors-crunch", 200, get("/actuator/executors/crunch", MediaType.APPLICATION_JSON, 200));
    }

    @Test
    void anUnknownExecutorIs404() {
        get("/actuator/executors/nope", MediaType.APPLICATION_JSON, 404);
        get("/actuator/primitives/nope", MediaType.APPLICATION_JSON, 404);
    }

    @Test
    void postResizesAPool() {
        String body = post("/actuator/executors/resizable", "{\"maxWorkers\": 4, \"queueCapacity\": 50}", 200);
        Samples.save("executors-resize", 200, body);
        assertThat(body).contains("\"maxWorkers\":4", "\"queueCapacity\":50");
        assertThat(resizable.stats().maxWorkers()).isEqualTo(4);
        assertThat(resizable.stats().queueCapacity()).isEqualTo(50);
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedAndChangesNothing() {
        int workers = resizable.stats().maxWorkers();
        http.post().uri("/actuator/executors/resizable").contentType(MediaType.TEXT_PLAIN).body("maxWorkers=9")
                .exchange()
                .expectStatus().isEqualTo(415);
        assertThat(resizable.stats().maxWorkers()).isEqualTo(workers);
    }

    @Test
    void anInvalidValueIs400WithTheReasonAndChangesNothing() {
        int workers = resizable.stats().maxWorkers();
        int capacity = resizable.stats().queueCapacity();

        String body = post("/actuator/executors/resizable", "{\"maxWorkers\": 0, \"queueCapacity\": 5}", 400);
        Samples.save("executors-resize-400", 400, body);
        assertThat(body).contains("maxWorkers must be greater than 0, was 0");
        assertThat(post("/actuator/executors/resizable", "{\"maxWorkers\": 3, \"queueCapacity\": -1}", 400))
                .contains("queueCapacity must be 0 or more, was -1");
        assertThat(post("/actuator/executors/resizable", "{\"maxWorkers\": 2.5}", 400))
                .contains("maxWorkers must be a whole number");
        assertThat(post("/actuator/executors/crunch", "{\"maxWorkers\": 2}", 400))
                .contains("is a process pool");
        assertThat(post("/actuator/executors/nope", "{\"maxWorkers\": 2}", 404)).contains("no executor is named");

        assertThat(resizable.stats().maxWorkers()).isEqualTo(workers);
        assertThat(resizable.stats().queueCapacity()).isEqualTo(capacity);
    }

    @Test
    void everyBodyTheActuatorCannotReadIs400WithTheReasonAndChangesNothing() {
        int workers = resizable.stats().maxWorkers();
        int capacity = resizable.stats().queueCapacity();
        Map<String, String> reasons = new LinkedHashMap<>();
        reasons.put("{{{", "the body is not valid JSON");
        reasons.put("{\"maxWorkers\": 4", "the body is not valid JSON");
        reasons.put("{\"maxWorkers\": 4,}", "the body is not valid JSON");
        reasons.put("nul", "the body is not valid JSON");
        reasons.put("[1,2]", "the body is not a JSON object");
        reasons.put("\"eight\"", "the body is not a JSON object");
        reasons.put("42", "the body is not a JSON object");
        reasons.put("{\"maxWorkers\":[4]}", "maxWorkers must be a whole number, not an array or an object");
        reasons.put("{\"queueCapacity\":{\"size\":5}}",
                "queueCapacity must be a whole number, not an array or an object");
        reasons.put("{\"maxWorkers\": 2, \"queueCapacity\": [1]}",
                "queueCapacity must be a whole number, not an array or an object");
        reasons.put("null", "give maxWorkers, queueCapacity or both");
        reasons.put("{}", "give maxWorkers, queueCapacity or both");
        reasons.put("{\"maxWorkers\": true}", "maxWorkers must be a whole number");

        reasons.forEach((body, reason) -> {
            String answer = post("/actuator/executors/resizable", body, 400);
            assertThat(answer).as(body).startsWith("{\"status\":400,\"error\":\"Bad Request\",\"message\":\"")
                    .contains(reason);
            if (!reason.startsWith("give") && !body.contains("true")) {
                assertThat(answer).as(body).contains("for instance {\\\"maxWorkers\\\": 8");
            }
        });
        Samples.save("executors-resize-400-unreadable", 400,
                post("/actuator/executors/resizable", "{\"maxWorkers\":[4]}", 400));

        assertThat(resizable.stats().maxWorkers()).isEqualTo(workers);
        assertThat(resizable.stats().queueCapacity()).isEqualTo(capacity);
    }

    @Test
    void anUnreadableBodyElsewhereKeepsSpringMvcsAnswer() {
        http.post().uri("/actuator/executors").contentType(MediaType.APPLICATION_JSON).body("{{{").exchange()
                .expectStatus().isEqualTo(405);
    }

    @Test
    void primitivesShowsOwnersWaitersAndEveryKind() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().name("holder").start(() -> {
            inventory.acquire();
            try {
                held.countDown();
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inventory.release();
            }
        });
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        Thread waiter = Thread.ofPlatform().name("waiter").start(() -> {
            if (inventory.acquire(Duration.ofSeconds(30))) {
                inventory.release();
            }
        });
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> inventory.waitingThreadNames().contains("waiter"));
            http.get().uri("/actuator/primitives/inventory").exchange()
                    .expectStatus().isOk()
                    .expectBody()
                    .jsonPath("$.kind").isEqualTo("lock")
                    .jsonPath("$.reentrant").isEqualTo(true)
                    .jsonPath("$.locked").isEqualTo(true)
                    .jsonPath("$.owner").isEqualTo("holder")
                    .jsonPath("$.heldForMillis").exists()
                    .jsonPath("$.waitingThreads[0]").isEqualTo("waiter")
                    .jsonPath("$.waitTimes.percentilesMillis").exists()
                    .jsonPath("$.waitTimes.lastMinute.windowSeconds").exists()
                    .jsonPath("$.contendedHoldTimes.count").exists()
                    .jsonPath("$.contendedHoldTimes.lastMinute.count").exists()
                    .jsonPath("$.holdTimes").doesNotExist();
            Samples.save("primitives-inventory", 200,
                    get("/actuator/primitives/inventory", MediaType.APPLICATION_JSON, 200));
            String all = get("/actuator/primitives", MediaType.APPLICATION_JSON, 200);
            Samples.save("primitives", 200, all);
            http.get().uri("/actuator/primitives").exchange()
                    .expectStatus().isOk()
                    .expectBody()
                    .jsonPath("$.locks.inventory.owner").isEqualTo("holder")
                    .jsonPath("$.locks.ledger.locked").isEqualTo(false)
                    .jsonPath("$.semaphores.db.permits").isEqualTo(3)
                    .jsonPath("$.semaphores.db.waitTimes.lastMinute.count").exists()
                    .jsonPath("$.events.ready.set").isEqualTo(false)
                    .jsonPath("$.barriers.batch.parties").isEqualTo(2)
                    .jsonPath("$.conditions.stock.lock").isEqualTo("inventory")
                    .jsonPath("$.deadlocks").isEmpty();
        } finally {
            release.countDown();
            holder.join(10_000);
            waiter.join(40_000);
        }
    }

    @Test
    void healthTurnsDownOnADeadlockBetweenTwoNamedLocksAndUpAgainOnceItIsBroken() throws Exception {
        http.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.components.spool.status").isEqualTo("UP")
                .jsonPath("$.components.spool.details.executors.io").isEqualTo("RUNNING")
                .jsonPath("$.components.spool.details.executors.crunch").isEqualTo("RUNNING")
                .jsonPath("$.components.spool.details.brokenExecutors").isEmpty()
                .jsonPath("$.components.spool.details.saturatedExecutors").isEmpty()
                .jsonPath("$.components.spool.details.deadlocks").isEmpty();
        Samples.save("health-up", 200, get("/actuator/health/spool", MediaType.APPLICATION_JSON, 200));

        BoundedDeadlock deadlock = BoundedDeadlock.between(ledger, journal);
        try {
            http.get().uri("/actuator/health").exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody()
                    .jsonPath("$.status").isEqualTo("DOWN")
                    .jsonPath("$.components.spool.status").isEqualTo("DOWN")
                    .jsonPath("$.components.spool.details.deadlocks[0].locks").value(locks ->
                            assertThat(locks).asInstanceOf(InstanceOfAssertFactories.LIST).containsExactlyInAnyOrder("ledger", "journal"))
                    .jsonPath("$.components.spool.details.deadlocks[0].waits[*].thread").value(threads ->
                            assertThat(threads).asInstanceOf(InstanceOfAssertFactories.LIST).containsExactlyInAnyOrder("first", "second"));
            Samples.save("health-deadlock", 503, get("/actuator/health/spool", MediaType.APPLICATION_JSON, 503));
            http.get().uri("/actuator/primitives").exchange()
                    .expectStatus().isOk()
                    .expectBody()
                    .jsonPath("$.deadlocks[0].description").value(description ->
                            assertThat((String) description).contains("waits for lock ledger held by"));
            Samples.save("primitives-deadlock", 200, get("/actuator/primitives", MediaType.APPLICATION_JSON, 200));
        } finally {
            deadlock.breakIt();
        }

        http.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.components.spool.status").isEqualTo("UP");
    }

    @Test
    void healthListsASaturatedPoolAndStaysUp() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        // resizable: 2 workers (or more if an earlier test resized it); fill them, then 90 % of the queue.
        int workers = resizable.stats().maxWorkers();
        for (int i = 0; i < workers; i++) {
            resizable.submit(() -> release.await(30, TimeUnit.SECONDS));
        }
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> resizable.stats().active() == workers);
            int capacity = resizable.stats().queueCapacity();
            int threshold = (int) Math.ceil(0.9 * capacity);
            for (int i = 0; i < threshold; i++) {
                resizable.submit(() -> 1);
            }
            http.get().uri("/actuator/health/spool").exchange()
                    .expectStatus().isOk()
                    .expectBody()
                    .jsonPath("$.status").isEqualTo("UP")
                    .jsonPath("$.details.saturatedExecutors.resizable.queued").isEqualTo(threshold)
                    .jsonPath("$.details.saturatedExecutors.resizable.queueCapacity").isEqualTo(capacity);
            Samples.save("health-saturated", 200, get("/actuator/health/spool", MediaType.APPLICATION_JSON, 200));
        } finally {
            release.countDown();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> resizable.stats().queued() == 0);
    }

    private String get(String path, MediaType accept, int status) {
        EntityExchangeResult<String> result = http.get().uri(path).accept(accept).exchange()
                .expectStatus().isEqualTo(status)
                .expectBody(String.class).returnResult();
        return result.getResponseBody() == null ? "" : result.getResponseBody();
    }

    private String post(String path, String json, int status) {
        EntityExchangeResult<String> result = http.post().uri(path).contentType(MediaType.APPLICATION_JSON)
                .body(json).exchange()
                .expectStatus().isEqualTo(status)
                .expectBody(String.class).returnResult();
        return result.getResponseBody() == null ? "" : result.getResponseBody();
    }
}
