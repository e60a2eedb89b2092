package dev.spool.redis;

/**
 * The end of a wait as the SPI states it: {@code 0} or less only tries, {@link Long#MAX_VALUE} never ends, anything
 * else ends that many nanoseconds from now. A wait runs in slices no longer than the backend's poll interval, so
 * that a wait without a limit still looks at Redis (and notices an outage) at least that often.
 */
final class Deadline {
    private final boolean tryOnly;
    private final boolean forever;
    private final long at;

    private Deadline(boolean tryOnly, boolean forever, long at) {
        this.tryOnly = tryOnly;
        this.forever = forever;
        this.at = at;
    }

    static Deadline in(long nanos) {
        if (nanos <= 0) {
            return new Deadline(true, false, 0);
        }
        if (nanos == Long.MAX_VALUE) {
            return new Deadline(false, true, 0);
        }
        return new Deadline(false, false, System.nanoTime() + nanos);
    }

    /** @return true for a wait of 0: one look, no sleep */
    boolean tryOnly() {
        return tryOnly;
    }

    /** @return the nanoseconds left ({@link Long#MAX_VALUE} for ever, 0 or less when over) */
    long remaining() {
        if (forever) {
            return Long.MAX_VALUE;
        }
        return tryOnly ? 0 : at - System.nanoTime();
    }

    /**
     * @param poll the longest slice
     * @return the next slice: the shorter of what is left and {@code poll}, 0 or less when over
     */
    long slice(long poll) {
        return Math.min(remaining(), poll);
    }
}
