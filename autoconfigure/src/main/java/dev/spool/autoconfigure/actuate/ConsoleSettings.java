package dev.spool.autoconfigure.actuate;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.ExposableEndpoint;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoint;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;

/**
 * What the console page is told of the server when it is served: the paths of the endpoints it polls, relative to the
 * management base path (as {@code management.endpoints.web.path-mapping} maps them), or null when an endpoint is not
 * exposed on the web; and whether the executors endpoint has its write operation. The page reads nothing else from
 * the server but those endpoints.
 *
 * @param console    the console's own path (its {@code path-mapping}), so the page finds the base path from its URL
 * @param executors  the {@code executors} endpoint's path, null when it is not exposed on the web
 * @param primitives the {@code primitives} endpoint's path, null when it is not exposed on the web
 * @param writes     whether {@code POST /actuator/executors/{name}} exists (writes enabled, exposed on the web, and
 *                   the endpoint's access unrestricted)
 */
record ConsoleSettings(String console, @Nullable String executors, @Nullable String primitives, boolean writes) {

    /** @return the settings of the endpoints the context exposes on the web; none exposed when it has none */
    static ConsoleSettings of(@Nullable PathMappedEndpoints endpoints) {
        if (endpoints == null) {
            return new ConsoleSettings("console", null, null, false);
        }
        String console = endpoints.getRootPath(EndpointId.of("console"));
        PathMappedEndpoint executors = endpoints.getEndpoint(EndpointId.of("executors"));
        return new ConsoleSettings(console != null ? console : "console",
                endpoints.getRootPath(EndpointId.of("executors")), endpoints.getRootPath(EndpointId.of("primitives")),
                executors instanceof ExposableEndpoint<?> exposed
                        && exposed.getOperations().stream().anyMatch(o -> o.getType() == OperationType.WRITE));
    }

    /**
     * @param template the page, whose {@code {{console}}}, {@code {{self}}} (the last segment of the console's
     *                 path, which the page's own files are relative to), {@code {{executors}}},
     *                 {@code {{primitives}}} and {@code {{writes}}} stand in attribute values
     * @return the page with the settings in their place, each escaped for an HTML attribute; an endpoint not exposed
     *         is the empty string
     */
    String render(String template) {
        return template.replace("{{console}}", attribute(this.console))
                .replace("{{self}}", attribute(this.console.substring(this.console.lastIndexOf('/') + 1)))
                .replace("{{executors}}", attribute(this.executors))
                .replace("{{primitives}}", attribute(this.primitives))
                .replace("{{writes}}", Boolean.toString(this.writes));
    }

    private static String attribute(@Nullable String value) {
        if (value == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
