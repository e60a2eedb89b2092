package dev.spool.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.spool.threading.BackendUnavailableException;

/**
 * Waits for the answers of the Redisson objects' async calls, each within a bounded time whatever the application's
 * Redisson retry settings are, timing each round trip and turning every failure into a
 * {@link BackendUnavailableException} that names the primitive, the step, the Redis address and what to check.
 *
 * <p>Calls go through the async API and are awaited here rather than through Redisson's blocking methods because
 * those wait as long as the client's retries take, turn an interrupt into a {@code RedisException}, and (the blocking
 * {@code tryAcquire(wait, …)}) log a failed subscription and answer "not acquired" instead of failing. A call its
 * caller gave up on (a timeout, an interrupt) is cancelled, which stops a wait Redisson carries out; one that
 * answered in the meantime goes to what its caller passed to undo it (an acquire is released at once), and the lease
 * bounds the rest.
 */
final class RedisCalls {
    private final String address;
    private final long timeoutNanos;
    private final long observeTimeoutNanos;

    RedisCalls(String address, Duration timeout) {
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
     * A call a waiting thread makes: interruptible, bounded by the backend's timeout, timed.
     *
     * @param ifAbandoned run with the answer if it arrives after the caller gave up (timeout or interrupt)
     */
    <R> R callInterruptibly(Target target, String step, Supplier<? extends CompletionStage<R>> send,
            Consumer<R> ifAbandoned) throws InterruptedException {
        return interruptibly(target, step, send, timeoutNanos, true, ifAbandoned);
    }

    /**
     * One slice of a wait that Redisson itself carries out (it sleeps on its pub/sub channel and on the nearest lease
     * end): interruptible, bounded by the slice plus the backend's timeout, and not timed as a round trip.
     */
    <R> R awaitSlice(Target target, String step, Supplier<? extends CompletionStage<R>> send, long sliceNanos,
            Consumer<R> ifAbandoned) throws InterruptedException {
        return interruptibly(target, step, send, sliceNanos + timeoutNanos, false, ifAbandoned);
    }

    /** A call that must not be cut short by an interrupt (a release): the interrupt status is kept for the caller. */
    <R> R call(Target target, String step, Supplier<? extends CompletionStage<R>> send) {
        return uninterruptibly(target, step, send, timeoutNanos);
    }

    /** An observation ({@code holders()}, {@code value()}…): a shorter bound, as a metrics scrape may be waiting. */
    <R> R observe(Target target, String step, Supplier<? extends CompletionStage<R>> send) {
        return uninterruptibly(target, step, send, observeTimeoutNanos);
    }

    /**
     * A call nobody waits for (a lease renewal): timed, and a failure arrives as a
     * {@link BackendUnavailableException} on a Redisson thread.
     */
    <R> CompletionStage<R> async(Target target, String step, Supplier<? extends CompletionStage<R>> send) {
        long start = System.nanoTime();
        CompletionStage<R> future;
        try {
            future = send.get();
        } catch (RuntimeException e) { // Redisson shut down
            return CompletableFuture.failedFuture(failed(target, step, e));
        }
        return future.handle((result, error) -> {
            if (error != null) {
                throw failed(target, step, error);
            }
            target.meters().roundTrip(System.nanoTime() - start);
            return result;
        });
    }

    /**
     * Bookkeeping that rides along an operation (a holder or waiter entry written or removed): neither timed nor
     * counted, and a failure only makes the returned stage fail; the entry's own expiry bounds what it leaves.
     */
    static <R> CompletionStage<R> quietly(Supplier<? extends CompletionStage<R>> send) {
        try {
            return send.get();
        } catch (RuntimeException e) { // Redisson shut down
            return CompletableFuture.failedFuture(e);
        }
    }

    private <R> R interruptibly(Target target, String step, Supplier<? extends CompletionStage<R>> send, long bound,
            boolean timed, Consumer<R> ifAbandoned) throws InterruptedException {
        CompletableFuture<R> future = start(target, step, send);
        long start = System.nanoTime();
        try {
            R result = future.get(bound, TimeUnit.NANOSECONDS);
            if (timed) {
                target.meters().roundTrip(System.nanoTime() - start);
            }
            return result;
        } catch (InterruptedException e) {
            abandon(future, ifAbandoned);
            throw e;
        } catch (ExecutionException e) {
            throw failed(target, step, e.getCause());
        } catch (TimeoutException e) {
            abandon(future, ifAbandoned);
            throw noAnswer(target, step, bound);
        }
    }

    private <R> R uninterruptibly(Target target, String step, Supplier<? extends CompletionStage<R>> send,
            long bound) {
        CompletableFuture<R> future = start(target, step, send);
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
                    throw failed(target, step, e.getCause());
                } catch (TimeoutException e) {
                    throw noAnswer(target, step, bound);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private <R> CompletableFuture<R> start(Target target, String step, Supplier<? extends CompletionStage<R>> send) {
        try {
            return send.get().toCompletableFuture();
        } catch (RuntimeException e) { // Redisson shut down, or a codec refusing an argument
            throw failed(target, step, e);
        }
    }

    /**
     * Cancels a call its caller gave up on: Redisson's own future, so that a wait Redisson carries out stops (its
     * semaphore gives back a permit that an acquire cancelled this way took). A call that had answered already, in
     * the moment between, is passed to {@code ifAbandoned}.
     */
    private static <R> void abandon(CompletableFuture<R> future, Consumer<R> ifAbandoned) {
        if (!future.cancel(false) && ifAbandoned != null) {
            future.whenComplete((result, error) -> {
                if (error == null && result != null) {
                    ifAbandoned.accept(result);
                }
            });
        }
    }

    /** @return the cause under the wrappers that futures add */
    static Throwable unwrap(Throwable cause) {
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    BackendUnavailableException failed(Target target, String step, Throwable cause) {
        cause = unwrap(cause);
        if (cause instanceof BackendUnavailableException already) {
            return already;
        }
        target.meters().error();
        return new BackendUnavailableException(unreachable(address, target, step, String.valueOf(cause)), cause);
    }

    private BackendUnavailableException noAnswer(Target target, String step, long bound) {
        target.meters().error();
        String cause = "no answer within " + Duration.ofNanos(bound).toMillis() + " ms";
        return new BackendUnavailableException(unreachable(address, target, step, cause), null);
    }

    /** @return the message of every {@link BackendUnavailableException} this module throws */
    static String unreachable(String address, Target target, String step, String cause) {
        return "Redis at " + address + " could not be reached for " + target + " (" + step + "): " + cause
                + ". Check that Redis is up and the spring.data.redis.* keys (host, port, username, password, ssl,"
                + " timeout) or the Redisson configuration (spring.redis.redisson.config or .file) point at it;"
                + " a hold or permit this call may have left behind is given back when its lease runs out.";
    }
}
