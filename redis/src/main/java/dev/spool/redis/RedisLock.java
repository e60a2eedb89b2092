package dev.spool.redis;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.client.codec.StringCodec;

import dev.spool.redis.ExpirablePermits.Permit;
import dev.spool.threading.spi.SharedLock;

/**
 * A named {@code Lock} or {@code RLock} on Redis: a one-permit Redisson {@code RPermitExpirableSemaphore} (see
 * {@link ExpirablePermits}), whose permit id this object keeps while this JVM holds the lock.
 *
 * <h2>Design</h2>
 * Inside the JVM a one-permit {@link Semaphore}, the gate, lets one thread at a time contend in Redis; the gate is a
 * semaphore, not a lock, so that any thread may give it back, as a {@code Lock}'s release from another thread needs.
 * A {@code Lock} keeps the permit id here, so any thread of this JVM may release it; another instance releases it
 * through the holder entry, which names the permit. An {@code RLock} keeps its owner thread and hold count here:
 * Redis sees one permit per outermost hold, and no other instance can release it.
 *
 * <p>Why not Redisson's {@code RLock} or {@code RFencedLock}: their lease is the client-wide
 * {@code lockWatchdogTimeout}, not one per lock, and their hold and fencing token are bound to the calling thread's
 * id, where a Spool {@code Lock} is released by any thread. The expirable semaphore has a lease per permit and a
 * permit id any thread may pass.
 *
 * <h2>Leases</h2>
 * While this JVM holds the lock, the backend's scheduler renews the permit's lease every third of it
 * ({@code updateLeaseTimeAsync}). A JVM that dies stops renewing, and Redisson's semaphore takes the permit back
 * once its lease has passed. A holder that finds its permit gone (a renewal answering false, or a release that
 * found nothing) counts {@code spool.redis.leases.expired}; the renewal also opens the gate, so this JVM's other
 * threads may contend again, and the holder's own release then fails with an exception that says so.
 *
 * <h2>Fencing tokens</h2>
 * An {@code RAtomicLong} per lock, incremented lazily: on the first {@link #fencingToken()} of a hold, so that an
 * acquire and release that never ask for one stay one round trip each. A token taken after the acquire is only
 * safe if verified, and it is: the increment is answered first, then {@code updateLeaseTimeAsync(permitId)} is sent.
 * If that update finds the permit, the permit was held continuously from its acquire until after the increment
 * (Redisson never reuses a permit id, and only an acquire adds one), so no other hold began in between, and every
 * later holder's increment comes after ours: token order is hold order. If it does not find it, the hold is lost,
 * and {@code fencingToken()} throws rather than hand out a token that a later holder may already have beaten. A
 * counter that does not exist (a new lock, or Redis lost its data) is first seeded with this instance's clock in
 * microseconds ({@code setIfAbsent}, in one batch with the increment), so tokens keep rising across such a loss as
 * long as the lock took fewer than a million holds a second.
 *
 * <h2>Waiting</h2>
 * A thread that has to wait has a waiter entry ({@link Waiters}) while it waits at the gate or in Redis; in Redis it
 * waits through Redisson's own {@code tryAcquireAsync(1, slice, lease)}, slice after slice, so that a wait without a
 * limit still fails with a {@code BackendUnavailableException} soon after Redis goes away, and goes on once it is
 * back.
 *
 * <h2>Fairness</h2>
 * {@code fair} orders the threads of this JVM (the gate is a fair semaphore). Across instances, the next holder is
 * whichever instance tries first after a release: Redisson's semaphore keeps no queue.
 */
final class RedisLock implements SharedLock {
    private static final VarHandle HOLD;

    static {
        try {
            HOLD = MethodHandles.lookup().findVarHandle(RedisLock.class, "hold", Hold.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final RedisBackend backend;
    private final RedisCalls calls;
    private final Target target;
    private final boolean reentrant;
    private final long leaseMillis;
    private final Semaphore gate;
    private final ExpirablePermits permits;
    private final String tokenKey;
    private final AtomicBoolean renewing = new AtomicBoolean();
    private final AtomicBoolean renewalStarted = new AtomicBoolean();
    @SuppressWarnings("unused") // written through HOLD
    private volatile Hold hold;

    /** This JVM's hold on the lock. */
    private final class Hold {
        final Permit permit;
        final Thread owner;
        /** An RLock's re-entries; touched by the owner thread only. */
        int count = 1;
        /** The hold's fencing token, 0 until first asked for; guarded by this. */
        private long token;
        private final AtomicBoolean ended = new AtomicBoolean();

        Hold(Permit permit, Thread owner) {
            this.permit = permit;
            this.owner = owner;
        }

        /** Opens the gate, once, whoever ends the hold first (the release, or the renewal that found it lost). */
        void end() {
            if (ended.compareAndSet(false, true)) {
                gate.release();
            }
        }

        synchronized long tokenIfTaken() {
            return token;
        }
    }

    RedisLock(RedisBackend backend, String name, boolean reentrant, boolean fair, long leaseMillis) {
        this.backend = backend;
        this.calls = backend.calls();
        this.target = backend.register(new Target(name, reentrant ? Target.RLOCK : Target.LOCK));
        this.reentrant = reentrant;
        this.leaseMillis = leaseMillis;
        this.gate = new Semaphore(1, fair);
        this.permits = new ExpirablePermits(backend, target, Keys.lock(name), 1, leaseMillis, null, null, null);
        this.tokenKey = Keys.lockToken(name);
    }

    @Override
    public boolean acquire(long nanos) throws InterruptedException {
        if (reentrant) {
            Hold h = hold;
            if (h != null && h.owner == Thread.currentThread() && !h.permit.lost) {
                h.count++;
                return true;
            }
        }
        Deadline deadline = Deadline.in(nanos);
        if (deadline.tryOnly()) {
            // A try does not wait, so it may pass threads queued at a fair gate, as ReentrantLock.tryLock() does.
            if (!gate.tryAcquire()) {
                return false;
            }
            boolean acquired = false;
            try {
                acquired = held(permits.tryTake(entry()));
                return acquired;
            } finally {
                if (!acquired) {
                    gate.release();
                }
            }
        }
        Waiters.Waiter waiter = null;
        boolean settle = false;
        try {
            if (!gate.tryAcquire(0, TimeUnit.NANOSECONDS)) {
                // Another thread of this JVM holds the lock or contends for it: wait for it here, said in Redis.
                waiter = permits.waiters().register();
                while (!gate.tryAcquire(deadline.slice(backend.pollNanos()), TimeUnit.NANOSECONDS)) {
                    if (deadline.remaining() <= 0) {
                        settle = true;
                        return false;
                    }
                    permits.waiters().refresh(waiter);
                }
            }
            Waiters.Waiter handed = waiter;
            waiter = null; // from here on take() removes it
            boolean acquired = false;
            try {
                acquired = held(permits.take(deadline, entry(), handed));
                return acquired;
            } finally {
                if (!acquired) {
                    gate.release();
                }
            }
        } finally {
            if (waiter != null) {
                permits.waiters().unregister(waiter, settle);
            }
        }
    }

    private String entry() {
        return ExpirablePermits.entry(backend.holderName(), reentrant);
    }

    private boolean held(Permit permit) {
        if (permit == null) {
            return false;
        }
        HOLD.setVolatile(this, new Hold(permit, Thread.currentThread()));
        startRenewal();
        return true;
    }

    @Override
    public void release() {
        Hold h = hold;
        if (reentrant) {
            if (h == null || h.owner != Thread.currentThread()) {
                throw new IllegalMonitorStateException(target + " released by thread '"
                        + Thread.currentThread().getName() + "', which does not hold it (if it did, its lease ran"
                        + " out and another thread has it since); release only what this thread acquired");
            }
            if (!h.permit.lost && --h.count > 0) {
                return;
            }
        } else if (h == null) {
            releaseWhoeverHolds();
            return;
        }
        if (!HOLD.compareAndSet(this, h, null)) {
            release(); // another thread of this JVM released this hold first: a Lock allows it, so go again
            return;
        }
        if (h.permit.lost) {
            h.end(); // the renewal that found it lost has counted it
            throw lost(h);
        }
        boolean released;
        try {
            released = permits.give(h.permit);
        } finally {
            h.end(); // whatever Redis said, this JVM no longer holds it: the lease frees what a failure left
        }
        if (!released) {
            target.meters().leaseExpired();
            throw lost(h);
        }
    }

    /**
     * A {@code Lock} released by an instance that does not hold it, as Python allows any thread to: the holder
     * entry names the permit. The entry of a hold taken without waiting is written a short grace after the acquire
     * ({@link ExpirablePermits#ENTRY_GRACE_MILLIS}), so a lock found held without one is looked at again for up to
     * the backend's timeout.
     */
    private void releaseWhoeverHolds() {
        long deadline = System.nanoTime() + backend.timeoutNanos();
        while (true) {
            Map<String, String> entries = permits.holderEntries();
            Map<String, Boolean> live = permits.live(entries.keySet());
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                if (!live.get(entry.getKey())) {
                    continue;
                }
                if (ExpirablePermits.isReentrant(entry.getValue())) {
                    throw new IllegalStateException(target + " released by an instance that does not hold it, but"
                            + " its holder [" + ExpirablePermits.holderOf(entry.getValue()) + "] took it as an"
                            + " RLock, which only its owner releases: configure the name the same way (spool.locks."
                            + target.name() + ".reentrant) on every instance");
                }
                if (permits.giveById(entry.getKey())) {
                    return;
                }
            }
            if (permits.acquired() == 0) {
                throw new IllegalStateException(target + " released while not locked by any instance: release() of"
                        + " an unlocked lock; release each hold once");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(target + " released by an instance that does not hold it, and its"
                        + " holder's entry did not show within " + TimeUnit.NANOSECONDS.toMillis(
                                backend.timeoutNanos()) + " ms (its JVM may have died just after acquiring; the lease"
                        + " of " + leaseMillis + " ms frees it); nothing was released");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private RuntimeException lost(Hold h) {
        long token = h.tokenIfTaken();
        String hold = token == 0 ? "the hold" : "the hold with fencing token " + token;
        String message = target + ": " + hold + " (" + h.permit.holder + ") had expired before this release: its"
                + " lease of " + leaseMillis + " ms ran out unrenewed (the JVM paused, or Redis was unreachable) or"
                + " another instance released it, and another holder may have had the lock since. Nothing was"
                + " released; guard writes with fencingToken(), or give the lock a longer lease";
        return reentrant ? new IllegalMonitorStateException(message) : new IllegalStateException(message);
    }

    @Override
    public boolean isLocked() {
        Hold h = hold;
        if (h != null && !h.permit.lost) {
            return true;
        }
        return permits.acquired() > 0;
    }

    @Override
    public int holdCount() {
        Hold h = hold;
        if (h == null || h.permit.lost || h.owner != Thread.currentThread()) {
            return 0;
        }
        return reentrant ? h.count : 1;
    }

    /** See the class comment for why a token taken here, after the acquire, is in hold order. */
    @Override
    public long fencingToken() {
        Hold h = hold;
        if (h == null || h.permit.lost) {
            throw new IllegalStateException(target + " is not held by this instance (" + backend.instanceId()
                    + (h == null ? ")" : "): its lease ran out") + "; call fencingToken() while holding it");
        }
        synchronized (h) {
            if (h.token == 0) {
                h.token = takeToken(h);
            }
            return h.token;
        }
    }

    private long takeToken(Hold h) {
        RBatch batch = backend.redisson().createBatch(BatchOptions.defaults());
        // Seeds a counter that does not exist (see the class comment); does nothing to one that does.
        batch.getBucket(tokenKey, StringCodec.INSTANCE).setIfAbsentAsync(String.valueOf(
                System.currentTimeMillis() * 1000));
        RFuture<Long> incremented = batch.getAtomicLong(tokenKey).incrementAndGetAsync();
        calls.call(target, "fencing token", batch::executeAsync);
        long token = incremented.toCompletableFuture().join();
        if (!permits.stillHeld(h.permit)) {
            if (!h.permit.lost) {
                h.permit.lost = true;
                target.meters().leaseExpired();
                if (hold == h) {
                    h.end();
                }
            }
            throw new IllegalStateException(target + ": the hold of " + h.permit.holder + " had expired before its"
                    + " fencing token was taken: its lease of " + leaseMillis + " ms ran out unrenewed (the JVM"
                    + " paused, or Redis was unreachable) or another instance released it. Stop the guarded work;"
                    + " give the lock a longer lease if holds can outlast it");
        }
        return token;
    }

    @Override
    public List<String> holders() {
        Hold h = hold;
        if (h != null && !h.permit.lost) {
            return List.of(h.permit.holder);
        }
        return permits.holders(List.of());
    }

    @Override
    public List<String> waiters() {
        return permits.waiters().names();
    }

    @Override
    public String backend() {
        return RedisBackend.NAME;
    }

    @Override
    public String instanceId() {
        return backend.instanceId();
    }

    private void startRenewal() {
        if (renewalStarted.compareAndSet(false, true)) {
            backend.scheduleRenewal(this::renew, leaseMillis);
        }
    }

    /** Runs on the backend's scheduler: renews this JVM's hold, without blocking the scheduler on Redis. */
    private void renew() {
        Hold h = hold;
        if (h == null || h.permit.lost || !renewing.compareAndSet(false, true)) {
            return;
        }
        permits.renew(h.permit, () -> {
            if (hold == h && !h.permit.lost) {
                h.permit.lost = true;
                target.meters().leaseExpired();
                h.end();
            }
        }, () -> renewing.set(false));
    }
}
