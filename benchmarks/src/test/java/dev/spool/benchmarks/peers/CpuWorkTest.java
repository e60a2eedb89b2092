package dev.spool.benchmarks.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CpuWorkTest {
    @Test
    void propertyFixesTheCalibrationWithoutMeasuring() {
        AtomicInteger measured = new AtomicInteger();
        double value = CpuWork.resolve(" 665.5 ", () -> {
            measured.incrementAndGet();
            return 1;
        });
        assertThat(value).isEqualTo(665.5);
        assertThat(measured).hasValue(0);
    }

    @Test
    void unsetOrBlankPropertyMeasures() {
        assertThat(CpuWork.resolve(null, () -> 42.0)).isEqualTo(42.0);
        assertThat(CpuWork.resolve("  ", () -> 42.0)).isEqualTo(42.0);
    }

    @Test
    void malformedPropertyNamesItselfAndWhatItWants() {
        assertThatThrownBy(() -> CpuWork.resolve("fast", () -> 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(CpuWork.TOKENS_PER_MICRO_PROPERTY)
                .hasMessageContaining("positive number")
                .hasMessageContaining("'fast'");
        assertThatThrownBy(() -> CpuWork.resolve("0", () -> 1))
                .hasMessageContaining(CpuWork.TOKENS_PER_MICRO_PROPERTY);
        assertThatThrownBy(() -> CpuWork.resolve("-3", () -> 1))
                .hasMessageContaining(CpuWork.TOKENS_PER_MICRO_PROPERTY);
        assertThatThrownBy(() -> CpuWork.resolve("NaN", () -> 1))
                .hasMessageContaining(CpuWork.TOKENS_PER_MICRO_PROPERTY);
        assertThatThrownBy(() -> CpuWork.resolve("Infinity", () -> 1))
                .hasMessageContaining(CpuWork.TOKENS_PER_MICRO_PROPERTY);
    }

    @Test
    void tokensScaleWithTaskLengthAndOnlyANoOpHasNone() {
        assertThat(CpuWork.tokensFor(20, 665.3)).isEqualTo(13_306);
        assertThat(CpuWork.tokensFor(1, 665.3)).isEqualTo(665);
        assertThat(CpuWork.tokensFor(0.0001, 665.3)).isEqualTo(1);
        assertThat(CpuWork.tokensFor(0, 665.3)).as("the no-op task size").isZero();
        assertThatThrownBy(() -> CpuWork.tokensFor(-1, 665.3)).hasMessageContaining("microseconds");
    }

    @Test
    void rateIsTokensPerMicrosecond() {
        assertThat(CpuWork.rate(200_000, 300_000)).isEqualTo(200_000 * 1_000.0 / 300_000);
        assertThat(CpuWork.rate(10, 0)).isEqualTo(10_000.0); // a round too short to time counts as 1 ns
    }

    @Test
    void measurementIsAPositiveFiniteRate() {
        double rate = CpuWork.measure();
        assertThat(rate).isPositive().isFinite();
    }

    @Test
    void taskConsumesTheCalibratedTokens() throws Exception {
        long expected = CpuWork.tokensFor(10, CpuWork.tokensPerMicro());
        assertThat(CpuWork.task(10).call()).isEqualTo(expected);
    }
}
