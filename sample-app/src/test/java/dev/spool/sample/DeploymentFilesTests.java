package dev.spool.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The structure of docker-compose.yml, docs/prometheus.yml, the Grafana provisioning files and the dashboard, since no
 * Docker engine runs where the tests do: every file a service mounts exists, the ports line up, Prometheus scrapes the
 * compose service that runs the app (and the two replicas of the {@code redis} compose profile, which share one
 * Redis), Grafana's datasource is the compose Prometheus, and the dashboard is templated on {@code name} with a panel
 * per concern. Whether each panel's PromQL returns data is scripts/e2e's job; what the replicas share is
 * scripts/e2e-redis's.
 */
class DeploymentFilesTests {

    private static final Path ROOT = repositoryRoot();
    private static final String APP = "sample-app";
    private static final String PROMETHEUS = "prometheus";
    private static final String GRAFANA = "grafana";
    private static final String REDIS = "redis";
    private static final List<String> REPLICAS = List.of("app-a", "app-b");

    @Test
    void composeRunsTheAppPrometheusAndGrafanaWithTheirPorts() throws IOException {
        Map<String, Object> services = map(yaml("docker-compose.yml").get("services"));
        assertThat(servicesOfProfile(services, null)).as("services without a profile: `docker compose up`")
                .containsExactlyInAnyOrder(APP, PROMETHEUS, GRAFANA);
        assertThat(ports(services, APP)).containsExactly("8080:8080");
        assertThat(ports(services, PROMETHEUS)).containsExactly("9090:9090");
        assertThat(ports(services, GRAFANA)).containsExactly("3000:3000");
        assertThat(map(services.get(APP)).get("environment")).isEqualTo(Map.of("SPRING_PROFILES_ACTIVE", "load"));
        assertThat(map(services.get(PROMETHEUS)).get("depends_on")).isEqualTo(List.of(APP));
        assertThat(map(services.get(GRAFANA)).get("depends_on")).isEqualTo(List.of(PROMETHEUS));
    }

    @Test
    void theRedisProfileRunsTwoReplicasOfTheAppThatShareOneRedis() throws IOException {
        Map<String, Object> services = map(yaml("docker-compose.yml").get("services"));
        assertThat(servicesOfProfile(services, REDIS)).as("services of `docker compose --profile redis up`")
                .containsExactlyInAnyOrder(REDIS, "app-a", "app-b");
        Map<String, Object> redis = map(services.get(REDIS));
        assertThat((String) redis.get("image")).startsWith("redis:7");
        assertThat(list(redis.get("command"))).contains("--save", "", "--appendonly", "no");

        Map<String, Object> app = map(services.get(APP));
        Set<String> defaultProfiles = Set.of(((String) map(app.get("environment")).get("SPRING_PROFILES_ACTIVE"))
                .split(","));
        Set<String> redisAddresses = new LinkedHashSet<>();
        Set<String> hostPorts = new LinkedHashSet<>();
        Set<Object> hostnames = new LinkedHashSet<>();
        for (String replica : REPLICAS) {
            Map<String, Object> service = map(services.get(replica));
            assertThat(service.get("image")).as(replica + ": the sample-app image").isEqualTo(app.get("image"));
            assertThat(service.get("build")).as(replica).isEqualTo(app.get("build"));
            Map<String, Object> environment = map(service.get("environment"));
            assertThat(Set.of(((String) environment.get("SPRING_PROFILES_ACTIVE")).split(",")))
                    .as(replica + ": the redis profile and the default service's")
                    .contains(REDIS).containsAll(defaultProfiles);
            redisAddresses.add(environment.get("SPRING_DATA_REDIS_HOST") + ":"
                    + environment.get("SPRING_DATA_REDIS_PORT"));
            assertThat(map(service.get("depends_on"))).as(replica).containsKey(REDIS);
            List<String> ports = ports(services, replica);
            assertThat(ports).as(replica).hasSize(1);
            assertThat(ports.get(0).split(":")[1]).as(replica + ": the app's own port")
                    .isEqualTo(ports(services, APP).get(0).split(":")[1]);
            hostPorts.add(ports.get(0).split(":")[0]);
            hostnames.add(service.get("hostname"));
        }
        assertThat(redisAddresses).as("one Redis for both: the redis service on Redis's port")
                .containsExactly(REDIS + ":6379");
        assertThat(hostPorts).as("each replica on a host port of its own").hasSize(REPLICAS.size())
                .doesNotContain(ports(services, APP).get(0).split(":")[0]);
        assertThat(hostnames).as("hostnames, part of the instance ids").hasSize(REPLICAS.size());
    }

    @Test
    void theAppIsBuiltFromTheRepositoryByAMultiStageDockerfile() throws IOException {
        Map<String, Object> build = map(map(map(yaml("docker-compose.yml").get("services")).get(APP)).get("build"));
        Path context = ROOT.resolve((String) build.get("context")).normalize();
        assertThat(context).isEqualTo(ROOT);
        Path dockerfile = context.resolve((String) build.get("dockerfile"));
        assertThat(dockerfile).isRegularFile();
        String text = Files.readString(dockerfile);
        assertThat(text).contains("./mvnw", "-pl sample-app -am package", "FROM eclipse-temurin:21-jre",
                "COPY --from=build /src/sample-app/target/spool-sample-app.jar", "EXPOSE 8080");
        assertThat(ROOT.resolve(".dockerignore")).content().contains("**/target/");
    }

    @Test
    void everyFileAServiceMountsExists() throws IOException {
        Map<String, Object> services = map(yaml("docker-compose.yml").get("services"));
        List<String> mounted = new ArrayList<>();
        for (String service : services.keySet()) {
            for (Object volume : list(map(services.get(service)).getOrDefault("volumes", List.of()))) {
                String hostPath = ((String) volume).split(":")[0];
                assertThat(hostPath).as("a bind mount from the repository").startsWith("./");
                assertThat(ROOT.resolve(hostPath)).as("%s mounts %s", service, hostPath).isRegularFile();
                mounted.add(hostPath);
            }
        }
        assertThat(mounted).containsExactlyInAnyOrder("./docs/prometheus.yml", "./docs/prometheus-alerts.yml",
                "./docs/grafana/provisioning/datasources.yml", "./docs/grafana/provisioning/dashboards.yml",
                "./docs/grafana/spool-dashboard.json");
    }

    @Test
    void prometheusScrapesTheComposeServiceThatRunsTheApp() throws IOException {
        Map<String, Object> services = map(yaml("docker-compose.yml").get("services"));
        assertThat(mountTarget(services, PROMETHEUS, "./docs/prometheus.yml"))
                .isEqualTo("/etc/prometheus/prometheus.yml");
        assertThat(list(map(services.get(PROMETHEUS)).get("command")))
                .contains("--config.file=/etc/prometheus/prometheus.yml");
        // rule_files are relative to the configuration file: the alerting rules are mounted beside it.
        assertThat(list(yaml("docs/prometheus.yml").get("rule_files"))).containsExactly("prometheus-alerts.yml");
        assertThat(mountTarget(services, PROMETHEUS, "./docs/prometheus-alerts.yml"))
                .isEqualTo("/etc/prometheus/prometheus-alerts.yml");

        List<Object> jobs = list(yaml("docs/prometheus.yml").get("scrape_configs"));
        assertThat(jobs).hasSize(2);
        Map<String, Object> job = map(jobs.get(0));
        assertThat(job.get("job_name")).isEqualTo("spool-sample"); // scripts/e2e waits for up{job="spool-sample"}
        assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
        List<Object> targets = list(map(list(job.get("static_configs")).get(0)).get("targets"));
        String containerPort = ports(services, APP).get(0).split(":")[1];
        assertThat(targets).containsExactly(APP + ":" + containerPort);
    }

    @Test
    void prometheusFindsBothReplicasByTheirServiceNames() throws IOException {
        Map<String, Object> services = map(yaml("docker-compose.yml").get("services"));
        List<Object> jobs = list(yaml("docs/prometheus.yml").get("scrape_configs"));
        // The last job: scripts/e2e, which runs one app, deletes it from its line to the end of the file.
        Map<String, Object> job = map(jobs.get(jobs.size() - 1));
        assertThat(job.get("job_name")).isEqualTo("spool-sample-replicas");
        assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
        Map<String, Object> dns = map(list(job.get("dns_sd_configs")).get(0));
        assertThat(list(dns.get("names"))).containsExactlyElementsOf(REPLICAS);
        assertThat(dns.get("type")).isEqualTo("A");
        for (String replica : REPLICAS) {
            assertThat(String.valueOf(dns.get("port"))).as(replica + "'s container port")
                    .isEqualTo(ports(services, replica).get(0).split(":")[1]);
        }
        assertThat(Files.readString(ROOT.resolve("scripts/e2e"))).contains("/^  - job_name: spool-sample-replicas/,$d");
    }

    @Test
    void grafanaIsProvisionedWithTheComposePrometheusAndTheDashboard() throws IOException {
        Map<String, Object> services = map(yaml("docker-compose.yml").get("services"));
        assertThat(mountTarget(services, GRAFANA, "./docs/grafana/provisioning/datasources.yml"))
                .startsWith("/etc/grafana/provisioning/datasources/").endsWith(".yml");
        assertThat(mountTarget(services, GRAFANA, "./docs/grafana/provisioning/dashboards.yml"))
                .startsWith("/etc/grafana/provisioning/dashboards/").endsWith(".yml");

        Map<String, Object> datasource = map(list(yaml("docs/grafana/provisioning/datasources.yml")
                .get("datasources")).get(0));
        String prometheusPort = ports(services, PROMETHEUS).get(0).split(":")[1];
        assertThat(datasource).containsEntry("type", "prometheus").containsEntry("uid", "prometheus")
                .containsEntry("url", "http://" + PROMETHEUS + ":" + prometheusPort);

        Map<String, Object> provider = map(list(yaml("docs/grafana/provisioning/dashboards.yml").get("providers"))
                .get(0));
        String dashboardDirectory = (String) map(provider.get("options")).get("path");
        assertThat(mountTarget(services, GRAFANA, "./docs/grafana/spool-dashboard.json"))
                .isEqualTo(dashboardDirectory + "/spool-dashboard.json");
    }

    @Test
    void theDashboardIsTemplatedOnNameWithAPanelPerConcern() throws IOException {
        JsonNode dashboard = dashboard();
        JsonNode name = variable(dashboard, "name");
        assertThat(name.get("type").asString()).isEqualTo("query");
        assertThat(name.get("definition").asString()).startsWith("label_values(").endsWith(", name)");
        assertThat(name.get("multi").asBoolean()).isTrue();
        assertThat(name.get("includeAll").asBoolean()).isTrue();

        Set<String> titles = new LinkedHashSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            titles.add(panel.get("title").asString());
        }
        assertThat(titles).contains("Queue depth", "Active and pool size", "Task outcomes", "Queue wait percentiles",
                "Execution percentiles", "Future latency percentiles", "Lock contention rate", "Lock wait percentiles",
                "Lock waiters", "Semaphore permits", "Barrier state", "Event state", "Process pool workers");
    }

    @Test
    void everyPanelQueriesThePrometheusOfTheDatasourceVariableFilteredByName() throws IOException {
        // A datasource variable, not a fixed uid: provisioned, it picks the default (the compose Prometheus);
        // imported into another Grafana, it offers that Grafana's Prometheus data sources.
        JsonNode datasource = variable(dashboard(), "datasource");
        assertThat(datasource.get("type").asString()).isEqualTo("datasource");
        assertThat(datasource.get("query").asString()).isEqualTo("prometheus");
        assertThat(map(list(yaml("docs/grafana/provisioning/datasources.yml").get("datasources")).get(0)))
                .containsEntry("isDefault", true);

        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard().get("panels")) {
            if (panel.get("type").asString().equals("row")) {
                continue;
            }
            String title = panel.get("title").asString();
            assertThat(panel.get("datasource").get("uid").asString()).as(title).isEqualTo("${datasource}");
            assertThat(panel.get("targets")).as(title).isNotEmpty();
            for (JsonNode target : panel.get("targets")) {
                assertThat(target.get("datasource").get("uid").asString()).as(title).isEqualTo("${datasource}");
                String expr = target.get("expr").asString();
                // Filtered by the three selectors, so that replicas (compose profile redis) can be told apart.
                assertThat(expr).as(title).contains("application=~\"$application\"", "instance=~\"$instance\"",
                        "name=~\"$name\"");
                expressions.add(expr);
            }
        }
        // The percentile panels need the _bucket series of spool.metrics.percentile-histogram (application.yml), and
        // draw one line per instance.
        assertThat(expressions).anyMatch(expr -> expr.contains("histogram_quantile(0.99, sum by (instance, name, le) "
                + "(rate(spool_future_latency_seconds_bucket{application=~\"$application\", instance=~\"$instance\", "
                + "name=~\"$name\"}[$__rate_interval])))"));
        assertThat(Files.readString(ROOT.resolve("sample-app/src/main/resources/application.yml")))
                .contains("percentile-histogram: true");
    }

    @Test
    void importingTheDashboardAsksForAPrometheusDataSource() throws IOException {
        // Grafana's import form asks for every __inputs entry and writes the choice wherever ${NAME} appears; the
        // datasource variable starts on it, so the panels (on ${datasource}) query the Prometheus chosen at import.
        JsonNode dashboard = dashboard();
        JsonNode inputs = dashboard.get("__inputs");
        assertThat(inputs).as("__inputs").hasSize(1);
        JsonNode input = inputs.get(0);
        assertThat(input.get("type").asString()).isEqualTo("datasource");
        assertThat(input.get("pluginId").asString()).isEqualTo("prometheus");
        String placeholder = "${" + input.get("name").asString() + "}";
        assertThat(variable(dashboard, "datasource").get("current").get("value").asString()).isEqualTo(placeholder);

        Set<String> required = new LinkedHashSet<>();
        dashboard.get("__requires").forEach(entry -> required.add(entry.get("type").asString() + ":"
                + entry.get("id").asString()));
        Set<String> panelTypes = new LinkedHashSet<>();
        dashboard.get("panels").forEach(panel -> panelTypes.add(panel.get("type").asString()));
        panelTypes.remove("row"); // built in, never required
        assertThat(required).contains("grafana:grafana", "datasource:prometheus");
        panelTypes.forEach(type -> assertThat(required).as("__requires of panel type " + type).contains("panel:" + type));
    }

    private static JsonNode variable(JsonNode dashboard, String name) {
        for (JsonNode variable : dashboard.get("templating").get("list")) {
            if (variable.get("name").asString().equals(name)) {
                return variable;
            }
        }
        throw new AssertionError("the dashboard has no variable '" + name + "'");
    }

    private static JsonNode dashboard() throws IOException {
        return JsonMapper.builder().build().readTree(ROOT.resolve("docs/grafana/spool-dashboard.json").toFile());
    }

    /** @return the services whose {@code profiles} list {@code profile}; for null, those without profiles */
    private static List<String> servicesOfProfile(Map<String, Object> services, String profile) {
        return services.keySet().stream().filter(name -> {
            Object profiles = map(services.get(name)).get("profiles");
            return profile == null ? profiles == null : profiles != null && list(profiles).contains(profile);
        }).toList();
    }

    private static List<String> ports(Map<String, Object> services, String service) {
        return list(map(services.get(service)).get("ports")).stream().map(String::valueOf).toList();
    }

    private static String mountTarget(Map<String, Object> services, String service, String hostPath) {
        for (Object volume : list(map(services.get(service)).get("volumes"))) {
            String[] parts = ((String) volume).split(":");
            if (parts[0].equals(hostPath)) {
                return parts[1];
            }
        }
        throw new AssertionError(service + " does not mount " + hostPath);
    }

    private static Map<String, Object> yaml(String file) throws IOException {
        try (Reader reader = Files.newBufferedReader(ROOT.resolve(file))) {
            return new Yaml().load(reader);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        assertThat(node).isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node) {
        assertThat(node).isInstanceOf(List.class);
        return (List<Object>) node;
    }

    /** The tests run in sample-app/ (Maven's module directory) or the repository root (an IDE). */
    private static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isRegularFile(here.resolve("docker-compose.yml")) ? here : here.getParent();
    }
}
