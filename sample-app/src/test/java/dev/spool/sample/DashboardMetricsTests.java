package dev.spool.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.spool.sample.shop.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every series the Grafana dashboard queries is in the app's own {@code /actuator/prometheus}, under that name and
 * with a {@code name} label of application.yml: the dashboard and the meters cannot drift apart without a failing
 * build, even where no Prometheus runs (scripts/e2e then checks that each query returns data).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1",
        "sample.credit-limit-cents=100000",
        "sample.stock-wait=3s",
        "sample.pricing-simulations=2000"}) // OrderFlowTests' configuration: the two share one application context
@AutoConfigureRestTestClient
@Timeout(60)
class DashboardMetricsTests {

    private static final Pattern SERIES = Pattern.compile("\\b([a-z_]+)\\{");
    /** application.yml's names, the adopted Boot pools' and the stocktake's task group. */
    private static final Set<String> SPOOL_NAMES = Set.of("io", "requests", "crunch", "ticks", "inventory", "db",
            "ready", "audit", "restocked", "tomcat", "taskScheduler", "stocktake");

    @Autowired
    RestTestClient http;
    @Autowired
    Catalog catalog;

    @Test
    void everySeriesTheDashboardQueriesIsScrapedWithTheNamesOfApplicationYml() throws IOException {
        await().atMost(Duration.ofSeconds(30)).until(() -> catalog.version() >= 1);
        // A task group's meters appear with its first group: one stocktake.
        http.post().uri("/stocktake").exchange().expectStatus().isOk();
        String scrape = http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        Set<String> queried = new TreeSet<>();
        JsonNode dashboard = JsonMapper.builder().build().readTree(repositoryFile("docs/grafana/spool-dashboard.json")
                .toFile());
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher series = SERIES.matcher(target.get("expr").asString());
                while (series.find()) {
                    queried.add(series.group(1));
                }
            }
        }
        assertThat(queried).hasSizeGreaterThan(20);
        for (String series : queried) {
            assertThat(scrape).as("the scrape has %s", series).containsPattern("(?m)^" + series + "\\{");
        }
        for (String name : SPOOL_NAMES) {
            assertThat(scrape).as("a meter of %s", name).contains("name=\"" + name + "\"");
        }
        assertThat(scrape).as("percentile histograms (spool.metrics.percentile-histogram)")
                .containsPattern("(?m)^spool_future_latency_seconds_bucket\\{.*name=\"io\"");
    }

    private static Path repositoryFile(String file) {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve(file)) ? here.resolve(file) : here.getParent().resolve(file);
    }
}
