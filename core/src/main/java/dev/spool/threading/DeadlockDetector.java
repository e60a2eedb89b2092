package dev.spool.threading;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds threads deadlocked on Spool's locks: {@link Lock}s and {@link RLock}s, including the locks of
 * {@link Condition}s (a thread taking its lock back after an await counts as waiting for it).
 *
 * <p>Every thread that blocks to acquire a Spool lock registers the lock it waits for (only on the contended path;
 * an uncontended acquisition registers nothing), and every lock knows the thread that acquired it. From those two
 * the detector builds the wait-for graph (thread → the lock it waits for → that lock's owner) and returns each cycle.
 * Each thread waits for one lock at most and each lock has one owner, so the graph is a set of chains and the search
 * is linear in the number of waiting threads: cheap enough to run on every health check or endpoint call. A cycle is
 * checked twice before it is reported, so a thread that acquires just as the graph is read is not mistaken for a
 * deadlocked one; a real deadlock does not go away.
 *
 * <p>Shared locks ({@link Lock#shared}, {@link RLock#shared}, such as the Redis-backed ones) take part as local ones
 * do, with this JVM's own knowledge of their holds (no network read): a cycle among this JVM's threads is found
 * whichever of its locks are shared. A cycle that runs through a thread of another instance is not: that thread and
 * its wait are not this JVM's.
 *
 * <p>What it does not see: locks other than Spool's (JDK monitors, {@code ReentrantLock}; {@code ThreadMXBean} covers
 * those), cycles through another instance, threads waiting in a
 * {@link java.util.concurrent.locks.Condition} from {@code newCondition()} to get the lock back, and a thread waiting
 * for a {@link Lock} it acquired itself: any thread may release a {@link Lock}, and Python code uses that as a signal,
 * so such a wait is not reported. For the same reason a cycle through a {@link Lock} can, in principle, be broken by a
 * thread outside it; it is reported all the same, since no thread in it can move.
 */
public final class DeadlockDetector {

    private DeadlockDetector() {
    }

    /**
     * Looks for deadlocks now.
     *
     * @return every cycle found, each starting at its thread with the smallest id, ordered by that id; empty if none
     */
    public static List<Deadlock> findDeadlocks() {
        Map<Thread, LockBackend> waits = WaitStatistics.lockWaits();
        if (waits.size() < 2) {
            return List.of();
        }
        // thread -> the thread that holds the lock it waits for, when that one waits too
        Map<Thread, Thread> next = new HashMap<>();
        waits.forEach((thread, lock) -> {
            Thread owner = lock.owner();
            if (owner != null && owner != thread && waits.containsKey(owner)) {
                next.put(thread, owner);
            }
        });
        List<Deadlock> found = new ArrayList<>();
        Set<Thread> done = new HashSet<>();
        for (Thread origin : next.keySet()) {
            Map<Thread, Integer> path = new LinkedHashMap<>();
            Thread t = origin;
            while (t != null && !done.contains(t) && !path.containsKey(t)) {
                path.put(t, path.size());
                t = next.get(t);
            }
            if (t != null && path.containsKey(t)) {
                List<Thread> cycle = new ArrayList<>(path.keySet()).subList(path.get(t), path.size());
                Deadlock deadlock = confirm(cycle, waits);
                if (deadlock != null) {
                    found.add(deadlock);
                }
            }
            done.addAll(path.keySet());
        }
        found.sort(Comparator.comparingLong(d -> d.waits().get(0).threadId()));
        return List.copyOf(found);
    }

    /** Reads every edge of the cycle again; null if one of them has changed. */
    private static Deadlock confirm(List<Thread> cycle, Map<Thread, LockBackend> waits) {
        int first = 0;
        for (int i = 1; i < cycle.size(); i++) {
            if (cycle.get(i).threadId() < cycle.get(first).threadId()) {
                first = i;
            }
        }
        List<Deadlock.Wait> edges = new ArrayList<>(cycle.size());
        for (int k = 0; k < cycle.size(); k++) {
            Thread thread = cycle.get((first + k) % cycle.size());
            Thread owner = cycle.get((first + k + 1) % cycle.size());
            LockBackend lock = waits.get(thread);
            if (WaitStatistics.lockAwaitedBy(thread) != lock || lock.owner() != owner) {
                return null;
            }
            edges.add(new Deadlock.Wait(thread.getName(), thread.threadId(), lock.name(), owner.getName(),
                    owner.threadId()));
        }
        return new Deadlock(edges);
    }
}
