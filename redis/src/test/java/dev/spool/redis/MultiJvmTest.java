package dev.spool.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.redisson.client.codec.StringCodec;

import dev.spool.threading.Deadlock;
import dev.spool.threading.DeadlockDetector;
import dev.spool.threading.RLock;
import dev.spool.threading.spi.SharedLock;
import dev.spool.threading.spi.SharedSemaphore;

/**
 * Issue 15's criteria with real separate JVMs ({@link Contender}) on one real Redis: exclusion under contention,
 * kill -9 of a holder, SIGSTOP of a holder past its lease, and Redis stopped and started under waiting JVMs.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class MultiJvmTest {
    private static final Duration LEASE = Contender.LEASE;
    private static final int ITERATIONS = 1_150; // per JVM and primitive: 3 JVMs x 3 primitives = 10,350 holds

    private EmbeddedRedis redis;
    private Instances instances;
    private RedisBackend test;
    private final List<Child> children = new ArrayList<>();

    /** One Contender JVM, its stdout as a queue of lines. */
    private static final class Child {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Child(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null;) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("READ-FAILED " + e);
                }
            }, "child-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        /** @return the next line, which must start with {@code prefix}, within {@code patience} */
        String expect(String prefix, Duration patience) throws InterruptedException {
            String line = lines.poll(patience.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(line).as("JVM %d's next line", process.pid()).isNotNull().startsWith(prefix);
            return line;
        }

        void send(String line) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        void signal(String signal) throws Exception {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(kill.exitValue()).as("kill -%s", signal).isZero();
        }
    }

    @BeforeEach
    void start() {
        redis = new EmbeddedRedis();
        instances = new Instances(redis);
        test = instances.backend("test");
    }

    @AfterEach
    void stop() {
        children.forEach(child -> child.process.destroyForcibly());
        instances.close();
        redis.close();
    }

    private Child spawn(String... args) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Contender.class.getName()));
        command.addAll(List.of(args));
        Path errors = Files.createDirectories(Path.of("target", "contenders"));
        Process process = new ProcessBuilder(command)
                .redirectError(errors.resolve(args[0] + "-" + System.nanoTime() + ".err").toFile())
                .directory(new File(System.getProperty("user.dir")))
                .start();
        Child child = new Child(process);
        children.add(child);
        return child;
    }

    @Test
    void threeJvmsNeverHoldALockAnRLockOrABoundedSemaphoreTogether() throws Exception {
        String port = String.valueOf(redis.port());
        List<Child> contenders = List.of(spawn("count", port, String.valueOf(ITERATIONS)),
                spawn("count", port, String.valueOf(ITERATIONS)), spawn("count", port, String.valueOf(ITERATIONS)));
        for (Child child : contenders) {
            child.expect("DONE", Duration.ofSeconds(120));
            assertThat(child.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(child.process.exitValue()).isZero();
        }
        for (String kind : List.of("lock", "rlock", "semaphore")) {
            Object counted = instances.client(0).getBucket("mj-counter:" + kind, StringCodec.INSTANCE).get();
            assertThat(counted).as(kind + ": every read-increment-write under it counted once")
                    .isEqualTo(String.valueOf(3 * ITERATIONS));
        }
    }

    @Test
    void aDeadlockThroughTwoJvmsIsFoundWithTheOtherJvmsThreadByName() throws Exception {
        RLock mine = RLock.shared("cross-b", test.lock("cross-b", true, false, LEASE));
        RLock theirs = RLock.shared("cross-a", test.lock("cross-a", true, false, LEASE));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch otherHolds = new CountDownLatch(1);
        AtomicBoolean gotTheirs = new AtomicBoolean();
        Thread holder = new Thread(() -> {
            mine.acquire();
            try {
                holding.countDown();
                otherHolds.await();
                if (theirs.tryLock(60, TimeUnit.SECONDS)) { // until the other JVM dies and its lease runs out
                    gotTheirs.set(true);
                    theirs.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                mine.release();
            }
        }, "cross-holder");
        holder.setDaemon(true);
        holder.start();
        holding.await();
        Child other = spawn("cross", String.valueOf(redis.port()), "cross-a", "cross-b");
        other.expect("HELD", Duration.ofSeconds(30));
        otherHolds.countDown();

        String remote = "jvm-" + other.process.pid() + "/main";
        Background.until("the cycle through the other JVM is found", Duration.ofSeconds(20),
                () -> !DeadlockDetector.findDeadlocks().isEmpty());
        List<Deadlock> found = DeadlockDetector.findDeadlocks(); // a deadlock does not go away by itself
        long id = holder.threadId();
        assertThat(found).singleElement().satisfies(deadlock -> assertThat(deadlock.waits()).containsExactly(
                new Deadlock.Wait("cross-holder", id, "cross-a", remote, Deadlock.ANOTHER_INSTANCE),
                new Deadlock.Wait(remote, Deadlock.ANOTHER_INSTANCE, "cross-b", "cross-holder", id)));
        System.out.println("two JVMs: " + found.get(0));

        other.process.destroyForcibly(); // its hold of cross-a ends with its lease; this JVM's thread gets it
        holder.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(gotTheirs).isTrue();
        assertThat(DeadlockDetector.findDeadlocks()).isEmpty();
    }

    @Test
    void aKilledHoldersLockAndPermitAreFreeWithinTheLease() throws Exception {
        Child holder = spawn("hold", String.valueOf(redis.port()), "killed");
        holder.expect("HELD", Duration.ofSeconds(30));
        SharedLock lock = test.lock("killed-lock", false, false, LEASE);
        SharedLock rlock = test.lock("killed-rlock", true, false, LEASE);
        SharedSemaphore semaphore = test.semaphore("killed-semaphore", 1, true, LEASE);
        assertThat(lock.acquire(0)).isFalse();
        assertThat(semaphore.acquire(0)).isFalse();

        holder.process.destroyForcibly(); // kill -9
        long killed = System.nanoTime();
        assertThat(holder.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long budget = LEASE.plusSeconds(1).toNanos();
        assertThat(lock.acquire(budget - (System.nanoTime() - killed))).isTrue();
        assertThat(rlock.acquire(Math.max(0, budget - (System.nanoTime() - killed)))).isTrue();
        assertThat(semaphore.acquire(Math.max(0, budget - (System.nanoTime() - killed)))).isTrue();
        Duration freed = Duration.ofNanos(System.nanoTime() - killed);
        assertThat(freed).as("from kill -9 to holding all three").isLessThanOrEqualTo(LEASE.plusSeconds(1));
        System.out.println("kill -9: all three free " + freed.toMillis() + " ms after the kill (lease "
                + LEASE.toMillis() + " ms)");
        lock.release();
        rlock.release();
        semaphore.release(1);
    }

    @Test
    void aHolderStoppedPastItsLeaseLosesToAHigherTokenAndFailsItsRelease() throws Exception {
        Child holder = spawn("hold", String.valueOf(redis.port()), "stopped");
        String[] held = holder.expect("HELD", Duration.ofSeconds(30)).split(" ");
        long staleLock = Long.parseLong(held[1]);
        long staleRLock = Long.parseLong(held[2]);
        SharedLock lock = test.lock("stopped-lock", false, false, LEASE);
        SharedLock rlock = test.lock("stopped-rlock", true, false, LEASE);
        SharedSemaphore semaphore = test.semaphore("stopped-semaphore", 1, true, LEASE);

        holder.signal("STOP");
        try {
            long budget = LEASE.plusSeconds(1).toNanos();
            assertThat(lock.acquire(budget)).isTrue();
            assertThat(rlock.acquire(budget)).isTrue();
            assertThat(semaphore.acquire(budget)).isTrue();
            assertThat(lock.fencingToken()).isGreaterThan(staleLock);
            assertThat(rlock.fencingToken()).isGreaterThan(staleRLock);
            lock.release();
            rlock.release();
            semaphore.release(1);
        } finally {
            holder.signal("CONT");
        }
        holder.send("release");
        assertThat(holder.expect("RELEASE-FAILED lock", Duration.ofSeconds(10)))
                .contains("IllegalStateException").contains("fencing token " + staleLock).contains("expired");
        assertThat(holder.expect("RELEASE-FAILED rlock", Duration.ofSeconds(10)))
                .contains("IllegalMonitorStateException").contains("expired");
        assertThat(holder.expect("RELEASE-FAILED semaphore", Duration.ofSeconds(10)))
                .contains("IllegalStateException").contains("expired");
        holder.expect("END", Duration.ofSeconds(10));
        assertThat(lock.isLocked()).as("the stale release freed nothing of anybody's").isFalse();
        assertThat(semaphore.value()).isEqualTo(1);
    }

    @Test
    void jvmsWaitingWhileRedisStopsAndStartsFailClearlyOrGoOn() throws Exception {
        SharedLock lock = test.lock("restart", false, false, LEASE);
        assertThat(lock.acquire(0)).isTrue();
        List<Child> waiters = List.of(spawn("wait", String.valueOf(redis.port()), "restart"),
                spawn("wait", String.valueOf(redis.port()), "restart"));
        Background.until("two JVMs wait", Duration.ofSeconds(30), () -> lock.waiters().size() == 2);

        redis.stop();
        // Keep Redis down until one waiter has told (it looks every 0.5 s), or 3 s at most, then bring it back
        // without its data: the other waiter then either saw the outage too or finds the lock free.
        String first = waiters.get(0).lines.poll(3, TimeUnit.SECONDS);
        redis.start();
        List<String> outcomes = new ArrayList<>();
        outcomes.add(first != null ? first : waiters.get(0).expect("", Duration.ofSeconds(20)));
        outcomes.add(waiters.get(1).expect("", Duration.ofSeconds(20)));
        for (int i = 0; i < outcomes.size(); i++) {
            assertThat(outcomes.get(i)).matches("ACQUIRED|UNAVAILABLE Redis at redis://127\\.0\\.0\\.1:\\d+ could not"
                    + " be reached for Lock 'restart'.*spring\\.data\\.redis.*");
            assertThat(waiters.get(i).process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(waiters.get(i).process.exitValue()).isZero();
        }
        System.out.println("Redis restarted under two waiting JVMs: " + outcomes.stream()
                .map(o -> o.split(" ")[0]).toList());
    }
}
