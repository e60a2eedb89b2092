package dev.spool.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.spool.autoconfigure.SpoolAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/** When the endpoints, their write operation and the health component exist, and when they back off. */
@Timeout(30)
class SpoolEndpointsAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                    SpoolAutoConfiguration.class, SpoolEndpointsAutoConfiguration.class,
                    SpoolHealthAutoConfiguration.class))
            .withPropertyValues("spool.executors.io.max-workers=2", "spool.locks.inventory.reentrant=true");

    @Test
    void exposedEndpointsExistAndWritesAreOffByDefault() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=executors,primitives").run(context -> {
            assertThat(context).hasSingleBean(ExecutorsEndpoint.class).hasSingleBean(PrimitivesEndpoint.class);
            assertThat(context).doesNotHaveBean(ExecutorsEndpointWebExtension.class);
        });
    }

    @Test
    void eitherEndpointBringsTheSamplerOfRecentWindowsWhichStopsWithTheContext() {
        for (String exposed : List.of("executors", "primitives", "executors,primitives")) {
            RecentWindows[] sampler = new RecentWindows[1];
            runner.withPropertyValues("management.endpoints.web.exposure.include=" + exposed).run(context -> {
                assertThat(context).hasSingleBean(RecentWindows.class);
                sampler[0] = context.getBean(RecentWindows.class);
                assertThat(sampler[0].isRunning()).as(exposed).isTrue();
            });
            assertThat(sampler[0].isRunning()).as("%s, once the context is closed", exposed).isFalse();
        }
        runner.run(context -> assertThat(context).doesNotHaveBean(RecentWindows.class));
    }

    @Test
    void endpointsThatAreNotExposedAreNotCreated() {
        runner.run(context -> assertThat(context).doesNotHaveBean(ExecutorsEndpoint.class)
                .doesNotHaveBean(PrimitivesEndpoint.class).doesNotHaveBean(ExecutorsEndpointWebExtension.class));
    }

    @Test
    void endpointsWithAccessNoneAreNotCreated() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=*",
                        "management.endpoint.executors.access=NONE", "spool.endpoints.write.enabled=true")
                .run(context -> assertThat(context).doesNotHaveBean(ExecutorsEndpoint.class)
                        .doesNotHaveBean(ExecutorsEndpointWebExtension.class).hasSingleBean(PrimitivesEndpoint.class));
    }

    @Test
    void theWriteOperationNeedsTheSpoolSwitch() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=executors",
                "spool.endpoints.write.enabled=true").run(context -> {
            assertThat(context).hasSingleBean(ExecutorsEndpointWebExtension.class);
        });
    }

    @Test
    void theWriteOperationNeedsTheEndpointOnTheWeb() {
        runner.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=executors",
                "spool.endpoints.write.enabled=true").run(context -> {
            assertThat(context).hasSingleBean(ExecutorsEndpoint.class);
            assertThat(context).doesNotHaveBean(ExecutorsEndpointWebExtension.class);
        });
    }

    @Test
    void theWebEndpointGainsAPostOperationOnlyWithTheSwitch() {
        WebApplicationContextRunner web = new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                        SpoolAutoConfiguration.class, SpoolEndpointsAutoConfiguration.class,
                        EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class))
                .withPropertyValues("spool.executors.io.max-workers=2", "management.endpoints.web.exposure.include=*");
        web.run(context -> assertThat(operations(context, "executors")).containsOnly(OperationType.READ));
        web.withPropertyValues("spool.endpoints.write.enabled=true").run(context ->
                assertThat(operations(context, "executors")).containsOnly(OperationType.READ, OperationType.WRITE));
        web.withPropertyValues("spool.endpoints.write.enabled=true", "management.endpoint.executors.access=READ_ONLY")
                .run(context -> assertThat(operations(context, "executors")).containsOnly(OperationType.READ));
        web.run(context -> assertThat(operations(context, "primitives")).containsOnly(OperationType.READ));
    }

    private static List<OperationType> operations(ApplicationContext context, String endpoint) {
        return context.getBean(WebEndpointsSupplier.class).getEndpoints().stream()
                .filter(candidate -> candidate.getEndpointId().toString().equals(endpoint))
                .flatMap(candidate -> candidate.getOperations().stream())
                .map(WebOperation::getType)
                .toList();
    }

    @Test
    void withoutActuatorThereAreNoEndpoints() {
        runner.withClassLoader(new FilteredClassLoader(Endpoint.class))
                .withPropertyValues("management.endpoints.web.exposure.include=*", "spool.endpoints.write.enabled=true")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasBean("io");
                    assertThat(context).doesNotHaveBean(ExecutorsEndpoint.class)
                            .doesNotHaveBean(PrimitivesEndpoint.class)
                            .doesNotHaveBean(ExecutorsEndpointWebExtension.class);
                });
    }

    @Test
    void theHealthComponentIsOnByDefault() {
        runner.run(context -> assertThat(context).hasSingleBean(SpoolHealthIndicator.class)
                .hasBean("spoolHealthIndicator"));
    }

    @Test
    void theHealthComponentCanBeSwitchedOff() {
        runner.withPropertyValues("management.health.spool.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(SpoolHealthIndicator.class));
    }

    @Test
    void withoutSpringBootHealthThereIsNoHealthComponent() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SpoolHealthIndicator.class));
    }

    @Test
    void anApplicationsOwnEndpointWins() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=executors")
                .withBean("myExecutorsEndpoint", ExecutorsEndpoint.class,
                        () -> new ExecutorsEndpoint(null, List.of()))
                .run(context -> assertThat(context).getBean(ExecutorsEndpoint.class)
                        .isSameAs(context.getBean("myExecutorsEndpoint")));
    }
}
