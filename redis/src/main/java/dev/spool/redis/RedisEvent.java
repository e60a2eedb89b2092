package dev.spool.redis;

import java.util.List;

import dev.spool.threading.BackendUnavailableException;
import dev.spool.threading.spi.SharedEvent;

/**
 * A named {@code Event} on Redis: a hash with the flag ({@code set}) and the number of sets so far ({@code gen}), and
 * a channel each set is published on.
 *
 * <p>A waiter notes {@code gen} at its first look and ends when the flag is set or {@code gen} has risen since. So a
 * set followed at once by a clear still wakes every thread that was waiting before the set, on every instance, as in
 * Python (where {@code wait()} returns {@code True} for a set that happened during the wait); a thread that starts
 * waiting after the clear waits for the next set. The message only wakes waiters early: each looks again at least
 * every poll interval, so a message lost while a connection was down delays a waiter by at most that, and never
 * loses the set. A look that fails is tried again while the failures last less than the backend's timeout
 * ({@link Outage}).
 *
 * <p>If Redis loses its data (a restart without persistence), the event reads as clear and its set count restarts;
 * waiters then end at the next set.
 */
final class RedisEvent implements SharedEvent {
    private final RedisBackend backend;
    private final RedisCalls calls;
    private final Target target;
    private final List<Object> eventKey;
    private final List<Object> waitKeys;
    private final List<Object> waitersKey;
    private final String channel;
    private final Wakeups wakeups;

    RedisEvent(RedisBackend backend, String name) {
        this.backend = backend;
        this.calls = backend.calls();
        this.target = backend.register(new Target(name, Target.EVENT));
        this.eventKey = List.of(Keys.event(name));
        this.waitKeys = List.of(Keys.event(name), Keys.eventWaiters(name));
        this.waitersKey = List.of(Keys.eventWaiters(name));
        this.channel = Keys.eventChannel(name);
        this.wakeups = backend.wakeups(channel);
    }

    @Override
    public boolean isSet() {
        long set = calls.call(target, Scripts.EVENT_IS_SET, eventKey);
        return set == 1;
    }

    @Override
    public void set() {
        calls.call(target, Scripts.EVENT_SET, eventKey, channel);
    }

    @Override
    public void clear() {
        calls.call(target, Scripts.EVENT_CLEAR, eventKey);
    }

    @Override
    public boolean await(long nanos) throws InterruptedException {
        Deadline deadline = Deadline.in(nanos);
        List<Object> first = calls.callInterruptibly(target, Scripts.EVENT_WAIT, waitKeys, null, "", 0, "");
        if (RedisLock.number(first.get(0)) == 1) {
            return true;
        }
        if (deadline.tryOnly()) {
            return false;
        }
        String start = String.valueOf(first.get(1));
        wakeups.subscribe(target, calls, backend.timeoutNanos());
        String member = backend.waiterMember();
        try {
            Outage outage = backend.outage();
            while (true) {
                long seen = wakeups.generation();
                List<Object> look;
                try {
                    look = calls.callInterruptibly(target, Scripts.EVENT_WAIT, waitKeys, null, member,
                            backend.waiterTtlMillis(), start);
                    outage.over();
                } catch (BackendUnavailableException e) {
                    outage.tolerate(e, deadline);
                    wakeups.await(seen, deadline.sleep(backend.pollNanos(), -1));
                    continue;
                }
                if (RedisLock.number(look.get(0)) == 1) {
                    member = null; // the script removed the entry
                    return true;
                }
                if (deadline.remaining() <= 0) {
                    return false;
                }
                wakeups.await(seen, deadline.sleep(backend.pollNanos(), -1));
            }
        } finally {
            if (member != null) {
                backend.removeWaiter(target, waitersKey, member);
            }
        }
    }

    @Override
    public List<String> waiters() {
        return RedisBackend.waiterNames(calls.observe(target, Scripts.WAITERS, waitersKey));
    }

    @Override
    public String backend() {
        return RedisBackend.NAME;
    }
}
