package dev.spool.futures;

import java.util.Set;

/**
 * What {@link Futures#wait} found: the futures that were done and those that were not, each future in exactly
 * one of the two sets. Python's {@code DoneAndNotDoneFutures}. Both sets are unmodifiable.
 *
 * @param done    futures that finished or were cancelled
 * @param notDone futures still pending or running
 * @param <F>     the future type
 */
public record DoneAndNotDone<F extends TaskFuture<?>>(Set<F> done, Set<F> notDone) {
    /** Copies both sets into unmodifiable ones. */
    public DoneAndNotDone {
        done = Set.copyOf(done);
        notDone = Set.copyOf(notDone);
    }
}
