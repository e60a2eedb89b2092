package dev.spool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code spool.*} is bound once, by the registrar, and that binding is the {@link SpoolProperties} bean. */
class SpoolPropertiesBindingTests {

    @Test
    void bootDoesNotBindTheSpoolPropertiesBeanASecondTime() {
        List<String> boundByBoot = new ArrayList<>();
        // Boot's binder of @ConfigurationProperties beans applies every advisor bean; the registrar's binding does not.
        ConfigurationPropertiesBindHandlerAdvisor counting = handler -> new AbstractBindHandler(handler) {
            @Override
            public <T> Bindable<T> onStart(ConfigurationPropertyName name, Bindable<T> target, BindContext context) {
                if (context.getDepth() == 0) {
                    boundByBoot.add(name.toString());
                }
                return super.onStart(name, target, context);
            }
        };
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                        SpoolAutoConfiguration.class))
                .withBean(ConfigurationPropertiesBindHandlerAdvisor.class, () -> counting)
                .withPropertyValues("spool.executors.io.max-workers=2", "spool.default-executor=io")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    SpoolProperties properties = context.getBean(SpoolProperties.class);
                    assertThat(properties.getExecutors().get("io").getMaxWorkers()).isEqualTo(2);
                    assertThat(properties.getDefaultExecutor()).isEqualTo("io");
                    assertThat(boundByBoot).as("Boot's binding of Spool's keys").doesNotContain("spool")
                            .contains("spring.task.execution"); // the advisor sees Boot's own properties
                });
    }
}
