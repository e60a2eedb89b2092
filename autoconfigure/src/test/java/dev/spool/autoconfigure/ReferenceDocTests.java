package dev.spool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.spool.autoconfigure.actuate.SpoolHealthAutoConfiguration;
import dev.spool.autoconfigure.alerts.SpoolAlertsAutoConfiguration;
import dev.spool.autoconfigure.metrics.SpoolMetricsAutoConfiguration;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * Keeps {@code docs/reference.md}, the public contract, in step with the code, in both directions where the code
 * can list what exists: the public types of the API packages, the configuration keys {@link SpoolProperties} binds,
 * the meters the starter registers for one of each kind, and the operations of Spool's actuator endpoints.
 */
@Timeout(60)
class ReferenceDocTests {

    /**
     * The packages whose public types are the API, as module:package under dev.spool; dev.spool.internal and
     * dev.spool.process are not.
     */
    private static final String[] API_PACKAGES = {"core:futures", "core:threading", "core:stats", "core:metrics",
        "autoconfigure:annotation", "autoconfigure:autoconfigure/alerts"};
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^public (?:(?:final|abstract|sealed|non-sealed) )*(?:class|interface|enum|record|@interface) (\\w+)",
            Pattern.MULTILINE);
    private static final Pattern KEY_ITEM = Pattern.compile("^- `(spool\\.[^`]+)`$", Pattern.MULTILINE);
    private static final Pattern METER_ROW = Pattern.compile("^\\| `([a-z][a-z.]+)` \\|", Pattern.MULTILINE);
    private static final Pattern OPERATION_ROW = Pattern.compile("^\\| `((?:GET|POST|DELETE) /actuator/[^`]+)` \\|",
            Pattern.MULTILINE);

    @Test
    void everyPublicTypeOfTheApiPackagesIsNamed() throws IOException {
        String javaNames = section("Java names");
        Set<String> missing = new TreeSet<>();
        for (String modulePackage : API_PACKAGES) {
            String module = modulePackage.substring(0, modulePackage.indexOf(':'));
            String pkg = modulePackage.substring(module.length() + 1);
            Path dir = repository().resolve(module).resolve("src/main/java/dev/spool").resolve(pkg);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher type = PUBLIC_TYPE.matcher(Files.readString(file, StandardCharsets.UTF_8));
                    if (type.find() && !javaNames.contains("`" + type.group(1) + "`")
                            && !javaNames.contains("`" + type.group(1) + "<")) {
                        missing.add("dev.spool." + pkg + "." + type.group(1));
                    }
                }
            }
        }
        assertThat(missing).as("public types with no `Name` in the Java names of docs/reference.md").isEmpty();
    }

    @Test
    void theConfigurationKeysAreExactlyThoseSpoolPropertiesBinds() throws Exception {
        Set<String> listed = all(KEY_ITEM, section("Configuration keys"));
        Set<String> bound = ConfigurationDocTests.documentedKeysOfMetadata().keySet();

        assertThat(difference(bound, listed)).as("keys SpoolProperties binds, missing in docs/reference.md").isEmpty();
        assertThat(difference(listed, bound)).as("keys in docs/reference.md that SpoolProperties does not bind")
                .isEmpty();
    }

    @Test
    void theMetersAreExactlyThoseTheStarterRegisters() throws IOException {
        Set<String> listed = all(METER_ROW, section("Meters"));
        Set<String> registered = new TreeSet<>();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                        SpoolAutoConfiguration.class, MetricsAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                        SpoolMetricsAutoConfiguration.class, SpoolAlertsAutoConfiguration.class))
                .withPropertyValues("spool.executors.io.max-workers=1", "spool.executors.burst.type=virtual",
                        "spool.executors.crunch.type=process", "spool.executors.crunch.max-workers=1",
                        "spool.executors.ticks.type=scheduled",
                        "spool.locks.inventory.reentrant=true", "spool.locks.ledger.reentrant=false",
                        "spool.semaphores.db.permits=2", "spool.events.ready.initially-set=false",
                        "spool.barriers.batch.parties=2", "spool.conditions.stock.lock=inventory")
                .run(context -> context.getBean(MeterRegistry.class).getMeters().stream()
                        .map(Meter::getId)
                        .filter(id -> id.getTag("name") != null) // Spool's meters all carry it; the JVM's do not
                        .forEach(id -> registered.add(id.getName())));

        assertThat(registered).as("meters registered for one of each kind").isNotEmpty();
        assertThat(difference(registered, listed)).as("meters registered, missing in docs/reference.md").isEmpty();
        assertThat(difference(listed, registered)).as("meters in docs/reference.md that nothing registers").isEmpty();
    }

    @Test
    void theEndpointOperationsAreExactlyThoseOfSpoolsEndpoints() throws Exception {
        Set<String> listed = all(OPERATION_ROW, section("Endpoints"));
        Set<String> operations = new TreeSet<>();
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(Endpoint.class));
        scanner.addIncludeFilter(new AnnotationTypeFilter(EndpointWebExtension.class));
        for (BeanDefinition candidate : scanner.findCandidateComponents("dev.spool.autoconfigure")) {
            Class<?> type = Class.forName(candidate.getBeanClassName());
            EndpointWebExtension extension = type.getAnnotation(EndpointWebExtension.class);
            // findMergedAnnotation: @WebEndpoint (the console) is an @Endpoint through its meta-annotation
            String id = AnnotatedElementUtils.findMergedAnnotation(extension != null ? extension.endpoint() : type,
                    Endpoint.class).id();
            for (Method method : type.getDeclaredMethods()) {
                String verb = method.isAnnotationPresent(ReadOperation.class) ? "GET"
                        : method.isAnnotationPresent(WriteOperation.class) ? "POST"
                        : method.isAnnotationPresent(DeleteOperation.class) ? "DELETE" : null;
                if (verb != null) {
                    operations.add(verb + " /actuator/" + id + (hasSelector(method) ? "/{name}" : ""));
                }
            }
        }
        String health = SpoolHealthAutoConfiguration.class.getAnnotation(ConditionalOnEnabledHealthIndicator.class)
                .value();
        operations.add("GET /actuator/health/" + health);

        assertThat(operations).as("endpoint operations found").contains("GET /actuator/executors");
        assertThat(difference(operations, listed)).as("operations missing in docs/reference.md").isEmpty();
        assertThat(difference(listed, operations)).as("operations in docs/reference.md that no endpoint has")
                .isEmpty();
    }

    private static boolean hasSelector(Method method) {
        for (Parameter parameter : method.getParameters()) {
            if (parameter.isAnnotationPresent(Selector.class)) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> all(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private static Set<String> difference(Set<String> from, Set<String> minus) {
        Set<String> left = new TreeSet<>(from);
        left.removeAll(minus);
        return left;
    }

    /** The text of the {@code ## title} section of docs/reference.md, up to the next {@code ## }. */
    static String section(String title) throws IOException {
        String doc = Files.readString(repository().resolve("docs/reference.md"), StandardCharsets.UTF_8);
        int start = doc.indexOf("\n## " + title + "\n");
        assertThat(start).as("a section '## " + title + "' in docs/reference.md").isNotNegative();
        int end = doc.indexOf("\n## ", start + 1);
        return end < 0 ? doc.substring(start) : doc.substring(start, end);
    }

    /** The repository's root: this module's parent directory. */
    static Path repository() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        return module.resolve("..").normalize();
    }
}
