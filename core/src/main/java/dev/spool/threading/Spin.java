package dev.spool.threading;

/**
 * The brief spin before blocking of the meeting-point primitives ({@link Event}, {@link Barrier}), as
 * {@code LinkedTransferQueue} (so {@code SynchronousQueue}) and {@code Phaser} do: the other party usually arrives
 * within a microsecond or so, far sooner than a park/unpark round trip (tens of microseconds) would notice. Not on a
 * single CPU, nor in a virtual thread, where spinning only delays the thread that would end the wait.
 */
final class Spin {
    /** How many times a waiter re-reads the state, with {@link Thread#onSpinWait()}, before it blocks. */
    static final int TIMES = 1 << 7;

    private static final boolean MULTIPROCESSOR = Runtime.getRuntime().availableProcessors() > 1;

    private Spin() {
    }

    /** @return whether the calling thread should spin before it blocks */
    static boolean worthIt() {
        return MULTIPROCESSOR && !Thread.currentThread().isVirtual();
    }
}
