package dev.spool.threading;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Who holds a primitive and who waits for it now, as {@link Primitive#occupancy()} reports it: what the actuator
 * endpoints show beside the statistics. For a primitive whose state is shared between instances
 * ({@code Lock.shared(…)} and the other {@code shared} factories), the lists cover every instance; for a local one,
 * this JVM.
 *
 * <h2>Names</h2>
 * A shared primitive names each thread {@code instance/thread}, the instance being the backend's id for the JVM the
 * thread runs in ({@link dev.spool.threading.spi.SharedBackend#instanceId()}). A local primitive names threads by
 * {@link Thread#getName()} alone: they are all in this JVM.
 *
 * <h2>When the lists are not the whole truth</h2>
 * Reading an occupancy never throws. When part of it cannot be known, {@link #complete()} is false, the part that
 * could not be read is an empty list, and {@link #note()} says what is missing and why:
 * <ul>
 *   <li>a shared primitive whose backend could not be reached (a {@link BackendUnavailableException}): the note
 *       quotes the failure;</li>
 *   <li>a local {@link Semaphore}: nothing ties a permit to a thread, so its holders are not known (an empty list);
 *       its waiters are.</li>
 * </ul>
 *
 * @param holders  the threads that hold the primitive now: a lock's owner (one entry however many times an
 *                 {@link RLock} was re-entered), one entry per permit of a shared semaphore, a {@link Condition}'s
 *                 lock owner; empty when free, when the kind has no holders ({@link Event}, {@link Barrier}), or when
 *                 not known (see {@link #note()})
 * @param waiters  the threads blocked in the primitive now, sorted for a local primitive, as the backend lists them
 *                 for a shared one
 * @param complete whether both lists are the whole truth
 * @param note     what is missing and why, when {@code complete} is false; null when it is true
 */
public record Occupancy(List<String> holders, List<String> waiters, boolean complete, String note) {

    /**
     * @throws NullPointerException     if a list is null
     * @throws IllegalArgumentException if {@code note} is null while {@code complete} is false, or set while it is
     *                                  true
     */
    public Occupancy {
        holders = List.copyOf(Objects.requireNonNull(holders, "holders"));
        waiters = List.copyOf(Objects.requireNonNull(waiters, "waiters"));
        if (complete != (note == null)) {
            throw new IllegalArgumentException("an occupancy has a note exactly when it is not complete: complete="
                    + complete + ", note=" + note);
        }
    }

    /**
     * @param holders the threads that hold the primitive
     * @param waiters the threads that wait for it
     * @return a complete occupancy
     */
    public static Occupancy of(List<String> holders, List<String> waiters) {
        return new Occupancy(holders, waiters, true, null);
    }

    /**
     * @param holders what is known of the holders (empty if nothing)
     * @param waiters what is known of the waiters (empty if nothing)
     * @param note    what is missing and why
     * @return an occupancy that is not complete
     * @throws NullPointerException if {@code note} is null
     */
    public static Occupancy partial(List<String> holders, List<String> waiters, String note) {
        return new Occupancy(holders, waiters, false, Objects.requireNonNull(note, "note"));
    }

    /**
     * Reads a shared primitive's holders and waiters, each on its own: a part that throws (the backend cannot be
     * reached) is an empty list, named in the note with the failure's message.
     */
    static Occupancy readShared(String primitive, Supplier<List<String>> holders,
                                Supplier<List<String>> waiters) {
        StringBuilder missing = new StringBuilder();
        List<String> held = readPart(primitive, "holders", holders, missing);
        List<String> waiting = readPart(primitive, "waiters", waiters, missing);
        return missing.isEmpty() ? of(held, waiting) : partial(held, waiting, missing.toString());
    }

    private static List<String> readPart(String primitive, String part,
                                         Supplier<List<String>> read, StringBuilder missing) {
        try {
            List<String> names = read.get();
            return names == null ? List.of() : names;
        } catch (RuntimeException failure) {
            if (!missing.isEmpty()) {
                missing.append("; ");
            }
            missing.append(part).append(" of ").append(primitive).append(" unknown: ").append(failure.getMessage());
            return List.of();
        }
    }
}
