package dev.spool.testing;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.spool.threading.BackendUnavailableException;
import dev.spool.threading.spi.SharedBackend;
import dev.spool.threading.spi.SharedEvent;
import dev.spool.threading.spi.SharedLock;
import dev.spool.threading.spi.SharedSemaphore;

/**
 * A real implementation of the backend SPI for tests, with the shared state in this JVM: the store plays Redis, and
 * each {@link Instance} plays one application instance connected to it, with its own id. Two Spool primitives built
 * over two instances' states of the same name are two instances' views of one primitive, as two JVMs would have.
 *
 * <p>The states keep the SPI's rules on {@code java.util.concurrent}: a {@code Lock} is a one-permit
 * {@link Semaphore} (any thread of any instance may release it), an {@code RLock} a {@link ReentrantLock} (owned,
 * counted), a semaphore a {@link Semaphore} with its holders, an event a flag with a generation under a lock. Waits
 * are interruptible (they throw {@link InterruptedException}, as the SPI says), and run in slices of
 * {@link #SLICE}, so that a wait in progress ends with a {@link BackendUnavailableException} soon after the store
 * goes {@linkplain #goDown() down}, as a real backend's wait ends within a bounded time; a release or a set wakes a
 * waiter at once, not at the end of a slice.
 */
public final class InMemoryStore {
    /** How often a waiting call looks whether the store went down. */
    static final long SLICE = TimeUnit.MILLISECONDS.toNanos(5);

    private final Map<String, Object> states = new ConcurrentHashMap<>();
    private final LongAdder tries = new LongAdder();
    private final LongAdder waits = new LongAdder();
    private final AtomicLong tokens = new AtomicLong(1_000);
    private volatile boolean down;

    /**
     * @param id the instance's id, the {@code instance} of {@code instance/thread}
     * @return a connection to this store, as one application instance has it
     */
    public Instance instance(String id) {
        return new Instance(Objects.requireNonNull(id, "id"));
    }

    /** From now on every call fails with {@link BackendUnavailableException}, waits in progress within a slice. */
    public void goDown() {
        down = true;
    }

    /** Calls succeed again. */
    public void comeBack() {
        down = false;
    }

    /** @return calls of {@code acquire} with 0 (tries), on every lock and semaphore */
    public long tries() {
        return tries.sum();
    }

    /** @return calls of {@code acquire} that could wait (a positive time) */
    public long waits() {
        return waits.sum();
    }

    private void check(String what) {
        if (down) {
            throw new BackendUnavailableException(what + ": the in-memory store is down (as a Redis that cannot be"
                    + " reached); check the connection", new ConnectException("simulated: connection refused"));
        }
    }

    private static String me(String instance) {
        return instance + "/" + Thread.currentThread().getName();
    }

    private static List<String> sorted(ConcurrentLinkedQueue<String> names) {
        List<String> copy = new ArrayList<>(names);
        copy.sort(null);
        return List.copyOf(copy);
    }

    /**
     * Runs {@code take} in slices until it succeeds, the time is up, or the store goes down; the calling thread is
     * listed among {@code waiters} meanwhile.
     */
    private boolean waitInSlices(String what, long nanos, ConcurrentLinkedQueue<String> waiters, String me,
                                 SliceWait take) throws InterruptedException {
        waits.increment();
        waiters.add(me);
        try {
            long deadline = System.nanoTime() + Math.min(nanos, Long.MAX_VALUE >>> 2);
            for (;;) {
                check(what);
                long left = nanos == Long.MAX_VALUE ? SLICE : deadline - System.nanoTime();
                if (left <= 0L) {
                    return false;
                }
                if (take.await(Math.min(left, SLICE))) {
                    return true;
                }
            }
        } finally {
            waiters.remove(me);
        }
    }

    @FunctionalInterface
    private interface SliceWait {
        boolean await(long nanos) throws InterruptedException;
    }

    /** One application instance's connection to the store: its {@link SharedBackend}. */
    public final class Instance implements SharedBackend {
        private final String id;

        private Instance(String id) {
            this.id = id;
        }

        @Override
        public String name() {
            return "memory";
        }

        @Override
        public String instanceId() {
            return id;
        }

        @Override
        public void check() {
            InMemoryStore.this.check("check()");
        }

        @Override
        public SharedLock lock(String name, boolean reentrant, boolean fair, Duration lease) {
            LockState state = (LockState) states.computeIfAbsent("lock:" + name,
                    key -> new LockState(name, reentrant, fair));
            if (state.reentrant != reentrant) {
                throw new IllegalStateException("lock " + name + " is " + (state.reentrant ? "" : "not ")
                        + "reentrant on the store");
            }
            return new LockView(state, id);
        }

        @Override
        public SharedSemaphore semaphore(String name, int permits, boolean bounded, Duration lease) {
            SemaphoreState state = (SemaphoreState) states.computeIfAbsent("semaphore:" + name,
                    key -> new SemaphoreState(name, permits, bounded));
            if (state.initial != permits || state.bounded != bounded) {
                throw new IllegalStateException("semaphore " + name + " has " + state.initial + " permits"
                        + (state.bounded ? ", bounded" : "") + " on the store; this instance asked for " + permits);
            }
            return new SemaphoreView(state, id);
        }

        @Override
        public SharedEvent event(String name) {
            return new EventView((EventState) states.computeIfAbsent("event:" + name, key -> new EventState(name)),
                    id);
        }
    }

    /**
     * What the three views of a state share: the instance that looks, the state's waiters, and the name of the
     * primitive in the messages of a call that fails.
     */
    private abstract class View {
        final String instance;
        private final String primitive;
        private final ConcurrentLinkedQueue<String> waiters;

        View(String kind, String name, ConcurrentLinkedQueue<String> waiters, String instance) {
            this.primitive = kind + " " + name;
            this.waiters = waiters;
            this.instance = instance;
        }

        final String what(String method) {
            return method + " on " + primitive + " from " + instance;
        }

        public final List<String> waiters() {
            check(what("waiters"));
            return sorted(waiters);
        }

        public final String backend() {
            return "memory";
        }
    }

    // ------------------------------------------------------------------------------------------ locks

    private static final class LockState {
        final String name;
        final boolean reentrant;
        /** A Lock's permit. */
        final Semaphore permit;
        /** An RLock's lock. */
        final ReentrantLock owned;
        final ConcurrentLinkedQueue<String> waiters = new ConcurrentLinkedQueue<>();
        /** instance/thread of the current hold, or null; and its instance and token. */
        volatile String holder;
        volatile String holderInstance;
        volatile long token;

        LockState(String name, boolean reentrant, boolean fair) {
            this.name = name;
            this.reentrant = reentrant;
            this.permit = reentrant ? null : new Semaphore(1, fair);
            this.owned = reentrant ? new ReentrantLock(fair) : null;
        }
    }

    private final class LockView extends View implements SharedLock {
        private final LockState state;

        LockView(LockState state, String instance) {
            super("lock", state.name, state.waiters, instance);
            this.state = state;
        }

        @Override
        public boolean acquire(long nanos) throws InterruptedException {
            check(what("acquire"));
            String me = me(instance);
            if (nanos <= 0L) {
                tries.increment();
                return took(state.reentrant ? state.owned.tryLock() : state.permit.tryAcquire(), me);
            }
            return waitInSlices(what("acquire"), nanos, state.waiters, me, slice -> took(state.reentrant
                    ? state.owned.tryLock(slice, TimeUnit.NANOSECONDS)
                    : state.permit.tryAcquire(slice, TimeUnit.NANOSECONDS), me));
        }

        private boolean took(boolean acquired, String me) {
            if (acquired && (!state.reentrant || state.owned.getHoldCount() == 1)) {
                synchronized (state) {
                    state.holder = me;
                    state.holderInstance = instance;
                    state.token = tokens.incrementAndGet();
                }
            }
            return acquired;
        }

        @Override
        public void release() {
            check(what("release"));
            if (state.reentrant) {
                if (!ownedHere()) {
                    throw new IllegalMonitorStateException("cannot release lock " + state.name + ": "
                            + me(instance) + " does not own it");
                }
                if (state.owned.getHoldCount() == 1) {
                    clearHolder();
                }
                state.owned.unlock();
                return;
            }
            synchronized (state) {
                if (state.holder == null) {
                    throw new IllegalStateException("release unlocked lock " + state.name);
                }
                clearHolder();
                state.permit.release();
            }
        }

        /**
         * Whether the calling thread owns the RLock through this instance: the one JVM of a test plays several
         * instances, and the same Java thread seen through another instance is another instance's thread.
         */
        private boolean ownedHere() {
            return state.owned.isHeldByCurrentThread() && instance.equals(state.holderInstance);
        }

        private void clearHolder() {
            synchronized (state) {
                state.holder = null;
                state.holderInstance = null;
            }
        }

        @Override
        public boolean isLocked() {
            check(what("isLocked"));
            return state.holder != null;
        }

        @Override
        public int holdCount() {
            check(what("holdCount"));
            if (state.reentrant) {
                return ownedHere() ? state.owned.getHoldCount() : 0;
            }
            return me(instance).equals(state.holder) ? 1 : 0;
        }

        @Override
        public long fencingToken() {
            check(what("fencingToken"));
            synchronized (state) {
                if (!instance.equals(state.holderInstance)) {
                    throw new IllegalStateException("lock " + state.name + " is not held by instance " + instance);
                }
                return state.token;
            }
        }

        @Override
        public List<String> holders() {
            check(what("holders"));
            String holder = state.holder;
            return holder == null ? List.of() : List.of(holder);
        }

        @Override
        public String instanceId() {
            return instance;
        }

    }

    // ------------------------------------------------------------------------------------------ semaphores

    private static final class SemaphoreState {
        final String name;
        final int initial;
        final boolean bounded;
        final Semaphore permits;
        /** One instance/thread per permit taken. */
        final ConcurrentLinkedQueue<String> holders = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> waiters = new ConcurrentLinkedQueue<>();

        SemaphoreState(String name, int initial, boolean bounded) {
            this.name = name;
            this.initial = initial;
            this.bounded = bounded;
            this.permits = new Semaphore(Math.max(0, initial));
        }
    }

    private final class SemaphoreView extends View implements SharedSemaphore {
        private final SemaphoreState state;

        SemaphoreView(SemaphoreState state, String instance) {
            super("semaphore", state.name, state.waiters, instance);
            this.state = state;
        }

        @Override
        public boolean acquire(long nanos) throws InterruptedException {
            check(what("acquire"));
            String me = me(instance);
            if (nanos <= 0L) {
                tries.increment();
                return took(state.permits.tryAcquire(), me);
            }
            return waitInSlices(what("acquire"), nanos, state.waiters, me,
                    slice -> took(state.permits.tryAcquire(slice, TimeUnit.NANOSECONDS), me));
        }

        private boolean took(boolean acquired, String me) {
            if (acquired) {
                state.holders.add(me);
            }
            return acquired;
        }

        /** Refuses a release past a bounded semaphore's initial value, releasing nothing. */
        @Override
        public void release(int n) {
            check(what("release"));
            synchronized (state) {
                int free = state.permits.availablePermits();
                if (state.bounded && n > state.initial - free) {
                    throw new IllegalStateException("Semaphore released too many times: " + free + " of "
                            + state.initial + " free, releasing " + n + " (semaphore " + state.name + ")");
                }
                forget(n);
                state.permits.release(n);
            }
        }

        /** Drops {@code n} holder entries: the calling thread's first, then this instance's, then anyone's. */
        private void forget(int n) {
            String me = me(instance);
            int left = n;
            left = drop(left, me::equals);
            left = drop(left, holder -> holder.startsWith(instance + "/"));
            drop(left, holder -> true);
        }

        private int drop(int n, java.util.function.Predicate<String> which) {
            int left = n;
            for (Iterator<String> it = state.holders.iterator(); left > 0 && it.hasNext(); ) {
                if (which.test(it.next())) {
                    it.remove();
                    left--;
                }
            }
            return left;
        }

        @Override
        public int value() {
            check(what("value"));
            return state.permits.availablePermits();
        }

        @Override
        public List<String> holders() {
            check(what("holders"));
            return sorted(state.holders);
        }

    }

    // ------------------------------------------------------------------------------------------ events

    private static final class EventState {
        final String name;
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        final ConcurrentLinkedQueue<String> waiters = new ConcurrentLinkedQueue<>();
        /** Guarded by lock. */
        boolean set;
        /** Guarded by lock: sets so far, so that a waiter passes a set it missed because of a clear. */
        long generation;

        EventState(String name) {
            this.name = name;
        }
    }

    private final class EventView extends View implements SharedEvent {
        private final EventState state;

        EventView(EventState state, String instance) {
            super("event", state.name, state.waiters, instance);
            this.state = state;
        }

        @Override
        public boolean isSet() {
            check(what("isSet"));
            state.lock.lock();
            try {
                return state.set;
            } finally {
                state.lock.unlock();
            }
        }

        @Override
        public void set() {
            check(what("set"));
            state.lock.lock();
            try {
                if (!state.set) {
                    state.set = true;
                    state.generation++;
                    state.changed.signalAll();
                }
            } finally {
                state.lock.unlock();
            }
        }

        @Override
        public void clear() {
            check(what("clear"));
            state.lock.lock();
            try {
                state.set = false;
            } finally {
                state.lock.unlock();
            }
        }

        @Override
        public boolean await(long nanos) throws InterruptedException {
            check(what("await"));
            String me = me(instance);
            state.lock.lockInterruptibly();
            try {
                if (state.set) {
                    return true;
                }
                if (nanos <= 0L) {
                    return false;
                }
                long seen = state.generation;
                state.waiters.add(me);
                try {
                    long deadline = System.nanoTime() + Math.min(nanos, Long.MAX_VALUE >>> 2);
                    while (!state.set && state.generation == seen) {
                        check(what("await"));
                        long left = nanos == Long.MAX_VALUE ? SLICE : deadline - System.nanoTime();
                        if (left <= 0L) {
                            return false;
                        }
                        state.changed.awaitNanos(Math.min(left, SLICE));
                    }
                    return true;
                } finally {
                    state.waiters.remove(me);
                }
            } finally {
                state.lock.unlock();
            }
        }

    }
}
