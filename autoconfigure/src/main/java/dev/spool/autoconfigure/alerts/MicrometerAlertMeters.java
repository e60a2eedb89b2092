package dev.spool.autoconfigure.alerts;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The {@code spool.alerts} counter, tags {@code alert} ({@link SpoolAlert#tag()}) and {@code name}, in the
 * application's {@code MeterRegistry} (the primary one when there are several), looked up at the first count so that
 * the registry's own configuration is complete by then. Without a registry it counts nothing.
 */
final class MicrometerAlertMeters implements AlertMeters {

    /** The meter's name. */
    static final String METER = "spool.alerts";

    private final Supplier<@Nullable MeterRegistry> registries;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private volatile @Nullable MeterRegistry registry;
    private volatile boolean resolved;

    /** @param registries the registry, or null when there is none; asked once, at the first count */
    MicrometerAlertMeters(Supplier<@Nullable MeterRegistry> registries) {
        this.registries = registries;
    }

    @Override
    public void watch(SpoolAlert alert, String name) {
        counter(alert, name);
    }

    @Override
    public void fired(SpoolAlert alert, String name) {
        Counter counter = counter(alert, name);
        if (counter != null) {
            counter.increment();
        }
    }

    private @Nullable Counter counter(SpoolAlert alert, String name) {
        MeterRegistry registry = registry();
        if (registry == null) {
            return null;
        }
        return this.counters.computeIfAbsent(alert.tag() + '\u0000' + name, key -> Counter.builder(METER)
                .description("Alert events Spool published (spool.alerts.*), by alert and executor or lock")
                .tag("alert", alert.tag())
                .tag("name", name)
                .register(registry));
    }

    private @Nullable MeterRegistry registry() {
        if (!this.resolved) {
            this.registry = this.registries.get();
            this.resolved = true;
        }
        return this.registry;
    }
}
