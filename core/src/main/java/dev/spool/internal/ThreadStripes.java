package dev.spool.internal;

/**
 * Which stripe of a striped count the calling thread writes: the one rule behind {@link StripedCounter} and the
 * shared part of {@code DurationHistogram}.
 *
 * <h2>Why not {@code LongAdder}</h2>
 * A {@code LongAdder} writes its base field until two threads collide on it, then a cell chosen by the thread's
 * random probe. Two things go wrong on an executor's hot path. A new thread's probe is zero until its first
 * collision, so every task of a virtual-thread pool (a new thread each) writes the same cell, and the carriers
 * take that cache line from each other on every task. And a counter that only one thread writes stays on its base
 * field, which shares a cache line with whatever the JVM placed next to it: the submitting thread's
 * {@code submitted} count shared one with the fields every worker reads per task, and in a profile of
 * submit-and-wait that count was 14 % of the CPU.
 *
 * <h2>The rule</h2>
 * A thread writes the stripe its id hashes to. Ids are handed out in sequence, and the hash (Fibonacci hashing: the
 * id times the golden ratio, top bits) sends neighbouring ids to stripes far apart, so the threads of one pool, and
 * virtual threads started one after the other, rarely share a stripe. There are four stripes per processor (at most
 * {@value #MAX_COUNT}): threads that run at one instant are at most one per processor, so two of them share a stripe
 * rarely, and when they do they only contend, they never lose a count (every write is atomic).
 */
public final class ThreadStripes {
    static final int MAX_COUNT = 64;
    /** Stripes, a power of two. */
    public static final int COUNT = Math.min(MAX_COUNT,
            Integer.highestOneBit(Math.max(1, 4 * Runtime.getRuntime().availableProcessors() - 1)) << 1);
    private static final int SHIFT = 64 - Integer.numberOfTrailingZeros(COUNT);
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private ThreadStripes() {
    }

    /** @return the calling thread's stripe, in {@code [0, COUNT)} */
    public static int current() {
        return of(Thread.currentThread().threadId());
    }

    /** @return the stripe of the thread with this id, the one {@link #current()} gives that thread */
    public static int of(long threadId) {
        return COUNT == 1 ? 0 : (int) ((threadId * GOLDEN) >>> SHIFT);
    }
}
