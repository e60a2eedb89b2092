package dev.spool.redis;

import org.redisson.api.RScript.Mode;
import org.redisson.api.RScript.ReturnType;

/**
 * The Lua scripts: each step that reads and writes a primitive's keys is one script, so that it is atomic and one
 * round trip. Times are Redis' own clock ({@code TIME}), never an instance's, so instances with skewed clocks agree
 * on what has expired. Numbers that go back into Redis are formatted with {@code %.0f}: Lua 5.1 would otherwise
 * write large ones in exponent notation.
 */
final class Scripts {
    private Scripts() {
    }

    /** One script: its text, what it returns and whether it writes. */
    record Script(String name, String lua, ReturnType returns, Mode mode) {
    }

    /** Redis' clock in milliseconds, read only by the steps that need it (the uncontended acquire does not). */
    private static final String CLOCK = """
            local function ms(value) return string.format('%.0f', value) end
            local function clock()
              local time = redis.call('time')
              return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            end
            """;

    /** {@link #CLOCK}, read once into {@code now}. */
    private static final String NOW = CLOCK + """
            local now = clock()
            """;

    /** Adds or refreshes one waiter entry (KEYS[w], member, ttl ms), dropping the expired ones first. */
    private static final String WAIT_ENTRY = """
            local function register(key, member, ttl)
              local now = clock()
              redis.call('zremrangebyscore', key, '-inf', ms(now))
              redis.call('zadd', key, ms(now + tonumber(ttl)), member)
            end
            """;

    // ---------------------------------------------------------------------------------------------------- locks

    /**
     * KEYS: lock, token, waiters. ARGV: hold id, holder name, lease ms, waiter member ('' for none), waiter ttl ms,
     * reentrant (1 for an RLock, 0 for a Lock). Returns {1, token} when acquired, else {0, the lock's remaining lease in ms} after registering the waiter.
     *
     * <p>The fencing token is taken here, in the script that acquires. Taking it afterwards in a second round trip
     * (INCR after the lock is ours) would be wrong: a holder that pauses between the two (a GC, a SIGSTOP) may see
     * its lease run out and the next holder acquire and take its token first; the paused one's INCR then hands the
     * older hold the higher token, and a resource that keeps the highest token would accept the stale holder's
     * writes and refuse the live one's. In one script, token order is hold order.
     *
     * <p>A counter that does not exist (a new lock, or Redis restarted without its data) starts at Redis' clock in
     * microseconds, so tokens keep rising across such a loss as long as the lock took fewer than a million holds a
     * second on average.
     */
    static final Script LOCK_ACQUIRE = new Script("lock acquire", CLOCK + WAIT_ENTRY + """
            if redis.call('exists', KEYS[1]) == 0 then
              local token = redis.call('incr', KEYS[2])
              if token == 1 then
                local time = redis.call('time')
                local seeded = time[1] .. string.sub('00000' .. time[2], -6)
                redis.call('set', KEYS[2], seeded)
                token = tonumber(seeded)
              end
              local text = ms(token)
              redis.call('hset', KEYS[1], 'owner', ARGV[1], 'name', ARGV[2], 'token', text, 'reentrant', ARGV[6])
              redis.call('pexpire', KEYS[1], ARGV[3])
              if ARGV[4] ~= '' then redis.call('zrem', KEYS[3], ARGV[4]) end
              return {1, text}
            end
            if ARGV[4] ~= '' then register(KEYS[3], ARGV[4], ARGV[5]) end
            return {0, redis.call('pttl', KEYS[1])}
            """, ReturnType.LIST, Mode.READ_WRITE);

    /** KEYS: lock. ARGV: hold id, lease ms. Returns 1 if the hold is still ours (and renewed), 0 if it is gone. */
    static final Script LOCK_RENEW = new Script("lock renew", """
            if redis.call('hget', KEYS[1], 'owner') == ARGV[1] then
              redis.call('pexpire', KEYS[1], ARGV[2])
              return 1
            end
            return 0
            """, ReturnType.LONG, Mode.READ_WRITE);

    /**
     * KEYS: lock, waiters. ARGV: hold id ('' releases whoever holds: a {@code Lock} released by an instance that does
     * not hold it), channel. Returns 1 if released, 0 if the hold was not there (expired, or not locked at all), -1
     * if a release of whoever holds found an RLock's hold, which only its owner releases. The release is published
     * only when somebody waits.
     */
    static final Script LOCK_RELEASE = new Script("lock release", """
            local owner = redis.call('hget', KEYS[1], 'owner')
            if owner and ARGV[1] == '' and redis.call('hget', KEYS[1], 'reentrant') == '1' then return -1 end
            if owner and (ARGV[1] == '' or owner == ARGV[1]) then
              redis.call('del', KEYS[1])
              if redis.call('zcard', KEYS[2]) > 0 then redis.call('publish', ARGV[2], owner) end
              return 1
            end
            return 0
            """, ReturnType.LONG, Mode.READ_WRITE);

    /** KEYS: lock. Returns the holder's {@code instance/thread}, or nil. */
    static final Script LOCK_HOLDER = new Script("lock holder", """
            return redis.call('hget', KEYS[1], 'name')
            """, ReturnType.VALUE, Mode.READ_ONLY);

    /** KEYS: lock. Returns 1 if anybody holds it. */
    static final Script LOCK_LOCKED = new Script("lock locked", """
            return redis.call('exists', KEYS[1])
            """, ReturnType.LONG, Mode.READ_ONLY);

    // ---------------------------------------------------------------------------------------------------- waiters

    /** KEYS: waiters. ARGV: member, ttl ms. A thread that waits in this JVM (for the local gate) says so. */
    static final Script WAITER_REGISTER = new Script("waiter register", CLOCK + WAIT_ENTRY + """
            register(KEYS[1], ARGV[1], ARGV[2])
            return 1
            """, ReturnType.LONG, Mode.READ_WRITE);

    /** KEYS: waiters. ARGV: member. */
    static final Script WAITER_REMOVE = new Script("waiter remove", """
            return redis.call('zrem', KEYS[1], ARGV[1])
            """, ReturnType.LONG, Mode.READ_WRITE);

    /** KEYS: waiters. Returns the members whose entry has not expired. */
    static final Script WAITERS = new Script("waiters", NOW + """
            return redis.call('zrangebyscore', KEYS[1], '(' .. ms(now), '+inf')
            """, ReturnType.LIST, Mode.READ_ONLY);

    // ---------------------------------------------------------------------------------------------------- semaphores

    /**
     * Checks ARGV[1] (permits) and ARGV[2] (bounded, 1 or 0) against the semaphore's config, writing it if there is
     * none: returns nil when they agree, else {-1, the permits and bounded flag Redis has}.
     */
    private static final String CONFIGURE = """
            local function configure()
              local permits = redis.call('hget', KEYS[1], 'permits')
              if not permits then
                redis.call('hset', KEYS[1], 'permits', ARGV[1], 'bounded', ARGV[2], 'capacity', ARGV[1])
                return nil
              end
              local bounded = redis.call('hget', KEYS[1], 'bounded')
              if permits ~= ARGV[1] or bounded ~= ARGV[2] then return {-1, permits, bounded} end
              return nil
            end
            """;

    /** KEYS: config, holds, names, waiters. ARGV: permits, bounded. Returns {0} or the config conflict. */
    static final Script SEMAPHORE_CONFIGURE = new Script("semaphore configure", CONFIGURE + """
            return configure() or {0}
            """, ReturnType.LIST, Mode.READ_WRITE);

    /**
     * KEYS: config, holds, names, waiters. ARGV: permits, bounded, permit id, holder name, lease ms, waiter member
     * ('' for none), waiter ttl ms. Expired permits (holders that stopped renewing) are taken back first. Returns
     * {1, 0} when a permit was taken, {0, ms until the first held permit expires, or -1} after registering the
     * waiter, or the config conflict.
     */
    static final Script SEMAPHORE_ACQUIRE = new Script("semaphore acquire", NOW + WAIT_ENTRY + CONFIGURE + """
            local conflict = configure()
            if conflict then return conflict end
            local expired = redis.call('zrangebyscore', KEYS[2], '-inf', ms(now))
            if #expired > 0 then
              for i = 1, #expired do redis.call('hdel', KEYS[3], expired[i]) end
              redis.call('zremrangebyscore', KEYS[2], '-inf', ms(now))
            end
            local capacity = tonumber(redis.call('hget', KEYS[1], 'capacity'))
            if redis.call('zcard', KEYS[2]) < capacity then
              redis.call('zadd', KEYS[2], ms(now + tonumber(ARGV[5])), ARGV[3])
              redis.call('hset', KEYS[3], ARGV[3], ARGV[4])
              if ARGV[6] ~= '' then redis.call('zrem', KEYS[4], ARGV[6]) end
              return {1, 0}
            end
            if ARGV[6] ~= '' then register(KEYS[4], ARGV[6], ARGV[7]) end
            local first = redis.call('zrange', KEYS[2], 0, 0, 'WITHSCORES')
            if #first == 0 then return {0, -1} end
            return {0, tonumber(first[2]) - now}
            """, ReturnType.LIST, Mode.READ_WRITE);

    /**
     * KEYS: config, holds, names, waiters. ARGV: permits, bounded, channel, extra (permits to add beyond the ids:
     * an unbounded semaphore released by an instance that holds fewer), then the permit ids to give back. Returns
     * {given back, found expired}, {-2, 0} for a bounded semaphore asked to add (nothing released), or the config
     * conflict. A permit whose lease has passed counts as expired even if nobody took it back yet.
     */
    static final Script SEMAPHORE_RELEASE = new Script("semaphore release", NOW + CONFIGURE + """
            local conflict = configure()
            if conflict then return conflict end
            local extra = tonumber(ARGV[4])
            if extra > 0 and ARGV[2] == '1' then return {-2, 0} end
            local released, lost = 0, 0
            for i = 5, #ARGV do
              local expiry = redis.call('zscore', KEYS[2], ARGV[i])
              if expiry and tonumber(expiry) > now then released = released + 1 else lost = lost + 1 end
              redis.call('zrem', KEYS[2], ARGV[i])
              redis.call('hdel', KEYS[3], ARGV[i])
            end
            if extra > 0 then redis.call('hincrby', KEYS[1], 'capacity', extra) end
            if released + extra > 0 and redis.call('zcard', KEYS[4]) > 0 then
              redis.call('publish', ARGV[3], 'released')
            end
            return {released, lost}
            """, ReturnType.LIST, Mode.READ_WRITE);

    /** KEYS: holds. ARGV: lease ms, then permit ids. Renews the live ones; returns the ids found expired or gone. */
    static final Script SEMAPHORE_RENEW = new Script("semaphore renew", NOW + """
            local lost = {}
            for i = 2, #ARGV do
              local expiry = redis.call('zscore', KEYS[1], ARGV[i])
              if expiry and tonumber(expiry) > now then
                redis.call('zadd', KEYS[1], 'XX', ms(now + tonumber(ARGV[1])), ARGV[i])
              else
                lost[#lost + 1] = ARGV[i]
              end
            end
            return lost
            """, ReturnType.LIST, Mode.READ_WRITE);

    /** KEYS: config, holds. ARGV: permits (the answer before anybody configured it). Returns the free permits. */
    static final Script SEMAPHORE_VALUE = new Script("semaphore value", NOW + """
            local capacity = redis.call('hget', KEYS[1], 'capacity')
            if not capacity then return tonumber(ARGV[1]) end
            return tonumber(capacity) - redis.call('zcount', KEYS[2], '(' .. ms(now), '+inf')
            """, ReturnType.LONG, Mode.READ_ONLY);

    /** KEYS: holds, names. Returns the holder name of each live permit. */
    static final Script SEMAPHORE_HOLDERS = new Script("semaphore holders", NOW + """
            local ids = redis.call('zrangebyscore', KEYS[1], '(' .. ms(now), '+inf')
            if #ids == 0 then return {} end
            return redis.call('hmget', KEYS[2], unpack(ids))
            """, ReturnType.LIST, Mode.READ_ONLY);

    // ---------------------------------------------------------------------------------------------------- events

    /** KEYS: event. ARGV: channel. Sets the flag and counts the set; publishes only a change. */
    static final Script EVENT_SET = new Script("event set", """
            if redis.call('hget', KEYS[1], 'set') ~= '1' then
              redis.call('hset', KEYS[1], 'set', '1')
              redis.call('publish', ARGV[1], redis.call('hincrby', KEYS[1], 'gen', 1))
              return 1
            end
            return 0
            """, ReturnType.LONG, Mode.READ_WRITE);

    /** KEYS: event. */
    static final Script EVENT_CLEAR = new Script("event clear", """
            redis.call('hset', KEYS[1], 'set', '0')
            return 1
            """, ReturnType.LONG, Mode.READ_WRITE);

    /** KEYS: event. Returns 1 when set. */
    static final Script EVENT_IS_SET = new Script("event is set", """
            if redis.call('hget', KEYS[1], 'set') == '1' then return 1 end
            return 0
            """, ReturnType.LONG, Mode.READ_ONLY);

    /**
     * KEYS: event, waiters. ARGV: waiter member ('' for none), waiter ttl ms, the set count the wait started at (''
     * for the first look). Returns {1, count} if the flag is set or a set happened since the start (the count rose:
     * a set then a clear between two looks still ends the wait), after removing the waiter entry; else {0, count},
     * after registering it.
     */
    static final Script EVENT_WAIT = new Script("event wait", CLOCK + WAIT_ENTRY + """
            local set = redis.call('hget', KEYS[1], 'set') == '1'
            local gen = redis.call('hget', KEYS[1], 'gen') or '0'
            if set or (ARGV[3] ~= '' and tonumber(gen) > tonumber(ARGV[3])) then
              if ARGV[1] ~= '' then redis.call('zrem', KEYS[2], ARGV[1]) end
              return {1, gen}
            end
            if ARGV[1] ~= '' then register(KEYS[2], ARGV[1], ARGV[2]) end
            return {0, gen}
            """, ReturnType.LIST, Mode.READ_WRITE);

    /** The backend's reachability check. */
    static final Script PING = new Script("ping", """
            return 1
            """, ReturnType.LONG, Mode.READ_WRITE);
}
