package dev.spool.autoconfigure.actuate.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The {@code console} endpoint in real web applications on a random port, over HTTP: not served with default
 * settings, served once its access is granted and it is exposed, telling the page what the server exposes, and behind
 * an application's Spring Security rules for the actuator like any other endpoint.
 */
@Timeout(60)
class ConsoleHttpTests {

    private static final String POOL = "spool.executors.io.max-workers=1";
    private static final String ENABLED = "management.endpoint.console.access=read-only";
    private static final String EXPOSED = "management.endpoints.web.exposure.include=health,executors,primitives,console";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void withDefaultSettingsNothingIsServed() throws Exception {
        try (App app = App.start(List.of(Web.class), POOL)) {
            assertThat(app.get("/actuator/console").statusCode()).isEqualTo(404);
            assertThat(app.get("/actuator/console/console.js").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void exposingEverythingIsNotEnoughItsAccessMustBeGranted() throws Exception {
        try (App app = App.start(List.of(Web.class), POOL, "management.endpoints.web.exposure.include=*")) {
            assertThat(app.get("/actuator/executors").statusCode()).as("the other endpoints are served").isEqualTo(200);
            assertThat(app.get("/actuator/console").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void accessWithoutExposureIsNotEnough() throws Exception {
        try (App app = App.start(List.of(Web.class), POOL, ENABLED,
                "management.endpoints.web.exposure.include=health,executors,primitives")) {
            assertThat(app.get("/actuator/console").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void enabledAndExposedItServesThePageAndItsFiles() throws Exception {
        try (App app = App.start(List.of(Web.class), POOL, ENABLED, EXPOSED)) {
            HttpResponse<String> page = app.get("/actuator/console");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/html"));
            assertThat(page.body()).contains("data-executors=\"executors\"", "data-primitives=\"primitives\"",
                    "data-writes=\"false\"", "src=\"console/console.js\"", "src=\"console/uPlot.iife.min.js\"")
                    .doesNotContain("{{");

            assertFile(app, "console.js", "text/javascript", "setTimeout(tick");
            assertFile(app, "uPlot.iife.min.js", "text/javascript", "uPlot");
            assertFile(app, "console.css", "text/css", "#deadlocks");
            assertFile(app, "uPlot.min.css", "text/css", ".uplot");
            assertFile(app, "uPlot.LICENSE", "text/plain", "MIT");
            assertThat(app.get("/actuator/console/console.html").statusCode()).as("only the listed files")
                    .isEqualTo(404);
            assertThat(app.get("/actuator/console/README.md").statusCode()).isEqualTo(404);
            assertThat(app.get("/actuator").body()).as("listed with the other endpoints").contains("/actuator/console");
        }
    }

    @Test
    void thePageIsToldWhenWritesAreEnabledAndWhichEndpointsAreNotExposed() throws Exception {
        try (App app = App.start(List.of(Web.class), POOL, ENABLED, "spool.endpoints.write.enabled=true",
                "management.endpoints.web.exposure.include=executors,console")) {
            assertThat(app.get("/actuator/console").body()).contains("data-writes=\"true\"",
                    "data-executors=\"executors\"", "data-primitives=\"\"");
        }
        try (App app = App.start(List.of(Web.class), POOL, ENABLED, "spool.endpoints.write.enabled=true",
                "management.endpoint.executors.access=read-only", EXPOSED)) {
            assertThat(app.get("/actuator/console").body()).as("read-only executors: no resize")
                    .contains("data-writes=\"false\"");
        }
    }

    @Test
    void underAnotherBasePathAndMappingThePageFollows() throws Exception {
        try (App app = App.start(List.of(Web.class), POOL, ENABLED, EXPOSED, "management.endpoints.web.base-path=/manage",
                "management.endpoints.web.path-mapping.console=ops/spool",
                "management.endpoints.web.path-mapping.executors=pools")) {
            assertThat(app.get("/actuator/console").statusCode()).isEqualTo(404);
            HttpResponse<String> page = app.get("/manage/ops/spool");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("data-console=\"ops/spool\"", "data-executors=\"pools\"",
                    "src=\"spool/console.js\"");
            assertThat(app.get("/manage/ops/spool/console.js").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void onASeparateManagementPortThePageAndWhatItPollsAreServedThereOnly() throws Exception {
        try (App app = App.start(List.of(Web.class), POOL, ENABLED, EXPOSED, "management.server.port=0",
                "management.server.address=127.0.0.1")) {
            App management = app.onPort(Integer.parseInt(app.context().getEnvironment()
                    .getProperty("local.management.port", "-1")));
            assertThat(management.port()).isPositive().isNotEqualTo(app.port());
            assertThat(app.get("/actuator/console").statusCode()).as("not on the application's port").isEqualTo(404);

            HttpResponse<String> page = management.get("/actuator/console");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("data-executors=\"executors\"", "src=\"console/console.js\"");
            assertThat(management.get("/actuator/console/console.js").statusCode()).isEqualTo(200);
            HttpResponse<String> executors = management.get("/actuator/executors");
            assertThat(executors.statusCode()).as("the page's relative URL, on the same port").isEqualTo(200);
            assertThat(executors.body()).contains("\"io\"");
        }
    }

    @Test
    void itFollowsTheApplicationsSecurityRulesForTheActuator() throws Exception {
        try (App app = App.start(List.of(Web.class, Secured.class), POOL, ENABLED, EXPOSED)) {
            assertThat(app.get("/actuator/console").statusCode()).as("no credentials").isEqualTo(401);
            assertThat(app.get("/actuator/console/console.js").statusCode()).isEqualTo(401);
            assertThat(app.get("/actuator/console", "viewer", "viewer-password").statusCode())
                    .as("a user without the role").isEqualTo(403);
            HttpResponse<String> page = app.get("/actuator/console", "operator", "operator-password");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("data-executors=\"executors\"");
            assertThat(app.get("/actuator/console/console.js", "operator", "operator-password").statusCode())
                    .isEqualTo(200);
            assertThat(app.get("/actuator/executors", "operator", "operator-password").statusCode())
                    .as("what the page polls, with the same rule").isEqualTo(200);
        }
    }

    private static void assertFile(App app, String name, String type, String content) throws Exception {
        HttpResponse<String> file = app.get("/actuator/console/" + name);
        assertThat(file.statusCode()).as(name).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type")).as(name)
                .hasValueSatisfying(value -> assertThat(value).startsWith(type));
        assertThat(file.body()).as(name).contains(content);
    }

    /** A running application and a client for it. */
    private record App(ConfigurableApplicationContext context, HttpClient client, int port) implements AutoCloseable {

        static App start(List<Class<?>> sources, String... properties) {
            List<String> all = new ArrayList<>(List.of(properties));
            all.add("server.port=0");
            all.add("server.address=127.0.0.1");
            all.add("spring.main.banner-mode=off");
            ConfigurableApplicationContext context = new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
                    .properties(all.toArray(String[]::new)).run();
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            return new App(context, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), port);
        }

        /** @return a client of the same application on another of its ports (the management server's) */
        App onPort(int otherPort) {
            return new App(this.context, this.client, otherPort);
        }

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return get(path, null, null);
        }

        HttpResponse<String> get(String path, String user, String password) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
                    .timeout(Duration.ofSeconds(10)).header("Accept", "text/html,*/*;q=0.8");
            if (user != null) {
                request.header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
            }
            return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        @Override
        public void close() {
            this.context.close();
        }
    }

    /** A Boot web application with Spool's auto-configuration, as an application has it. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Web {
    }

    /** The rule an application might have: the actuator needs the role OPERATOR, with HTTP Basic. */
    @Configuration(proxyBeanMethods = false)
    @EnableWebSecurity
    static class Secured {

        @Bean
        SecurityFilterChain actuatorNeedsOperator(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(requests -> requests
                            .requestMatchers("/actuator/**").hasRole("OPERATOR")
                            .anyRequest().permitAll())
                    .httpBasic(Customizer.withDefaults())
                    .build();
        }

        @Bean
        UserDetailsService users() {
            return new InMemoryUserDetailsManager(
                    User.withUsername("operator").password("{noop}operator-password").roles("OPERATOR").build(),
                    User.withUsername("viewer").password("{noop}viewer-password").roles("VIEWER").build());
        }
    }
}
