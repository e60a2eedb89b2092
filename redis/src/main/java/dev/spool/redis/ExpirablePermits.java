package dev.spool.redis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.redisson.api.RBucket;
import org.redisson.api.RPermitExpirableSemaphore;
import org.redisson.client.codec.StringCodec;

import dev.spool.threading.BackendUnavailableException;

/**
 * The shared state of a lock or a semaphore: one Redisson {@link RPermitExpirableSemaphore}, whose permits each carry
 * a lease (an expiry Redisson keeps in Redis), plus the {@link Entries} of its holders and the {@link Waiters}. A
 * lock is the same thing with one permit.
 *
 * <h2>Round trips</h2>
 * An acquire that does not wait is one awaited call ({@code tryAcquireAsync(1, 0, lease)}), and a release one
 * ({@code tryReleaseAsync(permitId)}), as Redisson's own lock costs. The holder entry of such an acquire is written
 * asynchronously and not at once: {@link #ENTRY_GRACE_MILLIS} later, on the backend's scheduler, if the hold is
 * still there, and it is removed after the release (once its own write has answered, so that the two cannot cross).
 * A hold shorter than that grace never writes or removes an entry. Written at once, the entry's write and removal
 * (two more {@code RMapCache} scripts per hold, not awaited) made the uncontended acquire and release about 1.7
 * times Redisson's {@code RLock} on the two-core benchmark machine, against 0.9 times with the grace; what the grace
 * costs is that another instance's {@code holders()} does not show a hold younger than it. A thread that waits writes
 * a waiter entry, waits in slices through Redisson's own {@code tryAcquireAsync(1, slice, lease)} (which sleeps on the
 * semaphore's pub/sub channel and until the nearest lease ends), and, once it has a permit, waits for its holder
 * entry and for its waiter entry's removal: the slow path pays them so that a wait that returned is reported
 * exactly.
 *
 * <h2>Holders as observed</h2>
 * {@link #holders(Collection)} reports this JVM's permits from memory and another instance's entries only if
 * Redisson still knows their permit ({@code getLeaseTimeAsync} answers for a live permit and fails for one that is
 * gone), so an entry whose removal is still on its way, or whose holder lost its lease, is not reported. What it may
 * miss is a permit another instance took without waiting less than the grace (and a round trip) ago.
 *
 * <h2>Permits and Redis losing its data</h2>
 * The first instance sets the number of permits ({@code trySetPermits}, which does nothing where they are set). A
 * Redis that restarts without its data loses them, and Redisson's semaphore would then give no permit to anybody; so
 * a try that fails, and each slice of a wait, sets them again if they are missing, at most once per poll interval.
 */
final class ExpirablePermits {
    /** What a lock's holder entry carries after its name when it was taken as an {@code RLock}. */
    private static final String REENTRANT_MARK = "\nrlock";
    /** How long a hold taken without waiting goes before its holder entry is written; see the class comment. */
    static final long ENTRY_GRACE_MILLIS = 10;
    /** The pause before an acquire that Redisson failed is sent again. */
    private static final long RETRY_PAUSE_MILLIS = 50;

    /** A permit this JVM holds. */
    static final class Permit {
        final String id;
        /** The holder as {@code instance/thread}. */
        final String holder;
        final Thread taker;
        /** Set when a renewal, a release or a fencing token found the lease gone. */
        volatile boolean lost;
        /** True while a renewal of this permit is on its way, so that renewals never pile up. */
        final AtomicBoolean renewing = new AtomicBoolean();
        /**
         * The holder entry's write, when it was not awaited: completes once the delayed write has answered; the
         * entry's removal waits for it. Null when the entry was written before the acquire returned.
         */
        final CompletableFuture<Void> entry;
        /** The delayed write itself, to cancel when the hold ends before it ran. */
        volatile Future<?> entryTask;

        Permit(String id, String holder, Thread taker, CompletableFuture<Void> entry) {
            this.id = id;
            this.holder = holder;
            this.taker = taker;
            this.entry = entry;
        }
    }

    private final RedisBackend backend;
    private final RedisCalls calls;
    private final Target target;
    private final RPermitExpirableSemaphore semaphore;
    private final Entries holders;
    private final Waiters waiters;
    private final int permits;
    private final long leaseMillis;
    /** The semaphore's configuration bucket and value, or null for a lock (its permits are always 1). */
    private final RBucket<String> config;
    private final String configValue;
    private final Function<String, RuntimeException> conflict;
    private volatile boolean configured;
    private volatile boolean configVerified;
    /** When a failed try or a slice may next look whether the permits are missing; see {@link #reseedIfDue()}. */
    private volatile long nextReseedCheck = System.nanoTime();

    /**
     * @param key         the semaphore's name ({@link Keys#lock} or {@link Keys#semaphore})
     * @param configKey   where a semaphore's configuration is kept, or null for a lock
     * @param configValue the configuration this instance has, e.g. {@code 3 bounded}
     * @param conflict    the exception to throw when Redis has another configuration (its value as argument)
     */
    ExpirablePermits(RedisBackend backend, Target target, String key, int permits, long leaseMillis,
            String configKey, String configValue, Function<String, RuntimeException> conflict) {
        this.backend = backend;
        this.calls = backend.calls();
        this.target = target;
        this.semaphore = backend.redisson().getPermitExpirableSemaphore(key);
        this.holders = backend.entries(Keys.holders(key));
        this.waiters = new Waiters(backend, target, Keys.waiters(key));
        this.permits = permits;
        this.leaseMillis = leaseMillis;
        this.config = configKey == null ? null : backend.redisson().getBucket(configKey, StringCodec.INSTANCE);
        this.configValue = configValue;
        this.conflict = conflict;
        try {
            configure();
        } catch (BackendUnavailableException e) {
            // Redis unreachable now: the first acquire configures
        }
    }

    Waiters waiters() {
        return waiters;
    }

    /**
     * Checks the configuration against Redis' (a semaphore's), and sets the permits where they are missing.
     *
     * @return true if this call set the permits (the first use of the name, or Redis lost its data)
     * @throws IllegalStateException (from {@code conflict}) if the name is configured otherwise in Redis
     */
    private boolean configure() {
        if (config != null) {
            boolean wrote = calls.call(target, "configure", () -> config.setIfAbsentAsync(configValue));
            if (!wrote && !configVerified) {
                String theirs = calls.call(target, "configure", config::getAsync);
                if (theirs != null && !theirs.equals(configValue)) {
                    throw conflict.apply(theirs);
                }
            }
            configVerified = true;
        }
        boolean set = calls.call(target, "configure", () -> semaphore.trySetPermitsAsync(permits));
        configured = true;
        nextReseedCheck = System.nanoTime() + backend.pollNanos();
        return set;
    }

    /** @return true if the permits were missing and are set now; looks at most once per poll interval */
    private boolean reseedIfDue() {
        if (System.nanoTime() - nextReseedCheck < 0) {
            return false;
        }
        return configure();
    }

    // ------------------------------------------------------------------------------------------------ acquiring

    /**
     * Takes a permit if one is free, without waiting: one awaited round trip; the holder entry is written
     * {@link #ENTRY_GRACE_MILLIS} later if the hold is still there, without waiting.
     *
     * @param entry what the holder entry says: {@link #entry(String, boolean)}
     * @return the permit, or null
     */
    Permit tryTake(String entry) throws InterruptedException {
        if (!configured) {
            configure();
        }
        String id = tryOnce();
        if (id == null && reseedIfDue()) {
            id = tryOnce(); // the permits were gone with Redis' data, and are back
        }
        if (id == null) {
            return null;
        }
        Permit permit = new Permit(id, holderOf(entry), Thread.currentThread(), new CompletableFuture<>());
        Runnable write = () -> holders.put(permit.id, entry, leaseMillis)
                .whenComplete((written, error) -> permit.entry.complete(null));
        permit.entryTask = backend.later(write, ENTRY_GRACE_MILLIS);
        if (permit.entryTask == null) {
            write.run(); // the backend is closed: no scheduler, write it now
        }
        return permit;
    }

    private String tryOnce() throws InterruptedException {
        return onceMore(() -> first(calls.callInterruptibly(target, "acquire",
                () -> semaphore.tryAcquireAsync(1, 0, leaseMillis, TimeUnit.MILLISECONDS), this::giveBackLate)));
    }

    /**
     * @return the one permit id of an answer, or null for none. The list form of {@code tryAcquireAsync} is used
     *         because its future is Redisson's own: cancelling it stops the wait (see {@link RedisCalls})
     */
    private static String first(List<String> ids) {
        return ids == null || ids.isEmpty() ? null : ids.get(0);
    }

    /** One call of an acquire. */
    private interface Acquire {
        String call() throws InterruptedException;
    }

    /**
     * Redisson does not retry an acquire (a retry could take a second permit), so a connection it finds closed,
     * typically the first calls on pooled connections after Redis came back, fails the acquire although Redis could
     * serve it now. A try that Redisson failed is therefore sent once more after a short pause; a second failure,
     * or a call that got no answer within the bound, is the outage. (A wait does the same for up to the backend's
     * timeout: see {@link #take}.) If a failed call did take a permit on Redis, nobody renews it and its lease gives
     * it back.
     */
    private static String onceMore(Acquire acquire) throws InterruptedException {
        try {
            return acquire.call();
        } catch (BackendUnavailableException e) {
            if (e.getCause() == null) {
                throw e; // no answer within the bound: waiting again would double the time to report it
            }
            TimeUnit.MILLISECONDS.sleep(RETRY_PAUSE_MILLIS);
            return acquire.call();
        }
    }

    /**
     * Waits for a permit until the deadline, in slices of at most the poll interval, as a waiter.
     *
     * @param waiter the calling thread's waiter entry if it has one already (a lock's thread that waited at the
     *               local gate), else null; this method removes it in any case
     * @return the permit, or null when the deadline passed
     * @throws BackendUnavailableException if Redis cannot be reached, at the latest a slice and a timeout after it
     *                                     went away
     */
    Permit take(Deadline deadline, String entry, Waiters.Waiter waiter) throws InterruptedException {
        if (!configured) {
            configure();
        }
        boolean settle = false;
        Outage outage = backend.outage();
        try {
            if (waiter == null) {
                waiter = waiters.register();
            }
            while (true) {
                String id;
                try {
                    reseedIfDue();
                    long slice = deadline.slice(backend.pollNanos());
                    long sliceMillis = Math.max(0, (slice + 999_999) / 1_000_000);
                    id = first(calls.awaitSlice(target, "acquire",
                            () -> semaphore.tryAcquireAsync(1, sliceMillis, leaseMillis, TimeUnit.MILLISECONDS),
                            Math.max(0, slice), this::giveBackLate));
                    outage.over();
                } catch (BackendUnavailableException e) {
                    // Redis may be back already (see onceMore), or be back soon: the wait goes on through failures
                    // for up to the backend's timeout, then reports the outage.
                    outage.tolerate(e, deadline);
                    TimeUnit.MILLISECONDS.sleep(RETRY_PAUSE_MILLIS);
                    continue;
                }
                if (id != null) {
                    // The slow path waits for its bookkeeping: the holder entry, and the waiter entry's removal.
                    CompletionStage<Boolean> written = holders.put(id, entry, leaseMillis);
                    CompletionStage<Long> removed = waiters.remove(waiter);
                    waiter = null;
                    backend.settle(CompletableFuture.allOf(written.toCompletableFuture(),
                            removed.toCompletableFuture()));
                    return new Permit(id, holderOf(entry), Thread.currentThread(), null);
                }
                if (deadline.remaining() <= 0) {
                    settle = true;
                    return null;
                }
                waiters.refresh(waiter);
            }
        } finally {
            if (waiter != null) {
                waiters.unregister(waiter, settle);
            }
        }
    }

    /** An acquire whose answer came after its caller gave up: the permit is nobody's, give it back. */
    private void giveBackLate(List<String> ids) {
        for (String id : ids) {
            RedisCalls.quietly(() -> semaphore.tryReleaseAsync(id));
        }
    }

    // ------------------------------------------------------------------------------------------------ releasing

    /**
     * Gives a permit back: one awaited round trip; the holder entry goes afterwards, without waiting.
     *
     * @return true if released, false if the permit was gone already (its lease ran out, or another instance
     *         released it): then nothing was released
     */
    boolean give(Permit permit) {
        try {
            return calls.call(target, "release", () -> semaphore.tryReleaseAsync(permit.id));
        } finally {
            forget(permit);
        }
    }

    /**
     * Gives several permits back and adds {@code extra} new ones, in parallel, awaited together.
     *
     * @return how many of {@code given} were gone already (nothing was released for those)
     */
    int give(List<Permit> given, int extra) {
        List<CompletableFuture<Boolean>> releases = new ArrayList<>(given.size());
        try {
            CompletableFuture<?>[] all = new CompletableFuture<?>[given.size() + (extra > 0 ? 1 : 0)];
            for (Permit permit : given) {
                CompletableFuture<Boolean> release = semaphore.tryReleaseAsync(permit.id).toCompletableFuture();
                releases.add(release);
                all[releases.size() - 1] = release;
            }
            if (extra > 0) {
                all[all.length - 1] = semaphore.addPermitsAsync(extra).toCompletableFuture();
            }
            calls.call(target, "release", () -> CompletableFuture.allOf(all));
        } catch (RuntimeException e) {
            if (e instanceof BackendUnavailableException) {
                throw e;
            }
            throw calls.failed(target, "release", e); // Redisson shut down
        } finally {
            given.forEach(this::forget);
        }
        return (int) releases.stream().filter(release -> !release.join()).count();
    }

    /**
     * Releases a permit this JVM does not hold, by its id as a holder entry gives it (a {@code Lock} released by
     * another instance than its holder's).
     *
     * @return true if released, false if it was gone already
     */
    boolean giveById(String id) {
        try {
            return calls.call(target, "release", () -> semaphore.tryReleaseAsync(id));
        } finally {
            holders.remove(id);
        }
    }

    /**
     * Drops the holder entry once its own write has answered, so that the removal cannot overtake it; a delayed
     * write that has not started is cancelled instead, and nothing is sent.
     */
    private void forget(Permit permit) {
        Future<?> task = permit.entryTask;
        if (task != null && task.cancel(false)) {
            return;
        }
        if (permit.entry == null) {
            holders.remove(permit.id);
        } else {
            permit.entry.whenComplete((written, error) -> holders.remove(permit.id));
        }
    }

    // ------------------------------------------------------------------------------------------------ leases

    /**
     * Renews a permit's lease without waiting: Redisson's {@code updateLeaseTimeAsync}, and the holder entry's
     * time to live with it.
     *
     * @param lost run (on a Redisson thread) if the permit was gone
     * @param done run when the answer is in, whatever it is
     */
    void renew(Permit permit, Runnable lost, Runnable done) {
        calls.async(target, "renew", () -> semaphore.updateLeaseTimeAsync(permit.id, leaseMillis,
                TimeUnit.MILLISECONDS)).whenComplete((kept, error) -> {
                    try {
                        if (error == null && !kept) {
                            lost.run();
                        } else if (error == null) {
                            holders.touch(permit.id, leaseMillis);
                        }
                    } finally {
                        done.run();
                    }
                });
    }

    /**
     * Checks, awaited, that the permit is still held, renewing its lease: what a fencing token is verified with.
     *
     * @return false if the permit is gone
     */
    boolean stillHeld(Permit permit) {
        return calls.call(target, "fencing token check", () -> semaphore.updateLeaseTimeAsync(permit.id,
                leaseMillis, TimeUnit.MILLISECONDS));
    }

    // ------------------------------------------------------------------------------------------------ observing

    /** @return the free permits now */
    int available() {
        return calls.observe(target, "value", semaphore::availablePermitsAsync);
    }

    /** @return the permits held now, by every instance */
    int acquired() {
        return calls.observe(target, "acquired", semaphore::acquiredPermitsAsync);
    }

    /**
     * @param local this JVM's permits, reported from memory
     * @return the holders of every live permit, as {@code instance/thread}, one per permit
     */
    List<String> holders(Collection<Permit> local) {
        Map<String, String> entries = holderEntries();
        List<String> names = new ArrayList<>();
        Set<String> localIds = new HashSet<>();
        for (Permit permit : local) {
            if (!permit.lost) {
                names.add(permit.holder);
            }
            localIds.add(permit.id);
        }
        entries.keySet().removeAll(localIds);
        Map<String, Boolean> live = live(entries.keySet());
        entries.forEach((id, entry) -> {
            if (live.get(id)) {
                names.add(holderOf(entry));
            }
        });
        return names;
    }

    /** @return the holder entries (permit id to {@link #entry(String, boolean) entry}), live or not */
    Map<String, String> holderEntries() {
        return new HashMap<>(calls.observe(target, "holders", holders::readAll));
    }

    /**
     * @return for each permit id, whether Redisson still has it: its {@code getLeaseTimeAsync} answers for a live
     *         permit and fails with {@link IllegalArgumentException} for one released or expired
     */
    Map<String, Boolean> live(Collection<String> ids) {
        Map<String, CompletableFuture<Boolean>> checks = new HashMap<>();
        for (String id : ids) {
            checks.put(id, semaphore.getLeaseTimeAsync(id).toCompletableFuture().handle((left, error) -> {
                if (error == null) {
                    return true;
                }
                if (RedisCalls.unwrap(error) instanceof IllegalArgumentException) {
                    return false;
                }
                throw new CompletionException(error);
            }));
        }
        Map<String, Boolean> live = new HashMap<>();
        if (!checks.isEmpty()) {
            calls.observe(target, "holders",
                    () -> CompletableFuture.allOf(checks.values().toArray(CompletableFuture<?>[]::new)));
            checks.forEach((id, check) -> live.put(id, check.join()));
        }
        return live;
    }

    // ------------------------------------------------------------------------------------------------ entries

    /**
     * @param holder    the holder as {@code instance/thread}
     * @param reentrant true for an {@code RLock}'s hold, which a {@code Lock} of the same name must not release
     * @return what the holder entry of a permit says
     */
    static String entry(String holder, boolean reentrant) {
        return reentrant ? holder + REENTRANT_MARK : holder;
    }

    /** @return the holder part of an entry */
    static String holderOf(String entry) {
        return entry.endsWith(REENTRANT_MARK) ? entry.substring(0, entry.length() - REENTRANT_MARK.length()) : entry;
    }

    /** @return whether the entry is an {@code RLock}'s hold */
    static boolean isReentrant(String entry) {
        return entry.endsWith(REENTRANT_MARK);
    }
}
