package io.repostream.executor.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.executor.ActionExecutor;
import io.repostream.executor.ExecutorConfig;
import io.repostream.executor.support.Actions;
import io.repostream.executor.support.AdminApi;
import io.repostream.executor.support.KafkaTopics;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.json.Json;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin API over real HTTP, against an executor on the real broker. */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminApiTest {
    private static final String ADMIN_TOKEN = "admin-" + UUID.randomUUID();
    private static final String GITHUB_TOKEN =
            "ghp_neverLogged" + UUID.randomUUID().toString().replace("-", "");

    private static EmbeddedKafkaBroker kafka;
    private static KafkaTopics topics;
    private static ActionExecutor executor;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker) {
        kafka = broker;
        topics = new KafkaTopics(kafka);
        executor =
                ActionExecutor.start(
                        ExecutorConfig.defaults(
                                        kafka.bootstrapServers(),
                                        "http://127.0.0.1:9",
                                        GITHUB_TOKEN)
                                .withGroupId("admin-" + UUID.randomUUID())
                                .withAdmin(0, ADMIN_TOKEN));
    }

    @AfterAll
    static void stop() {
        executor.close();
        topics.close();
    }

    private static HttpResponse<String> send(String method, String path, String token, String body)
            throws IOException, InterruptedException {
        return AdminApi.send(executor.adminPort(), method, path, token, body);
    }

    @Test
    void healthAndReadinessNeedNoToken() throws Exception {
        assertThat(send("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int ready = 0;
        while (ready != 200 && System.nanoTime() < deadline) {
            ready = send("GET", "/readyz", null, null).statusCode();
            Thread.sleep(50);
        }
        assertThat(ready).isEqualTo(200);
    }

    @Test
    void exportsNoQuotaBeforeGitHubHasAnsweredSoAnIdleReplicaRaisesNoQuotaAlert() throws Exception {
        // this executor's GitHub (port 9) never answers: its quota is unknown, not 0
        HttpResponse<String> metrics = send("GET", "/metrics", null, null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body().lines())
                .noneMatch(line -> line.startsWith("repostream_executor_github_quota_remaining"));
    }

    @Test
    void refusesRollbackAndLookupWithoutTheRightToken() throws Exception {
        assertThat(send("POST", "/rollback/actions/a1", null, null).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/rollback/actions/a1", "wrong", null).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/rollback/actions/a1", ADMIN_TOKEN + "x", null).statusCode())
                .isEqualTo(401);
        assertThat(send("POST", "/rollback/bulk", "", "{\"produced_by\":\"r@1\"}").statusCode())
                .isEqualTo(401);
        assertThat(send("GET", "/actions/a1", null, null).statusCode()).isEqualTo(401);
        assertThat(send("PUT", "/kill-switch", null, "{\"on\":true}").statusCode()).isEqualTo(401);
        assertThat(executor.killSwitch()).isFalse();
    }

    @Test
    void answersAnUnknownActionWith404() throws Exception {
        HttpResponse<String> lookup =
                send("GET", "/actions/nope-" + UUID.randomUUID(), ADMIN_TOKEN, null);
        assertThat(lookup.statusCode()).isEqualTo(404);
        HttpResponse<String> rollback = send("POST", "/rollback/actions/nope", ADMIN_TOKEN, null);
        assertThat(rollback.statusCode()).isEqualTo(404);
        assertThat(rollback.body()).contains("NOT_APPLIED");
    }

    @Test
    void showsAnActionsAuditTrail() throws Exception {
        ActionRecord action =
                Actions.builder(
                                ActionType.ADD_LABELS,
                                "acme/admin",
                                1,
                                Actions.names("labels", "x"))
                        .expiresAt(Instant.now().minusSeconds(5))
                        .build();
        topics.send(action);
        topics.awaitAudit(action.actionId(), AuditOutcome.SKIPPED_EXPIRED, Duration.ofSeconds(20));
        // the ledger takes the audit a moment after Kafka acknowledged it to the executor
        HttpResponse<String> lookup = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (lookup == null || (lookup.statusCode() == 404 && System.nanoTime() < deadline)) {
            lookup = send("GET", "/actions/" + action.actionId(), ADMIN_TOKEN, null);
            Thread.sleep(20);
        }
        assertThat(lookup.statusCode()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(lookup.body());
        assertThat(body.get("audits")).hasSize(1);
        assertThat(body.get("audits").get(0).get("outcome").asText()).isEqualTo("skipped_expired");
    }

    @Test
    void rejectsABulkRollbackWithoutARuleWith400() throws Exception {
        HttpResponse<String> noRule =
                send("POST", "/rollback/bulk", ADMIN_TOKEN, "{\"repo\":\"acme/x\"}");
        assertThat(noRule.statusCode()).isEqualTo(400);
        assertThat(noRule.body()).contains("produced_by is required");
        HttpResponse<String> badTime =
                send(
                        "POST",
                        "/rollback/bulk",
                        ADMIN_TOKEN,
                        "{\"produced_by\":\"r@1\",\"from\":\"yesterday\"}");
        assertThat(badTime.statusCode()).isEqualTo(400);
        assertThat(badTime.body()).contains("ISO-8601");
        assertThat(send("POST", "/rollback/bulk", ADMIN_TOKEN, "not json").statusCode())
                .isEqualTo(400);
    }

    @Test
    void turnsTheKillSwitchOnAndOff() throws Exception {
        HttpResponse<String> on = send("PUT", "/kill-switch", ADMIN_TOKEN, "{\"on\":true}");
        assertThat(on.statusCode()).isEqualTo(200);
        assertThat(executor.killSwitch()).isTrue();
        ActionRecord action = Actions.addLabels("acme/admin", 2, "bug");
        topics.send(action);
        assertThat(
                        topics.awaitAudit(
                                        action.actionId(),
                                        AuditOutcome.SKIPPED_DISABLED,
                                        Duration.ofSeconds(20))
                                .error())
                .contains("kill switch");
        send("PUT", "/kill-switch", ADMIN_TOKEN, "{\"on\":false}");
        assertThat(executor.killSwitch()).isFalse();
        assertThat(send("PUT", "/kill-switch", ADMIN_TOKEN, "{\"on\":\"yes\"}").statusCode())
                .isEqualTo(400);
    }

    @Test
    void exposesPrometheusMetricsWithoutAnySecret() throws Exception {
        ActionRecord action =
                Actions.builder(ActionType.CLOSE_ISSUE, "acme/metrics", 3, Actions.params())
                        .expiresAt(Instant.now().minusSeconds(5))
                        .build();
        topics.send(action);
        topics.awaitAudit(action.actionId(), AuditOutcome.SKIPPED_EXPIRED, Duration.ofSeconds(20));
        HttpResponse<String> metrics = send("GET", "/metrics", null, null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains(
                        "repostream_executor_actions_total{action_type=\"close_issue\",outcome=\"skipped_expired\",repo=\"acme/metrics\"} 1.0")
                .contains("repostream_executor_actions_lag")
                .doesNotContain(GITHUB_TOKEN)
                .doesNotContain(ADMIN_TOKEN);
    }
}
