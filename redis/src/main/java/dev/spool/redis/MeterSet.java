package dev.spool.redis;

/**
 * What the backend records for one primitive: its round trips to Redis, the calls that failed, and the leases found
 * expired by their own holder. {@link RedisBackendMetrics} installs a Micrometer one; without it nothing is kept.
 */
interface MeterSet {

    /** Records nothing: the backend with no registry bound. */
    MeterSet NONE = new MeterSet() {
        @Override
        public void roundTrip(long nanos) {
        }

        @Override
        public void error() {
        }

        @Override
        public void leaseExpired() {
        }
    };

    /** @param nanos how long one successful call to Redis took, from sending to the answer */
    void roundTrip(long nanos);

    /** One call that failed or got no answer in time (it became a {@code BackendUnavailableException}). */
    void error();

    /** One hold or permit that its holder, renewing or releasing it, found already expired. */
    void leaseExpired();

    /**
     * @param first  the meters recorded first
     * @param second the meters recorded next
     * @return a set recording into both (one per bound registry)
     */
    static MeterSet both(MeterSet first, MeterSet second) {
        if (first == NONE) {
            return second;
        }
        if (second == NONE) {
            return first;
        }
        return new MeterSet() {
            @Override
            public void roundTrip(long nanos) {
                first.roundTrip(nanos);
                second.roundTrip(nanos);
            }

            @Override
            public void error() {
                first.error();
                second.error();
            }

            @Override
            public void leaseExpired() {
                first.leaseExpired();
                second.leaseExpired();
            }
        };
    }
}
