package dev.spool.autoconfigure.actuate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the {@code console} endpoint ({@link ConsoleEndpoint}). The
 * endpoint's default access is {@code none}, so nothing is created, and nothing served, unless
 * {@code management.endpoint.console.access} is {@code read-only} (or {@code unrestricted}) and {@code console} is
 * exposed on the web ({@code management.endpoints.web.exposure.include}).
 */
@AutoConfiguration(after = SpoolEndpointsAutoConfiguration.class)
@ConditionalOnClass(name = {"org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint",
        "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"})
public final class SpoolConsoleAutoConfiguration {

    SpoolConsoleAutoConfiguration() {
    }

    /**
     * @param endpoints the web endpoints, looked up when the page is served: they include this one, so they cannot
     *                  be a constructor argument
     * @return the {@code console} endpoint
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
    ConsoleEndpoint spoolConsoleEndpoint(ObjectProvider<PathMappedEndpoints> endpoints) {
        return new ConsoleEndpoint(() -> ConsoleSettings.of(endpoints.getIfAvailable()));
    }
}
