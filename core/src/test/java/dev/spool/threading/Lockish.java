package dev.spool.threading;

import java.time.Duration;
import java.util.List;

import dev.spool.stats.DurationHistogram;

/** The lock methods Lock, RLock and Condition share, so one set of tests runs on all three (as CPython's do). */
interface Lockish {
    void acquire();

    boolean acquire(boolean blocking);

    boolean acquire(Duration timeout);

    void release();

    boolean locked();

    Guard hold();

    LockStats stats();

    List<String> waitingThreadNames();

    DurationHistogram waitHistogram();

    DurationHistogram holdHistogram();

    /** A Lock or an RLock: their lock methods are {@link AbstractLock}'s. */
    static Lockish of(AbstractLock lock) {
        return new Lockish() {
            public void acquire() { lock.acquire(); }
            public boolean acquire(boolean blocking) { return lock.acquire(blocking); }
            public boolean acquire(Duration timeout) { return lock.acquire(timeout); }
            public void release() { lock.release(); }
            public boolean locked() { return lock.locked(); }
            public Guard hold() { return lock.hold(); }
            public LockStats stats() { return lock.stats(); }
            public List<String> waitingThreadNames() { return lock.waitingThreadNames(); }
            public DurationHistogram waitHistogram() { return lock.waitHistogram(); }
            public DurationHistogram holdHistogram() { return lock.holdHistogram(); }
            public String toString() { return lock.toString(); }
        };
    }

    /** A default Condition used as a lock; its statistics are its RLock's, read through the sync. */
    static Lockish of(Condition condition, RLock lock) {
        return new Lockish() {
            public void acquire() { condition.acquire(); }
            public boolean acquire(boolean blocking) { return condition.acquire(blocking); }
            public boolean acquire(Duration timeout) { return condition.acquire(timeout); }
            public void release() { condition.release(); }
            public boolean locked() { return condition.locked(); }
            public Guard hold() { return condition.hold(); }
            public LockStats stats() { return lock.stats(); }
            public List<String> waitingThreadNames() { return lock.waitingThreadNames(); }
            public DurationHistogram waitHistogram() { return lock.waitHistogram(); }
            public DurationHistogram holdHistogram() { return lock.holdHistogram(); }
            public String toString() { return condition.toString(); }
        };
    }
}
