package dev.spool.autoconfigure.shared;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.spool.threading.BackendUnavailableException;
import dev.spool.threading.spi.SharedBackend;
import dev.spool.threading.spi.SharedEvent;
import dev.spool.threading.spi.SharedLock;
import dev.spool.threading.spi.SharedSemaphore;

/**
 * A {@link SharedBackend} named {@code redis} whose state is in this JVM: enough to check what the starter does with
 * a backend (which beans it builds over it, what the endpoint and health show, what an unreachable one does) without
 * a Redis server; the Redis behaviour itself is spool-redis' tests'. {@link #reachable} switches it off and on.
 */
public final class InMemoryBackend implements SharedBackend {

    /** Whether {@link #check()} and every state answer; false makes them throw, as an unreachable Redis does. */
    public final AtomicBoolean reachable = new AtomicBoolean(true);
    /** The leases the starter passed, by primitive name. */
    public final java.util.Map<String, Duration> leases = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public String instanceId() {
        return "test@host:1";
    }

    @Override
    public void check() {
        if (!this.reachable.get()) {
            throw new BackendUnavailableException("Redis at 127.0.0.1:1 did not answer", null);
        }
    }

    @Override
    public SharedLock lock(String name, boolean reentrant, boolean fair, Duration lease) {
        this.leases.put(name, lease);
        return new Lock(reentrant);
    }

    @Override
    public SharedSemaphore semaphore(String name, int permits, boolean bounded, Duration lease) {
        this.leases.put(name, lease);
        return new Semaphore(permits);
    }

    @Override
    public SharedEvent event(String name) {
        return new Event();
    }

    private final class Lock implements SharedLock {
        private final java.util.concurrent.Semaphore permit = new java.util.concurrent.Semaphore(1);
        private final AtomicReference<Thread> owner = new AtomicReference<>();
        private final AtomicLong tokens = new AtomicLong();
        private final boolean reentrant;
        private int count;
        private long token;

        Lock(boolean reentrant) {
            this.reentrant = reentrant;
        }

        @Override
        public String instanceId() {
            return InMemoryBackend.this.instanceId();
        }

        @Override
        public boolean acquire(long nanos) throws InterruptedException {
            check();
            if (this.reentrant && this.owner.get() == Thread.currentThread()) {
                this.count++;
                return true;
            }
            boolean taken = nanos <= 0 ? this.permit.tryAcquire()
                    : this.permit.tryAcquire(nanos, TimeUnit.NANOSECONDS);
            if (taken) {
                this.owner.set(Thread.currentThread());
                this.count = 1;
                this.token = this.tokens.incrementAndGet();
            }
            return taken;
        }

        @Override
        public void release() {
            check();
            if (this.reentrant && this.owner.get() != Thread.currentThread()) {
                throw new IllegalMonitorStateException("not the owner");
            }
            if (!this.reentrant && this.permit.availablePermits() > 0) {
                throw new IllegalStateException("not locked");
            }
            if (--this.count == 0) {
                this.owner.set(null);
                this.permit.release();
            }
        }

        @Override
        public boolean isLocked() {
            return this.permit.availablePermits() == 0;
        }

        @Override
        public int holdCount() {
            return this.owner.get() == Thread.currentThread() ? this.count : 0;
        }

        @Override
        public long fencingToken() {
            return this.token;
        }

        @Override
        public List<String> holders() {
            check();
            Thread holder = this.owner.get();
            return holder == null ? List.of() : List.of(instanceId() + "/" + holder.getName());
        }

        @Override
        public List<String> waiters() {
            check();
            return List.of();
        }

        @Override
        public String backend() {
            return name();
        }
    }

    private final class Semaphore implements SharedSemaphore {
        private final java.util.concurrent.Semaphore permits;

        Semaphore(int permits) {
            this.permits = new java.util.concurrent.Semaphore(permits);
        }

        @Override
        public boolean acquire(long nanos) throws InterruptedException {
            check();
            return nanos <= 0 ? this.permits.tryAcquire() : this.permits.tryAcquire(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void release(int n) {
            check();
            this.permits.release(n);
        }

        @Override
        public int value() {
            check();
            return this.permits.availablePermits();
        }

        @Override
        public List<String> holders() {
            check();
            return new ArrayList<>();
        }

        @Override
        public List<String> waiters() {
            check();
            return List.of();
        }

        @Override
        public String backend() {
            return name();
        }
    }

    private final class Event implements SharedEvent {
        private final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CountDownLatch> latch =
                new AtomicReference<>(new java.util.concurrent.CountDownLatch(1));

        @Override
        public boolean isSet() {
            check();
            return this.latch.get().getCount() == 0;
        }

        @Override
        public void set() {
            check();
            this.latch.get().countDown();
        }

        @Override
        public void clear() {
            check();
            this.latch.updateAndGet(l -> l.getCount() == 0 ? new java.util.concurrent.CountDownLatch(1) : l);
        }

        @Override
        public boolean await(long nanos) throws InterruptedException {
            check();
            return this.latch.get().await(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        }

        @Override
        public List<String> waiters() {
            check();
            return List.of();
        }

        @Override
        public String backend() {
            return name();
        }
    }
}
