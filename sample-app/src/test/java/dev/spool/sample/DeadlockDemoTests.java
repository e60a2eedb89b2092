package dev.spool.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import dev.spool.sample.demo.DeadlockDemo;
import dev.spool.threading.Deadlock;
import dev.spool.threading.DeadlockDetector;
import dev.spool.threading.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code POST /demo/deadlock}'s two transfers: a real deadlock on the two bay locks, which the detector sees, and
 * which heals by itself once the transfers' timeout has passed, leaving both locks free.
 */
@Timeout(30)
class DeadlockDemoTests {

    private final Lock bayA = new Lock("test-bay-a");
    private final Lock bayB = new Lock("test-bay-b");
    private final DeadlockDemo demo = new DeadlockDemo(bayA, bayB);

    @Test
    void theTransfersDeadlockThenGiveUpAndReleaseTheBays() {
        DeadlockDemo.Status status = demo.provoke(Duration.ofSeconds(2));
        assertThat(status.running()).isTrue();
        assertThat(status.locks()).containsExactly("test-bay-a", "test-bay-b");
        assertThat(demo.provoke(Duration.ofSeconds(60))).as("one at a time: the one going on").isEqualTo(status);

        await().atMost(Duration.ofSeconds(10)).until(() -> ours().isPresent());
        Deadlock cycle = ours().orElseThrow();
        assertThat(cycle.waits()).extracting(w -> w.threadName())
                .containsExactlyInAnyOrder("transfer-a-to-b", "transfer-b-to-a");
        assertThat(bayA.waitingThreadNames()).containsExactly("transfer-b-to-a");
        assertThat(bayB.waitingThreadNames()).containsExactly("transfer-a-to-b");

        await().atMost(Duration.ofSeconds(15)).until(() -> !demo.status().running());
        assertThat(ours()).isEmpty();
        assertThat(bayA.locked()).isFalse();
        assertThat(bayB.locked()).isFalse();
        assertThat(demo.provoke(Duration.ofSeconds(1)).running()).as("another can start").isTrue();
        await().atMost(Duration.ofSeconds(15)).until(() -> !demo.status().running());
    }

    @Test
    void itsDurationIsBounded() {
        assertThatIllegalArgumentException().isThrownBy(() -> demo.provoke(Duration.ZERO))
                .withMessageContaining("seconds: 1 to 120");
        assertThatIllegalArgumentException().isThrownBy(() -> demo.provoke(Duration.ofSeconds(121)));
        assertThat(demo.status().running()).isFalse();
    }

    @Test
    void halfADeadlockIsOneTransferThatWaitsForTheOtherBayOnceSomeoneElseHoldsIt() throws Exception {
        assertThatIllegalArgumentException().isThrownBy(() -> demo.provokeHalf(Duration.ofSeconds(2), "a-to-c"))
                .withMessageContaining("only: a-to-b or b-to-a, was 'a-to-c'");
        // The other side, as another replica would run it: holds bay B, then waits for bay A.
        bayB.acquire();
        DeadlockDemo.Status status = demo.provokeHalf(Duration.ofSeconds(2), "a-to-b");
        assertThat(status.locks()).containsExactly("test-bay-a", "test-bay-b");
        await().atMost(Duration.ofSeconds(10)).until(() -> bayB.waitingThreadNames().contains("transfer-a-to-b"));
        assertThat(bayA.locked()).as("the transfer holds its source bay").isTrue();
        bayB.release();
        await().atMost(Duration.ofSeconds(15)).until(() -> !demo.status().running());
        assertThat(bayA.locked()).isFalse();
        assertThat(bayB.locked()).isFalse();
    }

    private java.util.Optional<Deadlock> ours() {
        List<Deadlock> all = DeadlockDetector.findDeadlocks();
        return all.stream().filter(d -> d.lockNames().contains("test-bay-a")).findFirst();
    }
}
