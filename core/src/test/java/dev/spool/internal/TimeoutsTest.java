package dev.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Timeouts in messages read as people write them. */
class TimeoutsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            PT0.2S          | 200 ms
            PT1.5S          | 1.5 s
            PT0.180082536S  | 180 ms
            PT0S            | 0 s
            PT0.000000007S  | 7 ns
            PT0.0000125S    | 12.5 µs
            PT0.9999S       | 1 s
            PT30S           | 30 s
            PT90S           | 1.5 min
            PT2H            | 2 h
            PT-3S           | -3 s
            PT1.23456S      | 1.23 s
            """)
    void formatsInTheUnitThatSuitsTheDuration(String iso, String expected) {
        assertThat(Timeouts.format(Duration.parse(iso))).isEqualTo(expected);
    }

    @Test
    void theTimeRuleNeverBlocksForNothingAndSaturatesInsteadOfOverflowing() {
        assertThat(Timeouts.nanos(Duration.ZERO)).isZero();
        assertThat(Timeouts.nanos(Duration.ofMillis(-5))).as("a past deadline: do not block").isZero();
        assertThat(Timeouts.nanos(Duration.ofMillis(200))).isEqualTo(200_000_000L);
        assertThat(Timeouts.nanos(Duration.ofDays(365L * 100))).as("100 years counts").isLessThan(Timeouts.FOREVER);
        assertThat(Timeouts.nanos(Duration.ofDays(365L * 200))).isEqualTo(Timeouts.FOREVER);
        assertThat(Timeouts.nanos(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(Timeouts.FOREVER);
        assertThatThrownBy(() -> Timeouts.nanos(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("use the overload without a Duration");
    }
}
