package dev.spool.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.spool.autoconfigure.SpoolAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

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
