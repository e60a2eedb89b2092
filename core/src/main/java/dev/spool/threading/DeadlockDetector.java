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
 * {@link Condition}s (a thread taking its lock back after an await counts as waiting for it), local or shared.
 *
 * <p>Every thread that blocks to acquire a Spool lock registers the lock it waits for (only on the contended path;
 * an uncontended acquisition registers nothing), and every lock knows the thread of this JVM that holds it. From those
 * two the detector builds the wait-for graph (thread → the lock it waits for → that lock's owner) and returns each
 * cycle. Each thread waits for one lock at most and each lock has one owner, so the graph is a set of chains and the
 * search is linear in the number of waiting threads: cheap enough to run on every health check or endpoint call. A
 * cycle is read twice before it is reported, so a thread that acquires just as the graph is read is not mistaken for
 * a deadlocked one; a real deadlock does not go away.
 *
 * <h2>Shared locks, across instances</h2>
 * A shared lock ({@link Lock#shared}, {@link RLock#shared}, such as a Redis-backed one) held by a thread of this JVM
 * is followed from this JVM's own knowledge of the hold, with no read of the shared state. Only when a thread here
 * waits for a shared lock held on another instance does the detector read the shared state: that lock's holder, and
 * who of the other instances waits for each shared lock this JVM has. A thread of another instance is then a node of
 * the graph under its {@code instance/thread} name, so a cycle through two instances (A's thread waits for a lock
 * B's holds, B's for one A's holds) is found, by both. The reads happen only on that path: if the awaited lock's
 * holder cannot be read, nothing more is (the cycle is then not seen until the state answers again); a lock whose
 * waiters cannot be read is skipped; and one look spends at most a second on them. A cycle through a lock this JVM
 * does not have is not seen here; it is on an instance that has all of them.
 *
 * <p>What it does not see: locks other than Spool's (JDK monitors, {@code ReentrantLock}; {@code ThreadMXBean} covers
 * those), threads waiting in a {@link java.util.concurrent.locks.Condition} from {@code newCondition()} to get the
 * lock back, and a thread waiting for a {@link Lock} it acquired itself: any thread may release a {@link Lock}, and
 * Python code uses that as a signal, so such a wait is not reported. For the same reason a cycle through a
 * {@link Lock} can, in principle, be broken by a thread outside it; it is reported all the same, since no thread in it
 * can move. A shared {@code Lock} released by another instance shows as this JVM's hold until this JVM's next
 * acquisition of it.
 */
public final class DeadlockDetector {

    private DeadlockDetector() {
    }

    /**
     * Looks for deadlocks now.
     *
     * @return every cycle found, each starting at its thread of this JVM with the smallest id, ordered by that id;
     *         empty if none
     */
    public static List<Deadlock> findDeadlocks() {
        Map<Thread, LockBackend> waits = WaitStatistics.lockWaits();
        if (waits.isEmpty()) {
            return List.of();
        }
        Map<Object, Edge> graph = WaitForGraph.read(waits);
        List<Deadlock> found = new ArrayList<>();
        Map<Object, Edge> again = null;
        Set<Object> done = new HashSet<>();
        for (Object origin : graph.keySet()) {
            Map<Object, Integer> path = new LinkedHashMap<>();
            Object node = origin;
            while (node != null && !done.contains(node) && !path.containsKey(node)) {
                path.put(node, path.size());
                Edge edge = graph.get(node);
                node = edge == null ? null : edge.holder();
            }
            if (node != null && path.containsKey(node)) {
                List<Object> cycle = new ArrayList<>(path.keySet()).subList(path.get(node), path.size());
                if (again == null) {
                    again = WaitForGraph.read(WaitStatistics.lockWaits());
                }
                Deadlock deadlock = confirmed(cycle, graph, again);
                if (deadlock != null) {
                    found.add(deadlock);
                }
            }
            done.addAll(path.keySet());
        }
        found.sort(Comparator.comparingLong(d -> d.waits().get(0).threadId()));
        return List.copyOf(found);
    }

    /** One edge of the graph: the lock a node waits for, and that lock's holder (a node). */
    record Edge(String lock, Object holder) {
    }

    /**
     * The cycle as a {@link Deadlock}, if a second read of the graph has every one of its edges; null if not. Starts at
     * the thread of this JVM with the smallest id (at the smallest name if every thread is another instance's).
     */
    private static Deadlock confirmed(List<Object> cycle, Map<Object, Edge> graph, Map<Object, Edge> again) {
        for (Object node : cycle) {
            if (!graph.get(node).equals(again.get(node))) {
                return null;
            }
        }
        int first = 0;
        for (int i = 1; i < cycle.size(); i++) {
            if (order(cycle.get(i), cycle.get(first)) < 0) {
                first = i;
            }
        }
        List<Deadlock.Wait> edges = new ArrayList<>(cycle.size());
        for (int k = 0; k < cycle.size(); k++) {
            Object node = cycle.get((first + k) % cycle.size());
            Edge edge = graph.get(node);
            edges.add(new Deadlock.Wait(name(node), id(node), edge.lock(), name(edge.holder()), id(edge.holder())));
        }
        return new Deadlock(edges);
    }

    /** Threads of this JVM first, by id; then the other instances' threads, by name. */
    private static int order(Object a, Object b) {
        if (a instanceof Thread ta && b instanceof Thread tb) {
            return Long.compare(ta.threadId(), tb.threadId());
        }
        if (a instanceof Thread || b instanceof Thread) {
            return a instanceof Thread ? -1 : 1;
        }
        return ((String) a).compareTo((String) b);
    }

    private static String name(Object node) {
        return node instanceof Thread thread ? thread.getName() : (String) node;
    }

    private static long id(Object node) {
        return node instanceof Thread thread ? thread.threadId() : Deadlock.ANOTHER_INSTANCE;
    }
}
