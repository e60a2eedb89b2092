package dev.spool.futures;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import dev.spool.internal.ThreadStripes;

/**
 * The live threads of a virtual-thread pool, each known by the task it was started for: what the running-task view,
 * the run-timeout watch, {@code shutdownNow}'s interrupts and the own-thread checks read.
 *
 * <h2>Why not a {@code ConcurrentHashMap} alone</h2>
 * Every task of such a pool is a new thread, which lists itself before its task and takes itself off after, so two
 * carriers taking turns write this structure twice per task. A map of the few threads running at one instant is a
 * handful of bins and one size count, and the carriers took those lines from each other on every put and remove: a
 * build without the map ran submit-and-wait between a quarter and a third faster (benchmark README, "The virtual
 * threads' registry"). A lock per stripe does not do either: a virtual thread that finds a monitor taken unmounts, and the
 * JDK's unblocker thread has to mount it again.
 *
 * <h2>The rule</h2>
 * A thread lists itself in a slot of the stripe its id picks ({@link ThreadStripes}, the rule the statistics follow),
 * so threads started one after the other use different stripes: one compare-and-set from empty to its task, and one
 * release write of empty to take itself off. A stripe's {@value #SLOTS} slots fill one cache line, and no two stripes
 * share one. A thread that finds its stripe full (more than {@value #SLOTS} of its stripe's threads live at once:
 * tasks that block, where a map's cost per task is small beside the task's) goes to a shared map instead. Readers,
 * off every task's path, read every slot and the map.
 *
 * <p>The task's {@link PoolTask#runner} names the thread; it is set before the add, never changes while the task
 * is listed, and is cleared once the task is off. The compare-and-set and the readers' volatile reads order an add
 * and a {@code shutdownNow}'s sweep with the flag each side writes or reads (see {@link VirtualEngine}).
 */
final class VirtualThreadRegistry {
    /** Slots per stripe: 64 bytes of references with compressed oops (the default below 32 GB of heap). */
    static final int SLOTS = 16;
    /** From one stripe's first slot to the next one's: a line of slots, then a line of nothing. */
    static final int STRIDE = 2 * SLOTS;
    /** Empty slots before the first stripe, to keep it off the array's header. */
    static final int LEAD = SLOTS;
    /** In {@link PoolTask#registrySlot}: the task is in {@link #overflow}, not in a slot. */
    private static final int IN_OVERFLOW = -1;

    private final PoolTask<?>[] slots = new PoolTask<?>[LEAD + ThreadStripes.COUNT * STRIDE];
    /** The threads that found their stripe's slots all taken. */
    private final ConcurrentHashMap<Thread, PoolTask<?>> overflow = new ConcurrentHashMap<>();

    private static int firstSlot(int stripe) {
        return LEAD + stripe * STRIDE;
    }

    /** Lists the calling thread, which runs {@code task} (its {@link PoolTask#runner}). */
    void add(PoolTask<?> task) {
        int first = firstSlot(ThreadStripes.current());
        for (int i = first; i < first + SLOTS; i++) {
            if (SLOT.getAcquire(slots, i) == null && SLOT.compareAndSet(slots, i, null, task)) {
                task.registrySlot = i;
                return;
            }
        }
        task.registrySlot = IN_OVERFLOW;
        overflow.put(task.runner, task);
    }

    /**
     * Takes the calling thread's {@code task} off; the same thread listed it. The task then forgets its thread: a
     * future is often kept long after its task ended, and it should not keep a dead thread with it (a few hundred
     * bytes each, more than the future itself).
     */
    void remove(PoolTask<?> task) {
        int slot = task.registrySlot;
        if (slot == IN_OVERFLOW) {
            overflow.remove(task.runner);
        } else {
            SLOT.setRelease(slots, slot, null);
        }
        task.runner = null; // a reader that found the task in its slot just before reads null, and skips it
    }

    /** @return whether {@code thread} is listed: its stripe's slots, then the map */
    boolean contains(Thread thread) {
        int first = firstSlot(ThreadStripes.of(thread.threadId()));
        for (int i = first; i < first + SLOTS; i++) {
            PoolTask<?> task = (PoolTask<?>) SLOT.getVolatile(slots, i);
            if (task != null && task.runner == thread) {
                return true;
            }
        }
        return overflow.containsKey(thread);
    }

    /**
     * Calls {@code action} with each listed thread and its task. A thread that lists itself or leaves meanwhile may
     * be missed; none is given twice (a thread is in one slot or in the map, and a task is listed once).
     */
    void forEach(BiConsumer<Thread, PoolEngine.Slot> action) {
        for (int stripe = 0; stripe < ThreadStripes.COUNT; stripe++) {
            int first = firstSlot(stripe);
            for (int i = first; i < first + SLOTS; i++) {
                PoolTask<?> task = (PoolTask<?>) SLOT.getVolatile(slots, i);
                Thread thread = task != null ? task.runner : null;
                if (thread != null) { // null: the thread left since the slot was read
                    action.accept(thread, task);
                }
            }
        }
        overflow.forEach(action);
    }

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(PoolTask[].class);
}
