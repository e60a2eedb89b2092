package dev.spool.futures;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The queue of a {@link ThreadPool}'s waiting tasks: unbounded, oldest first, any number of submitters and workers.
 *
 * <p>It keeps no count. The pool's control word already counts the waiting tasks exactly (and enforces the capacity),
 * so the shared count of a {@code LinkedBlockingQueue}, which each offer and each take change, would only be a cache
 * line that the submitter and the workers take from each other on every task. Its parts are laid out apart for the
 * same reason (see {@link PaddedFields}).
 *
 * <ul>
 *   <li>An offer appends with one atomic swap of the tail and then links the node to the one before it (an intrusive
 *       multi-producer queue in the manner of Vyukov's). Until the link, that task and any offered after it are not
 *       visible yet, as if their submits had not happened: a take may find the queue empty meanwhile, and the offer
 *       wakes a waiting worker once it has linked.</li>
 *   <li>A take moves the head to its successor with one CAS (as in Michael and Scott's queue), so workers take without
 *       a lock. A node taken out links to itself, so that it keeps nothing reachable and an iterator standing on it
 *       knows to start again from the head.</li>
 *   <li>A worker that finds nothing and may wait announces itself in {@code waiting} holding the lock, looks again, and
 *       only then waits on the condition. An offer links its node and then reads {@code waiting}; both are volatile,
 *       so either the worker's second look sees the node or the offer sees the worker and signals it (holding the
 *       lock, so not before the worker waits). An offer with nobody waiting takes no lock. One link can show several
 *       tasks at once (those offered behind a node not linked yet), and it signals once: so a waiter that takes a task
 *       signals the next waiter if more tasks are there, as {@code LinkedBlockingQueue}'s take does.</li>
 * </ul>
 */
final class TaskQueue extends PaddedFields.Queue implements Iterable<PoolTask<?>> {

    /** A queue node; the head is a node whose task was taken (or none, at first). */
    static final class Node {
        /** The task; null once taken (only by the taker, after its CAS). */
        PoolTask<?> task;
        volatile Node next;

        Node(PoolTask<?> task) {
            this.task = task;
        }
    }

    TaskQueue() {
        Node first = new Node(null);
        head = first;
        tail = first;
    }

    /** Appends a task; wakes a waiting worker if there is one. */
    void offer(PoolTask<?> task) {
        Node node = new Node(task);
        link(append(node), node);
    }

    /** The first half of an offer: makes {@code node} the tail. @return the node it follows, not linked to it yet */
    Node append(Node node) {
        return (Node) TAIL.getAndSet(this, node);
    }

    /** The second half of an offer: links {@code node} behind {@code before}, then wakes a waiting worker if any. */
    void link(Node before, Node node) {
        before.next = node; // volatile: ordered before the read of waiting below
        if (waiting != 0) {
            signal();
        }
    }

    private void signal() {
        lock.lock();
        try {
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** @return the oldest task, taken out, or null if none is there (or none is linked yet) */
    PoolTask<?> poll() {
        for (;;) {
            Node first = head;
            Node next = first.next;
            if (next == null) {
                return null;
            }
            if (next == first) {
                continue; // taken by another worker meanwhile: read the head again
            }
            if (HEAD.compareAndSet(this, first, next)) {
                PoolTask<?> task = next.task;
                next.task = null; // next is the head now: it must not keep the task reachable
                NEXT.setRelease(first, first); // after the CAS: no fence needed, either value is read correctly
                return task;
            }
        }
    }

    /**
     * Takes the oldest task, waiting up to {@code nanos} for one.
     *
     * @return the task, or null if none came in time
     * @throws InterruptedException if interrupted while waiting (or on entry, when there is nothing to take)
     */
    PoolTask<?> poll(long nanos) throws InterruptedException {
        PoolTask<?> task = poll();
        return task != null || nanos <= 0L ? task : await(true, nanos);
    }

    /**
     * Takes the oldest task, waiting as long as it takes for one.
     *
     * @throws InterruptedException if interrupted while waiting (or on entry, when there is nothing to take)
     */
    PoolTask<?> take() throws InterruptedException {
        PoolTask<?> task = poll();
        return task != null ? task : await(false, 0L);
    }

    private PoolTask<?> await(boolean timed, long nanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            waiting++; // volatile, and only changed holding the lock: ordered before the look below
            try {
                for (;;) {
                    PoolTask<?> task = poll();
                    if (task != null) {
                        if (waiting > 1 && !isEmpty()) {
                            notEmpty.signal(); // the link that woke this worker may have shown more than one task
                        }
                        return task;
                    }
                    if (!timed) {
                        notEmpty.await();
                    } else if (nanos > 0L) {
                        nanos = notEmpty.awaitNanos(nanos);
                    } else {
                        return null;
                    }
                }
            } finally {
                waiting--;
            }
        } finally {
            lock.unlock();
        }
    }

    /** @return true if no task is linked in now */
    boolean isEmpty() {
        for (;;) {
            Node first = head;
            Node next = first.next;
            if (next != first) {
                return next == null;
            }
        }
    }

    /**
     * The waiting tasks, oldest first, as they are while it walks: a task taken meanwhile may still be returned, one
     * offered meanwhile may or may not be. Never throws {@code ConcurrentModificationException}.
     */
    @Override
    public Iterator<PoolTask<?>> iterator() {
        return new Iterator<>() {
            private Node at = head;
            private PoolTask<?> upcoming = advance();

            /** @return the next task after {@code at}, moving {@code at} to its node; null at the end */
            private PoolTask<?> advance() {
                for (;;) {
                    Node next = at.next;
                    if (next == null) {
                        return null;
                    }
                    if (next == at) { // taken out: everything before the head now has been taken
                        at = head;
                        continue;
                    }
                    at = next;
                    PoolTask<?> task = next.task;
                    if (task != null) {
                        return task;
                    }
                }
            }

            @Override
            public boolean hasNext() {
                return upcoming != null;
            }

            @Override
            public PoolTask<?> next() {
                PoolTask<?> task = upcoming;
                if (task == null) {
                    throw new NoSuchElementException();
                }
                upcoming = advance();
                return task;
            }
        };
    }

    private static final VarHandle TAIL;
    private static final VarHandle HEAD;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(PaddedFields.Tail.class, "tail", Node.class);
            HEAD = lookup.findVarHandle(PaddedFields.Head.class, "head", Node.class);
            NEXT = lookup.findVarHandle(Node.class, "next", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
