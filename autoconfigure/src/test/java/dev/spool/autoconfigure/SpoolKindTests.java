package dev.spool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.beans.PropertyDescriptor;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import dev.spool.autoconfigure.InvalidSpoolConfigurationException.Problem;
import dev.spool.autoconfigure.actuate.ExecutorsEndpoint;
import dev.spool.autoconfigure.actuate.PrimitivesEndpoint;
import dev.spool.autoconfigure.actuate.SpoolEndpointsAutoConfiguration;
import dev.spool.autoconfigure.metrics.SpoolMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The table of kinds covers every kind {@link SpoolProperties} binds, and the parts that read it agree: the registrar
 * makes a bean of each kind, the lookup finds it, the meters bind it, an endpoint shows it, and the name check sees
 * every pair of kinds.
 */
@Timeout(60)
class SpoolKindTests {

    /** One valid property for a name of each kind; a new kind fails {@link #everyKindHasASample} until it has one. */
    private static final Map<SpoolKind, String> SAMPLE = new EnumMap<>(Map.of(
            SpoolKind.EXECUTOR, "max-workers=1",
            SpoolKind.LOCK, "fair=true",
            SpoolKind.SEMAPHORE, "permits=1",
            SpoolKind.EVENT, "initially-set=true",
            SpoolKind.BARRIER, "parties=1",
            SpoolKind.CONDITION, "lock="));

    @Test
    void everyMapOfSpoolPropertiesIsAKindAndEveryKindAMap() {
        Set<String> maps = new TreeSet<>();
        for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(SpoolProperties.class)) {
            if (Map.class.isAssignableFrom(property.getPropertyType())) {
                maps.add(property.getName());
            }
        }
        Set<String> keys = Arrays.stream(SpoolKind.values()).map(SpoolKind::key)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(keys).isEqualTo(maps);
    }

    @Test
    void everyKindReadsTheMapOfItsKey() {
        for (SpoolKind kind : SpoolKind.values()) {
            SpoolProperties properties = bind(sample(kind, "one"));
            for (SpoolKind other : SpoolKind.values()) {
                assertThat(other.names(properties)).as("%s configured, %s read", kind, other)
                        .isEqualTo(other == kind ? List.of("one") : List.of());
            }
        }
    }

    @Test
    void everyKindHasASample() {
        assertThat(SAMPLE.keySet()).containsExactlyInAnyOrder(SpoolKind.values());
    }

    @Test
    void theNameCheckSeesEveryPairOfKinds() {
        for (SpoolKind first : SpoolKind.values()) {
            for (SpoolKind second : SpoolKind.values()) {
                if (first.ordinal() >= second.ordinal()) {
                    continue;
                }
                Map<String, String> both = new LinkedHashMap<>(sample(first, "same"));
                both.putAll(sample(second, "same"));
                assertThat(problemsOf(both)).as("%s and %s", first, second).singleElement()
                        .satisfies(p -> assertThat(p.key()).isEqualTo(second.key("same")));
            }
        }
    }

    @Test
    void registrarLookupMetersAndEndpointsAgreeOnEveryKind() {
        Map<String, String> properties = new LinkedHashMap<>();
        for (SpoolKind kind : SpoolKind.values()) {
            properties.putAll(sample(kind, name(kind)));
        }
        properties.put("management.endpoints.web.exposure.include", "executors,primitives");
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                        SpoolAutoConfiguration.class, MetricsAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                        SpoolMetricsAutoConfiguration.class, SpoolEndpointsAutoConfiguration.class))
                .withPropertyValues(properties.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    SpoolBeans beans = context.getBean(SpoolBeans.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    PrimitivesEndpoint.PrimitivesDescriptor primitives =
                            context.getBean(PrimitivesEndpoint.class).primitives();
                    for (SpoolKind kind : SpoolKind.values()) {
                        String name = name(kind);
                        Object bean = context.getBean(name);
                        assertThat(kind.type().isInstance(bean)).as("%s is a %s", name, kind.type()).isTrue();
                        assertThat(SpoolKind.of(bean)).isEqualTo(kind);
                        assertThat(beans.names(kind)).containsExactly(name);
                        assertThat(beans.beans(kind)).containsEntry(name, bean);
                        assertThat(beans.live(kind)).containsEntry(name, bean);
                        assertThat(registry.getMeters()).as("meters of %s", name)
                                .anyMatch(meter -> name.equals(meter.getId().getTag("name")));
                        if (kind == SpoolKind.EXECUTOR) {
                            assertThat(context.getBean(ExecutorsEndpoint.class).executor(name)).isNotNull();
                        } else {
                            assertThat(context.getBean(PrimitivesEndpoint.class).primitive(name)).isNotNull();
                            // The JSON section of each kind is named as its configuration key.
                            Object section = PrimitivesEndpoint.PrimitivesDescriptor.class.getMethod(kind.key())
                                    .invoke(primitives);
                            assertThat(((Map<?, ?>) section).keySet().stream().map(Object::toString).toList())
                                    .containsExactly(name);
                        }
                    }
                });
    }

    private static String name(SpoolKind kind) {
        return "sample-" + kind.key();
    }

    private static Map<String, String> sample(SpoolKind kind, String name) {
        String[] property = SAMPLE.get(kind).split("=", 2);
        return Map.of(kind.key(name) + "." + property[0], property[1]);
    }

    private static SpoolProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bind("spool", Bindable.of(SpoolProperties.class)).orElseGet(SpoolProperties::new);
    }

    private static List<Problem> problemsOf(Map<String, String> properties) {
        try {
            SpoolConfigurationValidator.validate(bind(properties));
        } catch (InvalidSpoolConfigurationException failure) {
            return failure.problems();
        }
        return List.of();
    }
}
