package dev.spool.redis;

import java.util.List;

/**
 * The Redis keys and channels of one primitive. Every key of a primitive carries its name as a hash tag
 * ({@code {name}}), so that they share one slot and a script may touch them all on Redis Cluster too. The kind is in
 * the prefix, so a lock and a semaphore of one name do not collide; a {@code Lock} and an {@code RLock} of one name
 * are one lock (re-entry is this JVM's business, Redis sees one hold either way).
 */
final class Keys {
    private Keys() {
    }

    /** @return the lock's hash (owner, name, token), with the lease as its expiry */
    static String lock(String name) {
        return "spool:lock:{" + name + "}";
    }

    /** @return the lock's fencing counter, which never expires */
    static String lockToken(String name) {
        return lock(name) + ":token";
    }

    /** @return the lock's waiters, a sorted set of {@code instance/thread} entries scored by their expiry */
    static String lockWaiters(String name) {
        return lock(name) + ":waiters";
    }

    /** @return the channel a release is published on while somebody waits */
    static String lockChannel(String name) {
        return lock(name) + ":released";
    }

    static String semaphore(String name) {
        return "spool:semaphore:{" + name + "}";
    }

    /** @return config, holds (permit id by expiry), names (permit id to holder) and waiters, in the scripts' order */
    static List<Object> semaphoreKeys(String name) {
        String base = semaphore(name);
        return List.of(base + ":config", base + ":holds", base + ":names", base + ":waiters");
    }

    static String semaphoreChannel(String name) {
        return semaphore(name) + ":released";
    }

    /** @return the event's hash: {@code set} (1 or 0) and {@code gen}, the number of sets so far */
    static String event(String name) {
        return "spool:event:{" + name + "}";
    }

    static String eventWaiters(String name) {
        return event(name) + ":waiters";
    }

    static String eventChannel(String name) {
        return event(name) + ":set";
    }
}
