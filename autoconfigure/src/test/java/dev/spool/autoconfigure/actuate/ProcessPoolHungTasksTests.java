package dev.spool.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.spool.autoconfigure.SpoolAutoConfiguration;
import dev.spool.autoconfigure.actuate.ExecutorsEndpoint.ExecutorDetails;
import dev.spool.autoconfigure.actuate.ExecutorsEndpoint.ProcessWorker;
import dev.spool.autoconfigure.actuate.ExecutorsEndpoint.TimeoutsDescriptor;
import dev.spool.autoconfigure.actuate.SpoolHealthIndicator.HungTasks;
import dev.spool.autoconfigure.metrics.SpoolMetricsAutoConfiguration;
import dev.spool.futures.ProcessPool;
import dev.spool.futures.SerializableCallable;
import dev.spool.futures.TaskFuture;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A process pool's run-timeout and queue-timeout as the starter wires them: a task blocked in a worker JVM past its
 * run-timeout is on its worker in the endpoint, in the hung gauge and in health until it ends; the default
 * run-timeout and the queue-timeout reach the pool.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProcessPoolHungTasksTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                    SpoolAutoConfiguration.class, SpoolEndpointsAutoConfiguration.class,
                    SpoolHealthAutoConfiguration.class, MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                    SpoolMetricsAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=executors",
                    "spool.executors.crunch.type=process", "spool.executors.crunch.max-workers=1");

    /** Sent to a worker JVM: connects to the test's socket and waits there until the test writes a byte. */
    record Blocked(String socket) implements SerializableCallable<Integer> {
        @Override
        public Integer call() throws IOException {
            try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                channel.read(ByteBuffer.allocate(1));
            }
            return 42;
        }
    }

    @Test
    void aTaskBlockedInAWorkerPastItsRunTimeoutIsOnItsWorkerInTheMetersAndHealthUntilItEnds() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "hung-");
        Path socket = dir.resolve("s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            runner.withPropertyValues("spool.executors.crunch.run-timeout=300ms").run(context -> {
                ProcessPool crunch = context.getBean("crunch", ProcessPool.class);
                TaskFuture<Integer> blocked = crunch.submit("price-list", new Blocked(socket.toString()));
                try (SocketChannel arrived = accept(server)) {
                    ExecutorsEndpoint endpoint = context.getBean(ExecutorsEndpoint.class);
                    await().atMost(WAIT).until(() -> !endpoint.executor("crunch").hungTasks().isEmpty()
                            && crunch.timeoutStats().runTimeouts() == 1);

                    ExecutorDetails details = endpoint.executor("crunch", true);
                    assertThat(details.timeouts()).isEqualTo(new TimeoutsDescriptor(300.0, null, 1, 1, 0));
                    assertThat(details.workers()).singleElement().isInstanceOfSatisfying(ProcessWorker.class,
                            worker -> {
                                assertThat(worker.name()).isEqualTo("crunch-worker-1");
                                assertThat(worker.state()).isEqualTo("BUSY");
                                assertThat(worker.task()).isEqualTo("price-list");
                                assertThat(worker.hung()).isTrue();
                                assertThat(worker.runningMillis()).isGreaterThan(300.0);
                                assertThat(Instant.parse(worker.since())).isBefore(Instant.now());
                            });
                    assertThat(details.hungTasks()).singleElement().satisfies(task -> {
                        assertThat(task.worker()).isEqualTo("crunch-worker-1");
                        assertThat(task.task()).isEqualTo("price-list");
                    });

                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("spool.executor.tasks.hung").tag("name", "crunch").gauge().value())
                            .isEqualTo(1.0);
                    Health down = context.getBean(SpoolHealthIndicator.class).health();
                    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(down.getDetails()).extractingByKey("hungTasks").isInstanceOfSatisfying(Map.class,
                            hung -> assertThat(((HungTasks) hung.get("crunch")).count()).isEqualTo(1));

                    arrived.write(ByteBuffer.wrap(new byte[] {1}));
                }
                assertThat(blocked.result(WAIT)).isEqualTo(42);
                await().atMost(WAIT).until(() -> crunch.timeoutStats().hung() == 0);
                assertThat(context.getBean(SpoolHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
                assertThat(context.getBean(ExecutorsEndpoint.class).executor("crunch").workers())
                        .singleElement().isInstanceOfSatisfying(ProcessWorker.class,
                                worker -> assertThat(worker.task()).isNull());
            });
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void theDefaultRunTimeoutAndTheQueueTimeoutReachAProcessPool() {
        runner.withPropertyValues("spool.executor-defaults.run-timeout=2m", "spool.executors.crunch.queue-timeout=5s",
                "spool.executors.crunch.cancel-on-queue-timeout=true").run(context -> {
            ProcessPool crunch = context.getBean("crunch", ProcessPool.class);
            assertThat(crunch.timeoutStats().runTimeout()).isEqualTo(Duration.ofMinutes(2));
            assertThat(crunch.timeoutStats().queueTimeout()).isEqualTo(Duration.ofSeconds(5));
        });
    }

    private static SocketChannel accept(ServerSocketChannel server) {
        try {
            return server.accept(); // the task has started in its worker once it connects
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
