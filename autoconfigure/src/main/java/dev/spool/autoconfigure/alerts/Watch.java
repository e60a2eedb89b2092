package dev.spool.autoconfigure.alerts;

import java.time.Instant;
import java.util.List;

/**
 * What the evaluator keeps for one executor or lock between two checks: the counters it last read, so each check
 * sees what happened since the previous one. Used by the evaluator's thread only.
 */
interface Watch {

    /** @return the executor or lock */
    Object source();

    /** @return its name, the {@code name} tag of its meters */
    String name();

    /** @return the alerts that apply to its kind */
    List<SpoolAlert> alerts();

    /**
     * Reads the source's statistics, measures each alert that applies to it now (a usage alert of an unbounded queue
     * does not), and remembers the counters for the next check.
     *
     * @param now this check
     * @return the measurements
     */
    List<Reading> read(Instant now);
}
