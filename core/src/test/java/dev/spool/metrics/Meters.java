package dev.spool.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Reads one meter of a registry by name and tags, failing the test if it is missing. */
final class Meters {
    private final MeterRegistry registry;
    private final String[] tags;

    /** @param tags key, value pairs every read adds (the source's name) */
    Meters(MeterRegistry registry, String... tags) {
        this.registry = registry;
        this.tags = tags;
    }

    double gauge(String name, String... more) {
        Gauge gauge = registry.find(name).tags(tags).tags(more).gauge();
        assertThat(gauge).as("gauge %s", name).isNotNull();
        return gauge.value();
    }

    double counter(String name, String... more) {
        FunctionCounter counter = registry.find(name).tags(tags).tags(more).functionCounter();
        assertThat(counter).as("function counter %s", name).isNotNull();
        return counter.count();
    }

    Timer timer(String name, String... more) {
        Timer timer = registry.find(name).tags(tags).tags(more).timer();
        assertThat(timer).as("timer %s", name).isNotNull();
        return timer;
    }

    long timerCount(String name, String... more) {
        return timer(name, more).count();
    }
}
