package dev.spool.redis;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.redisson.api.BatchOptions;
import org.redisson.api.BatchOptions.ExecutionMode;
import org.redisson.api.RBatch;
import org.redisson.api.RBucket;
import org.redisson.api.RFuture;
import org.redisson.client.codec.StringCodec;

import dev.spool.threading.BackendUnavailableException;
import dev.spool.threading.spi.SharedEvent;

/**
 * A named {@code Event} on Redis, on Redisson objects: an {@code RBucket} flag ({@code 1} set), an {@code RAtomicLong}
 * counting the sets so far, and an {@code RTopic} each set is published on.
 *
 * <p>A set writes the flag, counts itself and publishes, in one atomic batch ({@code MULTI}/{@code EXEC}), so the
 * flag and the count never disagree. A waiter reads both, also atomically, at its first look and ends when the flag
 * is set or the count has risen since. So a set followed at once by a clear still wakes every thread that was waiting
 * before the set, on every instance, as in Python (where {@code wait()} returns {@code True} for a set that happened
 * during the wait); a thread that starts waiting after the clear waits for the next set. The message only wakes
 * waiters early: each looks again at least every poll interval, so a message lost while a connection was down
 * delays a waiter by at most that, and never loses the set. A look that fails is tried again at the next poll until
 * the failures have lasted the backend's timeout ({@link Outage}), so a wait rides out a short restart.
 *
 * <p>If Redis loses its data (a restart without persistence), the event reads as clear and its count restarts;
 * waiters then end at the next set.
 */
final class RedisEvent implements SharedEvent {
    private final RedisBackend backend;
    private final RedisCalls calls;
    private final Target target;
    private final String flagKey;
    private final String setsKey;
    private final String channel;
    private final RBucket<String> flag;
    private final Waiters waiters;
    private final Wakeups wakeups;

    /** One atomic reading of the event. */
    private record Look(boolean set, long sets) {
    }

    RedisEvent(RedisBackend backend, String name) {
        this.backend = backend;
        this.calls = backend.calls();
        this.target = backend.register(new Target(name, Target.EVENT));
        this.flagKey = Keys.event(name);
        this.setsKey = Keys.eventSets(name);
        this.channel = Keys.eventChannel(name);
        this.flag = backend.redisson().getBucket(flagKey, StringCodec.INSTANCE);
        this.waiters = new Waiters(backend, target, Keys.waiters(flagKey));
        this.wakeups = backend.wakeups(channel);
    }

    @Override
    public boolean isSet() {
        return "1".equals(calls.call(target, "is set", flag::getAsync));
    }

    @Override
    public void set() {
        calls.call(target, "set", () -> {
            RBatch batch = backend.redisson().createBatch(
                    BatchOptions.defaults().executionMode(ExecutionMode.REDIS_WRITE_ATOMIC));
            batch.getBucket(flagKey, StringCodec.INSTANCE).setAsync("1");
            batch.getAtomicLong(setsKey).incrementAndGetAsync();
            batch.getTopic(channel, StringCodec.INSTANCE).publishAsync("set");
            return batch.executeAsync();
        });
    }

    @Override
    public void clear() {
        calls.call(target, "clear", () -> flag.setAsync("0"));
    }

    @Override
    public boolean await(long nanos) throws InterruptedException {
        Deadline deadline = Deadline.in(nanos);
        Look first = look();
        if (first.set()) {
            return true;
        }
        if (deadline.tryOnly()) {
            return false;
        }
        // Subscribe before the next look, so that no set after it goes unheard.
        wakeups.subscribe(target, calls, backend.timeoutNanos());
        Waiters.Waiter waiter = waiters.register();
        Outage outage = backend.outage();
        boolean settle = false;
        try {
            while (true) {
                long seen = wakeups.generation();
                Look now;
                try {
                    now = look();
                    outage.over();
                } catch (BackendUnavailableException e) {
                    // A restart or a failover shorter than the backend's timeout: look again at the next poll.
                    outage.tolerate(e, deadline);
                    wakeups.await(seen, deadline.slice(backend.pollNanos()));
                    continue;
                }
                if (now.set() || now.sets() > first.sets()) {
                    settle = true;
                    return true;
                }
                if (deadline.remaining() <= 0) {
                    settle = true;
                    return false;
                }
                wakeups.await(seen, deadline.slice(backend.pollNanos()));
                waiters.refresh(waiter);
            }
        } finally {
            waiters.unregister(waiter, settle);
        }
    }

    /** Reads the flag and the count of sets in one atomic batch. */
    private Look look() throws InterruptedException {
        return calls.callInterruptibly(target, "wait", this::read, null);
    }

    private CompletionStage<Look> read() {
        RBatch batch = backend.redisson().createBatch(
                BatchOptions.defaults().executionMode(ExecutionMode.REDIS_READ_ATOMIC));
        RFuture<String> set = batch.<String>getBucket(flagKey, StringCodec.INSTANCE).getAsync();
        RFuture<Long> sets = batch.getAtomicLong(setsKey).getAsync();
        return batch.executeAsync().thenCompose(done -> set.thenCombine(sets,
                (flag, count) -> new Look("1".equals(flag), count)));
    }

    @Override
    public List<String> waiters() {
        return waiters.names();
    }

    @Override
    public String backend() {
        return RedisBackend.NAME;
    }
}
