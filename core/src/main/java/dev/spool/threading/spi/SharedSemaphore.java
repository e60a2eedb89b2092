package dev.spool.threading.spi;

import java.util.List;

/**
 * The shared state of one named {@link dev.spool.threading.Semaphore} or {@link dev.spool.threading.BoundedSemaphore}.
 * A permit a holder takes is the implementation's to remember (a lease, a permit id) until some thread of this JVM
 * releases it; see the package comment for times, failures and names.
 */
public interface SharedSemaphore {

    /**
     * Takes one permit, waiting at most {@code nanos}.
     *
     * @param nanos 0 or less only tries; {@link Long#MAX_VALUE} waits without a limit
     * @return true if a permit was taken
     * @throws InterruptedException if interrupted while waiting
     */
    boolean acquire(long nanos) throws InterruptedException;

    /**
     * Gives back {@code n} permits ({@code n >= 1}, checked by the caller).
     *
     * @throws IllegalStateException for a bounded semaphore that would pass its initial value; nothing released
     */
    void release(int n);

    /** @return the free permits across every instance now */
    int value();

    /** @return the holders of permits as {@code instance/thread}, one entry per permit */
    List<String> holders();

    /** @return the threads of every instance waiting for a permit, as {@code instance/thread} */
    List<String> waiters();

    /** @return the backend's name, the {@code backend} tag of the meters: {@code redis} */
    String backend();
}
