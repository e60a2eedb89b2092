package dev.spool.futures;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Futures in the order they become done: those already done when the queue is made first (in input order), then each
 * as it completes. Each future once, however often it is given. Behind {@link Futures#asCompleted} and
 * {@link ThreadPool#invokeAny}.
 *
 * <p>Each pending future carries a removable listener that hands it over when it completes; {@link #close()} removes
 * the listeners still in place, so an abandoned wait leaves nothing behind. A future that has been returned is no
 * longer referenced. Read by one thread at a time.
 */
final class CompletionQueue<F extends TaskFuture<?>> {
    private final ArrayDeque<F> doneAtStart = new ArrayDeque<>();
    private final LinkedBlockingQueue<F> completed = new LinkedBlockingQueue<>();
    /** Pending when registered and not yet returned, each with its listener's handle (null if it ran at once). */
    private final Map<F, TaskFuture.Node> pending = new IdentityHashMap<>();
    private final int total;

    @SuppressWarnings("unchecked")
    CompletionQueue(Collection<F> futures) {
        Set<F> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (F future : futures) {
            if (seen.add(java.util.Objects.requireNonNull(future, "futures must not contain null"))) {
                if (future.done()) {
                    doneAtStart.add(future);
                } else {
                    pending.put(future, null);
                }
            }
        }
        total = seen.size();
        for (Map.Entry<F, TaskFuture.Node> entry : pending.entrySet()) {
            entry.setValue(entry.getKey().addListener(done -> completed.add((F) done)));
        }
    }

    /** @return how many distinct futures were given */
    int total() {
        return total;
    }

    /** @return how many futures have not been returned yet */
    int remaining() {
        return doneAtStart.size() + pending.size();
    }

    /** @return how many of the futures not returned yet are not done */
    int unfinished() {
        int n = 0;
        for (F future : pending.keySet()) {
            if (!future.done()) {
                n++;
            }
        }
        return n;
    }

    /**
     * The next done future: one that is there already is returned even after the deadline; otherwise waits until the
     * deadline (if {@code timed}; a deadline already passed does not wait).
     *
     * @param interruptible throw {@link InterruptedException} on interrupt; otherwise keep waiting and set the
     *                      interrupt status again on return
     * @return the future, or null if the deadline passed first
     * @throws NoSuchElementException if every future has been returned
     */
    F next(boolean timed, long deadline, boolean interruptible) throws InterruptedException {
        F future = doneAtStart.pollFirst();
        if (future != null) {
            return future;
        }
        if (pending.isEmpty()) {
            throw new NoSuchElementException();
        }
        future = completed.poll();
        boolean interrupted = false;
        try {
            while (future == null) {
                try {
                    if (!timed) {
                        future = completed.take();
                    } else {
                        long remaining = deadline - System.nanoTime();
                        if (remaining <= 0) {
                            return null;
                        }
                        future = completed.poll(remaining, TimeUnit.NANOSECONDS);
                    }
                } catch (InterruptedException e) {
                    if (interruptible) {
                        throw e;
                    }
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        pending.remove(future);
        return future;
    }

    /** Removes the listeners still in place and forgets every future. */
    void close() {
        for (Map.Entry<F, TaskFuture.Node> entry : pending.entrySet()) {
            entry.getKey().removeListener(entry.getValue());
        }
        pending.clear();
        doneAtStart.clear();
        completed.clear();
    }
}
