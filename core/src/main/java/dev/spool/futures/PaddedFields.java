package dev.spool.futures;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The fields of a thread pool that are written on every task, each kept on a cache line of its own: a pool engine's
 * control word and its spinner's hand-off slot ({@link Engine}), and its queue's tail, head and waiting side
 * ({@link Queue}). A write takes the written line from the other CPUs; a field that only happens to share the line,
 * such as the queue or the statistics that every submit and every take read, then has to be fetched from another CPU
 * on nearly every task too. Measured on the submit+wait benchmark (see the benchmark README, "The queue and the cache
 * lines"), these layouts are most of the difference between Spool's pool and the JDK's.
 *
 * <p>{@code @Contended} would lay the fields out so, but the JVM ignores it outside the JDK unless started with
 * {@code -XX:-RestrictContended}; so each sits between classes of padding instead. The JVM lays out a superclass's
 * fields before its subclass's, and 64 bytes on each side keep any other field off the line, however the object is
 * aligned. The JVM puts a subclass's field in a gap that a superclass left, so none is left: an int fills the gap
 * after the object header, and each 4-byte field is filled to 8 (references are 4 bytes with compressed oops, the
 * default below 32 GB of heap).
 */
final class PaddedFields {
    private PaddedFields() {
    }

    /** The fields of {@link PoolEngine} that change all the time; {@link PoolEngine} extends {@link Engine}. */
    @SuppressWarnings("unused")
    abstract static class EnginePad0 {
        private int header;
        private long p00, p01, p02, p03, p04, p05, p06, p07;
    }

    /** The control word (see {@link PoolEngine}), written by every admission and every idle token given back. */
    abstract static class ControlWord extends EnginePad0 {
        volatile long ctl;

        ControlWord(long initial) {
            ctl = initial;
        }
    }

    @SuppressWarnings("unused")
    abstract static class EnginePad1 extends ControlWord {
        private long p10, p11, p12, p13, p14, p15, p16, p17;

        EnginePad1(long initial) {
            super(initial);
        }
    }

    /** The spinning worker's hand-off slot (see {@link PlatformEngine}), written on every spin; null in virtual mode. */
    abstract static class HandOffSlot extends EnginePad1 {
        volatile PoolTask<?> handOff;
        @SuppressWarnings("unused")
        private int filler;

        HandOffSlot(long initial) {
            super(initial);
        }
    }

    /** 64 bytes after the hand-off slot. */
    @SuppressWarnings("unused")
    abstract static class Engine extends HandOffSlot {
        private long p20, p21, p22, p23, p24, p25, p26, p27;

        Engine(long initialControlWord) {
            super(initialControlWord);
        }
    }

    /** The fields of {@link TaskQueue}; {@link TaskQueue} extends {@link Queue}. */
    @SuppressWarnings("unused")
    abstract static class QueuePad0 {
        private int header;
        private long p00, p01, p02, p03, p04, p05, p06, p07;
    }

    /** The last node, swapped by every offer. */
    abstract static class Tail extends QueuePad0 {
        volatile TaskQueue.Node tail;
        @SuppressWarnings("unused")
        private int filler;
    }

    @SuppressWarnings("unused")
    abstract static class QueuePad1 extends Tail {
        private long p10, p11, p12, p13, p14, p15, p16, p17;
    }

    /** The first node, whose successor holds the oldest task, moved by every take. */
    abstract static class Head extends QueuePad1 {
        volatile TaskQueue.Node head;
        @SuppressWarnings("unused")
        private int filler;
    }

    @SuppressWarnings("unused")
    abstract static class QueuePad2 extends Head {
        private long p20, p21, p22, p23, p24, p25, p26, p27;
    }

    /** Workers waiting for a task: read by every offer, written only by a worker that starts or stops waiting. */
    abstract static class WaitingSide extends QueuePad2 {
        /** Workers between announcing a wait and ending it; changed only holding {@link #lock}. */
        volatile int waiting;
        final ReentrantLock lock = new ReentrantLock();
        final Condition notEmpty = lock.newCondition();
    }

    /** 64 bytes after the waiting side. */
    @SuppressWarnings("unused")
    abstract static class Queue extends WaitingSide {
        private long p30, p31, p32, p33, p34, p35, p36, p37;
    }
}
