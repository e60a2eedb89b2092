package dev.spool.threading;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One cycle of threads waiting for Spool locks held by each other, as {@link DeadlockDetector#findDeadlocks()}
 * reports it: {@code waits.get(i)}'s thread waits for a lock held by {@code waits.get(i + 1)}'s thread, and the last
 * one waits for a lock held by the first. The first wait is the one of the thread of this JVM with the smallest id. A
 * cycle through shared locks may take in threads of other instances: such a thread is named {@code instance/thread}
 * and its id is {@link #ANOTHER_INSTANCE}.
 *
 * @param waits the cycle, two threads or more
 */
public record Deadlock(List<Wait> waits) {

    /** The id of a thread of another instance, which this JVM cannot know. */
    public static final long ANOTHER_INSTANCE = -1L;

    /**
     * Copies the list.
     *
     * @param waits the cycle, two threads or more
     */
    public Deadlock {
        waits = List.copyOf(waits);
    }

    /**
     * One edge of the cycle: a thread, the lock it waits for, and the thread that holds that lock.
     *
     * @param threadName the waiting thread's name; {@code instance/thread} for a thread of another instance
     * @param threadId   its {@link Thread#threadId()}; {@link #ANOTHER_INSTANCE} for a thread of another instance
     * @param lockName   the name of the {@link Lock} or {@link RLock} it waits for
     * @param ownerName  the name of the thread that holds that lock (the next one in the cycle), likewise
     * @param ownerId    its id, likewise
     */
    public record Wait(String threadName, long threadId, String lockName, String ownerName, long ownerId) {
    }

    /** @return the names of the locks in the cycle, in its order */
    public List<String> lockNames() {
        return waits.stream().map(Wait::lockName).toList();
    }

    /** @return the names of the threads in the cycle, in its order */
    public List<String> threadNames() {
        return waits.stream().map(Wait::threadName).toList();
    }

    /**
     * @return one line, e.g. {@code "worker-1" (#31) waits for lock a held by "worker-2" (#32); "worker-2" (#32)
     *         waits for lock b held by "worker-1" (#31)}
     */
    @Override
    public String toString() {
        return waits.stream()
                .map(w -> thread(w.threadName(), w.threadId()) + " waits for lock " + w.lockName() + " held by "
                        + thread(w.ownerName(), w.ownerId()))
                .collect(Collectors.joining("; "));
    }

    /** {@code "worker-1" (#31)}, or {@code "orders@host-2:77/worker-1"} for a thread of another instance */
    private static String thread(String name, long id) {
        return id == ANOTHER_INSTANCE ? "\"" + name + "\"" : "\"" + name + "\" (#" + id + ")";
    }
}
