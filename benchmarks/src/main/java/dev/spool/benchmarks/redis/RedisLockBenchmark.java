package dev.spool.benchmarks.redis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.redisson.Redisson;
import org.redisson.api.RFencedLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import dev.spool.redis.RedisBackend;
import dev.spool.threading.Lock;
import dev.spool.threading.RLock;
import dev.spool.threading.spi.SharedLock;
import redis.embedded.RedisServer;

/**
 * One thread acquiring and releasing a Redis lock nobody else wants, on a real redis-server started on a free
 * loopback port in {@link #start()}: Spool's {@code redis} backend against Redisson's own locks over the same client.
 * Spool's lock is a one-permit {@code RPermitExpirableSemaphore}: an acquire and a release are one awaited round trip
 * each, as Redisson's {@code RLock} {@code lock()}/{@code unlock()} are, plus the holder entry written and removed
 * without being awaited; a fencing token, taken on demand, costs two more ({@code sharedLockFenced}). Target: Spool's
 * lock within 1.2x of Redisson's {@code RLock}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RedisLockBenchmark {
    private static final Duration LEASE = Duration.ofSeconds(30);

    private RedisServer server;
    private RedissonClient redisson;
    private RedisBackend backend;
    private SharedLock sharedLock;
    private SharedLock sharedRLock;
    private Lock spoolLock;
    private RLock spoolRLock;
    private org.redisson.api.RLock redissonLock;
    private RFencedLock redissonFencedLock;

    /**
     * Starts redis-server without persistence and the client, one connection pool shared by every variant.
     *
     * @throws IOException if the server does not start
     */
    @Setup
    public void start() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path dir = Files.createTempDirectory("spool-bench-redis");
        server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
                .setting("appendonly no").setting("dir " + dir).build();
        server.start();
        Config config = new Config();
        config.useSingleServer().setAddress("redis://127.0.0.1:" + port);
        redisson = Redisson.create(config);
        backend = new RedisBackend(redisson, "bench");
        sharedLock = backend.lock("bench-shared-lock", false, false, LEASE);
        sharedRLock = backend.lock("bench-shared-rlock", true, false, LEASE);
        spoolLock = Lock.shared("bench-spool-lock", backend.lock("bench-spool-lock", false, false, LEASE));
        spoolRLock = RLock.shared("bench-spool-rlock", backend.lock("bench-spool-rlock", true, false, LEASE));
        redissonLock = redisson.getLock("bench-redisson-lock");
        redissonFencedLock = redisson.getFencedLock("bench-redisson-fenced-lock");
    }

    /**
     * Stops the client and the server.
     *
     * @throws IOException if the server does not stop
     */
    @TearDown
    public void stop() throws IOException {
        backend.close();
        redisson.shutdown();
        server.stop();
    }

    /** The baseline: Redisson's {@code RLock}, with its watchdog lease, {@code lock()} and {@code unlock()}. */
    @Benchmark
    public void redissonRLock() {
        redissonLock.lock();
        redissonLock.unlock();
    }

    /** Redisson's {@code RFencedLock}: {@code lockAndGetToken()} and {@code unlock()}, a fencing token per hold. */
    @Benchmark
    public Long redissonFencedLock() {
        Long token = redissonFencedLock.lockAndGetToken();
        redissonFencedLock.unlock();
        return token;
    }

    /**
     * The backend's {@code Lock} as the public type drives it uncontended: {@code acquire(0)} (the try that comes
     * first) and {@code release()}.
     *
     * @throws InterruptedException never: nobody interrupts the benchmark thread
     */
    @Benchmark
    public void sharedLock() throws InterruptedException {
        sharedLock.acquire(0);
        sharedLock.release();
    }

    /**
     * The backend's {@code Lock} with a fencing token per hold, against {@code redissonFencedLock}.
     *
     * @throws InterruptedException never
     */
    @Benchmark
    public long sharedLockFenced() throws InterruptedException {
        sharedLock.acquire(0);
        long token = sharedLock.fencingToken();
        sharedLock.release();
        return token;
    }

    /**
     * The backend's {@code RLock}, {@code acquire(0)} and {@code release()}.
     *
     * @throws InterruptedException never
     */
    @Benchmark
    public void sharedRLock() throws InterruptedException {
        sharedRLock.acquire(0);
        sharedRLock.release();
    }

    /** Spool's public {@code Lock} over the backend ({@code Lock.shared}): {@code acquire()} and {@code release()}. */
    @Benchmark
    public void spoolLock() {
        spoolLock.acquire();
        spoolLock.release();
    }

    /** Spool's public {@code RLock} over the backend ({@code RLock.shared}): {@code acquire()} and {@code release()}. */
    @Benchmark
    public void spoolRLock() {
        spoolRLock.acquire();
        spoolRLock.release();
    }
}
