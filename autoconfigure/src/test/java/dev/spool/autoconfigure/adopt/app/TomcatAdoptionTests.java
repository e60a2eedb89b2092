package dev.spool.autoconfigure.adopt.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.spool.autoconfigure.actuate.ExecutorsEndpoint;
import dev.spool.futures.AdoptedExecutor;
import dev.spool.futures.ExecutorType;
import dev.spool.futures.TaskOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.http11.Http11NioProtocol;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.servlet.ServletWebServerFactory;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockServletContext;

/**
 * {@code spool.adopt.tomcat} on a real Tomcat on a random port: a request is served on a thread of the same name as
 * without Spool, Tomcat keeps its limits and still owns its pool, the {@code tomcat} executor's meters move, and a
 * connection Tomcat's full pool refuses is counted rejected.
 */
@Timeout(90)
@ExtendWith(OutputCaptureExtension.class)
class TomcatAdoptionTests {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ConfigurableApplicationContext start(String... properties) {
        List<String> all = new ArrayList<>(List.of("server.port=0", "spring.config.name=adopted-web-app",
                "server.tomcat.threads.max=7", "management.endpoints.web.exposure.include=executors",
                "spring.main.banner-mode=off"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(AdoptedWebApp.class).properties(all.toArray(String[]::new)).run();
    }

    private static String get(ConfigurableApplicationContext context, String path) throws Exception {
        int port = ((ServletWebServerApplicationContext) context).getWebServer().getPort();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static AbstractProtocol<?> protocol(ConfigurableApplicationContext context) {
        TomcatWebServer server = (TomcatWebServer) ((ServletWebServerApplicationContext) context).getWebServer();
        return (AbstractProtocol<?>) server.getTomcat().getConnector().getProtocolHandler();
    }

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {false, true})
    void aRequestRunsOnTheSameKindOfThreadAndMovesTheTomcatPoolsMeters(boolean virtual) throws Exception {
        String without;
        int maxThreadsWithout;
        try (ConfigurableApplicationContext context = start("spring.threads.virtual.enabled=" + virtual)) {
            without = get(context, "/thread").replaceAll("\\d+", "N");
            maxThreadsWithout = protocol(context).getMaxThreads();
        }
        try (ConfigurableApplicationContext context = start("spring.threads.virtual.enabled=" + virtual,
                "spool.adopt.tomcat=true")) {
            String with = get(context, "/thread").replaceAll("\\d+", "N");
            assertThat(with).isEqualTo(without).startsWith(virtual ? "virtual:" : "platform:http-nio-");

            AbstractProtocol<?> protocol = protocol(context);
            assertThat(protocol).as("still Tomcat's NIO protocol").isInstanceOf(Http11NioProtocol.class);
            assertThat(protocol.getMaxThreads()).as("Tomcat still owns and sizes its pool")
                    .isEqualTo(maxThreadsWithout);

            AdoptedExecutor tomcat = context.getBean("spoolAdoptedTomcat", AdoptedExecutor.class);
            assertThat(tomcat.name()).isEqualTo("tomcat");
            assertThat(tomcat.type()).isEqualTo(virtual ? ExecutorType.VIRTUAL : ExecutorType.THREAD);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> tomcat.latencyHistogram(TaskOutcome.SUCCESS).count() >= 1);
            assertThat(tomcat.queueWaitHistogram().count()).isGreaterThanOrEqualTo(1);
            assertThat(tomcat.executionHistogram().count()).isGreaterThanOrEqualTo(1);
            if (!virtual) {
                assertThat(tomcat.stats().maxWorkers()).isEqualTo(7);
            }
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("spool.executor.tasks").tags("name", "tomcat", "type", tomcat.type().tag(),
                    "outcome", "success").functionCounter().count()).isGreaterThanOrEqualTo(1.0);
            assertThat(context.getBean(ExecutorsEndpoint.class).executors().executors().get("tomcat").adopted())
                    .isTrue();
        }
    }

    @Test
    void aConnectionTomcatRefusesIsCountedRejected() throws Exception {
        // One request thread and a queue of one: a held request takes the thread, a second waits in the queue, and
        // Tomcat's own pool refuses the third connection (its endpoint logs that and closes the socket).
        AdoptedWebApp.Hold.entered = new CountDownLatch(1);
        AdoptedWebApp.Hold.release = new CountDownLatch(1);
        try (ConfigurableApplicationContext context = start("spool.adopt.tomcat=true", "server.tomcat.threads.max=1",
                "server.tomcat.threads.min-spare=1", "server.tomcat.threads.max-queue-capacity=1")) {
            AdoptedExecutor tomcat = context.getBean("spoolAdoptedTomcat", AdoptedExecutor.class);
            int port = ((ServletWebServerApplicationContext) context).getWebServer().getPort();
            try {
                CompletableFuture<HttpResponse<String>> held = sendOnItsOwnConnection(port, "/hold");
                assertThat(AdoptedWebApp.Hold.entered.await(10, TimeUnit.SECONDS)).as("the held request runs")
                        .isTrue();
                CompletableFuture<HttpResponse<String>> queued = sendOnItsOwnConnection(port, "/thread");
                await().atMost(Duration.ofSeconds(10)).until(() -> tomcat.stats().queued() == 1);
                assertThat(tomcat.stats().rejected()).isZero();

                assertThat(answerOnARawSocket(port, "/thread")).as("Tomcat closes the refused connection, no answer")
                        .isEmpty();
                assertThat(tomcat.stats().rejected()).isEqualTo(1);
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                assertThat(registry.get("spool.executor.tasks").tags("name", "tomcat", "outcome", "rejected")
                        .functionCounter().count()).isEqualTo(1.0);

                AdoptedWebApp.Hold.release.countDown();
                assertThat(held.get(10, TimeUnit.SECONDS).body()).isEqualTo("released");
                assertThat(queued.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            } finally {
                AdoptedWebApp.Hold.release.countDown();
            }
        }
    }

    /**
     * A GET written on a socket of its own, not through {@link HttpClient}: that client sends a GET again on a new
     * connection when the first one closes unanswered, and Tomcat would refuse it a second time.
     *
     * @return what the server answered before it closed the connection: empty if it closed it unanswered
     */
    private static String answerOnARawSocket(int port, String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            try {
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            } catch (SocketException reset) {
                return ""; // closed with unread bytes in its buffer: a reset, no answer either
            }
        }
    }

    /** A GET on a client of its own, so that no two requests share a connection. */
    private static CompletableFuture<HttpResponse<String>> sendOnItsOwnConnection(int port, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(20)).build();
        return HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutAWebServerTheKeyIsANoOpWithOneInfoLine(CapturedOutput output) {
        // The application's own application.yml, in a test without a server (Boot's mock web environment, or none).
        try (ConfigurableApplicationContext context = start("spool.adopt.tomcat=true",
                "spring.main.web-application-type=none")) {
            assertThat(context.isActive()).isTrue();
            assertThat(context.getBeansOfType(AdoptedExecutor.class).values()).extracting(AdoptedExecutor::name)
                    .doesNotContain("tomcat");
            assertThat(output).contains("spool.adopt.tomcat is true, but this context started no web server");
        }
    }

    @Test
    void aWebServerThatIsNotTomcatStopsStartUpNamingTheKey(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(AdoptedWebApp.class, NotTomcat.class)
                .properties("server.port=0", "spring.config.name=adopted-web-app", "spring.main.banner-mode=off",
                        "spool.adopt.tomcat=true").run().close())
                .hasMessageContaining("spool.adopt.tomcat")
                .hasMessageContaining("is not an embedded Tomcat");
        assertThat(output).as("the failure analysis says what to do")
                .contains("run the application on Tomcat (spring-boot-starter-tomcat, Boot's default server), or remove"
                        + " the key");
    }

    /**
     * A servlet web server that is not Tomcat (a mock servlet context, no connector): Boot starts it instead of its
     * Tomcat, whose factory backs off.
     */
    @Configuration(proxyBeanMethods = false)
    static class NotTomcat {
        @Bean
        ServletWebServerFactory notTomcat() {
            return initializers -> {
                MockServletContext servletContext = new MockServletContext() {
                    // A mock context cannot register servlets and filters: registrations that do nothing.
                    @Override
                    public jakarta.servlet.ServletRegistration.Dynamic addServlet(String name,
                                                                                jakarta.servlet.Servlet servlet) {
                        return inert(jakarta.servlet.ServletRegistration.Dynamic.class);
                    }

                    @Override
                    public jakarta.servlet.FilterRegistration.Dynamic addFilter(String name,
                                                                              jakarta.servlet.Filter filter) {
                        return inert(jakarta.servlet.FilterRegistration.Dynamic.class);
                    }
                };
                for (var initializer : initializers) {
                    try {
                        initializer.onStartup(servletContext);
                    } catch (jakarta.servlet.ServletException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return notTomcatServer();
            };
        }

        /** A registration whose methods do nothing: empty sets for what returns a set, else null or false. */
        private static <T> T inert(Class<T> type) {
            return type.cast(java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                    (proxy, method, args) -> method.getReturnType() == java.util.Set.class ? java.util.Set.of()
                            : method.getReturnType() == boolean.class ? Boolean.FALSE : null));
        }

        private static WebServer notTomcatServer() {
            return new WebServer() {
                @Override
                public void start() {
                }

                @Override
                public void stop() {
                }

                @Override
                public int getPort() {
                    return 0;
                }
            };
        }
    }
}
