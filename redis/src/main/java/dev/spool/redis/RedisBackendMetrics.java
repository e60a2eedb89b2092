package dev.spool.redis;

import java.util.Objects;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The Redis backend's own meters, per primitive (tags {@code name} and {@code kind}: {@code lock}, {@code rlock},
 * {@code semaphore}, {@code bounded_semaphore}, {@code event}, and {@code backend} under the name {@code redis} for
 * {@link RedisBackend#check()}):
 * <ul>
 *   <li>{@value #ROUND_TRIP}, a timer: each call to Redis that an operation waited for and got an answer to, and
 *       each lease renewal (the holder and waiter entries written beside an operation, without waiting, and a
 *       wait's slices, which last as long as Redisson waits, are not timed);</li>
 *   <li>{@value #ERRORS}, a counter: each of those calls that failed or got no answer in time;</li>
 *   <li>{@value #LEASES_EXPIRED}, a counter: each hold or permit its holder found expired when renewing or
 *       releasing it (a paused JVM, an outage longer than the lease, or a {@code Lock} released elsewhere).</li>
 * </ul>
 * Binding to several registries records into each. Primitives built after the binding get their meters too.
 */
public final class RedisBackendMetrics implements MeterBinder {
    /** The timer of answered calls. */
    public static final String ROUND_TRIP = "spool.redis.round.trip";
    /** The counter of failed calls. */
    public static final String ERRORS = "spool.redis.errors";
    /** The counter of leases found expired by their holder. */
    public static final String LEASES_EXPIRED = "spool.redis.leases.expired";

    private final RedisBackend backend;

    /** @param backend the backend whose calls to measure */
    public RedisBackendMetrics(RedisBackend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        backend.addMeters(target -> new MicrometerMeterSet(registry, target));
    }
}
