package dev.spool.threading.spi;

import java.time.Duration;

/**
 * A place where named primitives keep their state outside this JVM, so that every instance of an application that
 * uses the same name shares one primitive. A backend module contributes one as a bean (the Spring starter looks it up
 * by {@link #name()} for {@code spool.backend} and each primitive's {@code backend:} key); application code does
 * not use it directly.
 *
 * <p>Every {@code lease} is how long a hold outlives a holder that stops renewing it (a JVM killed, a network cut):
 * while the holder's JVM runs, the backend renews it, so a long hold keeps its lock; once the holder is gone, the
 * lock or permit is free again at most one lease later.
 */
public interface SharedBackend {

    /** @return the backend's name, as {@code spool.backend} spells it: {@code redis} */
    String name();

    /** @return this JVM's id among the instances, the {@code instance} part of {@code instance/thread} */
    String instanceId();

    /**
     * Checks that the shared state can be reached now, within a bounded time.
     *
     * @throws dev.spool.threading.BackendUnavailableException with what is wrong and what to check
     */
    void check();

    /**
     * @param name      the lock's name, the same on every instance
     * @param reentrant true for an {@code RLock}, false for a {@code Lock}
     * @param fair      true to serve waiters in arrival order
     * @param lease     see the class comment
     * @return the lock's shared state
     */
    SharedLock lock(String name, boolean reentrant, boolean fair, Duration lease);

    /**
     * @param name    the semaphore's name, the same on every instance
     * @param permits the initial number of permits; instances that disagree fail at the first that starts second
     * @param bounded true for a {@code BoundedSemaphore}
     * @param lease   see the class comment
     * @return the semaphore's shared state
     */
    SharedSemaphore semaphore(String name, int permits, boolean bounded, Duration lease);

    /**
     * @param name the event's name, the same on every instance
     * @return the event's shared state
     */
    SharedEvent event(String name);
}
