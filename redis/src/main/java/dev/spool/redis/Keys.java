package dev.spool.redis;

/**
 * The names of the Redisson objects of one primitive. Every name carries the primitive's name as a hash tag
 * ({@code {name}}), so that a primitive's objects, and the keys Redisson derives from them ({@code …:timeout}, the
 * channels), share one slot on Redis Cluster. The kind is in the prefix, so a lock and a semaphore of one name do not
 * collide; a {@code Lock} and an {@code RLock} of one name are one lock (re-entry is this JVM's business, Redis sees
 * one permit per outermost hold either way).
 */
final class Keys {
    private Keys() {
    }

    /** @return the lock's one-permit {@code RPermitExpirableSemaphore} */
    static String lock(String name) {
        return "spool:lock:{" + name + "}";
    }

    /** @return the lock's fencing counter, an {@code RAtomicLong} that never expires */
    static String lockToken(String name) {
        return lock(name) + ":token";
    }

    /** @return the semaphore's {@code RPermitExpirableSemaphore} */
    static String semaphore(String name) {
        return "spool:semaphore:{" + name + "}";
    }

    /** @return the semaphore's configuration as the first instance wrote it, an {@code RBucket}: {@code 3 bounded} */
    static String semaphoreConfig(String name) {
        return semaphore(name) + ":config";
    }

    /** @return the event's flag, an {@code RBucket}: {@code 1} set, {@code 0} or absent clear */
    static String event(String name) {
        return "spool:event:{" + name + "}";
    }

    /** @return the event's count of sets so far, an {@code RAtomicLong} */
    static String eventSets(String name) {
        return event(name) + ":sets";
    }

    /** @return the channel, an {@code RTopic}, each set is published on */
    static String eventChannel(String name) {
        return event(name) + ":set";
    }

    /** @return the {@code RMapCache} of holders (permit id to {@code instance/thread}) of a primitive's key */
    static String holders(String primitive) {
        return primitive + ":holders";
    }

    /** @return the {@code RMapCache} of waiters (waiter id to {@code instance/thread}) of a primitive's key */
    static String waiters(String primitive) {
        return primitive + ":waiters";
    }
}
