package dev.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.testing.Waiting;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpinPolicyTest {
    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    @BeforeEach
    void nobodySpins() {
        // a pool thread of an earlier test may still be in its last short spin
        Waiting.until("no thread spins", () -> SpinPolicy.spinners() == 0);
    }

    @Test
    void nobodySpinsWhileTheThreadsThatEndTheWaitTakeEveryCpu() {
        assertThat(SpinPolicy.tryBegin(CPUS)).isFalse();
        assertThat(SpinPolicy.tryBegin(Integer.MAX_VALUE)).as("runnable work waits").isFalse();
        assertThat(SpinPolicy.spinners()).isZero();
    }

    @Test
    void spinnersAndBusyThreadsTogetherNeverTakeMoreCpusThanThereAre() {
        assumeTrue(CPUS >= 2, "a single CPU never spins");
        int allowed = 0;
        while (SpinPolicy.tryBegin(1)) {
            allowed++;
        }
        try {
            assertThat(allowed).as("one CPU is taken by the thread that ends the wait").isEqualTo(CPUS - 1);
            assertThat(SpinPolicy.tryBegin(1)).isFalse();
        } finally {
            for (int i = 0; i < allowed; i++) {
                SpinPolicy.end();
            }
        }
        assertThat(SpinPolicy.spinners()).isZero();
        assertThat(SpinPolicy.tryBegin(1)).as("the budget comes back").isTrue();
        SpinPolicy.end();
    }

    @Test
    void aWaiterAfterAHandOffTakesAFreeSlotAtOnceAndGivesUpWhenSpinnersKeepTheBudget() {
        assumeTrue(CPUS >= 2, "a single CPU never spins");
        assertThat(SpinPolicy.tryBeginAfterHandOff(1)).as("a free slot").isTrue();
        SpinPolicy.end();
        int held = 0;
        while (SpinPolicy.tryBegin(1)) { // other spinners, which do not stop, fill the budget
            held++;
        }
        try {
            assertThat(SpinPolicy.tryBeginAfterHandOff(1)).as("it asks again only for a moment").isFalse();
            assertThat(SpinPolicy.spinners()).isEqualTo(held);
        } finally {
            for (int i = 0; i < held; i++) {
                SpinPolicy.end();
            }
        }
        assertThat(SpinPolicy.tryBeginAfterHandOff(CPUS)).as("busy threads take every CPU").isFalse();
        assertThat(SpinPolicy.tryBeginAfterHandOff(Integer.MAX_VALUE)).as("runnable work waits").isFalse();
        assertThat(SpinPolicy.spinners()).isZero();
    }

    @Test
    void aVirtualThreadNeverSpins() throws Exception {
        AtomicBoolean allowed = new AtomicBoolean(true);
        Thread.ofVirtual().start(() -> allowed.set(SpinPolicy.tryBegin(0))).join();
        assertThat(allowed).isFalse();
        assertThat(SpinPolicy.spinners()).isZero();
    }
}
