package dev.spool.redis;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.spool.redis.ExpirablePermits.Permit;
import dev.spool.threading.spi.SharedSemaphore;

/**
 * A named {@code Semaphore} or {@code BoundedSemaphore} on Redis: a Redisson {@code RPermitExpirableSemaphore} (see
 * {@link ExpirablePermits}) with the configured number of permits, each permit taken with the semaphore's lease and
 * renewed every third of it while this JVM holds it.
 *
 * <h2>Python's release() without a permit id</h2>
 * This JVM remembers the ids of the permits its threads took. {@code release(n)} gives back {@code n} of them,
 * those taken by the calling thread first; an unbounded semaphore asked to give back more than this JVM holds adds
 * the rest as new permits ({@code addPermits}: Python's {@code Semaphore.release()} grows the value), and a bounded
 * one refuses the whole call with {@link IllegalStateException}, releasing nothing. A {@code BoundedSemaphore}
 * therefore cannot give back a permit another instance took: its bound is kept per hold, where Python checks only
 * the value.
 *
 * <h2>Config</h2>
 * The first instance to use the name writes its {@code permits} and {@code bounded} in an {@code RBucket}
 * ({@code setIfAbsent}) and sets the semaphore's permits ({@code trySetPermits}); an instance configured otherwise
 * fails with {@link IllegalStateException} when it builds its semaphore. The bucket, not the semaphore's
 * {@code getPermits()}, is what is compared: an unbounded semaphore's permits grow with its releases, and the bound
 * is not a number.
 */
final class RedisSemaphore implements SharedSemaphore {
    private final RedisBackend backend;
    private final Target target;
    private final int permits;
    private final boolean bounded;
    private final long leaseMillis;
    private final ExpirablePermits state;
    private final ConcurrentLinkedDeque<Permit> held = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean renewalStarted = new AtomicBoolean();

    RedisSemaphore(RedisBackend backend, String name, int permits, boolean bounded, long leaseMillis) {
        this.backend = backend;
        this.target = backend.register(new Target(name, bounded ? Target.BOUNDED_SEMAPHORE : Target.SEMAPHORE));
        this.permits = permits;
        this.bounded = bounded;
        this.leaseMillis = leaseMillis;
        this.state = new ExpirablePermits(backend, target, Keys.semaphore(name), permits, leaseMillis,
                Keys.semaphoreConfig(name), config(permits, bounded), this::conflict);
    }

    private static String config(int permits, boolean bounded) {
        return permits + (bounded ? " bounded" : " unbounded");
    }

    private IllegalStateException conflict(String theirs) {
        String[] parts = theirs.split(" ", 2);
        String ours = bounded ? "bounded" : "unbounded";
        return new IllegalStateException(target + " is configured here with " + permits + " permit(s), " + ours
                + ", but Redis has " + parts[0] + " permit(s), " + (parts.length > 1 ? parts[1] : "?") + ", from the"
                + " instance that used the name first: give every instance the same spool.semaphores."
                + target.name() + ".permits and .bounded (or a different name)");
    }

    @Override
    public boolean acquire(long nanos) throws InterruptedException {
        Deadline deadline = Deadline.in(nanos);
        String entry = backend.holderName();
        Permit permit = deadline.tryOnly() ? state.tryTake(entry) : state.take(deadline, entry, null);
        if (permit == null) {
            return false;
        }
        held.add(permit);
        if (renewalStarted.compareAndSet(false, true)) {
            backend.scheduleRenewal(this::renew, leaseMillis);
        }
        return true;
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
        // The permits are off this JVM's books before the call: if it fails, nobody renews them and their lease
        // gives them back.
        int lost = state.give(mine, extra);
        long knownLost = mine.stream().filter(p -> p.lost).count();
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
        return state.available();
    }

    @Override
    public List<String> holders() {
        return state.holders(List.copyOf(held));
    }

    @Override
    public List<String> waiters() {
        return state.waiters().names();
    }

    @Override
    public String backend() {
        return RedisBackend.NAME;
    }

    /** Runs on the backend's scheduler: renews every permit this JVM holds, without blocking on Redis. */
    private void renew() {
        for (Permit p : held) {
            if (!p.lost && p.renewing.compareAndSet(false, true)) {
                state.renew(p, () -> {
                    if (!p.lost) {
                        p.lost = true;
                        target.meters().leaseExpired();
                    }
                }, () -> p.renewing.set(false));
            }
        }
    }
}
