package io.repostream.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.Snapshot;
import io.repostream.schemas.json.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One signed webhook through every real hop: bridge → Kafka → Flink (MiniCluster, RocksDB,
 * exactly-once) → Kafka → executor → GitHub (simulated). Breaking any hop fails a test here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EndToEndTest {
    @TempDir static Path workDir;

    private DemoOutcome outcome;
    private List<String> issueLabels;
    private List<String> labelledExampleLabels;
    private String adminUrl;
    private HttpResponse<String> undoPreview;
    private List<String> labelsAfterPreview;

    @BeforeAll
    void runTheDemoOnce() throws Exception {
        try (LocalStack stack = LocalStack.start(workDir)) {
            outcome = new DemoRun(stack, Duration.ofSeconds(120)).run();
            issueLabels = stack.github().labels(outcome.repo(), outcome.unlabelledIssue());
            labelledExampleLabels = stack.github().labels(outcome.repo(), 1);
            // what the demo's console asks when somebody clicks Undo on the labelled issue
            adminUrl = stack.executorAdminUrl();
            undoPreview =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            adminUrl
                                                                    + "/rollback/actions/"
                                                                    + URLEncoder.encode(
                                                                                    outcome.actions()
                                                                                            .get(0)
                                                                                            .actionId(),
                                                                                    StandardCharsets
                                                                                            .UTF_8)
                                                                            .replace("+", "%20")
                                                                    + "?dry_run=true"))
                                            .header(
                                                    "Authorization",
                                                    "Bearer " + stack.executorAdminToken())
                                            .POST(HttpRequest.BodyPublishers.noBody())
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            labelsAfterPreview = stack.github().labels(outcome.repo(), outcome.unlabelledIssue());
        }
    }

    private DemoOutcome.Answer unlabelledDelivery() {
        return outcome.answers().get(outcome.answers().size() - 1);
    }

    @Test
    void theBridgeAcceptsEverySignedDeliveryOnlyAfterKafkaHasIt() {
        assertThat(outcome.answers()).extracting(DemoOutcome.Answer::status).containsOnly(202);
        assertThat(outcome.events()).hasSameSizeAs(outcome.answers());
    }

    @Test
    void theEventCarriesTheDeliveryIdAndTheOriginalPayloadUnchanged() throws Exception {
        DemoDelivery posted = unlabelledDelivery().delivery();
        GitHubEvent event =
                outcome.events().stream()
                        .filter(e -> e.eventId().equals(posted.deliveryId()))
                        .findFirst()
                        .orElseThrow();

        assertThat(event.type()).isEqualTo("issues");
        assertThat(event.action()).isEqualTo("opened");
        assertThat(event.repo()).isEqualTo(outcome.repo().toLowerCase());
        assertThat(event.payload()).isEqualTo(Json.mapper().readTree(posted.body()));
    }

    @Test
    void flinkProposesTheTriageLabelForTheUnlabelledIssueOnly() {
        assertThat(outcome.actions()).hasSize(1);
        ActionRecord action = outcome.actions().get(0);
        assertThat(action.type()).isEqualTo(ActionType.ADD_LABELS);
        assertThat(action.target()).isEqualTo(outcome.unlabelledIssue());
        assertThat(action.params().get("labels").get(0).asText())
                .isEqualTo(RepoPolicy.DEFAULT_TRIAGE_LABEL);
        assertThat(action.causedBy()).containsExactly(unlabelledDelivery().delivery().deliveryId());
    }

    @Test
    void theExecutorSnapshotsTheIssueBeforeLabellingIt() {
        assertThat(outcome.snapshots()).hasSize(1);
        Snapshot snapshot = outcome.snapshots().get(0);
        assertThat(snapshot.actionId()).isEqualTo(outcome.actions().get(0).actionId());
        assertThat(snapshot.before().labels()).isEmpty();
    }

    @Test
    void theLabelIsOnGitHubAndAuditedAsApplied() {
        assertThat(issueLabels).containsExactly(RepoPolicy.DEFAULT_TRIAGE_LABEL);
        assertThat(outcome.mutations())
                .filteredOn(m -> m.contains(":+label:"))
                .containsExactly(
                        outcome.repo()
                                + "#"
                                + outcome.unlabelledIssue()
                                + ":+label:"
                                + RepoPolicy.DEFAULT_TRIAGE_LABEL);

        AuditRecord audit = outcome.audits().get(0);
        assertThat(audit.outcome()).isEqualTo(AuditOutcome.APPLIED);
        assertThat(audit.actionId()).isEqualTo(outcome.actions().get(0).actionId());
        assertThat(audit.before().labels()).isEmpty();
        assertThat(audit.after().labels()).containsExactly(RepoPolicy.DEFAULT_TRIAGE_LABEL);
        assertThat(audit.githubStatus()).isBetween(200, 299);
        assertThat(audit.rateLimit().remaining()).isNotNull();
    }

    @Test
    void theExecutorsAdminApiListensOnLoopbackSoTheDemosConsoleCanPreviewAndUndo()
            throws Exception {
        assertThat(adminUrl).startsWith("http://127.0.0.1:");
        assertThat(undoPreview.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(undoPreview.body()).get("status").asText())
                .isEqualTo("PREVIEW");
        // a preview changes nothing: the triage label stays
        assertThat(labelsAfterPreview).contains(RepoPolicy.DEFAULT_TRIAGE_LABEL);
    }

    @Test
    void anIssueThatArrivedWithALabelIsLeftAlone() {
        assertThat(labelledExampleLabels).containsExactly("bug");
    }
}
