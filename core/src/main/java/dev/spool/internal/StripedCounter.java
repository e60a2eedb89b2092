package dev.spool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A count that many threads add to and few read, for an executor's hot path: each thread adds to its own stripe
 * ({@link ThreadStripes}), and each stripe has a cache line of its own, so a thread that counts alone keeps its line
 * and threads that count together rarely meet. A read adds the stripes up: exact once the adds it must see have
 * happened before it, otherwise a value the count passed through or will pass through.
 */
public final class StripedCounter {
    /** Longs between two stripes' slots: 128 bytes, two cache lines (the CPU fetches lines in pairs). */
    private static final int SPACING = 16;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    /** Stripe s at {@code (s + 1) * SPACING}: padding before the first and after the last too. */
    private final long[] cells = new long[(ThreadStripes.COUNT + 2) * SPACING];

    /** Adds one. */
    public void increment() {
        add(1L);
    }

    /**
     * Adds to the calling thread's stripe.
     *
     * @param delta what to add
     */
    public void add(long delta) {
        LONGS.getAndAdd(cells, (ThreadStripes.current() + 1) * SPACING, delta);
    }

    /** @return the sum of every stripe */
    public long sum() {
        long sum = 0;
        for (int s = 1; s <= ThreadStripes.COUNT; s++) {
            sum += (long) LONGS.getVolatile(cells, s * SPACING);
        }
        return sum;
    }

    @Override
    public String toString() {
        return Long.toString(sum());
    }
}
