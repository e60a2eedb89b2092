package dev.spool.redis;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redisson.config.SentinelServersConfig;

import dev.spool.threading.spi.SharedBackend;
import dev.spool.threading.spi.SharedEvent;
import dev.spool.threading.spi.SharedLock;
import dev.spool.threading.spi.SharedSemaphore;

/**
 * The {@code redis} backend: Spool's named {@code Lock}, {@code RLock}, {@code Semaphore}, {@code BoundedSemaphore}
 * and {@code Event} shared by every instance of an application through one Redis, over the application's
 * {@link RedissonClient}. The Spring starter makes one from the application's client (see
 * {@link SpoolRedisAutoConfiguration}); outside Spring, build it over a client and hand it to the primitives'
 * {@code shared(…)} factories.
 *
 * <p>The state lives in Redisson's own objects: a lock or a semaphore is an {@code RPermitExpirableSemaphore} (a
 * lock has one permit), with an {@code RAtomicLong} fencing counter for a lock and {@code RMapCache} entries naming
 * the holders and waiters; an event is an {@code RBucket} flag, an {@code RAtomicLong} count of sets and an
 * {@code RTopic}. Every call is bounded by the {@code timeout} given here, whatever the client's own retry settings,
 * and a failure is a {@link dev.spool.threading.BackendUnavailableException} naming the primitive, the step, the
 * Redis address and what to check. A waiting thread rides out failures that last less than {@code timeout} (a
 * restart, a failover) and then ends its wait with that exception. Holds and permits carry a lease per permit that
 * this backend's single scheduler
 * thread renews every third of it while the JVM runs; the lease is what frees them when a JVM dies. {@link #close()}
 * stops the renewals and the subscriptions, not the client, which belongs to the application.
 */
public final class RedisBackend implements SharedBackend, AutoCloseable {
    /** The backend's name, as {@code spool.backend} spells it. */
    public static final String NAME = "redis";
    /** The default bound of each call to Redis. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    /** The default longest slice of a wait, between two looks at Redis. */
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(1);

    /** The key {@link #check()} asks about; it never exists. */
    private static final String CHECK_KEY = "spool:check";

    private final RedissonClient redisson;
    private final String instanceId;
    /** Tells this backend's hold, permit and waiter ids from every other backend's. */
    private final String uid = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong sequence = new AtomicLong();
    private final RedisCalls calls;
    private final long timeoutNanos;
    private final long pollNanos;
    private final long waiterTtlMillis;
    private final ScheduledThreadPoolExecutor renewals;
    private final Target self = new Target(NAME, Target.BACKEND);
    private final List<Target> targets = new ArrayList<>();
    private final List<Function<Target, MeterSet>> meterFactories = new ArrayList<>();
    private final Map<String, Wakeups> wakeups = new ConcurrentHashMap<>();
    private final List<Entries> entries = new CopyOnWriteArrayList<>();

    /**
     * A backend whose instance id is {@link #defaultInstanceId(String) defaultInstanceId(null)}.
     *
     * @param redisson the application's client; this backend never shuts it down
     */
    public RedisBackend(RedissonClient redisson) {
        this(redisson, defaultInstanceId(null));
    }

    /**
     * @param redisson   the application's client; this backend never shuts it down
     * @param instanceId this JVM's name in {@code instance/thread}, e.g. {@code orders@host-1:4242}
     */
    public RedisBackend(RedissonClient redisson, String instanceId) {
        this(redisson, instanceId, DEFAULT_TIMEOUT, DEFAULT_POLL);
    }

    /**
     * @param redisson   the application's client; this backend never shuts it down
     * @param instanceId this JVM's name in {@code instance/thread}
     * @param timeout    the bound of each call to Redis ({@link #DEFAULT_TIMEOUT}); a call with no answer by then
     *                   throws {@code BackendUnavailableException}. It is also how long a waiting thread keeps
     *                   looking while Redis cannot be reached before its wait ends with that exception
     * @param poll       the longest slice of a wait ({@link #DEFAULT_POLL}): a waiting thread looks at Redis again at
     *                   least this often, so a wait notices an outage, and a message lost while a connection was down
     *                   delays it by at most this
     */
    public RedisBackend(RedissonClient redisson, String instanceId, Duration timeout, Duration poll) {
        this.redisson = Objects.requireNonNull(redisson, "redisson");
        this.instanceId = requireText(instanceId, "instanceId");
        this.timeoutNanos = requirePositive(timeout, "timeout").toNanos();
        this.pollNanos = requirePositive(poll, "poll").toNanos();
        // A waiter refreshes its entry at every slice (at least every poll); three missed slices and it is gone.
        this.waiterTtlMillis = 3 * poll.toMillis() + timeout.toMillis();
        this.calls = new RedisCalls(address(redisson), timeout);
        this.renewals = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "spool-redis-renewal");
            thread.setDaemon(true);
            return thread;
        });
        renewals.setRemoveOnCancelPolicy(true);
        register(self);
    }

    /**
     * @param applicationName {@code spring.application.name}, or null or blank for {@code app}
     * @return {@code name@host:pid}: readable in {@code holders()} and stable for the life of this JVM
     */
    public static String defaultInstanceId(String applicationName) {
        String name = applicationName == null || applicationName.isBlank() ? "app" : applicationName.strip();
        return name + "@" + hostName() + ":" + ProcessHandle.current().pid();
    }

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    /** @return {@value #NAME} */
    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    /** @return the Redis address(es) of the client, as this backend's messages name them (credentials left out) */
    public String address() {
        return calls.address();
    }

    /**
     * Asks Redis whether a key exists, within the observation bound (at most a second): the health component calls
     * it on every check, and a health endpoint must not hang on an unreachable Redis.
     *
     * @throws dev.spool.threading.BackendUnavailableException saying that Redis at {@link #address()} could not be
     *                                                         reached and which keys to check
     */
    @Override
    public void check() {
        calls.observe(self, "check", () -> redisson.getBucket(CHECK_KEY, StringCodec.INSTANCE).isExistsAsync());
    }

    /**
     * @throws IllegalArgumentException if {@code lease} is shorter than 30 ms (renewed every third of it, it would
     *                                  race its own round trips)
     */
    @Override
    public SharedLock lock(String name, boolean reentrant, boolean fair, Duration lease) {
        return new RedisLock(this, requireText(name, "name"), reentrant, fair, leaseMillis(name, lease));
    }

    /**
     * @throws IllegalStateException    if another instance configured the name with other {@code permits} or
     *                                  {@code bounded} first
     * @throws IllegalArgumentException for negative {@code permits} or a lease shorter than 30 ms
     */
    @Override
    public SharedSemaphore semaphore(String name, int permits, boolean bounded, Duration lease) {
        if (permits < 0) {
            throw new IllegalArgumentException("semaphore '" + name + "': permits must be 0 or more, not " + permits);
        }
        return new RedisSemaphore(this, requireText(name, "name"), permits, bounded, leaseMillis(name, lease));
    }

    @Override
    public SharedEvent event(String name) {
        return new RedisEvent(this, requireText(name, "name"));
    }

    /**
     * Stops renewing leases (they run out on Redis), drops the subscriptions and Redisson's clean-up of the entry
     * maps; the client stays open.
     */
    @Override
    public void close() {
        renewals.shutdownNow();
        wakeups.values().forEach(Wakeups::close);
        entries.forEach(Entries::close);
    }

    // ------------------------------------------------------------------------------------- for the primitives

    RedisCalls calls() {
        return calls;
    }

    RedissonClient redisson() {
        return redisson;
    }

    /**
     * Waits, uninterruptibly and at most the backend's timeout, for bookkeeping a caller wants done before it
     * returns (a waiter entry removed); a failure is ignored, the entry's expiry covers it.
     */
    void settle(CompletionStage<?> stage) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            while (true) {
                try {
                    stage.toCompletableFuture().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | TimeoutException e) {
                    return;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    long pollNanos() {
        return pollNanos;
    }

    long waiterTtlMillis() {
        return waiterTtlMillis;
    }

    /** @return a waiting thread's tracker of failed looks, tolerating them for the backend's timeout */
    Outage outage() {
        return new Outage(timeoutNanos);
    }

    /** @return a waiter id no other waiter of any instance has */
    String newId() {
        return uid + ":" + sequence.incrementAndGet();
    }

    /** @return the calling thread as {@code instance/thread} */
    String holderName() {
        return instanceId + "/" + Thread.currentThread().getName();
    }

    /** @return the holder or waiter entries of that name, closed with the backend */
    Entries entries(String mapName) {
        Entries made = new Entries(redisson, mapName);
        entries.add(made);
        return made;
    }

    /** @return the channel's wakeups, one per channel, shared by the primitives of this backend that use it */
    Wakeups wakeups(String channel) {
        return wakeups.computeIfAbsent(channel, c -> new Wakeups(redisson, c));
    }

    /**
     * Runs {@code task} once on the backend's scheduler after {@code delayMillis}.
     *
     * @return its future, to cancel it; null if the backend is closed (nothing was scheduled)
     */
    ScheduledFuture<?> later(Runnable task, long delayMillis) {
        try {
            return renewals.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /** Runs {@code renew} every third of the lease, for as long as the backend is open. */
    void scheduleRenewal(Runnable renew, long leaseMillis) {
        long period = Math.max(1, leaseMillis / 3);
        try {
            ScheduledFuture<?> unused = renewals.scheduleAtFixedRate(() -> {
                try {
                    renew.run();
                } catch (RuntimeException e) {
                    // a renewal that could not even be sent: the next period tries again, the lease bounds it
                }
            }, period, period, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed: holds taken after close() are not renewed, and their lease frees them
        }
    }

    synchronized Target register(Target target) {
        targets.add(target);
        for (Function<Target, MeterSet> factory : meterFactories) {
            target.meters(MeterSet.both(target.meters(), factory.apply(target)));
        }
        return target;
    }

    /** Adds a registry's meters to every primitive built so far and to every one built later. */
    synchronized void addMeters(Function<Target, MeterSet> factory) {
        meterFactories.add(factory);
        for (Target target : targets) {
            target.meters(MeterSet.both(target.meters(), factory.apply(target)));
        }
    }

    // ------------------------------------------------------------------------------------- helpers

    private static long leaseMillis(String name, Duration lease) {
        Objects.requireNonNull(lease, "lease");
        if (lease.toMillis() < 30) {
            throw new IllegalArgumentException("'" + name + "': a lease of " + lease + " is too short; the backend"
                    + " renews it every third of it, give it 30 ms at least (seconds, in practice)");
        }
        return lease.toMillis();
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return value;
    }

    private static Duration requirePositive(Duration value, String what) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, not " + value);
        }
        return value;
    }

    /** @return where the client connects, for messages: never its password */
    static String address(RedissonClient redisson) {
        String fallback = "the address in the Redisson configuration";
        try {
            Config config = new Config(redisson.getConfig());
            String address;
            if (config.isClusterConfig()) {
                address = "cluster " + config.useClusterServers().getNodeAddresses();
            } else if (config.isSentinelConfig()) {
                SentinelServersConfig sentinel = config.useSentinelServers();
                address = "master '" + sentinel.getMasterName() + "' of sentinels " + sentinel.getSentinelAddresses();
            } else if (config.isSingleConfig()) {
                address = config.useSingleServer().getAddress();
            } else {
                return fallback;
            }
            return address.replaceAll("//[^/@\\s]*@", "//");
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
