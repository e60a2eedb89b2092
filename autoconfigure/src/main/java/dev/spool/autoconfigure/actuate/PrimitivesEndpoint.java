package dev.spool.autoconfigure.actuate;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.spool.autoconfigure.SpoolBeans;
import dev.spool.autoconfigure.SpoolKind;
import dev.spool.threading.AbstractLock;
import dev.spool.threading.Barrier;
import dev.spool.threading.BarrierStats;
import dev.spool.threading.Condition;
import dev.spool.threading.ConditionStats;
import dev.spool.threading.Deadlock;
import dev.spool.threading.DeadlockDetector;
import dev.spool.threading.Event;
import dev.spool.threading.EventStats;
import dev.spool.threading.Lock;
import dev.spool.threading.LockStats;
import dev.spool.threading.Occupancy;
import dev.spool.threading.RLock;
import dev.spool.threading.Semaphore;
import dev.spool.threading.SemaphoreStats;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code primitives} endpoint (docs/reference.md, "Endpoints"): the live state of every Spool lock, semaphore,
 * event, barrier and condition of the context, by bean name, and the deadlocks among Spool locks.
 *
 * <ul>
 *   <li>{@code GET /actuator/primitives}: a {@link PrimitivesDescriptor},
 *       {@code {"locks": {...}, "semaphores": {...}, "events": {...}, "barriers": {...}, "conditions": {...},
 *       "deadlocks": [...]}};</li>
 *   <li>{@code GET /actuator/primitives/{name}}: one primitive's descriptor, whose {@code kind} says what it is;
 *       404 when no primitive has that name.</li>
 * </ul>
 * It lists the primitives {@code spool.*} configures and the application's own beans of Spool's types (a lazy one once
 * it has been created). Every figure is one {@code stats()} snapshot plus the names of the threads waiting now;
 * counters count from the primitive's construction and are never reset. Wait distributions come from the engine's
 * histograms and cover the waits that had to block.
 *
 * <p>{@code deadlocks} lists every cycle {@link DeadlockDetector} finds now among Spool's locks ({@link Lock}s and
 * {@link RLock}s, a {@link Condition}'s lock included): beans or not, since a lock made at run time stops its threads
 * just as well. A cycle is confirmed before it is reported, so a thread acquiring at that moment is not mistaken for
 * a deadlocked one.
 */
@Endpoint(id = "primitives")
public class PrimitivesEndpoint {

    private final SpoolBeans beans;
    private final List<Double> percentiles;
    private final @Nullable RecentWindows windows;

    /**
     * @param beans       where the primitives are
     * @param percentiles the quantiles the wait distributions show
     */
    PrimitivesEndpoint(SpoolBeans beans, List<Double> percentiles) {
        this(beans, percentiles, null);
    }

    /**
     * @param beans       where the primitives are
     * @param percentiles the quantiles the wait distributions show
     * @param windows     the sampler behind each distribution's {@code lastMinute}; null for none
     */
    PrimitivesEndpoint(SpoolBeans beans, List<Double> percentiles, @Nullable RecentWindows windows) {
        this.beans = beans;
        this.percentiles = List.copyOf(percentiles);
        this.windows = windows;
    }

    /**
     * {@code GET /actuator/primitives}.
     *
     * @return every primitive by kind and bean name, and the deadlocks found now
     */
    @ReadOperation
    public PrimitivesDescriptor primitives() {
        Map<SpoolKind, Map<String, PrimitiveDescriptor>> byKind = new EnumMap<>(SpoolKind.class);
        for (SpoolKind kind : SpoolKind.primitives()) {
            Map<String, PrimitiveDescriptor> described = new LinkedHashMap<>();
            this.beans.live(kind).forEach((name, primitive) -> described.put(name, describe(kind, primitive)));
            byKind.put(kind, Collections.unmodifiableMap(described));
        }
        return new PrimitivesDescriptor(section(byKind, SpoolKind.LOCK, LockDescriptor.class),
                section(byKind, SpoolKind.SEMAPHORE, SemaphoreDescriptor.class),
                section(byKind, SpoolKind.EVENT, EventDescriptor.class),
                section(byKind, SpoolKind.BARRIER, BarrierDescriptor.class),
                section(byKind, SpoolKind.CONDITION, ConditionDescriptor.class), deadlocks());
    }

    /**
     * {@code GET /actuator/primitives/{name}}.
     *
     * @param name a primitive's bean name
     * @return its descriptor; null (HTTP 404) when no primitive has that name
     */
    @ReadOperation
    public @Nullable PrimitiveDescriptor primitive(@Selector String name) {
        for (SpoolKind kind : SpoolKind.primitives()) {
            Object primitive = this.beans.find(kind, name, Object.class);
            if (primitive != null) {
                return describe(kind, primitive);
            }
        }
        return null;
    }

    /**
     * The view of one primitive: the endpoint's part of each {@link SpoolKind} entry. The switch has no default, so
     * a new kind does not compile until it says how the endpoint shows it.
     */
    private PrimitiveDescriptor describe(SpoolKind kind, Object primitive) {
        return switch (kind) {
            case LOCK -> lock((AbstractLock) primitive);
            case SEMAPHORE -> semaphore((Semaphore) primitive);
            case EVENT -> event((Event) primitive);
            case BARRIER -> barrier((Barrier) primitive);
            case CONDITION -> condition((Condition) primitive);
            case EXECUTOR -> throw new IllegalArgumentException("executors are the executors endpoint's");
        };
    }

    private static <D extends PrimitiveDescriptor> Map<String, D> section(
            Map<SpoolKind, Map<String, PrimitiveDescriptor>> byKind, SpoolKind kind, Class<D> type) {
        Map<String, D> section = new LinkedHashMap<>();
        byKind.get(kind).forEach((name, descriptor) -> section.put(name, type.cast(descriptor)));
        return Collections.unmodifiableMap(section);
    }

    /** @return the deadlock cycles among Spool's locks now, as the endpoint and the health indicator show them */
    static List<DeadlockDescriptor> deadlocks() {
        return DeadlockDetector.findDeadlocks().stream().map(DeadlockDescriptor::of).toList();
    }

    private LockDescriptor lock(AbstractLock lock) {
        LockStats s = lock.stats();
        Occupancy occupancy = lock.occupancy();
        // heldForNanos is 0 when the hold's start is unknown: nobody waited for it, so no clock was read.
        Double heldFor = s.locked() && s.heldSinceNanos() != 0 ? DurationSummary.millis(s.heldForNanos()) : null;
        return new LockDescriptor("lock", s.reentrant(), s.fair(), s.locked(), s.ownerName(),
                s.ownerId() >= 0 ? s.ownerId() : null, s.holdCount(), heldFor, lock.waitingThreadNames(),
                s.acquisitions(), s.contended(), s.timeouts(), s.failedTries(), summary(lock, Distribution.WAIT_TIMES),
                summary(lock, Distribution.CONTENDED_HOLD_TIMES), lock.backend(), occupancy.holders(), occupancy.waiters(),
                occupancy.note());
    }

    private SemaphoreDescriptor semaphore(Semaphore semaphore) {
        SemaphoreStats s = semaphore.stats();
        Occupancy occupancy = semaphore.occupancy();
        return new SemaphoreDescriptor("semaphore", s.bounded(), s.fair(), s.permits(), s.initialPermits(),
                semaphore.waitingThreadNames(), s.acquisitions(), s.contended(), s.timeouts(), s.failedTries(),
                summary(semaphore, Distribution.WAIT_TIMES), semaphore.backend(), occupancy.holders(), occupancy.waiters(),
                occupancy.note());
    }

    private EventDescriptor event(Event event) {
        EventStats s = event.stats();
        Occupancy occupancy = event.occupancy();
        return new EventDescriptor("event", s.set(), event.waitingThreadNames(), s.waits(), s.contended(),
                s.timeouts(), summary(event, Distribution.WAIT_TIMES), event.backend(), occupancy.waiters(), occupancy.note());
    }

    private BarrierDescriptor barrier(Barrier barrier) {
        BarrierStats s = barrier.stats();
        return new BarrierDescriptor("barrier", s.parties(), s.waiting(), s.broken(), barrier.waitingThreadNames(),
                s.trips(), s.breaks(), s.contended(), s.timeouts(), summary(barrier, Distribution.WAIT_TIMES));
    }

    private ConditionDescriptor condition(Condition condition) {
        ConditionStats s = condition.stats();
        return new ConditionDescriptor("condition", s.lockName(), condition.waitingThreadNames(), s.signals(),
                s.contended(), s.timeouts(), summary(condition, Distribution.WAIT_TIMES));
    }

    private DurationSummary summary(Object primitive, Distribution distribution) {
        return DurationSummary.of(primitive, distribution, this.windows, this.percentiles);
    }

    /**
     * The answer of {@code GET /actuator/primitives}: each kind by bean name, in the order the beans were defined.
     *
     * @param locks      {@code Lock} and {@code RLock} beans
     * @param semaphores {@code Semaphore} and {@code BoundedSemaphore} beans
     * @param events     {@code Event} beans
     * @param barriers   {@code Barrier} beans
     * @param conditions {@code Condition} beans
     * @param deadlocks  the cycles of threads waiting for each other's Spool locks now; empty when there are none
     */
    public record PrimitivesDescriptor(Map<String, LockDescriptor> locks, Map<String, SemaphoreDescriptor> semaphores,
                                       Map<String, EventDescriptor> events, Map<String, BarrierDescriptor> barriers,
                                       Map<String, ConditionDescriptor> conditions,
                                       List<DeadlockDescriptor> deadlocks) implements OperationResponseBody {
    }

    /** One primitive, as {@code GET /actuator/primitives/{name}} answers; {@code kind} says which. */
    public sealed interface PrimitiveDescriptor extends OperationResponseBody
            permits LockDescriptor, SemaphoreDescriptor, EventDescriptor, BarrierDescriptor, ConditionDescriptor {

        /**
         * What the primitive is.
         *
         * @return {@code lock}, {@code semaphore}, {@code event}, {@code barrier} or {@code condition}
         */
        String kind();
    }

    /**
     * A {@code Lock} or {@code RLock}.
     *
     * @param kind           {@code lock}
     * @param reentrant      true for an {@code RLock}
     * @param fair           whether waiting threads get the lock in arrival order
     * @param locked         whether it is held now
     * @param owner          the name of the thread that acquired the current hold; absent when unlocked
     * @param ownerId        that thread's id; absent when unlocked
     * @param holdCount      the owner's holds (re-entries of an {@code RLock} included); 0 when unlocked
     * @param heldForMillis  how long the current hold has lasted; absent when unlocked, or when no thread has waited
     *                       for this hold (the uncontended path reads no clock), else at least the time since the
     *                       first thread began to wait
     * @param waitingThreads the names of the threads waiting to acquire it now, sorted
     * @param acquisitions   successful acquisitions, re-entries included
     * @param contended      acquisitions that had to wait and have ended (acquired, timed out or interrupted)
     * @param timeouts       timed acquisitions that waited and gave up
     * @param failedTries    non-blocking attempts that found it taken
     * @param waitTimes      how long the contended acquisitions waited
     * @param contendedHoldTimes how long holds lasted, counting only the contended holds: those another thread waited
     *                       on (an uncontended hold reads no clock, so it is not timed)
     * @param backend        where its state lives: {@code local}, or {@code redis} for one shared by the instances
     * @param holders        who holds it now, across every instance when shared ({@code instance/thread}); see
     *                       {@code Primitive.occupancy()}
     * @param waiters        who waits for it now, across every instance when shared ({@code instance/thread})
     * @param occupancyNote  what {@code holders} and {@code waiters} miss and why (Redis unreachable; a local
     *                       semaphore's holders are not known); absent when they are complete
     */
    public record LockDescriptor(String kind, boolean reentrant, boolean fair, boolean locked, @Nullable String owner,
                                 @Nullable Long ownerId, int holdCount, @Nullable Double heldForMillis,
                                 List<String> waitingThreads, long acquisitions, long contended, long timeouts,
                                 long failedTries, DurationSummary waitTimes, DurationSummary contendedHoldTimes,
                                 String backend, List<String> holders, List<String> waiters,
                                 @Nullable String occupancyNote)
            implements PrimitiveDescriptor {
    }

    /**
     * A {@code Semaphore} or {@code BoundedSemaphore}.
     *
     * @param kind           {@code semaphore}
     * @param bounded        true for a {@code BoundedSemaphore}
     * @param fair           whether waiting threads get permits in arrival order
     * @param permits        permits free now
     * @param initialPermits the value it was built with (the bound of a bounded one)
     * @param waitingThreads the names of the threads waiting for a permit now, sorted
     * @param acquisitions   successful acquisitions
     * @param contended      acquisitions that had to wait and have ended
     * @param timeouts       timed acquisitions that waited and gave up
     * @param failedTries    non-blocking attempts that found no permit
     * @param waitTimes      how long the contended acquisitions waited
     * @param backend        where its state lives: {@code local}, or {@code redis} for one shared by the instances
     * @param holders        who holds it now, across every instance when shared ({@code instance/thread}); see
     *                       {@code Primitive.occupancy()}
     * @param waiters        who waits for it now, across every instance when shared ({@code instance/thread})
     * @param occupancyNote  what {@code holders} and {@code waiters} miss and why (Redis unreachable; a local
     *                       semaphore's holders are not known); absent when they are complete
     */
    public record SemaphoreDescriptor(String kind, boolean bounded, boolean fair, int permits, int initialPermits,
                                      List<String> waitingThreads, long acquisitions, long contended, long timeouts,
                                      long failedTries, DurationSummary waitTimes, String backend,
                                      List<String> holders, List<String> waiters, @Nullable String occupancyNote)
            implements PrimitiveDescriptor {
    }

    /**
     * An {@code Event}.
     *
     * @param kind           {@code event}
     * @param set            whether the flag is set now
     * @param waitingThreads the names of the threads waiting for it now, sorted
     * @param waits          every call of {@code await}, whether it blocked or not
     * @param contended      waits that blocked and have ended
     * @param timeouts       timed waits that blocked and gave up
     * @param waitTimes      how long the waits that blocked waited
     * @param backend        where its flag lives: {@code local}, or {@code redis} for one shared by the instances
     * @param waiters        who waits for it now, across every instance when shared ({@code instance/thread})
     * @param occupancyNote  what {@code waiters} misses and why (Redis unreachable); absent when complete
     */
    public record EventDescriptor(String kind, boolean set, List<String> waitingThreads, long waits, long contended,
                                  long timeouts, DurationSummary waitTimes, String backend, List<String> waiters,
                                  @Nullable String occupancyNote) implements PrimitiveDescriptor {
    }

    /**
     * A {@code Barrier}.
     *
     * @param kind           {@code barrier}
     * @param parties        threads that must arrive to trip it
     * @param waiting        threads waiting at it now
     * @param broken         whether it is broken now
     * @param waitingThreads the names of the threads waiting at it now, sorted
     * @param trips          times every party arrived and it tripped
     * @param breaks         times it broke (abort, reset with threads waiting, timeout, interrupt, failed action)
     * @param contended      waits that blocked and have ended
     * @param timeouts       waits that timed out (each broke it)
     * @param waitTimes      how long the waits that blocked waited
     */
    public record BarrierDescriptor(String kind, int parties, int waiting, boolean broken,
                                    List<String> waitingThreads, long trips, long breaks, long contended,
                                    long timeouts, DurationSummary waitTimes) implements PrimitiveDescriptor {
    }

    /**
     * A {@code Condition}.
     *
     * @param kind           {@code condition}
     * @param lock           the name of its lock
     * @param waitingThreads the names of the threads waiting for a signal now, sorted
     * @param signals        waiting threads woken by {@code signal} or {@code signalAll}
     * @param contended      awaits that blocked and have ended (signalled, timed out or interrupted)
     * @param timeouts       timed awaits that ended without a signal
     * @param waitTimes      how long awaits waited to be woken (not to take the lock back, which is the lock's)
     */
    public record ConditionDescriptor(String kind, String lock, List<String> waitingThreads, long signals,
                                      long contended, long timeouts, DurationSummary waitTimes)
            implements PrimitiveDescriptor {
    }

    /**
     * One deadlock: threads each waiting for a Spool lock that the next one holds, the last for the first's.
     *
     * @param locks       the names of the locks in the cycle, in its order
     * @param waits       each edge of the cycle
     * @param description the cycle in one line, as a log would show it
     */
    public record DeadlockDescriptor(List<String> locks, List<WaitDescriptor> waits, String description) {

        static DeadlockDescriptor of(Deadlock deadlock) {
            return new DeadlockDescriptor(deadlock.lockNames(), deadlock.waits().stream()
                    .map(w -> new WaitDescriptor(w.threadName(), w.threadId(), w.lockName(), w.ownerName(),
                            w.ownerId()))
                    .toList(), deadlock.toString());
        }
    }

    /**
     * One edge of a deadlock.
     *
     * @param thread   the waiting thread's name
     * @param threadId its id
     * @param lock     the name of the lock it waits for
     * @param owner    the name of the thread that holds that lock (the next in the cycle)
     * @param ownerId  that thread's id
     */
    public record WaitDescriptor(String thread, long threadId, String lock, String owner, long ownerId) {
    }
}
