package dev.spool.redis;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.spool.threading.BackendUnavailableException;
import dev.spool.threading.spi.SharedSemaphore;

/**
 * A named {@code Semaphore} or {@code BoundedSemaphore} on Redis.
 *
 * <h2>Design</h2>
 * Redis keeps the semaphore's config ({@code permits}, {@code bounded}, and {@code capacity}: the permits plus what
 * releases without a hold added), the permits held as a sorted set of permit ids scored by their lease's end, their
 * holders' names, and the waiters. A permit is taken when fewer than {@code capacity} live permits are held; the
 * acquire script first takes back the permits whose lease ended, so a holder that crashed leaks nothing for longer
 * than its lease. This is Redisson's {@code RPermitExpirableSemaphore} model (permit ids with leases), written as
 * scripts so that the holder's name, the waiter entry and the config check ride in the same round trip.
 *
 * <h2>Python's release() without a permit id</h2>
 * This JVM remembers the ids of the permits its threads took. {@code release(n)} gives back {@code n} of them,
 * those taken by the calling thread first; an unbounded semaphore asked to give back more than this JVM holds adds
 * the rest as new permits (Python's {@code Semaphore.release()} grows the value), and a bounded one refuses the
 * whole call with {@link IllegalStateException}, releasing nothing. A {@code BoundedSemaphore} therefore cannot give
 * back a permit another instance took: its bound is kept per hold, where Python checks only the value.
 *
 * <h2>Config</h2>
 * The first instance to use the name writes {@code permits} and {@code bounded}; an instance configured otherwise
 * fails with {@link IllegalStateException} when it builds its semaphore, and each of its calls does too.
 */
final class RedisSemaphore implements SharedSemaphore {
    private final RedisBackend backend;
    private final RedisCalls calls;
    private final Target target;
    private final int permits;
    private final boolean bounded;
    private final long leaseMillis;
    private final List<Object> keys;
    private final List<Object> holdsKey;
    private final List<Object> holdersKeys;
    private final List<Object> valueKeys;
    private final List<Object> waitersKey;
    private final String channel;
    private final Wakeups wakeups;
    private final ConcurrentLinkedDeque<Permit> held = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean renewing = new AtomicBoolean();
    private final AtomicBoolean renewalStarted = new AtomicBoolean();

    /** A permit this JVM holds. */
    private static final class Permit {
        final String id;
        final Thread taker;
        volatile boolean lost;

        Permit(String id, Thread taker) {
            this.id = id;
            this.taker = taker;
        }
    }

    RedisSemaphore(RedisBackend backend, String name, int permits, boolean bounded, long leaseMillis) {
        this.backend = backend;
        this.calls = backend.calls();
        this.target = backend.register(new Target(name, bounded ? Target.BOUNDED_SEMAPHORE : Target.SEMAPHORE));
        this.permits = permits;
        this.bounded = bounded;
        this.leaseMillis = leaseMillis;
        this.keys = Keys.semaphoreKeys(name);
        this.holdsKey = List.of(keys.get(1));
        this.holdersKeys = List.of(keys.get(1), keys.get(2));
        this.valueKeys = List.of(keys.get(0), keys.get(1));
        this.waitersKey = List.of(keys.get(3));
        this.channel = Keys.semaphoreChannel(name);
        this.wakeups = backend.wakeups(channel);
        configure();
    }

    /** Fails at once on an instance that disagrees with the first; an unreachable Redis is left to the first call. */
    private void configure() {
        try {
            List<Object> answer = calls.call(target, Scripts.SEMAPHORE_CONFIGURE, keys, permits, flag());
            checkConfig(answer);
        } catch (BackendUnavailableException e) {
            // every acquire and release checks the config again
        }
    }

    @Override
    public boolean acquire(long nanos) throws InterruptedException {
        Deadline deadline = Deadline.in(nanos);
        String member = null;
        try {
            if (!deadline.tryOnly()) {
                wakeups.subscribe(target, calls, backend.timeoutNanos());
                member = backend.waiterMember();
            }
            String holder = backend.holderName();
            Outage outage = backend.outage();
            while (true) {
                long seen = wakeups.generation();
                String id = backend.newId();
                Consumer<List<Object>> undo = late -> {
                    if (RedisLock.number(late.get(0)) == 1) {
                        calls.callAsync(target, Scripts.SEMAPHORE_RELEASE, keys, permits, flag(), channel, 0, id);
                    }
                };
                List<Object> answer;
                try {
                    answer = calls.callInterruptibly(target, Scripts.SEMAPHORE_ACQUIRE, keys, undo, permits, flag(),
                            id, holder, leaseMillis, member == null ? "" : member, backend.waiterTtlMillis());
                    outage.over();
                } catch (BackendUnavailableException e) {
                    if (deadline.tryOnly()) {
                        throw e;
                    }
                    outage.tolerate(e, deadline);
                    wakeups.await(seen, deadline.sleep(backend.pollNanos(), -1));
                    continue;
                }
                checkConfig(answer);
                if (RedisLock.number(answer.get(0)) == 1) {
                    held.add(new Permit(id, Thread.currentThread()));
                    startRenewal();
                    member = null; // the script removed the entry
                    return true;
                }
                if (deadline.remaining() <= 0) {
                    return false;
                }
                wakeups.await(seen, deadline.sleep(backend.pollNanos(), RedisLock.number(answer.get(1))));
            }
        } finally {
            if (member != null) {
                backend.removeWaiter(target, waitersKey, member);
            }
        }
    }

    @Override
    public void release(int n) {
        List<Permit> mine = take(n);
        int extra = n - mine.size();
        if (extra > 0 && bounded) {
            held.addAll(mine);
            throw new IllegalStateException(target + " released " + n + " permit(s) but this instance ("
                    + backend.instanceId() + ") holds " + mine.size() + ": a BoundedSemaphore gives back only"
                    + " permits its instance acquired, so this would pass its initial value of " + permits
                    + "; nothing was released");
        }
        Object[] args = new Object[4 + mine.size()];
        args[0] = permits;
        args[1] = flag();
        args[2] = channel;
        args[3] = extra;
        int knownLost = 0;
        for (int i = 0; i < mine.size(); i++) {
            args[4 + i] = mine.get(i).id;
            knownLost += mine.get(i).lost ? 1 : 0;
        }
        // The permits are off this JVM's books before the call: if it fails, nobody renews them and their lease
        // gives them back.
        List<Object> answer = calls.call(target, Scripts.SEMAPHORE_RELEASE, keys, args);
        checkConfig(answer);
        long lost = RedisLock.number(answer.get(1));
        for (long i = knownLost; i < lost; i++) {
            target.meters().leaseExpired();
        }
        if (lost > 0) {
            throw new IllegalStateException(target + ": " + lost + " of the " + mine.size() + " permit(s) released"
                    + " had expired before this release: their lease of " + leaseMillis + " ms ran out unrenewed"
                    + " (the JVM paused, or Redis was unreachable) and Redis took them back already; the others, if"
                    + " any, were released. Give the semaphore a longer lease if holds can outlast it");
        }
    }

    /** Takes up to {@code n} permits off this JVM's books, the calling thread's first. */
    private List<Permit> take(int n) {
        List<Permit> taken = new ArrayList<>(Math.min(n, 16));
        Thread me = Thread.currentThread();
        for (int pass = 0; pass < 2 && taken.size() < n; pass++) {
            for (Iterator<Permit> it = held.iterator(); it.hasNext() && taken.size() < n;) {
                Permit p = it.next();
                if ((pass == 1 || p.taker == me) && held.remove(p)) {
                    taken.add(p);
                }
            }
        }
        return taken;
    }

    @Override
    public int value() {
        long free = calls.observe(target, Scripts.SEMAPHORE_VALUE, valueKeys, permits);
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, free));
    }

    @Override
    public List<String> holders() {
        List<Object> names = calls.observe(target, Scripts.SEMAPHORE_HOLDERS, holdersKeys);
        return names.stream().filter(Objects::nonNull).map(String::valueOf).toList();
    }

    @Override
    public List<String> waiters() {
        return RedisBackend.waiterNames(calls.observe(target, Scripts.WAITERS, waitersKey));
    }

    @Override
    public String backend() {
        return RedisBackend.NAME;
    }

    private String flag() {
        return bounded ? "1" : "0";
    }

    private void checkConfig(List<Object> answer) {
        if (RedisLock.number(answer.get(0)) == -1) {
            String theirs = "1".equals(String.valueOf(answer.get(2))) ? "bounded" : "unbounded";
            String ours = bounded ? "bounded" : "unbounded";
            throw new IllegalStateException(target + " is configured here with " + permits + " permit(s), " + ours
                    + ", but Redis has " + answer.get(1) + " permit(s), " + theirs + ", from the instance that used"
                    + " the name first: give every instance the same spool.semaphores." + target.name()
                    + ".permits and .bounded (or a different name)");
        }
    }

    private void startRenewal() {
        if (renewalStarted.compareAndSet(false, true)) {
            backend.scheduleRenewal(this::renew, leaseMillis);
        }
    }

    /** Runs on the backend's scheduler: renews every permit this JVM holds in one call, without blocking. */
    private void renew() {
        if (held.isEmpty() || !renewing.compareAndSet(false, true)) {
            return;
        }
        List<Object> args = new ArrayList<>();
        args.add(leaseMillis);
        for (Permit p : held) {
            if (!p.lost) {
                args.add(p.id);
            }
        }
        if (args.size() == 1) {
            renewing.set(false);
            return;
        }
        calls.<List<Object>>callAsync(target, Scripts.SEMAPHORE_RENEW, holdsKey, args.toArray())
                .whenComplete((lostIds, e) -> {
                    renewing.set(false);
                    if (e != null) {
                        return;
                    }
                    for (Object id : lostIds) {
                        for (Permit p : held) {
                            if (p.id.equals(id) && !p.lost) {
                                p.lost = true;
                                target.meters().leaseExpired();
                            }
                        }
                    }
                });
    }
}
