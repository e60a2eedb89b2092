package dev.spool.redis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/** The backend's meters of one primitive in one registry. Loaded only by {@link RedisBackendMetrics}. */
final class MicrometerMeterSet implements MeterSet {
    private final Timer roundTrip;
    private final Counter errors;
    private final Counter leasesExpired;

    MicrometerMeterSet(MeterRegistry registry, Target target) {
        Tags tags = Tags.of("name", target.name(), "kind", target.kind());
        this.roundTrip = Timer.builder(RedisBackendMetrics.ROUND_TRIP)
                .description("Calls of the Redis backend that got an answer, from sending to the answer")
                .tags(tags).register(registry);
        this.errors = Counter.builder(RedisBackendMetrics.ERRORS)
                .description("Calls of the Redis backend that failed or got no answer in time")
                .tags(tags).register(registry);
        this.leasesExpired = Counter.builder(RedisBackendMetrics.LEASES_EXPIRED)
                .description("Holds and permits their holder found expired when it renewed or released them")
                .tags(tags).register(registry);
    }

    @Override
    public void roundTrip(long nanos) {
        roundTrip.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public void error() {
        errors.increment();
    }

    @Override
    public void leaseExpired() {
        leasesExpired.increment();
    }
}
