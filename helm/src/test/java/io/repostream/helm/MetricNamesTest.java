package io.repostream.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.repostream.bridge.BridgeConfig;
import io.repostream.bridge.IngestBridge;
import io.repostream.bridge.PollConfig;
import io.repostream.executor.ActionExecutor;
import io.repostream.executor.ExecutorConfig;
import io.repostream.flink.JobConfig;
import io.repostream.flink.RepostreamJob;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.fixtures.WebhookDelivery;
import io.repostream.testkit.fixtures.WebhookExamples;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric the alerts and the dashboard read is one that something really exports, and so is
 * every label value they select by ({@code outcome="failed"}), except the few listed in {@link
 * #NOT_PRODUCED_HERE} with the reason this run cannot produce them. Both sides are read for real:
 * the names and values come from the rendered PrometheusRule and the dashboard JSON; the exports
 * come from scraping {@code /metrics} of a running ingest bridge and action executor (on an
 * in-process Kafka broker and testkit's GitHub simulator, after real deliveries, actions and a
 * rollback), and of Flink's Prometheus reporter while the repostream job runs on a MiniCluster with
 * RocksDB and checkpoints.
 */
@Timeout(240)
class MetricNamesTest {
    private static final String WEBHOOK_SECRET = "metric-names-test-secret";
    private static final String ADMIN_TOKEN = "metric-names-test-admin-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String REPO = "acme/metrics";

    @TempDir static Path tmp;

    private static EmbeddedKafkaBroker kafka;
    private static IngestBridge bridge;
    private static GitHubSimulator github;
    private static ActionExecutor executor;
    private static JobClient flinkJob;
    private static int flinkMetricsPort;
    private static final Set<String> exported = new TreeSet<>();
    private static final Set<String> exportedLabelValues = new TreeSet<>();

    /**
     * Label values the alerts select by that this run does not make anything export ({@code
     * metric|label|value}), with why. Each must still be used and still be absent from the scrapes.
     */
    private static final Map<String, String> NOT_PRODUCED_HERE =
            Map.of(
                    "repostream_bridge_deliveries_total|outcome|kafka_unavailable",
                    "the broker stays up during the run",
                    "repostream_bridge_deliveries_total|outcome|overloaded",
                    "the run never has more deliveries in flight than the bridge admits");

    private static io.repostream.console.Console console;
    private static io.repostream.testkit.postgres.LocalPostgres postgres;

    @BeforeAll
    static void runEverythingAndScrape() throws Exception {
        kafka = EmbeddedKafkaBroker.start();
        kafka.createTopics(Topics.all());
        flinkMetricsPort = freePort();
        flinkJob = startFlinkJob();

        github = GitHubSimulator.start();
        github.createRepo(REPO);
        bridge =
                IngestBridge.start(
                        BridgeConfig.defaults()
                                .withKafkaBootstrapServers(kafka.bootstrapServers())
                                .withWebhookSecret(WEBHOOK_SECRET)
                                .withPoll(
                                        new PollConfig(
                                                github.baseUrl(),
                                                GitHubSimulator.DEFAULT_TOKEN,
                                                List.of(REPO),
                                                Duration.ofSeconds(1),
                                                null)));
        deliver(WEBHOOK_SECRET);
        deliver("a secret GitHub does not know");
        deliverAnArrayInsteadOfAnEvent();
        await().atMost(WAIT)
                .until(
                        () ->
                                Exposition.scrape(bridgeUrl("/metrics"))
                                        .contains("repostream_bridge_poll_requests_total{"));
        scraped(Exposition.scrape(bridgeUrl("/metrics")));

        int issue = github.createIssue(REPO, "metrics", "for the metric names test", "octocat");
        executor =
                ActionExecutor.start(
                        ExecutorConfig.defaults(
                                        kafka.bootstrapServers(),
                                        github.baseUrl(),
                                        GitHubSimulator.DEFAULT_TOKEN)
                                .withGroupId("metric-names")
                                .withoutPacing()
                                .withRetries(1, Duration.ofMillis(10), Duration.ofSeconds(1))
                                .withAdmin(0, ADMIN_TOKEN));
        sendActions(
                action("applied", issue, null),
                action("expired", issue, Instant.now().minusSeconds(60)),
                action("missing-issue", 999_999, null));
        String executorMetrics = executorUrl("/metrics");
        await().atMost(WAIT)
                .until(() -> Exposition.scrape(executorMetrics).contains("outcome=\"applied\""));
        // an applied action can be rolled back through the admin API, as an operator would
        await().atMost(WAIT).until(() -> rollBack("metric-names-applied") == 200);
        scraped(Exposition.scrape(executorMetrics));

        // the console (PostgreSQL as in its own tests), indexing what the run wrote
        postgres =
                io.repostream.testkit.postgres.LocalPostgres.start(
                        java.nio.file.Path.of("target", "postgres-metric-names"));
        console =
                io.repostream.console.Console.start(
                        new io.repostream.console.ConsoleConfig(
                                kafka.bootstrapServers(),
                                Map.of(),
                                postgres.newDatabase("metrics"),
                                postgres.user(),
                                "",
                                "127.0.0.1",
                                0,
                                "https://github.com"));
        String consoleMetrics = "http://127.0.0.1:" + console.port() + "/metrics";
        await().atMost(WAIT)
                .until(
                        () ->
                                Exposition.scrape(consoleMetrics)
                                                .contains("repostream_console_indexer_running 1.0")
                                        && console.indexer().recordsRead() > 0);
        scraped(Exposition.scrape(consoleMetrics));

        String flinkMetrics = "http://127.0.0.1:" + flinkMetricsPort + "/metrics";
        // Flink registers metrics as the job comes up (sources, then checkpoints): wait until all
        // the Flink metrics the alerts and the dashboard use are there, or until the bound, and let
        // the tests report whatever is still missing
        Set<String> flinkNamesUsed = new TreeSet<>();
        for (String name : alertMetricNames()) {
            if (name.startsWith("flink_")) {
                flinkNamesUsed.add(name);
            }
        }
        for (String name : dashboardMetricNames()) {
            if (name.startsWith("flink_")) {
                flinkNamesUsed.add(name);
            }
        }
        try {
            await().atMost(WAIT)
                    .ignoreExceptions()
                    .until(
                            () -> {
                                String text = Exposition.scrape(flinkMetrics);
                                return Exposition.names(text).containsAll(flinkNamesUsed)
                                        && completedCheckpoints(text) > 0;
                            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the assertions below name what is missing
        }
        scraped(Exposition.scrape(flinkMetrics));
    }

    private static void scraped(String exposition) {
        exported.addAll(Exposition.names(exposition));
        exportedLabelValues.addAll(Exposition.labelValues(exposition));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (flinkJob != null) {
            flinkJob.cancel().get();
        }
        if (console != null) {
            console.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (executor != null) {
            executor.close();
        }
        if (github != null) {
            github.close();
        }
        if (bridge != null) {
            bridge.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyMetricTheAlertsUseIsExported() {
        Set<String> used = alertMetricNames();

        assertThat(used).as("metrics the alerts read").isNotEmpty();
        assertThat(exported).containsAll(used);
    }

    @Test
    void everyMetricTheDashboardShowsIsExported() throws IOException {
        Set<String> used = dashboardMetricNames();

        assertThat(used).as("metrics the dashboard reads").isNotEmpty();
        assertThat(exported).containsAll(used);
    }

    @Test
    void everyLabelValueTheAlertsAndTheDashboardSelectIsExported() throws IOException {
        Set<String> used =
                new TreeSet<>(
                        alertExpressions().stream()
                                .flatMap(e -> PromQl.labelValues(e).stream())
                                .toList());
        used.addAll(
                dashboardExpressions().stream()
                        .flatMap(e -> PromQl.labelValues(e).stream())
                        .toList());

        assertThat(used)
                .as("label values the alerts and the dashboard select by")
                .contains(
                        "repostream_executor_actions_total|outcome|failed",
                        "repostream_bridge_deliveries_total|outcome|dead_lettered");
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(exportedLabelValues);
        assertThat(missing).as("used but not exported").isSubsetOf(NOT_PRODUCED_HERE.keySet());
        assertThat(NOT_PRODUCED_HERE.keySet())
                .as("listed as not produced here: still used, and really not produced")
                .allSatisfy(v -> assertThat(used).contains(v))
                .doesNotContainAnyElementsOf(exportedLabelValues);
    }

    /** Every alert expression, with every optional alert group rendered. */
    private static List<String> alertExpressions() {
        PrometheusRule rule = Chart.render(ValueSet.PRODUCTION).of(PrometheusRule.class).get(0);
        List<String> out = new java.util.ArrayList<>();
        for (var group : rule.getSpec().getGroups()) {
            for (Rule alert : group.getRules()) {
                out.add(alert.getExpr().getStrVal());
            }
        }
        return out;
    }

    private static List<String> dashboardExpressions() throws IOException {
        JsonNode dashboard =
                new ObjectMapper()
                        .readTree(
                                Files.readString(Chart.DIR.resolve("dashboards/repostream.json")));
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                out.add(target.get("expr").asText());
            }
        }
        return out;
    }

    /** Metric names in every alert expression, with every optional alert group rendered. */
    private static Set<String> alertMetricNames() {
        Set<String> used = new TreeSet<>();
        alertExpressions().forEach(e -> used.addAll(PromQl.metricNames(e)));
        return used;
    }

    private static Set<String> dashboardMetricNames() throws IOException {
        Set<String> used = new TreeSet<>();
        dashboardExpressions().forEach(e -> used.addAll(PromQl.metricNames(e)));
        return used;
    }

    @Test
    void theScrapesCoverTheBridgeTheExecutorAndTheFlinkJob() {
        Set<String> prefixes = new HashSet<>();
        exported.forEach(name -> prefixes.add(name.split("_")[0] + "_" + name.split("_")[1]));

        assertThat(prefixes)
                .contains(
                        "repostream_bridge",
                        "repostream_executor",
                        "flink_jobmanager",
                        "flink_taskmanager");
    }

    private static JobClient startFlinkJob() throws Exception {
        Configuration conf =
                RepostreamJob.localConfiguration(tmp.resolve("checkpoints"), Duration.ofSeconds(1));
        // the reporter the FlinkDeployment enables, on a free loopback port instead of 9249
        conf.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.setString("metrics.reporter.prom.port", String.valueOf(flinkMetricsPort));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        JobConfig job =
                JobConfig.defaults(kafka.bootstrapServers())
                        .withCheckpointInterval(Duration.ofSeconds(1))
                        .withTransactionalIdPrefix("metric-names-" + System.nanoTime());
        RepostreamJob.fromKafka(job).build(env);
        return env.executeAsync(RepostreamJob.JOB_NAME);
    }

    private static long completedCheckpoints(String exposition) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith("flink_jobmanager_job_numberOfCompletedCheckpoints")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static void deliver(String secret) throws Exception {
        WebhookDelivery delivery =
                WebhookDelivery.builder()
                        .example(WebhookExamples.first("issues", "opened"))
                        .secret(secret)
                        .build();
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(bridgeUrl("/webhooks/github")))
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body()));
        delivery.headers().forEach(request::header);
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isIn(202, 401);
    }

    /** Signed, so it passes the signature check, but not a JSON object: dead-lettered. */
    private static void deliverAnArrayInsteadOfAnEvent() throws Exception {
        WebhookDelivery delivery =
                WebhookDelivery.builder()
                        .event("issues")
                        .body("[1]")
                        .secret(WEBHOOK_SECRET)
                        .build();
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(bridgeUrl("/webhooks/github")))
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body()));
        delivery.headers().forEach(request::header);
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    }

    private static void sendActions(ActionRecord... actions) throws Exception {
        Map<String, Object> props = kafka.producerProps();
        try (var producer =
                new KafkaProducer<>(
                        props,
                        Topics.ACTIONS.keySerde().serializer(),
                        Topics.ACTIONS.valueSerde().serializer())) {
            for (ActionRecord action : actions) {
                producer.send(new ProducerRecord<>(Topics.ACTIONS.name(), action.repo(), action))
                        .get();
            }
        }
    }

    private static ActionRecord action(String id, long issue, Instant expiresAt) {
        var params = io.repostream.schemas.json.Json.mapper().createObjectNode();
        params.putArray("labels").add("triage");
        return new ActionRecord(
                "metric-names-" + id,
                REPO,
                issue,
                ActionType.ADD_LABELS,
                params,
                "metric names test",
                List.of(),
                1.0,
                "metric-names-test@1",
                List.of(),
                null,
                Instant.now(),
                null,
                expiresAt,
                false);
    }

    private static int rollBack(String actionId) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(executorUrl("/rollback/actions/" + actionId)))
                        .header("Authorization", "Bearer " + ADMIN_TOKEN)
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build();
        return HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static String bridgeUrl(String path) {
        return "http://127.0.0.1:" + bridge.port() + path;
    }

    private static String executorUrl(String path) {
        return "http://127.0.0.1:" + executor.adminPort() + path;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket =
                new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
