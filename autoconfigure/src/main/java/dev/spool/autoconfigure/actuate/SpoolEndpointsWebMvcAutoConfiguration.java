package dev.spool.autoconfigure.actuate;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the Spring MVC side of the {@code executors} write operation:
 * a 400 that says why for a body Spring MVC cannot read ({@link UnreadableResizeBodyResolver}). Only in a servlet web
 * application with Spring MVC on the class path, and only when the write operation exists
 * ({@code spool.endpoints.write.enabled=true}).
 */
@AutoConfiguration(after = SpoolEndpointsAutoConfiguration.class,
        afterName = "org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = {"org.springframework.web.servlet.HandlerExceptionResolver",
        "org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints"})
@ConditionalOnBean({ExecutorsEndpointWebExtension.class, PathMappedEndpoints.class})
public final class SpoolEndpointsWebMvcAutoConfiguration {

    SpoolEndpointsWebMvcAutoConfiguration() {
    }

    /** @return the resolver that explains an unreadable resize body */
    @Bean
    UnreadableResizeBodyResolver spoolUnreadableResizeBodyResolver(PathMappedEndpoints endpoints) {
        String path = endpoints.getPath(EndpointId.of("executors"));
        return new UnreadableResizeBodyResolver(path != null ? path : "/actuator/executors");
    }
}
