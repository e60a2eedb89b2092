package dev.spool.benchmarks.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PeerPoolsTest {
    private static final Callable<Long> TASK = () -> 7L;

    @ParameterizedTest
    @ValueSource(strings = {"jdkFixedPool", "jdkMicrometer", "springTaskExecutor", "dtpExecutor", "spoolResult",
            "spoolGet", "spoolMetered"})
    void everyPeerRunsATaskOnItsOwnPoolAndOnlyThatOne(String peer) throws Exception {
        try (PeerPools pools = PeerPools.start(peer)) {
            int started = (pools.jdk != null ? 1 : 0) + (pools.spring != null ? 1 : 0) + (pools.dtp != null ? 1 : 0)
                    + (pools.spool != null ? 1 : 0);
            assertThat(started).isEqualTo(1);
            Long result = pools.jdk != null ? pools.jdk.submit(TASK).get()
                    : pools.spring != null ? pools.spring.submit(TASK).get()
                    : pools.dtp != null ? pools.dtp.submit(TASK).get()
                    : pools.spool.submit(TASK).result();
            assertThat(result).isEqualTo(7L);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdkFixedPool", "springTaskExecutor", "dtpExecutor", "spoolResult", "spoolGet"})
    void unmeteredPeersHaveNoRegistry(String peer) {
        try (PeerPools pools = PeerPools.start(peer)) {
            assertThat(pools.registry()).isNull();
        }
    }

    @Test
    void micrometerPeerTimesEveryTaskOnASimpleRegistry() throws Exception {
        try (PeerPools pools = PeerPools.start("jdkMicrometer")) {
            pools.jdk.submit(TASK).get();
            MeterRegistry registry = pools.registry();
            assertThat(registry.getClass().getSimpleName()).isEqualTo("SimpleMeterRegistry");
            assertThat(registry.get("executor").tag("name", "bench-micrometer").timer().count()).isEqualTo(1);
        }
    }

    @Test
    void spoolMeteredPeerBindsSpoolMetersToASimpleRegistry() throws Exception {
        try (PeerPools pools = PeerPools.start("spoolMetered")) {
            pools.spool.submit(TASK).result();
            MeterRegistry registry = pools.registry();
            assertThat(registry.getClass().getSimpleName()).isEqualTo("SimpleMeterRegistry");
            assertThat(registry.getMeters()).extracting(meter -> meter.getId().getName())
                    .anyMatch(name -> name.startsWith("spool.executor"));
        }
    }

    @Test
    void peerPoolsHaveFourWorkersAndUnboundedQueues() throws Exception {
        try (PeerPools spring = PeerPools.start("springTaskExecutor"); PeerPools dtp = PeerPools.start("dtpExecutor")) {
            assertThat(spring.spring.getCorePoolSize()).isEqualTo(PeerPools.WORKERS);
            assertThat(spring.spring.getMaxPoolSize()).isEqualTo(PeerPools.WORKERS);
            assertThat(dtp.dtp.getCorePoolSize()).isEqualTo(PeerPools.WORKERS);
            assertThat(dtp.dtp.getMaximumPoolSize()).isEqualTo(PeerPools.WORKERS);
            // unbounded queues, as the JDK pool's: 64 callers never find one full
            assertThat(spring.spring.getQueueCapacity()).isEqualTo(Integer.MAX_VALUE);
            assertThat(dtp.dtp.getQueue().remainingCapacity()).isEqualTo(Integer.MAX_VALUE);
        }
    }

    @Test
    void unknownPeerNamesTheChoices() {
        assertThatThrownBy(() -> PeerPools.start("tomcat"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tomcat")
                .hasMessageContaining("spoolMetered");
    }
}
