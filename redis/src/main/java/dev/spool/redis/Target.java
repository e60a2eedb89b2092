package dev.spool.redis;

import java.util.Objects;

/**
 * One primitive as the backend's messages and meters name it: its name, its kind tag ({@code lock}, {@code rlock},
 * {@code semaphore}, {@code bounded_semaphore}, {@code event}) and the meters bound for it. The meters are a field
 * here, replaced when a registry binds, so that a round trip records without a lookup.
 */
final class Target {
    static final String LOCK = "lock";
    static final String RLOCK = "rlock";
    static final String SEMAPHORE = "semaphore";
    static final String BOUNDED_SEMAPHORE = "bounded_semaphore";
    static final String EVENT = "event";
    /** The kind of the backend's own calls ({@link RedisBackend#check()}), under the name {@code redis}. */
    static final String BACKEND = "backend";

    private final String name;
    private final String kind;
    private volatile MeterSet meters = MeterSet.NONE;

    Target(String name, String kind) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    String name() {
        return name;
    }

    String kind() {
        return kind;
    }

    MeterSet meters() {
        return meters;
    }

    void meters(MeterSet meters) {
        this.meters = meters;
    }

    /** @return how a message names it, as the public types do: {@code Lock 'orders'}, {@code Event 'ready'} */
    @Override
    public String toString() {
        String type = switch (kind) {
            case LOCK -> "Lock";
            case RLOCK -> "RLock";
            case SEMAPHORE -> "Semaphore";
            case BOUNDED_SEMAPHORE -> "BoundedSemaphore";
            case EVENT -> "Event";
            default -> "Redis backend";
        };
        return BACKEND.equals(kind) ? type : type + " '" + name + "'";
    }
}
