package dev.spool.redis;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.spool.threading.BackendUnavailableException;
import dev.spool.threading.spi.SharedLock;

/**
 * A named {@code Lock} or {@code RLock} on Redis.
 *
 * <h2>Design</h2>
 * Redis holds one hash per lock ({@code owner}, {@code name}, {@code token}) whose expiry is the lease; the scripts
 * in {@link Scripts} acquire, renew and release it, each in one round trip. Inside the JVM a one-permit
 * {@link Semaphore}, the gate, lets one thread at a time contend in Redis; the gate is a semaphore, not a lock, so
 * that any thread may give it back, as a {@code Lock}'s release from another thread needs. Each hold gets a fresh
 * id, so a late answer to an abandoned acquire can never touch a later hold. An {@code RLock}'s re-entries are
 * counted here: Redis sees one hold per outermost acquire.
 *
 * <p>Redisson's own locks were the other candidates, and each misses something the SPI asks for:
 * {@code RLock}/{@code RFencedLock} with a synthetic thread id (the async methods that take one) give a fencing
 * token in the acquire script and any-thread release, but their watchdog renews on a period set once per
 * {@code RedissonClient} ({@code lockWatchdogTimeout}), not per lock, so a lease of 2 s beside one of 30 s needs
 * renewal of our own anyway; and they keep no holder name, so {@code holders()} across instances would need a second
 * write per acquire and per release, doubling the round trips of the uncontended path (the benchmark's target is
 * Redisson's own time). {@code RPermitExpirableSemaphore} with one permit has leases per permit but no fencing token
 * and no names either. One script per step gives all of it in Redisson's own number of round trips: the hold, the
 * token (see {@link Scripts#LOCK_ACQUIRE} for why it must be taken there), the holder name, and the waiter entry of a
 * thread that must wait.
 *
 * <h2>Leases</h2>
 * While this JVM holds the lock, the backend's scheduler renews the lease every third of it. A JVM that dies stops
 * renewing and Redis drops the hash when the lease runs out. A holder that finds its hold gone (a renewal answering
 * 0, or a release that found nothing) counts {@code spool.redis.leases.expired}; the renewal also opens the gate, so
 * this JVM's other threads may contend again, and the holder's own release then fails with an exception that says
 * so.
 *
 * <h2>Waiting</h2>
 * A thread that has to wait registers an entry in the lock's waiter set (what {@code waiters()} reads) and sleeps on
 * {@link Wakeups}, woken by the release's message, and looks again at least every poll interval and when the
 * holder's lease would run out. Every look is a bounded call; a look that fails is tried again at the next poll
 * while the failures last less than the backend's timeout ({@link Outage}), so a wait rides out a short restart or
 * failover and ends with a {@code BackendUnavailableException} when Redis stays away. A thread waiting at the gate
 * waits for a thread of this JVM and is not disturbed by Redis being away.
 *
 * <h2>Fairness</h2>
 * {@code fair} orders the threads of this JVM (the gate is a fair semaphore). Across instances, the next holder is
 * whichever instance looks first after a release: Redis keeps no queue.
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
    private final boolean fair;
    private final long leaseMillis;
    private final Semaphore gate;
    private final List<Object> acquireKeys;
    private final List<Object> lockKey;
    private final List<Object> releaseKeys;
    private final List<Object> waitersKey;
    private final String channel;
    private final Wakeups wakeups;
    private final AtomicBoolean renewing = new AtomicBoolean();
    private final AtomicBoolean renewalStarted = new AtomicBoolean();
    @SuppressWarnings("unused") // written through HOLD
    private volatile Hold hold;

    /** This JVM's hold on the lock. */
    private final class Hold {
        final String id;
        final long token;
        final Thread owner;
        final String holder;
        /** An RLock's re-entries; touched by the owner thread only. */
        int count = 1;
        volatile boolean lost;
        private final AtomicBoolean ended = new AtomicBoolean();

        Hold(String id, long token, Thread owner, String holder) {
            this.id = id;
            this.token = token;
            this.owner = owner;
            this.holder = holder;
        }

        /** Opens the gate, once, whoever ends the hold first (the release, or the renewal that found it lost). */
        void end() {
            if (ended.compareAndSet(false, true)) {
                gate.release();
            }
        }
    }

    RedisLock(RedisBackend backend, String name, boolean reentrant, boolean fair, long leaseMillis) {
        this.backend = backend;
        this.calls = backend.calls();
        this.target = backend.register(new Target(name, reentrant ? Target.RLOCK : Target.LOCK));
        this.reentrant = reentrant;
        this.fair = fair;
        this.leaseMillis = leaseMillis;
        this.gate = new Semaphore(1, fair);
        String lock = Keys.lock(name);
        this.acquireKeys = List.of(lock, Keys.lockToken(name), Keys.lockWaiters(name));
        this.lockKey = List.of(lock);
        this.releaseKeys = List.of(lock, Keys.lockWaiters(name));
        this.waitersKey = List.of(Keys.lockWaiters(name));
        this.channel = Keys.lockChannel(name);
        this.wakeups = backend.wakeups(Keys.lockChannel(name));
    }

    @Override
    public boolean acquire(long nanos) throws InterruptedException {
        if (reentrant) {
            Hold h = hold;
            if (h != null && h.owner == Thread.currentThread() && !h.lost) {
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
            return acquireInRedis(deadline, null);
        }
        String member = null;
        try {
            boolean gated = fair ? gate.tryAcquire(0, TimeUnit.NANOSECONDS) : gate.tryAcquire();
            if (!gated) {
                // Another thread of this JVM holds the lock or contends for it: wait for it here, said in Redis.
                member = backend.waiterMember();
                registerWaiter(member);
                while (!gate.tryAcquire(deadline.sleep(backend.pollNanos(), -1), TimeUnit.NANOSECONDS)) {
                    if (deadline.remaining() <= 0) {
                        return false;
                    }
                    registerWaiter(member); // refreshes the entry
                }
            }
            String registered = member;
            member = null; // from here on acquireInRedis removes the entry (or gives it back to be removed)
            return acquireInRedis(deadline, registered);
        } finally {
            if (member != null) {
                backend.removeWaiter(target, waitersKey, member);
            }
        }
    }

    /**
     * Contends in Redis with the gate held; gives the gate back unless it acquired. A thread that may wait is
     * registered as a waiter by the same script that looks (the SPI's caller has tried once already), so a wait
     * costs no extra round trip; the script drops the entry when it acquires.
     */
    private boolean acquireInRedis(Deadline deadline, String member) throws InterruptedException {
        boolean acquired = false;
        try {
            if (!deadline.tryOnly() && member == null) {
                // Subscribe before the look that registers, so that no release after it goes unheard.
                wakeups.subscribe(target, calls, backend.timeoutNanos());
                member = backend.waiterMember();
            }
            String holder = backend.holderName();
            Outage outage = backend.outage();
            while (true) {
                long seen = wakeups.generation();
                String id = backend.newId();
                Consumer<List<Object>> undo = late -> {
                    if (isAcquired(late)) {
                        calls.callAsync(target, Scripts.LOCK_RELEASE, releaseKeys, id, channel);
                    }
                };
                List<Object> answer;
                try {
                    answer = calls.callInterruptibly(target, Scripts.LOCK_ACQUIRE, acquireKeys, undo, id, holder,
                            leaseMillis, member == null ? "" : member, backend.waiterTtlMillis(),
                            reentrant ? "1" : "0");
                    outage.over();
                } catch (BackendUnavailableException e) {
                    if (deadline.tryOnly()) {
                        throw e;
                    }
                    outage.tolerate(e, deadline);
                    wakeups.await(seen, deadline.sleep(backend.pollNanos(), -1));
                    continue;
                }
                if (isAcquired(answer)) {
                    HOLD.setVolatile(this, new Hold(id, number(answer.get(1)), Thread.currentThread(), holder));
                    startRenewal();
                    member = null; // the script removed the entry
                    acquired = true;
                    return true;
                }
                if (deadline.remaining() <= 0) {
                    return false;
                }
                wakeups.await(seen, deadline.sleep(backend.pollNanos(), number(answer.get(1))));
            }
        } finally {
            if (!acquired) {
                gate.release();
            }
            if (member != null) {
                backend.removeWaiter(target, waitersKey, member);
            }
        }
    }

    /**
     * Says in Redis that the calling thread waits at the gate, without waiting for the answer: the thread waits for
     * a thread of this JVM, which Redis being away does not change; only its entry in {@code waiters()} may lapse
     * until the next refresh.
     */
    private void registerWaiter(String member) {
        calls.callAsync(target, Scripts.WAITER_REGISTER, waitersKey, member, backend.waiterTtlMillis());
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
            if (!h.lost && --h.count > 0) {
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
        if (h.lost) {
            h.end(); // the renewal that found it lost has counted it
            throw lost(h);
        }
        long released;
        try {
            released = calls.call(target, Scripts.LOCK_RELEASE, releaseKeys, h.id, channel);
        } finally {
            h.end(); // whatever Redis said, this JVM no longer holds it: the lease frees what a failure left
        }
        if (released == 0) {
            target.meters().leaseExpired();
            throw lost(h);
        }
    }

    /** A {@code Lock} released by an instance that does not hold it, as Python allows any thread to. */
    private void releaseWhoeverHolds() {
        long released = calls.call(target, Scripts.LOCK_RELEASE, releaseKeys, "", channel);
        if (released == -1) {
            List<String> holders = holders();
            throw new IllegalStateException(target + " released by an instance that does not hold it, but its holder "
                    + holders + " took it as an RLock, which only its owner releases: configure the name the same"
                    + " way (spool.locks." + target.name() + ".reentrant) on every instance");
        }
        if (released == 0) {
            throw new IllegalStateException(target + " released while not locked by any instance: release() of an"
                    + " unlocked lock; release each hold once");
        }
    }

    private RuntimeException lost(Hold h) {
        String message = target + ": the hold with fencing token " + h.token + " (" + h.holder + ") had expired"
                + " before this release: its lease of " + leaseMillis + " ms ran out unrenewed (the JVM paused, or"
                + " Redis was unreachable) or another instance released it, and another holder may have had the"
                + " lock since. Nothing was released; guard writes with fencingToken(), or give the lock a longer"
                + " lease";
        return reentrant ? new IllegalMonitorStateException(message) : new IllegalStateException(message);
    }

    @Override
    public boolean isLocked() {
        Hold h = hold;
        if (h != null && !h.lost) {
            return true;
        }
        long locked = calls.observe(target, Scripts.LOCK_LOCKED, lockKey);
        return locked == 1;
    }

    @Override
    public int holdCount() {
        Hold h = hold;
        if (h == null || h.lost || h.owner != Thread.currentThread()) {
            return 0;
        }
        return reentrant ? h.count : 1;
    }

    @Override
    public long fencingToken() {
        Hold h = hold;
        if (h == null || h.lost) {
            throw new IllegalStateException(target + " is not held by this instance (" + backend.instanceId()
                    + (h == null ? ")" : "): its lease ran out") + "; call fencingToken() while holding it");
        }
        return h.token;
    }

    @Override
    public List<String> holders() {
        String holder = calls.observe(target, Scripts.LOCK_HOLDER, lockKey);
        return holder == null ? List.of() : List.of(holder);
    }

    @Override
    public List<String> waiters() {
        return RedisBackend.waiterNames(calls.observe(target, Scripts.WAITERS, waitersKey));
    }

    @Override
    public String backend() {
        return RedisBackend.NAME;
    }

    private void startRenewal() {
        if (renewalStarted.compareAndSet(false, true)) {
            backend.scheduleRenewal(this::renew, leaseMillis);
        }
    }

    /** Runs on the backend's scheduler: renews this JVM's hold, without blocking the scheduler on Redis. */
    private void renew() {
        Hold h = hold;
        if (h == null || h.lost || !renewing.compareAndSet(false, true)) {
            return;
        }
        calls.<Long>callAsync(target, Scripts.LOCK_RENEW, lockKey, h.id, leaseMillis).whenComplete((kept, e) -> {
            renewing.set(false);
            if (e == null && kept == 0 && hold == h && !h.lost) {
                h.lost = true;
                target.meters().leaseExpired();
                h.end();
            }
        });
    }

    private static boolean isAcquired(List<Object> answer) {
        return answer != null && number(answer.get(0)) == 1;
    }

    static long number(Object value) {
        return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value));
    }
}
