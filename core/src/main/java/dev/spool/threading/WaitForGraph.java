package dev.spool.threading;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One read of the wait-for graph of {@link DeadlockDetector}: each waiting node (a thread of this JVM, or another
 * instance's thread under its {@code instance/thread} name) → the lock it waits for and that lock's holder.
 */
final class WaitForGraph {

    /**
     * How long one look may spend reading the other instances' waiters: each shared lock is one or two reads of the
     * shared state, and a look runs on health checks and endpoint calls.
     */
    private static final long READS_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(1);

    private WaitForGraph() {
    }

    /**
     * @param waits every thread of this JVM waiting for a lock, with that lock
     * @return each waiting node's edge; a node with no known holder to wait for has none
     */
    static Map<Object, DeadlockDetector.Edge> read(Map<Thread, LockBackend> waits) {
        Map<Object, DeadlockDetector.Edge> graph = new HashMap<>();
        boolean heldElsewhere = false;
        for (Map.Entry<Thread, LockBackend> wait : waits.entrySet()) {
            Thread thread = wait.getKey();
            LockBackend lock = wait.getValue();
            Thread owner = lock.owner();
            if (owner != null) {
                if (owner != thread) { // a Lock its own holder waits for may be released by anyone: not a cycle
                    graph.put(thread, new DeadlockDetector.Edge(lock.name(), owner));
                }
            } else if (lock instanceof SharedLockBackend) {
                heldElsewhere = true;
            }
        }
        if (heldElsewhere) {
            try {
                addOtherInstances(graph, waits);
            } catch (RuntimeException unreadable) {
                // The shared state cannot be read now: a cycle through another instance is not seen this time.
            }
        }
        return graph;
    }

    /**
     * The reads of the shared state, only when a thread here waits for a shared lock held on another instance: that
     * lock's holder (if that read fails, nothing more is read: the state cannot be reached now), then who of the
     * other instances waits for each shared lock of this JVM, and for whom (a lock that cannot be read is skipped).
     */
    private static void addOtherInstances(Map<Object, DeadlockDetector.Edge> graph, Map<Thread, LockBackend> waits) {
        boolean any = false;
        for (Map.Entry<Thread, LockBackend> wait : waits.entrySet()) {
            if (wait.getValue() instanceof SharedLockBackend shared && shared.owner() == null) {
                String holder = otherInstancesHolder(shared);
                if (holder != null) {
                    graph.put(wait.getKey(), new DeadlockDetector.Edge(shared.name(), holder));
                    any = true;
                }
            }
        }
        if (!any) {
            return;
        }
        long deadline = System.nanoTime() + READS_BUDGET_NANOS;
        for (SharedLockBackend lock : SharedLockBackend.all()) {
            if (System.nanoTime() - deadline > 0) {
                return; // the shared state answers slowly: what was read is what this look sees
            }
            try {
                addWaitersOf(lock, graph);
            } catch (RuntimeException unreadable) {
                // This lock's state cannot be read (its backend closed, or gone for now): the others may still be.
            }
        }
    }

    /** Adds the edges of the other instances' threads that wait for {@code lock}, to its holder. */
    private static void addWaitersOf(SharedLockBackend lock, Map<Object, DeadlockDetector.Edge> graph) {
        List<String> waiters = lock.waitersNow();
        if (waiters.isEmpty()) {
            return;
        }
        Object holder = lock.owner();
        for (String waiter : waiters) {
            if (waiter.startsWith(lock.instancePrefix()) || graph.containsKey(waiter)) {
                continue; // this JVM's own waits are registered here already
            }
            if (holder == null) {
                holder = otherInstancesHolder(lock);
            }
            if (holder != null && !holder.equals(waiter)) {
                graph.put(waiter, new DeadlockDetector.Edge(lock.name(), holder));
            }
        }
    }

    /** @return the lock's holder when it is a thread of another instance, as {@code instance/thread}; else null */
    private static String otherInstancesHolder(SharedLockBackend lock) {
        for (String holder : lock.holdersNow()) {
            if (!holder.startsWith(lock.instancePrefix())) {
                return holder;
            }
        }
        return null;
    }
}
