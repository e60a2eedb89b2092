package dev.spool.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.spool.threading.AbstractLock;
import dev.spool.threading.Barrier;
import dev.spool.threading.BoundedSemaphore;
import dev.spool.threading.Condition;
import dev.spool.threading.Event;
import dev.spool.threading.Lock;
import dev.spool.threading.Primitive;
import dev.spool.threading.PrimitiveStats;
import dev.spool.threading.RLock;
import dev.spool.threading.Semaphore;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The kinds of primitive, read from the sealed {@link Primitive} itself: each concrete kind keeps the contract (its
 * statistics are its own {@link PrimitiveStats} record, its histogram one live object), and
 * {@link SpoolMetrics#binderFor} gives each its binder and meters. A kind added to {@code permits} without a sample
 * here fails the first test; one whose binder is missing does not compile (the switch in {@code binderFor} has no
 * default).
 */
class PrimitiveKindsTest {

    /** One new instance of every concrete kind, with the binder and meter prefix it must get. */
    private record Kind(Supplier<Primitive<?>> sample, Class<? extends SpoolMeterBinder> binder, String meters) {
    }

    private static final Map<Class<?>, Kind> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put(Lock.class, new Kind(() -> new Lock("k-lock"), LockMetrics.class, "spool.lock."));
        KINDS.put(RLock.class, new Kind(() -> new RLock("k-rlock"), LockMetrics.class, "spool.lock."));
        KINDS.put(Semaphore.class, new Kind(() -> new Semaphore("k-semaphore", 2), SemaphoreMetrics.class,
                "spool.semaphore."));
        KINDS.put(BoundedSemaphore.class, new Kind(() -> new BoundedSemaphore("k-bounded", 2),
                SemaphoreMetrics.class, "spool.semaphore."));
        KINDS.put(Event.class, new Kind(() -> new Event("k-event"), EventMetrics.class, "spool.event."));
        KINDS.put(Barrier.class, new Kind(() -> new Barrier("k-barrier", 2), BarrierMetrics.class, "spool.barrier."));
        KINDS.put(Condition.class, new Kind(() -> new Condition("k-condition"), ConditionMetrics.class,
                "spool.condition."));
    }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TimerFeed replay = new TimerFeed(Duration.ofHours(1));

    @AfterEach
    void closeReplay() {
        replay.close();
    }

    /** The concrete classes under a sealed type, through sealed abstract classes and sealed concrete ones. */
    private static Set<Class<?>> concreteKinds(Class<?> type, Set<Class<?>> into) {
        if (!type.isInterface() && !Modifier.isAbstract(type.getModifiers())) {
            into.add(type);
        }
        if (type.isSealed()) {
            for (Class<?> sub : type.getPermittedSubclasses()) {
                concreteKinds(sub, into);
            }
        }
        return into;
    }

    @Test
    void everyKindThePrimitiveContractPermitsIsListedHere() {
        assertThat(concreteKinds(Primitive.class, new LinkedHashSet<>()))
                .containsExactlyInAnyOrderElementsOf(KINDS.keySet());
        assertThat(concreteKinds(AbstractLock.class, new LinkedHashSet<>()))
                .containsExactlyInAnyOrder(Lock.class, RLock.class);
    }

    @Test
    void everyStatisticsRecordIsTheCovariantStatsOfAKind() throws NoSuchMethodException {
        Set<Class<?>> returned = new LinkedHashSet<>();
        for (Class<?> kind : KINDS.keySet()) {
            Class<?> stats = kind.getMethod("stats").getReturnType();
            assertThat(stats).as(kind.getSimpleName() + ".stats()").isNotEqualTo(PrimitiveStats.class);
            returned.add(stats);
        }
        assertThat(returned).containsExactlyInAnyOrder(PrimitiveStats.class.getPermittedSubclasses());
    }

    @Test
    void everyKindKeepsTheContract() {
        KINDS.forEach((type, kind) -> {
            Primitive<?> primitive = kind.sample().get();
            assertThat(primitive).isInstanceOf(type);
            PrimitiveStats stats = primitive.stats();
            assertThat(stats.name()).as(type.getSimpleName()).isEqualTo(primitive.name());
            assertThat(stats.contended()).isZero();
            assertThat(stats.waiting()).isZero();
            assertThat(primitive.stats()).as("a new snapshot per call").isNotSameAs(stats).isEqualTo(stats);
            assertThat(primitive.waitHistogram()).as("one live histogram").isSameAs(primitive.waitHistogram());
            assertThat(primitive.waitHistogram().count()).isEqualTo(stats.contended());
            assertThat(primitive.waitingThreadNames()).isEmpty();
        });
    }

    @Test
    void binderForGivesEveryKindItsBinderAndMeters() {
        KINDS.forEach((type, kind) -> {
            Primitive<?> primitive = kind.sample().get();
            SpoolMeterBinder binder = SpoolMetrics.binderFor((Object) primitive, Tags.empty(), TimerOptions.DEFAULTS,
                    replay);
            assertThat(binder).as(type.getSimpleName()).isExactlyInstanceOf(kind.binder());
            assertThat(binder.source()).isSameAs(primitive);
            assertThat(binder.tags()).contains(io.micrometer.core.instrument.Tag.of("name", primitive.name()));
            binder.bindTo(registry);
            assertThat(registry.getMeters().stream()
                    .filter(m -> primitive.name().equals(m.getId().getTag("name")))
                    .map(Meter::getId)
                    .map(Meter.Id::getName))
                    .as(type.getSimpleName() + "'s meters")
                    .isNotEmpty()
                    .allMatch(name -> name.startsWith(kind.meters()));
        });
    }
}
