package dev.spool.redis;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.redisson.api.RFuture;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import dev.spool.threading.BackendUnavailableException;

/**
 * The local side of an event's {@code RTopic}: a counter that each message on the channel bumps, and a condition the
 * waiting threads of this JVM sleep on. (Locks and semaphores wait on Redisson's own semaphore channel instead.) A waiter reads the counter before it looks at Redis, and sleeps only while
 * the counter is unchanged, so a message that arrives between its look and its sleep is not lost.
 *
 * <p>Messages are a shortcut, not the guarantee: pub/sub drops what is published while a connection is down, so
 * every sleep is also bounded by the poll interval, after which the waiter looks again.
 * The subscription is made on the first wait and kept; Redisson renews it after a reconnect.
 */
final class Wakeups {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile long generation;
    private volatile Integer listenerId;
    private RFuture<Integer> pending;
    private final RTopic topic;

    Wakeups(RedissonClient redisson, String channel) {
        this.topic = redisson.getTopic(channel, StringCodec.INSTANCE);
    }

    /** @return the count of messages so far, to pass to {@link #await(long, long)} */
    long generation() {
        return generation;
    }

    /** Wakes every thread of this JVM sleeping on the primitive. */
    void bump() {
        lock.lock();
        try {
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sleeps until a message newer than {@code seen} arrives, at most {@code nanos}.
     *
     * @throws InterruptedException if interrupted while sleeping
     */
    void await(long seen, long nanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (generation == seen && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Subscribes once, before the first registered wait, so that no release after the registration goes unheard. A
     * subscription that was not confirmed in time is waited for again by the next wait, not made twice.
     *
     * @throws BackendUnavailableException if Redis does not confirm the subscription within {@code timeoutNanos}
     */
    void subscribe(Target target, RedisCalls calls, long timeoutNanos) throws InterruptedException {
        if (listenerId != null) {
            return;
        }
        RFuture<Integer> future;
        synchronized (this) {
            if (pending == null || (pending.isDone() && pending.toCompletableFuture().isCompletedExceptionally())) {
                try {
                    pending = topic.addListenerAsync(String.class, (channel, message) -> bump());
                } catch (RuntimeException e) { // Redisson shut down
                    throw unavailable(target, calls, e);
                }
            }
            future = pending;
        }
        try {
            listenerId = future.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw unavailable(target, calls, e.getCause());
        } catch (TimeoutException e) {
            throw unavailable(target, calls, "no confirmation within "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
        }
    }

    private static BackendUnavailableException unavailable(Target target, RedisCalls calls, Object cause) {
        target.meters().error();
        return new BackendUnavailableException(RedisCalls.unreachable(calls.address(), target, "subscribe",
                String.valueOf(cause)), cause instanceof Throwable t ? t : null);
    }

    /** Drops the subscription (the backend closing). */
    void close() {
        Integer id = listenerId;
        if (id != null) {
            listenerId = null;
            try {
                topic.removeListenerAsync(id);
            } catch (RuntimeException e) {
                // Redisson already shut down: its subscriptions went with it
            }
        }
    }
}
