package dev.spool.redis;

/**
 * The end of a wait as the SPI states it: {@code 0} or less only tries, {@link Long#MAX_VALUE} never ends, anything
 * else ends that many nanoseconds from now.
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
     * @param poll      the longest sleep between two looks at Redis
     * @param untilFree milliseconds until the holder's lease or the first permit's runs out, or negative if unknown
     * @return how long to sleep before the next look: the shortest of what is left, the poll interval and the time
     *         until the lease could free the lock (plus a millisecond, so the next look finds it expired)
     */
    long sleep(long poll, long untilFree) {
        long sleep = Math.min(remaining(), poll);
        if (untilFree >= 0) {
            sleep = Math.min(sleep, (untilFree + 1) * 1_000_000L);
        }
        return sleep;
    }
}
