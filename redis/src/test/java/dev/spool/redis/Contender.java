package dev.spool.redis;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import dev.spool.threading.BackendUnavailableException;
import dev.spool.threading.spi.SharedLock;
import dev.spool.threading.spi.SharedSemaphore;

/**
 * The other JVMs of {@link MultiJvmTest}: one application instance each, over the test's Redis. Modes:
 * <ul>
 *   <li>{@code count PORT ITERATIONS}: three threads, on a Lock, an RLock (entered twice) and a BoundedSemaphore(1),
 *       each ITERATIONS times: read a counter in Redis, write it plus one, under the primitive; and check the
 *       fencing token against the highest one written so far, as a fenced resource would. Prints {@code DONE}.</li>
 *   <li>{@code hold PORT NAME}: takes the Lock NAME-lock, the RLock NAME-rlock and a permit of the
 *       BoundedSemaphore(1) NAME-semaphore, prints {@code HELD lockToken rlockToken}, and on the line
 *       {@code release} from stdin releases all three, printing {@code RELEASED kind} or
 *       {@code RELEASE-FAILED kind ExceptionClass: message} for each, then {@code END}.</li>
 *   <li>{@code wait PORT NAME}: waits without a limit for the Lock NAME, prints {@code ACQUIRED} or
 *       {@code UNAVAILABLE message}.</li>
 *   <li>{@code cross PORT MINE THEIRS}: takes the RLock MINE on its main thread, prints {@code HELD}, then waits
 *       without a limit for the RLock THEIRS (the test ends the JVM).</li>
 * </ul>
 */
public final class Contender {
    static final Duration LEASE = Duration.ofSeconds(2);

    private Contender() {
    }

    /**
     * @param args the mode and its arguments, see the class comment
     * @throws Exception anything unexpected, which ends the JVM with a non-zero status
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        RedissonClient redisson = EmbeddedRedis.client(port);
        RedisBackend backend = new RedisBackend(redisson, "jvm-" + ProcessHandle.current().pid(),
                Duration.ofSeconds(2), Duration.ofMillis(500));
        switch (args[0]) {
            case "count" -> count(redisson, backend, Integer.parseInt(args[2]));
            case "hold" -> hold(backend, args[2]);
            case "wait" -> waitFor(backend, args[2]);
            case "cross" -> cross(backend, args[2], args[3]);
            default -> throw new IllegalArgumentException("mode " + args[0]);
        }
        System.out.flush();
        backend.close();
        redisson.shutdown();
        System.exit(0);
    }

    private interface Guarded {
        long enter() throws InterruptedException;

        void exit();
    }

    private static void count(RedissonClient redisson, RedisBackend backend, int iterations) throws Exception {
        SharedLock lock = backend.lock("mj-lock", false, false, LEASE);
        SharedLock rlock = backend.lock("mj-rlock", true, false, LEASE);
        SharedSemaphore semaphore = backend.semaphore("mj-semaphore", 1, true, LEASE);
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        threads.add(worker("lock", redisson, iterations, failure, new Guarded() {
            @Override
            public long enter() throws InterruptedException {
                lock.acquire(Long.MAX_VALUE);
                return lock.fencingToken();
            }

            @Override
            public void exit() {
                lock.release();
            }
        }));
        threads.add(worker("rlock", redisson, iterations, failure, new Guarded() {
            @Override
            public long enter() throws InterruptedException {
                rlock.acquire(Long.MAX_VALUE);
                rlock.acquire(Long.MAX_VALUE); // a re-entry, local: Redis sees one hold
                return rlock.fencingToken();
            }

            @Override
            public void exit() {
                rlock.release();
                rlock.release();
            }
        }));
        threads.add(worker("semaphore", redisson, iterations, failure, new Guarded() {
            @Override
            public long enter() throws InterruptedException {
                semaphore.acquire(Long.MAX_VALUE);
                return -1;
            }

            @Override
            public void exit() {
                semaphore.release(1);
            }
        }));
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            failure.get().printStackTrace();
            System.out.println("FAILED " + failure.get());
            System.exit(3);
        }
        System.out.println("DONE");
    }

    private static Thread worker(String kind, RedissonClient redisson, int iterations,
            AtomicReference<Throwable> failure, Guarded guarded) {
        RBucket<String> counter = redisson.getBucket("mj-counter:" + kind, StringCodec.INSTANCE);
        RBucket<String> fence = redisson.getBucket("mj-fence:" + kind, StringCodec.INSTANCE);
        Thread thread = new Thread(() -> {
            try {
                for (int i = 0; i < iterations; i++) {
                    long token = guarded.enter();
                    try {
                        String value = counter.get();
                        counter.set(String.valueOf(value == null ? 1 : Long.parseLong(value) + 1));
                        if (token >= 0) {
                            String highest = fence.get();
                            if (highest != null && Long.parseLong(highest) >= token) {
                                throw new IllegalStateException(kind + ": token " + token + " after " + highest);
                            }
                            fence.set(String.valueOf(token));
                        }
                    } finally {
                        guarded.exit();
                    }
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, kind);
        thread.start();
        return thread;
    }

    private static void hold(RedisBackend backend, String name) throws Exception {
        SharedLock lock = backend.lock(name + "-lock", false, false, LEASE);
        SharedLock rlock = backend.lock(name + "-rlock", true, false, LEASE);
        SharedSemaphore semaphore = backend.semaphore(name + "-semaphore", 1, true, LEASE);
        if (!lock.acquire(Long.MAX_VALUE) || !rlock.acquire(Long.MAX_VALUE) || !semaphore.acquire(Long.MAX_VALUE)) {
            throw new IllegalStateException("a wait without limit returned false");
        }
        System.out.println("HELD " + lock.fencingToken() + " " + rlock.fencingToken());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("release")) {
            // wait for the test's word
        }
        report("lock", lock::release);
        report("rlock", rlock::release);
        report("semaphore", () -> semaphore.release(1));
        System.out.println("END");
    }

    private static void report(String kind, Runnable release) {
        try {
            release.run();
            System.out.println("RELEASED " + kind);
        } catch (RuntimeException e) {
            System.out.println("RELEASE-FAILED " + kind + " " + e.getClass().getName() + ": " + e.getMessage());
        }
    }

    private static void cross(RedisBackend backend, String mine, String theirs) throws InterruptedException {
        SharedLock held = backend.lock(mine, true, false, LEASE);
        SharedLock wanted = backend.lock(theirs, true, false, LEASE);
        if (!held.acquire(Long.MAX_VALUE)) {
            throw new IllegalStateException("a wait without limit returned false");
        }
        System.out.println("HELD");
        System.out.flush();
        System.out.println(wanted.acquire(Long.MAX_VALUE) ? "ACQUIRED" : "RETURNED-FALSE");
    }

    private static void waitFor(RedisBackend backend, String name) throws InterruptedException {
        SharedLock lock = backend.lock(name, false, false, LEASE);
        try {
            System.out.println(lock.acquire(Long.MAX_VALUE) ? "ACQUIRED" : "RETURNED-FALSE");
        } catch (BackendUnavailableException e) {
            System.out.println("UNAVAILABLE " + e.getMessage());
        }
    }
}
