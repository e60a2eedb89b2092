package dev.spool.futures;

import java.util.Locale;

/**
 * How a {@link TaskGroup} ended: the {@code outcome} tag of {@code spool.taskgroup.duration}, and the key of
 * {@link TaskGroupStatistics#durationHistogram(TaskGroupOutcome)}.
 */
public enum TaskGroupOutcome {
    /** Every task ended without a failure and nothing cancelled the group. */
    SUCCESS,
    /** A task failed (or, in {@link TaskGroup#run}, the body threw): {@link TaskGroupException}. */
    FAILURE,
    /** The group's timeout passed first: {@link TaskGroupTimeoutException}. */
    TIMEOUT,
    /**
     * The group was cancelled with no failure: {@link TaskGroup#cancel()}, an interrupt of the thread waiting in
     * {@link TaskGroup#join()}, its parent group shutting down, or its block left without {@code join()}.
     */
    CANCELLED;

    /** @return the lower-case tag value: {@code success}, {@code failure}, {@code timeout}, {@code cancelled} */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
