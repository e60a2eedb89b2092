package dev.spool.futures;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

/**
 * The fields that {@link PaddedFields} keeps apart are apart in the layout this JVM gives them: no other field within
 * 64 bytes of one, so that no alignment of the object puts both on one cache line.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PaddedFieldsTest {
    private static final int LINE = 64;

    /** Fields the padding classes declare only to take room. */
    private static boolean isPadding(FieldLayout field) {
        return field.name().matches("p\\d\\d|header|filler");
    }

    private static void assertApart(Class<?> type, Set<String> hot, Set<String> group) {
        List<FieldLayout> fields = List.copyOf(ClassLayout.parseClass(type).fields());
        assertThat(fields.stream().map(FieldLayout::name)).as(type.getSimpleName()).containsAll(hot);
        for (FieldLayout a : fields) {
            if (!hot.contains(a.name())) {
                continue;
            }
            for (FieldLayout b : fields) {
                if (b == a || isPadding(b) || group.contains(a.name()) && group.contains(b.name())) {
                    continue;
                }
                long gap = b.offset() >= a.offset() ? b.offset() - (a.offset() + a.size())
                        : a.offset() - (b.offset() + b.size());
                assertThat(gap).as("%s.%s and %s at offsets %d and %d", type.getSimpleName(), a.name(), b.name(),
                        a.offset(), b.offset()).isGreaterThanOrEqualTo(LINE - 1);
            }
        }
    }

    @Test
    @DisplayName("a pool engine's control word and hand-off slot: no other field on their cache line")
    void theEngineFields() {
        for (Class<?> engine : List.of(PlatformEngine.class, VirtualEngine.class)) {
            assertApart(engine, Set.of("ctl", "handOff"), Set.of());
        }
    }

    @Test
    @DisplayName("a task queue's tail, head and waiting side: no other field on their cache lines")
    void theQueueFields() {
        Set<String> waitingSide = Set.of("waiting", "lock", "notEmpty");
        assertApart(TaskQueue.class, Set.of("tail", "head", "waiting", "lock", "notEmpty"), waitingSide);
    }
}
