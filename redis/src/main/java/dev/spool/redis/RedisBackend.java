package dev.spool.redis;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.redisson.api.RedissonClient;
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
 * <p>Each step of a primitive is one Lua script, so one round trip and atomic; every call is bounded by the
 * {@code timeout} given here, whatever the client's own retry settings, and a failure is a
 * {@link dev.spool.threading.BackendUnavailableException} naming the primitive, the step, the Redis address and
 * what to check. A waiting thread rides out failures that last less than {@code timeout} (a restart, a failover)
 * and then ends its wait with that exception. Holds and permits carry a lease that this backend's single scheduler thread renews every third of
 * it while the JVM runs; the lease is what frees them when a JVM dies. {@link #close()} stops the renewals and the
 * subscriptions, not the client, which belongs to the application.
 */
public final class RedisBackend implements SharedBackend, AutoCloseable {
    /** The backend's name, as {@code spool.backend} spells it. */
    public static final String NAME = "redis";
    /** The default bound of each call to Redis. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    /** The default longest sleep of a waiting thread between two looks at Redis. */
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(1);

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
     * @param poll       the longest a waiting thread sleeps between two looks at Redis ({@link #DEFAULT_POLL}): a
     *                   release message wakes it earlier, the poll covers messages lost while a connection was down
     */
    public RedisBackend(RedissonClient redisson, String instanceId, Duration timeout, Duration poll) {
        this.redisson = Objects.requireNonNull(redisson, "redisson");
        this.instanceId = requireText(instanceId, "instanceId");
        this.timeoutNanos = requirePositive(timeout, "timeout").toNanos();
        this.pollNanos = requirePositive(poll, "poll").toNanos();
        // A waiter refreshes its entry at every look (at least every poll); three missed looks and it is gone.
        this.waiterTtlMillis = 3 * poll.toMillis() + timeout.toMillis();
        this.calls = new RedisCalls(redisson, address(redisson), timeout);
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
     * Runs a script that only answers, within the backend's timeout.
     *
     * @throws dev.spool.threading.BackendUnavailableException saying that Redis at {@link #address()} could not be
     *                                                         reached and which keys to check
     */
    @Override
    public void check() {
        calls.call(self, Scripts.PING, List.of());
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

    /** Stops renewing leases (they run out on Redis) and drops the subscriptions; the client stays open. */
    @Override
    public void close() {
        renewals.shutdownNow();
        wakeups.values().forEach(Wakeups::close);
    }

    // ------------------------------------------------------------------------------------- for the primitives

    RedisCalls calls() {
        return calls;
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

    /** @return a hold or permit id no other hold of any instance has */
    String newId() {
        return uid + ":" + sequence.incrementAndGet();
    }

    /** @return the calling thread as {@code instance/thread} */
    String holderName() {
        return instanceId + "/" + Thread.currentThread().getName();
    }

    /** @return a waiter entry for the calling thread: its {@code instance/thread}, then a newline and a unique id */
    String waiterMember() {
        return holderName() + "\n" + newId();
    }

    /** @return the {@code instance/thread} part of each waiter entry */
    static List<String> waiterNames(List<Object> members) {
        return members.stream().map(String::valueOf).map(m -> {
            int end = m.lastIndexOf('\n');
            return end < 0 ? m : m.substring(0, end);
        }).toList();
    }

    /** Drops a waiter entry without waiting for the answer: one that stays expires by itself. */
    void removeWaiter(Target target, List<Object> waitersKey, String member) {
        calls.callAsync(target, Scripts.WAITER_REMOVE, waitersKey, member);
    }

    /** @return the channel's wakeups, one per channel, shared by the primitives of this backend that use it */
    Wakeups wakeups(String channel) {
        return wakeups.computeIfAbsent(channel, c -> new Wakeups(redisson, c));
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
        } catch (java.util.concurrent.RejectedExecutionException e) {
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
