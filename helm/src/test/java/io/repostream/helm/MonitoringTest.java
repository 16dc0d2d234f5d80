package io.repostream.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class MonitoringTest {
    @Test
    void scrapesTheBridgeTheExecutorAndTheConsoleThroughTheirServicesNamedPorts() {
        Manifests manifests = Chart.render(ValueSet.PRODUCTION);
        List<ServiceMonitor> monitors = manifests.of(ServiceMonitor.class);

        assertThat(monitors).hasSize(3);
        for (ServiceMonitor monitor : monitors) {
            Map<String, String> selector = monitor.getSpec().getSelector().getMatchLabels();
            Service service =
                    manifests.of(Service.class).stream()
                            .filter(
                                    s ->
                                            s.getMetadata()
                                                    .getLabels()
                                                    .entrySet()
                                                    .containsAll(selector.entrySet()))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError("no Service for " + selector));
            var endpoint = monitor.getSpec().getEndpoints().get(0);
            assertThat(endpoint.getPath()).isEqualTo("/metrics");
            assertThat(service.getSpec().getPorts())
                    .extracting(ServicePort::getName)
                    .contains(endpoint.getPort());
            assertThat(monitor.getMetadata().getLabels())
                    .containsEntry("release", "kube-prometheus-stack");
        }
    }

    @Test
    void scrapesFlinksPrometheusReporterOnEveryJobManagerAndTaskManagerPod() {
        Manifests manifests = Chart.render(ValueSet.PRODUCTION);
        PodMonitor monitor = manifests.of(PodMonitor.class).get(0);
        JsonNode podTemplate =
                manifests.oneOfKind("FlinkDeployment").tree().at("/spec/podTemplate");

        monitor.getSpec()
                .getSelector()
                .getMatchLabels()
                .forEach(
                        (key, value) ->
                                assertThat(podTemplate.at("/metadata/labels").get(key).asText())
                                        .as(key)
                                        .isEqualTo(value));
        assertThat(monitor.getSpec().getPodMetricsEndpoints().get(0).getPort())
                .isEqualTo("metrics");
        assertThat(podTemplate.at("/spec/containers/0/ports/0/name").asText()).isEqualTo("metrics");
    }

    @Test
    void alertsOnErrorRateLagQuotaSlaBreachesAndCheckpointFailures() {
        PrometheusRule rule = Chart.render(ValueSet.PRODUCTION).of(PrometheusRule.class).get(0);
        Map<String, String> exprByAlert = new java.util.TreeMap<>();
        for (var group : rule.getSpec().getGroups()) {
            for (Rule alert : group.getRules()) {
                exprByAlert.put(alert.getAlert(), alert.getExpr().getStrVal());
                assertThat(alert.getLabels()).as(alert.getAlert()).containsKey("severity");
                assertThat(alert.getAnnotations()).as(alert.getAlert()).containsKey("summary");
            }
        }

        assertThat(exprByAlert)
                .containsKeys(
                        "RepostreamWebhookErrorRateHigh",
                        "RepostreamActionErrorRateHigh",
                        "RepostreamExecutorConsumerLag",
                        "RepostreamFlinkConsumerLag",
                        "RepostreamGitHubQuotaNearlyExhausted",
                        "RepostreamFlinkCheckpointFailures",
                        "RepostreamSlaBreachRateHigh",
                        "RepostreamWriteQueueStalled",
                        "RepostreamActionsDropped",
                        "RepostreamConsoleIndexerStalled",
                        "RepostreamConsoleSkippedRecords",
                        "RepostreamConsoleUndoFailing",
                        "RepostreamConsoleSignInsFailing",
                        "RepostreamDeferredActionStuck",
                        "RepostreamDeferredActionOld",
                        "RepostreamRepoConfigNotApplied",
                        "RepostreamCiJobLogsMissing");
        assertThat(exprByAlert.get("RepostreamConsoleIndexerStalled"))
                .contains("repostream_console_indexer_lag_records) > 0")
                .contains("repostream_console_last_indexed_timestamp_seconds)) > 600")
                .contains("min(repostream_console_indexer_running) == 0");
        assertThat(exprByAlert.get("RepostreamConsoleSkippedRecords"))
                .isEqualTo(
                        "sum(increase(repostream_console_skipped_records_total{reason=\"invalid\"}[15m]))"
                                + " > 0");
        assertThat(exprByAlert.get("RepostreamConsoleUndoFailing"))
                .isEqualTo(
                        "sum(increase(repostream_console_undo_requests_total{status=\"error\"}[15m]))"
                                + " > 0");
        assertThat(exprByAlert.get("RepostreamConsoleSignInsFailing"))
                .isEqualTo(
                        "sum(increase(repostream_console_sign_ins_total{outcome=\"error\"}[15m]))"
                                + " > 0");
        assertThat(exprByAlert.get("RepostreamDeferredActionOld"))
                .isEqualTo("max(repostream_executor_deferred_oldest_seconds) > 7200");
        assertThat(exprByAlert.get("RepostreamWriteQueueStalled"))
                .isEqualTo(
                        "max(flink_taskmanager_job_task_operator_writeQueueOldestWaitSeconds)"
                                + " > 900");
        assertThat(exprByAlert.get("RepostreamGitHubQuotaNearlyExhausted")).endsWith("< 500");
        assertThat(exprByAlert.get("RepostreamRepoConfigNotApplied"))
                .contains("operator_repoConfigReadFailed[1h]")
                .contains("operator_repoConfigInvalid[1h]");
        assertThat(exprByAlert.get("RepostreamCiJobLogsMissing"))
                .contains("flink_taskmanager_job_task_operator_jobLogsMissing[30m]");
        assertThat(exprByAlert.get("RepostreamSlaBreachRateHigh"))
                .contains("kind_repostream_sla_breaches")
                .contains("met_repostream_sla_items_closed{met=\"true\"}")
                .endsWith("> 0.1\n");
    }

    @Test
    void takesAlertThresholdsFromValues() {
        PrometheusRule rule =
                Chart.render(
                                ValueSet.PRODUCTION,
                                Map.of(
                                        "monitoring.prometheusRule.quotaRemainingThreshold", 1234,
                                        "monitoring.prometheusRule.executorLagThreshold", 77,
                                        // --set reads 1 as a number; a fraction would stay a string
                                        "monitoring.prometheusRule.slaBreachRateThreshold", 1))
                        .of(PrometheusRule.class)
                        .get(0);
        String all =
                rule.getSpec().getGroups().stream()
                        .flatMap(g -> g.getRules().stream())
                        .map(r -> r.getExpr().getStrVal())
                        .reduce("", String::concat);

        assertThat(all).contains("< 1234").contains("> 77").contains("\n  > 1\n");
    }

    @Test
    void theDashboardShowsEventsActionsSlaCiQuotaAndLag() throws Exception {
        JsonNode dashboard =
                new ObjectMapper()
                        .readTree(
                                Files.readString(Chart.DIR.resolve("dashboards/repostream.json")));
        Map<String, String> exprsByTitle = new java.util.TreeMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            StringBuilder exprs = new StringBuilder();
            panel.path("targets").forEach(t -> exprs.append(t.path("expr").asText()).append('\n'));
            exprsByTitle.put(panel.path("title").asText(), exprs.toString());
        }

        assertThat(exprsByTitle.get("Events accepted per second"))
                .contains("repostream_bridge_deliveries_total");
        assertThat(exprsByTitle.get("Actions by outcome"))
                .contains("repostream_executor_actions_total");
        assertThat(exprsByTitle.get("SLA compliance")).contains("met_repostream_sla_items_closed");
        assertThat(exprsByTitle.get("SLA breaches by kind"))
                .contains("kind_repostream_sla_breaches");
        assertThat(exprsByTitle.get("CI success and flake rate"))
                .contains("outcome_repostream_ci_runs{outcome=\"success\"}")
                .contains("repostream_ci_flaky_runs");
        assertThat(exprsByTitle.get("CI failures by class"))
                .contains("failure_class_repostream_ci_failures");
        assertThat(exprsByTitle.get("Governed actions"))
                .contains("action_type_repostream_actions_delayed")
                .contains("action_type_repostream_actions_dropped");
        assertThat(exprsByTitle.get("GitHub quota remaining")).contains("quota_remaining");
        assertThat(exprsByTitle.get("Consumer lag"))
                .contains("repostream_executor_actions_lag")
                .contains("pendingRecords");
        assertThat(dashboard.path("panels"))
                .extracting(p -> p.path("id").asInt())
                .doesNotHaveDuplicates();
    }

    @Test
    void shipsTheDashboardJsonUnchangedForGrafanasSidecar() throws Exception {
        ConfigMap dashboard = Chart.render(ValueSet.PRODUCTION).one(ConfigMap.class, "-dashboard");
        ObjectMapper json = new ObjectMapper();

        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(json.readTree(dashboard.getData().get("repostream.json")))
                .isEqualTo(
                        json.readTree(
                                Files.readString(Chart.DIR.resolve("dashboards/repostream.json"))));
    }

    @Test
    void rendersNoMonitoringResourcesByDefaultBecauseTheyNeedTheOperatorsCrds() {
        Manifests manifests = Chart.render(ValueSet.DEFAULTS);

        assertThat(manifests.of(ServiceMonitor.class)).isEmpty();
        assertThat(manifests.of(PodMonitor.class)).isEmpty();
        assertThat(manifests.of(PrometheusRule.class)).isEmpty();
        assertThat(manifests.all()).noneMatch(r -> r.name().endsWith("-dashboard"));
    }
}
