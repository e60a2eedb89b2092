package dev.spool.threading;

/**
 * Where a semaphore's permits live: the seam between {@link Semaphore} (its Python methods, its statistics, its wait
 * registration and timing, written once) and the engine that counts permits. {@link SemaphoreSync} is the local one,
 * an {@code AbstractQueuedLongSynchronizer} that counts acquisitions in the same CAS that takes a permit;
 * {@link SharedSemaphoreBackend} keeps the permits in a {@link dev.spool.threading.spi.SharedSemaphore}.
 *
 * <p>The split follows the waits: {@link Semaphore} tries once ({@link #tryAcquire()}), and only when that fails
 * reads the clock, registers the thread and calls a blocking method here. Times are nanoseconds below
 * {@link Durations#FOREVER}. As for {@link LockBackend}, a JVM with only local semaphores sees one receiver type at
 * every call site, which C2 inlines behind one class compare.
 */
interface SemaphoreBackend {

    /** One attempt that does not block, honouring fairness. @return true if a permit was taken */
    boolean tryAcquire();

    /** One attempt that does not block, taking a free permit even when fair. @return true if a permit was taken */
    boolean barge();

    /** After a failed {@link #tryAcquire()}: waits as long as it takes; an interrupt does not end it and stays set. */
    void acquireUninterruptibly();

    /** Waits at most {@code nanos} (less than {@link Durations#FOREVER}), interruptibly. @return true if taken */
    boolean tryAcquireNanos(long nanos) throws InterruptedException;

    /** Gives back {@code n >= 1} permits. @throws IllegalStateException past a bounded semaphore's bound */
    void release(int n);

    /** @return the free permits now */
    int value();

    /** @return successful acquisitions through this semaphore */
    long acquisitions();

    /** @return whether waiters are served in arrival order by this JVM's engine (false for a shared state) */
    boolean fair();

    /** @return {@link Primitive#LOCAL_BACKEND}, or the shared state's backend name */
    String backend();

    /**
     * @param name  the semaphore's name, for the note
     * @param waits the semaphore's own waits: the waiters of a local semaphore
     * @return the holders and waiters now; never throws
     */
    Occupancy occupancy(String name, WaitStatistics waits);

    /** Tests only, before any use: starts the acquisition count at {@code count}. */
    void presetAcquisitions(long count);
}
