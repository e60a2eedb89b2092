package dev.spool.autoconfigure.actuate;

import dev.spool.autoconfigure.SpoolAutoConfiguration;
import dev.spool.autoconfigure.SpoolBeans;
import dev.spool.autoconfigure.SpoolProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the {@code executors} and {@code primitives} actuator endpoints
 * (docs/reference.md, "Endpoints"). Switches on with Boot's actuator on the class path; each endpoint is created only
 * when it is available (access not {@code none}, and exposed, e.g.
 * {@code management.endpoints.web.exposure.include=health,executors,primitives}), and backs off for an application
 * bean of its type.
 *
 * <p>With either endpoint, {@link RecentWindows} samples every distribution they show, for their {@code lastMinute}.
 *
 * <p>The write operation ({@link ExecutorsEndpointWebExtension}) is registered only with
 * {@code spool.endpoints.write.enabled=true} and the {@code executors} endpoint exposed on the web; otherwise
 * {@code POST /actuator/executors/{name}} does not exist (405) and nothing can be resized through the actuator.
 */
@AutoConfiguration(after = SpoolAutoConfiguration.class)
@ConditionalOnClass(name = {"org.springframework.boot.actuate.endpoint.annotation.Endpoint",
        "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"})
public final class SpoolEndpointsAutoConfiguration {

    SpoolEndpointsAutoConfiguration() {
    }

    /** @return the {@code executors} endpoint */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    ExecutorsEndpoint executorsEndpoint(ConfigurableListableBeanFactory beanFactory, SpoolProperties properties,
                                        ObjectProvider<RecentWindows> windows) {
        return new ExecutorsEndpoint(SpoolBeans.of(beanFactory),
                DurationSummary.percentiles(properties.getMetrics().getPercentiles()), windows.getIfAvailable());
    }

    /** @return the {@code primitives} endpoint */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    PrimitivesEndpoint primitivesEndpoint(ConfigurableListableBeanFactory beanFactory, SpoolProperties properties,
                                          ObjectProvider<RecentWindows> windows) {
        return new PrimitivesEndpoint(SpoolBeans.of(beanFactory),
                DurationSummary.percentiles(properties.getMetrics().getPercentiles()), windows.getIfAvailable());
    }

    /**
     * @return the sampler of the distributions' {@code lastMinute}, with either endpoint: one daemon thread that
     *         snapshots the histograms every 10 s, from the context's start to its close
     */
    @Bean
    @Conditional(AnEndpointIsAvailable.class)
    RecentWindows spoolRecentWindows(ConfigurableListableBeanFactory beanFactory) {
        return RecentWindows.of(SpoolBeans.of(beanFactory));
    }

    /** @return {@code POST /actuator/executors/{name}}, when writes are enabled */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(ExecutorsEndpoint.class)
    @ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
    @ConditionalOnBooleanProperty("spool.endpoints.write.enabled")
    ExecutorsEndpointWebExtension executorsEndpointWebExtension(ExecutorsEndpoint endpoint) {
        return new ExecutorsEndpointWebExtension(endpoint);
    }

    /** Either endpoint is available: only then is there something to sample for. */
    static final class AnEndpointIsAvailable extends AnyNestedCondition {

        AnEndpointIsAvailable() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnAvailableEndpoint(endpoint = ExecutorsEndpoint.class)
        static final class Executors {
        }

        @ConditionalOnAvailableEndpoint(endpoint = PrimitivesEndpoint.class)
        static final class Primitives {
        }
    }
}
