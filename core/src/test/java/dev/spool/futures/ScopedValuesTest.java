package dev.spool.futures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The JDK 21 half of {@link ScopedValues}, which the tests of this module load (they run on {@code target/classes},
 * a directory, where a multi-release jar's {@code META-INF/versions/25} does not apply). The JDK 25 half is tested
 * on the packaged jar: {@code ScopedValuesIT}.
 */
class ScopedValuesTest {

    @Test
    void withoutTheJdk25ClassesEveryUseFailsAtTheCallNamingWhatIsNeeded() {
        assertThat(ScopedValues.isSupported()).isFalse();
        int java = Runtime.version().feature();
        assertThatThrownBy(() -> ScopedValues.carrier(new Object()))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("needs Java 25 or newer").hasMessageContaining("this JVM is Java " + java);
        assertThatThrownBy(() -> ThreadPool.builder().carryScopedValues(new Object()))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("needs Java 25 or newer");
    }

    @Test
    void theMessageSaysWhyOnAJdkThatHasScopedValues() {
        assertThat(ScopedValueCarrier.unsupported(21)).endsWith("this JVM is Java 21");
        assertThat(ScopedValueCarrier.unsupported(25)).contains("this JVM is Java 25")
                .contains("META-INF/versions/25").contains("Multi-Release: true");
    }
}
