package dev.spool.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The executable jar, as {@code java -jar} runs it: a {@code crunch} worker JVM launched from the Boot jar runs a
 * {@code PriceQuoteJob}, a class that exists only in that jar's {@code BOOT-INF/classes}. Runs after {@code package}
 * (failsafe), on the jar that {@code spring-boot:repackage} made.
 */
@Timeout(120)
class BootJarWorkerIT {

    private static final String JOB_CLASS = "dev/spool/sample/shop/PriceQuoteJob.class";
    private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");

    private final Path jar = Path.of(System.getProperty("sample.jar", "target/spool-sample-app.jar")).toAbsolutePath();
    private final HttpClient http = HttpClient.newHttpClient();
    private Process app;

    @AfterEach
    void stopTheApp() throws InterruptedException {
        if (app != null && app.isAlive()) {
            app.destroy(); // SIGTERM: Boot's graceful shutdown, which also ends the worker JVMs
            if (!app.waitFor(30, TimeUnit.SECONDS)) {
                app.descendants().forEach(ProcessHandle::destroyForcibly);
                app.destroyForcibly();
            }
        }
    }

    @Test
    void aWorkerLaunchedFromTheBootJarRunsATaskWhoseClassLivesInThatJar() throws Exception {
        try (JarFile boot = new JarFile(jar.toFile())) {
            assertThat(boot.getEntry("BOOT-INF/classes/" + JOB_CLASS)).as("the job's class is in the Boot jar")
                    .isNotNull();
            assertThat(boot.getEntry(JOB_CLASS)).as("and only under BOOT-INF/classes, where a plain -cp cannot see it")
                    .isNull();
        }

        Path log = Files.createTempFile(jar.getParent(), "boot-jar-it-", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        app = new ProcessBuilder(java, "-jar", jar.toString(), "--server.port=0", "--server.address=127.0.0.1",
                "--sample.pricing-simulations=2000")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int port = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> port(log), p -> p > 0 || !app.isAlive());
        assertThat(app.isAlive()).as("the app started: see %s", log).isTrue();

        // The shop opens just after start-up (Warmup); an order waits on the ready event until it has.
        HttpResponse<String> placed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"customer\":\"ada\",\"lines\":[{\"sku\":\"linen\",\"quantity\":2}]}"))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);

        JsonNode quote = JsonMapper.builder().build().readTree(placed.body()).get("lines").get(0);
        long workerPid = quote.get("workerPid").asLong();
        assertThat(quote.get("sku").asString()).isEqualTo("linen");
        assertThat(workerPid).as("priced in another JVM").isNotEqualTo(app.pid());

        ProcessHandle worker = ProcessHandle.of(workerPid).orElseThrow();
        assertThat(worker.parent().map(ProcessHandle::pid)).as("a worker of the app").contains(app.pid());
        List<String> command = List.of(worker.info().arguments().orElseThrow());
        assertThat(command).as("launched from the Boot jar through Boot's PropertiesLauncher")
                .containsSubsequence("-cp", jar.toString())
                .contains("-Dloader.main=dev.spool.process.WorkerMain",
                        "org.springframework.boot.loader.launch.PropertiesLauncher");
    }

    private static int port(Path log) throws IOException {
        Matcher started = STARTED.matcher(Files.readString(log));
        return started.find() ? Integer.parseInt(started.group(1)) : 0;
    }
}
