package dev.spool.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one rule by which every Spool thread decides whether to spin before it parks: a waiter on a future, an idle
 * pool worker waiting for its next task, and a waiter at a meeting point ({@code Event}, {@code Barrier}).
 *
 * <h2>Why spin at all</h2>
 * Waking a parked thread costs a few microseconds on bare metal and 20 µs or more on a virtual machine whose idle
 * vCPU has halted. When the event a thread waits for is a microsecond away (a short task, the other party of a
 * barrier) and a CPU is free, spinning for it saves that whole wake-up.
 *
 * <h2>Why not always</h2>
 * A spinning thread holds a CPU. When the threads that would end the wait need that CPU (more runnable work than
 * cores: many request threads waiting on few workers, the shape of a web application), every microsecond spun is a
 * microsecond of work not done, and throughput falls.
 *
 * <h2>The rule</h2>
 * A thread may spin only if the CPUs already taken, by the threads it waits on ({@code busy}, which the caller
 * estimates) and by every thread of the JVM spinning right now, leave one for it: {@code busy + spinners < cpus}.
 * So on 2 CPUs a caller whose task runs on one worker may spin, and nobody spins while two workers run. Spinning is
 * counted JVM-wide (one counter, touched only by threads about to spin, never on a task's path otherwise), so any
 * number of pools and primitives together never spin on more CPUs than there are. A single CPU never spins (the
 * spinner would only delay the thread that ends its wait), nor does a virtual thread (it would hold its carrier).
 * This is the idea of Linux's adaptive mutex, which spins only while the owner runs on a CPU, with the JVM-wide
 * budget of the JDK's {@code Exchanger} arena bounded by the processor count.
 */
public final class SpinPolicy {
    /** How long a waiter for a task (or an idle worker for one) spins: about 20 µs on the project's machine. */
    public static final int TASK_SPINS = 1 << 10;
    /** How long a waiter at a meeting point spins: the other party usually arrives within a microsecond or two. */
    public static final int MEETING_SPINS = 1 << 7;
    /** How long a waiter asks again for a spinner's slot after a hand-off (see {@link #tryBeginAfterHandOff}). */
    static final int HAND_OFF_SPINS = 1 << 6;

    private static final int CPUS = Runtime.getRuntime().availableProcessors();
    private static final AtomicInteger SPINNERS = new AtomicInteger();

    private SpinPolicy() {
    }

    /**
     * Asks to spin. On true the caller spins (a bounded number of {@link Thread#onSpinWait()}) and must call
     * {@link #end()} when it stops, in a {@code finally}.
     *
     * @param busy CPUs the threads that will end the wait take now (for a pool: its running workers; at a meeting
     *             point: 1, the other party); a very large value means "runnable work is waiting: never spin"
     * @return whether the calling thread may spin now
     */
    public static boolean tryBegin(int busy) {
        if (CPUS < 2 || busy >= CPUS || Thread.currentThread().isVirtual()) {
            return false;
        }
        for (;;) {
            int spinners = SPINNERS.get();
            if (busy + spinners >= CPUS) {
                return false;
            }
            if (SPINNERS.compareAndSet(spinners, spinners + 1)) {
                return true;
            }
        }
    }

    /**
     * {@link #tryBegin}, for a waiter that has just handed its work over: when only other spinners fill the budget,
     * it asks again for a moment before giving up. The typical spinner then is the idle worker that is taking this
     * very task and stops spinning a few hundred nanoseconds after the submit; a waiter that asked only once would
     * find it still counted and park, and pay a whole wake-up for a task that ends within a microsecond. It never
     * asks again when busy threads alone fill the CPUs, so it costs nothing when work is runnable.
     *
     * @param busy as for {@link #tryBegin}
     * @return whether the calling thread may spin now; if true, call {@link #end()} when it stops
     */
    public static boolean tryBeginAfterHandOff(int busy) {
        if (tryBegin(busy)) {
            return true;
        }
        if (CPUS < 2 || busy >= CPUS || Thread.currentThread().isVirtual()) {
            return false;
        }
        for (int i = HAND_OFF_SPINS; i > 0; i--) {
            Thread.onSpinWait();
            if (busy + SPINNERS.get() < CPUS && tryBegin(busy)) {
                return true;
            }
        }
        return false;
    }

    /** Ends a spin that {@link #tryBegin} allowed. */
    public static void end() {
        SPINNERS.decrementAndGet();
    }

    /** @return threads spinning now, JVM-wide (for tests) */
    public static int spinners() {
        return SPINNERS.get();
    }
}
