package dev.spool.autoconfigure.actuate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.util.MimeType;

/**
 * The {@code console} endpoint (docs/operations.md, "Console"): a live page of the executors and primitives, served
 * on the web only, under the management base path, so that the actuator's exposure, access and security rules apply
 * to it as to any endpoint.
 *
 * <ul>
 *   <li>{@code GET /actuator/console}: the page ({@code text/html});</li>
 *   <li>{@code GET /actuator/console/{name}}: its script, style sheet and the charting library it uses (uPlot,
 *       shipped with its licence); 404 for any other name.</li>
 * </ul>
 * Off by default ({@link Access#NONE}): it takes {@code management.endpoint.console.access=read-only} and
 * {@code console} in {@code management.endpoints.web.exposure.include}. The page reads nothing on the server itself:
 * it polls {@code /actuator/executors} and {@code /actuator/primitives} from the browser, with URLs relative to its
 * own, so it costs the application what those reads cost and works under any base path, port or proxy prefix.
 *
 * <p>What the page needs to know of the server is written into it when served ({@link ConsoleSettings}): where the
 * two endpoints are, if exposed, and whether the executors endpoint has its write operation, which is when the page
 * shows the resize control.
 */
@WebEndpoint(id = "console", defaultAccess = Access.NONE)
public class ConsoleEndpoint {

    /** Where the page and its files are, on the class path. */
    static final String LOCATION = "META-INF/spool/console/";
    static final String PAGE = "console.html";

    private static final MimeType HTML = MimeType.valueOf("text/html;charset=UTF-8");
    /** The files the page loads, with their content types; nothing else under {@link #LOCATION} is served. */
    private static final Map<String, MimeType> FILES = Map.of(
            "console.js", MimeType.valueOf("text/javascript;charset=UTF-8"),
            "console.css", MimeType.valueOf("text/css;charset=UTF-8"),
            "uPlot.iife.min.js", MimeType.valueOf("text/javascript;charset=UTF-8"),
            "uPlot.min.css", MimeType.valueOf("text/css;charset=UTF-8"),
            "uPlot.LICENSE", MimeType.valueOf("text/plain;charset=UTF-8"));

    private final Supplier<ConsoleSettings> settings;
    private final String template;

    /**
     * @param settings what the page is told of the server, read on every request of the page (the endpoints it
     *                 reads are known only once the context has discovered them all)
     */
    ConsoleEndpoint(Supplier<ConsoleSettings> settings) {
        this.settings = settings;
        this.template = read(LOCATION + PAGE);
    }

    /**
     * {@code GET /actuator/console}.
     *
     * @return the page, with the server's settings written in
     */
    @ReadOperation(produces = "text/html;charset=UTF-8")
    public WebEndpointResponse<String> page() {
        return new WebEndpointResponse<>(this.settings.get().render(this.template), WebEndpointResponse.STATUS_OK, HTML);
    }

    /**
     * {@code GET /actuator/console/{name}}.
     *
     * @param name one of the page's files: {@code console.js}, {@code console.css}, {@code uPlot.iife.min.js},
     *             {@code uPlot.min.css}, {@code uPlot.LICENSE}
     * @return the file, or 404 for any other name
     */
    @ReadOperation(produces = {"text/javascript;charset=UTF-8", "text/css;charset=UTF-8", "text/plain;charset=UTF-8"})
    public WebEndpointResponse<@Nullable Resource> file(@Selector String name) {
        MimeType type = FILES.get(name);
        if (type == null) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        return new WebEndpointResponse<>(new ClassPathResource(LOCATION + name, ConsoleEndpoint.class.getClassLoader()),
                WebEndpointResponse.STATUS_OK, type);
    }

    /** @return whether {@code name} is one of the files {@link #file(String)} serves */
    static boolean serves(String name) {
        return FILES.containsKey(name);
    }

    private static String read(String location) {
        try (InputStream in = new ClassPathResource(location, ConsoleEndpoint.class.getClassLoader()).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException missing) {
            throw new UncheckedIOException("the console's page " + location + " is not on the class path; the "
                    + "spool-spring-boot-autoconfigure jar is incomplete", missing);
        }
    }
}
