package dev.spool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** {@code spool.*} is bound by the registrar, that binding is the {@link SpoolProperties} bean, and configprops shows it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SpoolPropertiesBindingTests {

    @Test
    void theSpoolPropertiesBeanIsTheInstanceTheRegistrarBoundAndValidated() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                        SpoolAutoConfiguration.class))
                .withPropertyValues("spool.executors.io.max-workers=2", "spool.default-executor=io")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    SpoolProperties properties = context.getBean(SpoolProperties.class);
                    assertThat(properties.getExecutors().get("io").getMaxWorkers()).isEqualTo(2);
                    assertThat(properties.getDefaultExecutor()).isEqualTo("io");
                    assertThat(context.getBeansOfType(SpoolProperties.class)).as("one SpoolProperties bean").hasSize(1);
                    // Spool's own binding produced it: its pools were built from these very values
                    assertThat(context.getBean("io", dev.spool.futures.ThreadPool.class).stats().maxWorkers())
                            .isEqualTo(properties.getExecutors().get("io").getMaxWorkers());
                });
    }

    @Test
    void theConfigpropsEndpointStillListsSpoolsKeysWithTheirValues() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                        SpoolAutoConfiguration.class, EndpointAutoConfiguration.class,
                        ConfigurationPropertiesReportEndpointAutoConfiguration.class))
                .withPropertyValues("spool.executors.io.max-workers=2", "management.endpoint.configprops.show-values=always",
                        "management.endpoints.web.exposure.include=configprops")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    var report = context.getBean(ConfigurationPropertiesReportEndpoint.class).configurationProperties();
                    var spool = report.getContexts().values().stream()
                            .flatMap(beans -> beans.getBeans().values().stream())
                            .filter(bean -> bean.getPrefix().equals("spool"))
                            .toList();
                    assertThat(spool).as("/actuator/configprops lists the spool prefix once").hasSize(1);
                    assertThat(spool.get(0).getProperties().toString()).contains("maxWorkers=2");
                });
    }
}
