package dev.spool.autoconfigure.alerts;

/**
 * Where the evaluator counts the alerts it publishes: the {@code spool.alerts} counter when the application has a
 * {@code MeterRegistry} ({@link MicrometerAlertMeters}), nowhere otherwise. An interface so that the evaluator never
 * loads a Micrometer class in an application without Micrometer.
 */
interface AlertMeters {

    /** Counts nothing. */
    AlertMeters NONE = new AlertMeters() {
        @Override
        public void watch(SpoolAlert alert, String name) {
        }

        @Override
        public void fired(SpoolAlert alert, String name) {
        }
    };

    /**
     * An alert is now checked for a name: its counter is registered at 0, so a query over it has a series before the
     * first alert (Prometheus' {@code increase()} needs the 0 to see the first one).
     */
    void watch(SpoolAlert alert, String name);

    /** An alert was published for a name: its counter goes up by one. */
    void fired(SpoolAlert alert, String name);
}
