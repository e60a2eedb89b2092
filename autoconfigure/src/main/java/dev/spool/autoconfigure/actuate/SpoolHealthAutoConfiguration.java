package dev.spool.autoconfigure.actuate;

import dev.spool.autoconfigure.SpoolAutoConfiguration;
import dev.spool.autoconfigure.SpoolBeans;
import dev.spool.autoconfigure.SpoolProperties;
import dev.spool.threading.spi.SharedBackend;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the {@code spool} health component
 * ({@link SpoolHealthIndicator}). Switches on with spring-boot-health on the class path, unless
 * {@code management.health.spool.enabled=false} (or {@code management.health.defaults.enabled=false}); backs off
 * for an application bean named {@code spoolHealthIndicator}. Ordered before Boot's
 * {@code HealthContributorAutoConfiguration}, as Boot's own indicators are.
 */
@AutoConfiguration(after = SpoolAutoConfiguration.class,
        beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnEnabledHealthIndicator("spool")
public final class SpoolHealthAutoConfiguration {

    SpoolHealthAutoConfiguration() {
    }

    /** @return the {@code spool} health component (Boot names it after the bean, minus "HealthIndicator") */
    @Bean
    @ConditionalOnMissingBean(name = "spoolHealthIndicator")
    SpoolHealthIndicator spoolHealthIndicator(ConfigurableListableBeanFactory beanFactory, SpoolProperties properties,
                                              ObjectProvider<SharedBackend> backends) {
        return new SpoolHealthIndicator(SpoolBeans.of(beanFactory), properties.getHealth().getSaturationThreshold(),
                properties.getHealth().getHungTasksStatus(), () -> backends.orderedStream().toList());
    }
}
