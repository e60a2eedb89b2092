package dev.spool.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.futures.ProcessPool;
import dev.spool.futures.TaskGroups;
import dev.spool.futures.ThreadPool;
import dev.spool.threading.Barrier;
import dev.spool.threading.BoundedSemaphore;
import dev.spool.threading.Condition;
import dev.spool.threading.Event;
import dev.spool.threading.Lock;
import dev.spool.threading.RLock;
import dev.spool.threading.Semaphore;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The contract of docs/reference.md, "Meters" as the registry sees it: exactly these meter names per kind, each with
 * its type, base unit and a description, the tags (a primitive's meters carry {@code backend}, an executor's and a
 * task group name's do not),
 * and the Prometheus series names that dashboards and the starter's end-to-end test read.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MeterConventionsTest {

    /** Meter name → type and base unit (null: none; timers take the registry's time unit). */
    private record Expected(Meter.Type type, String baseUnit) {
    }

    private static final Map<String, Expected> EXECUTOR = Map.ofEntries(
            Map.entry("executor.completed", new Expected(Meter.Type.COUNTER, "tasks")),
            Map.entry("executor.active", new Expected(Meter.Type.GAUGE, "threads")),
            Map.entry("executor.queued", new Expected(Meter.Type.GAUGE, "tasks")),
            Map.entry("executor.queue.remaining", new Expected(Meter.Type.GAUGE, "tasks")),
            Map.entry("executor.pool.size", new Expected(Meter.Type.GAUGE, "threads")),
            Map.entry("executor.pool.max", new Expected(Meter.Type.GAUGE, "threads")),
            Map.entry("spool.executor.tasks", new Expected(Meter.Type.COUNTER, "tasks")),
            Map.entry("spool.executor.queue.wait", new Expected(Meter.Type.TIMER, "seconds")),
            Map.entry("spool.executor.execution", new Expected(Meter.Type.TIMER, "seconds")),
            Map.entry("spool.future.latency", new Expected(Meter.Type.TIMER, "seconds")),
            Map.entry("spool.executor.tasks.hung", new Expected(Meter.Type.GAUGE, null)),
            Map.entry("spool.executor.run.timeouts", new Expected(Meter.Type.COUNTER, null)),
            Map.entry("spool.executor.queue.timeouts", new Expected(Meter.Type.COUNTER, null)));
    private static final Map<String, Expected> PROCESS_WORKERS = Map.of(
            "spool.process.workers.started", new Expected(Meter.Type.COUNTER, null),
            "spool.process.workers.exited", new Expected(Meter.Type.COUNTER, null),
            "spool.process.worker.startup", new Expected(Meter.Type.TIMER, "seconds"));
    private static final Map<String, Expected> LOCK = Map.of(
            "spool.lock.acquisitions", new Expected(Meter.Type.COUNTER, null),
            "spool.lock.contended", new Expected(Meter.Type.COUNTER, null),
            "spool.lock.timeouts", new Expected(Meter.Type.COUNTER, null),
            "spool.lock.waiting", new Expected(Meter.Type.GAUGE, "threads"),
            "spool.lock.wait", new Expected(Meter.Type.TIMER, "seconds"),
            "spool.lock.held", new Expected(Meter.Type.TIMER, "seconds"));
    private static final Map<String, Expected> SEMAPHORE = Map.of(
            "spool.semaphore.permits", new Expected(Meter.Type.GAUGE, "permits"),
            "spool.semaphore.waiting", new Expected(Meter.Type.GAUGE, "threads"),
            "spool.semaphore.timeouts", new Expected(Meter.Type.COUNTER, null),
            "spool.semaphore.wait", new Expected(Meter.Type.TIMER, "seconds"));
    private static final Map<String, Expected> EVENT = Map.of(
            "spool.event.set", new Expected(Meter.Type.GAUGE, null),
            "spool.event.waiting", new Expected(Meter.Type.GAUGE, "threads"),
            "spool.event.wait", new Expected(Meter.Type.TIMER, "seconds"));
    private static final Map<String, Expected> BARRIER = Map.of(
            "spool.barrier.waiting", new Expected(Meter.Type.GAUGE, "threads"),
            "spool.barrier.trips", new Expected(Meter.Type.COUNTER, null),
            "spool.barrier.broken", new Expected(Meter.Type.COUNTER, null),
            "spool.barrier.wait", new Expected(Meter.Type.TIMER, "seconds"));
    private static final Map<String, Expected> CONDITION = Map.of(
            "spool.condition.waiting", new Expected(Meter.Type.GAUGE, "threads"),
            "spool.condition.signals", new Expected(Meter.Type.COUNTER, null),
            "spool.condition.timeouts", new Expected(Meter.Type.COUNTER, null),
            "spool.condition.wait", new Expected(Meter.Type.TIMER, "seconds"));

    private static final Map<String, Expected> TASK_GROUP = Map.of(
            "spool.taskgroup.duration", new Expected(Meter.Type.TIMER, "seconds"),
            "spool.taskgroup.tasks", new Expected(Meter.Type.COUNTER, "tasks"),
            "spool.taskgroup.active", new Expected(Meter.Type.GAUGE, "groups"));

    private final TimerFeed replay = new TimerFeed(Duration.ofHours(1));
    /** Task groups are measured per name: a registry of its own, with only its unnamed statistics. */
    private final TaskGroups taskGroups = new TaskGroups();
    private ThreadPool threadPool;
    private ProcessPool processPool;

    @BeforeEach
    void pools() {
        threadPool = ThreadPool.builder().name("io").maxWorkers(2).build();
        processPool = ProcessPool.builder().name("cpu").maxWorkers(1).build(); // no worker starts until a submit
    }

    @AfterEach
    void close() {
        threadPool.close();
        processPool.close();
        replay.close();
    }

    /** Binds one source of every kind, each named after its kind. */
    private List<Object> bindOneOfEach(MeterRegistry registry) {
        Lock lock = new Lock("lock");
        List<Object> sources = List.of(threadPool, processPool, lock, new RLock("rlock"), new Semaphore("semaphore", 3),
                new BoundedSemaphore("bounded", 2), new Event("event"), new Barrier("barrier", 2),
                new Condition("condition", lock));
        SpoolMetrics metrics = new SpoolMetrics(registry, Tags.empty(), TimerOptions.DEFAULTS, replay);
        sources.forEach(metrics::bind);
        new TaskGroupMetrics(taskGroups, Tags.empty(), TimerOptions.DEFAULTS, replay).bindTo(registry);
        return sources;
    }

    private static Map<String, Expected> byName(MeterRegistry registry, String name) {
        Map<String, Expected> found = new TreeMap<>();
        for (Meter meter : registry.getMeters()) {
            if (name.equals(meter.getId().getTag("name"))) {
                Expected previous = found.put(meter.getId().getName(),
                        new Expected(meter.getId().getType(), meter.getId().getBaseUnit()));
                assertThat(previous == null || previous.equals(found.get(meter.getId().getName())))
                        .as("every meter named %s has one type and unit", meter.getId().getName()).isTrue();
            }
        }
        return found;
    }

    @Test
    void eachKindRegistersExactlyItsMetersWithTheirTypesAndBaseUnits() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<Object> sources = bindOneOfEach(registry);

        Map<String, Expected> processMeters = new TreeMap<>(EXECUTOR);
        processMeters.putAll(PROCESS_WORKERS);
        assertThat(byName(registry, "io")).isEqualTo(new TreeMap<>(EXECUTOR));
        assertThat(byName(registry, "cpu")).isEqualTo(processMeters);
        assertThat(byName(registry, "lock")).isEqualTo(new TreeMap<>(LOCK));
        assertThat(byName(registry, "rlock")).isEqualTo(new TreeMap<>(LOCK));
        assertThat(byName(registry, "semaphore")).isEqualTo(new TreeMap<>(SEMAPHORE));
        assertThat(byName(registry, "bounded")).isEqualTo(new TreeMap<>(SEMAPHORE));
        assertThat(byName(registry, "event")).isEqualTo(new TreeMap<>(EVENT));
        assertThat(byName(registry, "barrier")).isEqualTo(new TreeMap<>(BARRIER));
        assertThat(byName(registry, "condition")).isEqualTo(new TreeMap<>(CONDITION));
        assertThat(byName(registry, TaskGroups.UNNAMED)).isEqualTo(new TreeMap<>(TASK_GROUP));
        assertThat(sources).hasSize(9);
    }

    @Test
    void everyMeterHasADescriptionAndOnlyTheExpectedTags() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<Object> sources = bindOneOfEach(registry); // meters hold their sources weakly: keep them
        assertThat(registry.getMeters()).hasSizeGreaterThan(50).allSatisfy(meter -> {
            assertThat(meter.getId().getDescription()).as(meter.getId().getName()).isNotBlank();
            List<String> keys = new ArrayList<>();
            meter.getId().getTags().forEach(tag -> keys.add(tag.getKey()));
            assertThat(keys).as(meter.getId().getName()).contains("name")
                    .isSubsetOf("name", "type", "outcome", "reason", "cause", "backend");
            boolean primitive = !List.of("io", "cpu", TaskGroups.UNNAMED).contains(meter.getId().getTag("name"));
            assertThat(meter.getId().getTag("backend")).as(meter.getId().getName() + " backend")
                    .isEqualTo(primitive ? "local" : null);
        });
        assertThat(registry.find("spool.executor.tasks").tag("name", "io").functionCounters())
                .extracting(c -> c.getId().getTag("outcome"))
                .containsExactlyInAnyOrder("success", "failure", "cancelled", "rejected");
        assertThat(registry.find("spool.future.latency").tag("name", "io").timers())
                .extracting(t -> t.getId().getTag("outcome"))
                .containsExactlyInAnyOrder("success", "failure", "cancelled", "rejected");
        assertThat(registry.find("spool.process.workers.started").functionCounters())
                .extracting(c -> c.getId().getTag("reason")).containsExactlyInAnyOrder("initial", "recycle");
        assertThat(registry.find("spool.process.workers.exited").functionCounters())
                .extracting(c -> c.getId().getTag("cause"))
                .containsExactlyInAnyOrder("recycled", "shutdown", "crashed", "killed", "init_failed");
        assertThat(registry.find("executor.queued").gauges())
                .extracting(g -> g.getId().getTag("name"), g -> g.getId().getTag("type"))
                .containsExactlyInAnyOrder(tuple("io", "thread"), tuple("cpu", "process"));
        assertThat(registry.find("spool.taskgroup.duration").timers())
                .extracting(t -> t.getId().getTag("outcome"))
                .containsExactlyInAnyOrder("success", "failure", "timeout", "cancelled");
        assertThat(registry.find("spool.taskgroup.tasks").functionCounters())
                .extracting(c -> c.getId().getTag("outcome"))
                .containsExactlyInAnyOrder("success", "failure", "cancelled", "rejected");
        Reference.reachabilityFence(sources);
    }

    @Test
    void prometheusSeriesNamesAreTheOnesDashboardsRead() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<Object> sources = bindOneOfEach(registry); // meters hold their sources weakly: keep them
        replay.flush();
        String scrape = registry.scrape();
        assertThat(scrape).contains(
                // Micrometer's ExecutorServiceMetrics series, so Boot's executor dashboards show Spool's pools
                "executor_completed_tasks_total{name=\"io\",type=\"thread\"}",
                "executor_active_threads{name=\"io\",type=\"thread\"}",
                "executor_queued_tasks{name=\"io\",type=\"thread\"}",
                "executor_queue_remaining_tasks{name=\"io\",type=\"thread\"}",
                "executor_pool_size_threads{name=\"io\",type=\"thread\"}",
                "executor_pool_max_threads{name=\"io\",type=\"thread\"}",
                "spool_executor_tasks_total{name=\"io\",outcome=\"success\",type=\"thread\"}",
                "spool_executor_queue_wait_seconds_count{name=\"io\",type=\"thread\"}",
                "spool_executor_execution_seconds_sum{name=\"io\",type=\"thread\"}",
                "spool_future_latency_seconds_count{name=\"io\",outcome=\"success\",type=\"thread\"}",
                "spool_future_latency_seconds_max{name=\"io\",outcome=\"success\",type=\"thread\"}",
                "spool_executor_tasks_hung{name=\"io\",type=\"thread\"} 0",
                "spool_executor_run_timeouts_total{name=\"io\",type=\"thread\"} 0",
                "spool_executor_queue_timeouts_total{name=\"io\",type=\"thread\"} 0",
                "spool_process_workers_started_total{name=\"cpu\",reason=\"initial\",type=\"process\"}",
                "spool_process_workers_exited_total{cause=\"crashed\",name=\"cpu\",type=\"process\"}",
                "spool_process_worker_startup_seconds_count{name=\"cpu\",type=\"process\"}",
                "spool_lock_acquisitions_total{backend=\"local\",name=\"lock\"}",
                "spool_lock_contended_total{backend=\"local\",name=\"lock\"}",
                "spool_lock_timeouts_total{backend=\"local\",name=\"lock\"}",
                "spool_lock_waiting_threads{backend=\"local\",name=\"lock\"}",
                "spool_lock_wait_seconds_count{backend=\"local\",name=\"lock\"}",
                "spool_lock_held_seconds_count{backend=\"local\",name=\"rlock\"}",
                "spool_semaphore_permits{backend=\"local\",name=\"semaphore\"} 3",
                "spool_semaphore_waiting_threads{backend=\"local\",name=\"bounded\"}",
                "spool_semaphore_timeouts_total{backend=\"local\",name=\"semaphore\"}",
                "spool_semaphore_wait_seconds_count{backend=\"local\",name=\"semaphore\"}",
                "spool_event_set{backend=\"local\",name=\"event\"} 0",
                "spool_event_waiting_threads{backend=\"local\",name=\"event\"}",
                "spool_event_wait_seconds_count{backend=\"local\",name=\"event\"}",
                "spool_barrier_waiting_threads{backend=\"local\",name=\"barrier\"}",
                "spool_barrier_trips_total{backend=\"local\",name=\"barrier\"}",
                "spool_barrier_broken_total{backend=\"local\",name=\"barrier\"}",
                "spool_barrier_wait_seconds_count{backend=\"local\",name=\"barrier\"}",
                "spool_condition_waiting_threads{backend=\"local\",name=\"condition\"}",
                "spool_condition_signals_total{backend=\"local\",name=\"condition\"}",
                "spool_condition_timeouts_total{backend=\"local\",name=\"condition\"}",
                "spool_condition_wait_seconds_count{backend=\"local\",name=\"condition\"}",
                "spool_taskgroup_duration_seconds_count{name=\"unnamed\",outcome=\"timeout\"}",
                "spool_taskgroup_duration_seconds_max{name=\"unnamed\",outcome=\"success\"}",
                "spool_taskgroup_tasks_total{name=\"unnamed\",outcome=\"cancelled\"}",
                "spool_taskgroup_active_groups{name=\"unnamed\"} 0");
        assertThat(scrape).as("every family has its description as HELP")
                .contains("# HELP spool_lock_contended_total Acquisitions that had to wait for the lock");
        Reference.reachabilityFence(sources);
    }
}
