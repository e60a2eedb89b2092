package dev.spool.threading.spi;

import java.util.List;

/**
 * The shared state of one named {@link dev.spool.threading.Event}: set and clear from any instance, and waiters on
 * every instance woken by a set. See the package comment for times, failures and names.
 */
public interface SharedEvent {

    /** @return whether the flag is set now */
    boolean isSet();

    /** Sets the flag and wakes every waiter on every instance. */
    void set();

    /** Clears the flag. */
    void clear();

    /**
     * Waits until the flag is set, at most {@code nanos}.
     *
     * @param nanos 0 or less only reads the flag; {@link Long#MAX_VALUE} waits without a limit
     * @return true if the flag was set (a set that happened during the wait counts even if it was cleared since)
     * @throws InterruptedException if interrupted while waiting
     */
    boolean await(long nanos) throws InterruptedException;

    /** @return the threads of every instance waiting for the flag, as {@code instance/thread} */
    List<String> waiters();

    /** @return the backend's name, the {@code backend} tag of the meters: {@code redis} */
    String backend();
}
