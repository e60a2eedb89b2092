package dev.spool.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.testing.InMemoryStore;
import dev.spool.threading.BoundedSemaphore;
import dev.spool.threading.Event;
import dev.spool.threading.Lock;
import dev.spool.threading.RLock;
import dev.spool.threading.Semaphore;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The meters of shared primitives ({@code shared(…)} over an {@link InMemoryStore}): the same meters as local ones,
 * tagged with their backend, beside a local primitive of the same name; and a scrape that still works, with gaps
 * where the backend cannot be read, while it cannot be reached.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedPrimitiveMetricsTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final InMemoryStore store = new InMemoryStore();
    private final InMemoryStore.Instance instance = store.instance("a");
    private final TimerFeed replay = new TimerFeed(Duration.ofHours(1));

    @AfterEach
    void closeReplay() {
        replay.close();
    }

    @Test
    void sharedPrimitivesCarryTheirBackendBesideALocalOneOfTheSameName() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SpoolMetrics metrics = new SpoolMetrics(registry, Tags.empty(), TimerOptions.DEFAULTS, replay);
        List<Object> sources = List.of(
                metrics.bind(Lock.shared("ledger", instance.lock("ledger", false, false, LEASE))),
                metrics.bind(new Lock("ledger")),
                metrics.bind(RLock.shared("journal", instance.lock("journal", true, false, LEASE))),
                metrics.bind(Semaphore.shared("db", 3, instance.semaphore("db", 3, false, LEASE))),
                metrics.bind(BoundedSemaphore.shared("pool", 2, instance.semaphore("pool", 2, true, LEASE))),
                metrics.bind(Event.shared("ready", instance.event("ready"))));
        assertThat(registry.find("spool.lock.acquisitions").tag("name", "ledger").functionCounters())
                .extracting(counter -> counter.getId().getTag("backend"))
                .containsExactlyInAnyOrder("memory", "local");
        for (Meter meter : registry.getMeters()) {
            if (!meter.getId().getTag("name").equals("ledger")) {
                assertThat(meter.getId().getTag("backend")).as(meter.getId().toString()).isEqualTo("memory");
            }
        }
        replay.flush();
        assertThat(registry.scrape()).contains(
                "spool_lock_acquisitions_total{backend=\"local\",name=\"ledger\"} 0",
                "spool_lock_acquisitions_total{backend=\"memory\",name=\"ledger\"} 0",
                "spool_lock_held_seconds_count{backend=\"memory\",name=\"journal\"} 0",
                "spool_semaphore_permits{backend=\"memory\",name=\"db\"} 3",
                "spool_semaphore_permits{backend=\"memory\",name=\"pool\"} 2",
                "spool_event_set{backend=\"memory\",name=\"ready\"} 0");
        Reference.reachabilityFence(sources);
    }

    @Test
    void aScrapeWorksWhileTheBackendCannotBeReached() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SpoolMetrics metrics = new SpoolMetrics(registry, Tags.empty(), TimerOptions.DEFAULTS, replay);
        Lock lock = metrics.bind(Lock.shared("ledger", instance.lock("ledger", false, false, LEASE)));
        Semaphore semaphore = metrics.bind(Semaphore.shared("db", 3, instance.semaphore("db", 3, false, LEASE)));
        Event event = metrics.bind(Event.shared("ready", instance.event("ready")));
        lock.acquire();
        semaphore.acquire();
        event.set();
        store.goDown();
        replay.flush();
        String scrape = registry.scrape();
        assertThat(scrape).contains(
                "spool_lock_acquisitions_total{backend=\"memory\",name=\"ledger\"} 1",
                "spool_semaphore_permits{backend=\"memory\",name=\"db\"} NaN",
                "spool_event_set{backend=\"memory\",name=\"ready\"} 1");
        Reference.reachabilityFence(List.of(lock, semaphore, event));
    }
}
