package dev.spool.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import dev.spool.threading.BackendUnavailableException;

/**
 * Runs the scripts, each within a bounded time whatever the application's Redisson retry settings are, timing each
 * round trip and turning every failure into a {@link BackendUnavailableException} that names the primitive, the
 * step, the Redis address and what to check.
 *
 * <p>A call that gets no answer in time may still run on Redis later. Its caller passes what to undo in that case
 * (an acquire that succeeds after its caller gave up is released at once), and the lease bounds the rest.
 */
final class RedisCalls {
    private final RScript script;
    private final String address;
    private final long timeoutNanos;
    private final long observeTimeoutNanos;

    RedisCalls(RedissonClient redisson, String address, Duration timeout) {
        this.script = redisson.getScript(StringCodec.INSTANCE);
        this.address = address;
        this.timeoutNanos = timeout.toNanos();
        // Observation may run inside a metrics scrape: it gets a shorter bound than the operations.
        this.observeTimeoutNanos = Math.min(timeoutNanos, TimeUnit.SECONDS.toNanos(1));
    }

    /** @return the Redis address the messages name */
    String address() {
        return address;
    }

    /**
     * A call a waiting thread makes: interruptible, bounded by the backend's timeout.
     *
     * @param ifAbandoned run with the answer if it arrives after the caller gave up (timeout or interrupt)
     */
    <R> R callInterruptibly(Target target, Scripts.Script s, List<Object> keys, Consumer<R> ifAbandoned,
            Object... args) throws InterruptedException {
        RFuture<R> future = send(target, s, keys, args);
        long start = System.nanoTime();
        try {
            R result = future.get(timeoutNanos, TimeUnit.NANOSECONDS);
            target.meters().roundTrip(System.nanoTime() - start);
            return result;
        } catch (InterruptedException e) {
            abandon(future, ifAbandoned);
            throw e;
        } catch (ExecutionException e) {
            throw failed(target, s, e.getCause());
        } catch (TimeoutException e) {
            abandon(future, ifAbandoned);
            throw noAnswer(target, s, timeoutNanos);
        }
    }

    /** A call that must not be cut short by an interrupt (a release): the interrupt status is kept for the caller. */
    <R> R call(Target target, Scripts.Script s, List<Object> keys, Object... args) {
        return uninterruptibly(target, s, keys, timeoutNanos, args);
    }

    /** An observation ({@code holders()}, {@code value()}…): a shorter bound, as a metrics scrape may be waiting. */
    <R> R observe(Target target, Scripts.Script s, List<Object> keys, Object... args) {
        return uninterruptibly(target, s, keys, observeTimeoutNanos, args);
    }

    /**
     * A call nobody waits for (a lease renewal, a waiter entry removed): the answer, or the failure already turned
     * into a {@link BackendUnavailableException}, arrives on a Redisson thread.
     */
    <R> CompletionStage<R> callAsync(Target target, Scripts.Script s, List<Object> keys, Object... args) {
        long start = System.nanoTime();
        RFuture<R> future;
        try {
            future = send(target, s, keys, args);
        } catch (BackendUnavailableException e) {
            return CompletableFuture.failedFuture(e);
        }
        return future.handle((result, error) -> {
            if (error != null) {
                throw failed(target, s, error);
            }
            target.meters().roundTrip(System.nanoTime() - start);
            return result;
        });
    }

    private <R> R uninterruptibly(Target target, Scripts.Script s, List<Object> keys, long bound, Object... args) {
        RFuture<R> future = send(target, s, keys, args);
        long start = System.nanoTime();
        long deadline = start + bound;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    R result = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    target.meters().roundTrip(System.nanoTime() - start);
                    return result;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw failed(target, s, e.getCause());
                } catch (TimeoutException e) {
                    throw noAnswer(target, s, bound);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private <R> RFuture<R> send(Target target, Scripts.Script s, List<Object> keys, Object... args) {
        try {
            if (keys.isEmpty()) {
                return script.evalAsync(s.mode(), s.lua(), s.returns());
            }
            return script.evalAsync(String.valueOf(keys.get(0)), s.mode(), s.lua(), s.returns(), keys, args);
        } catch (RuntimeException e) { // Redisson shut down, or a codec refusing an argument
            throw failed(target, s, e);
        }
    }

    private static <R> void abandon(RFuture<R> future, Consumer<R> ifAbandoned) {
        if (ifAbandoned != null) {
            future.whenComplete((result, error) -> {
                if (error == null && result != null) {
                    ifAbandoned.accept(result);
                }
            });
        }
    }

    private BackendUnavailableException failed(Target target, Scripts.Script s, Throwable cause) {
        while ((cause instanceof ExecutionException || cause instanceof java.util.concurrent.CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof BackendUnavailableException already) {
            return already;
        }
        target.meters().error();
        return new BackendUnavailableException(unreachable(address, target, s.name(), String.valueOf(cause)), cause);
    }

    private BackendUnavailableException noAnswer(Target target, Scripts.Script s, long bound) {
        target.meters().error();
        String cause = "no answer within " + Duration.ofNanos(bound).toMillis() + " ms";
        return new BackendUnavailableException(unreachable(address, target, s.name(), cause), null);
    }

    /** @return the message of every {@link BackendUnavailableException} this module throws */
    static String unreachable(String address, Target target, String step, String cause) {
        return "Redis at " + address + " could not be reached for " + target + " (" + step + "): " + cause
                + ". Check that Redis is up and the spring.data.redis.* keys (host, port, username, password, ssl,"
                + " timeout) or the Redisson configuration (spring.redis.redisson.config or .file) point at it;"
                + " a hold or permit this call may have left behind is given back when its lease runs out.";
    }
}
