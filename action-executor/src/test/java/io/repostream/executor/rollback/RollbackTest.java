package io.repostream.executor.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.executor.ActionExecutor;
import io.repostream.executor.ExecutorMain;
import io.repostream.executor.rollback.RollbackResult.Status;
import io.repostream.executor.support.Actions;
import io.repostream.executor.support.AdminApi;
import io.repostream.executor.support.ExecutorConfigs;
import io.repostream.executor.support.KafkaTopics;
import io.repostream.executor.support.Policies;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.TypedTarget;
import io.repostream.schemas.json.Json;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Undoing applied actions against the simulator: by id, in bulk, over HTTP and from the CLI. */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RollbackTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String REPO = "acme/undo";
    private static final String OTHER_REPO = "acme/undo-other";
    private static final String ADMIN_TOKEN = "admin-" + UUID.randomUUID();

    private static EmbeddedKafkaBroker kafka;
    private static GitHubSimulator github;
    private static KafkaTopics topics;
    private static ActionExecutor executor;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) {
        kafka = broker;
        github = simulator;
        github.removeLimits();
        github.createRepo(REPO);
        github.createRepo(OTHER_REPO);
        topics = new KafkaTopics(kafka);
        topics.send(Policies.everyActionType(REPO, 100_000));
        executor =
                ActionExecutor.start(
                        ExecutorConfigs.forSimulator(kafka, github, "rollback")
                                .withAdmin(0, ADMIN_TOKEN));
    }

    @AfterAll
    static void stop() {
        executor.close();
        topics.close();
    }

    private static AuditRecord apply(ActionRecord action) {
        topics.send(action);
        AuditRecord audit = topics.awaitAudit(action.actionId(), AuditOutcome.APPLIED, WAIT);
        // the executor's ledger takes the audit a moment after Kafka acknowledged it
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> executor.ledger().applied(action.actionId()).isPresent());
        return audit;
    }

    private static List<String> mutationsOf(int number) {
        return github.mutations().stream()
                .filter(m -> m.startsWith(REPO + "#" + number + ":"))
                .toList();
    }

    @Test
    void removesTheLabelItAddedAuditsItAndDoesNothingWhenAskedAgain() {
        int number = github.createIssue(REPO, "Undo a label", "", "alice", "p2");
        ActionRecord action = Actions.addLabels(REPO, number, "bug");
        apply(action);

        double before =
                executor.metrics().rollbackCount(ActionType.ADD_LABELS, AuditOutcome.ROLLED_BACK);
        RollbackResult result = executor.rollbacks().rollback(action.actionId(), false);
        assertThat(result.status()).isEqualTo(Status.ROLLED_BACK);
        assertThat(github.labels(REPO, number)).containsExactly("p2");
        assertThat(
                        executor.metrics()
                                .rollbackCount(ActionType.ADD_LABELS, AuditOutcome.ROLLED_BACK))
                .isEqualTo(before + 1);
        AuditRecord audit = topics.awaitAudit(action.actionId(), AuditOutcome.ROLLED_BACK, WAIT);
        assertThat(audit.before().labels()).containsExactly("bug", "p2");
        assertThat(audit.after().labels()).containsExactly("p2");
        assertThat(audit.declaredTarget()).isEqualTo(TypedTarget.issue(number));

        RollbackResult again = executor.rollbacks().rollback(action.actionId(), false);
        assertThat(again.status()).isEqualTo(Status.ALREADY_ROLLED_BACK);
        assertThat(mutationsOf(number))
                .containsExactly(
                        REPO + "#" + number + ":+label:bug", REPO + "#" + number + ":-label:bug");
    }

    @Test
    void leavesAHumansChangeAloneAndRecordsTheConflict() {
        int number = github.createIssue(REPO, "Human took over", "", "alice");
        ActionRecord action = Actions.addLabels(REPO, number, "wontfix");
        apply(action);
        github.removeLabelAsHuman(REPO, number, "wontfix", "alice");
        github.addLabelAsHuman(REPO, number, "needs-info", "alice");

        double conflictsBefore =
                executor.metrics()
                        .rollbackCount(ActionType.ADD_LABELS, AuditOutcome.ROLLBACK_CONFLICT);
        RollbackResult result = executor.rollbacks().rollback(action.actionId(), false);
        assertThat(result.status()).isEqualTo(Status.CONFLICT);
        assertThat(
                        executor.metrics()
                                .rollbackCount(
                                        ActionType.ADD_LABELS, AuditOutcome.ROLLBACK_CONFLICT))
                .isEqualTo(conflictsBefore + 1);
        assertThat(result.detail())
                .contains("[wontfix] added by the action were removed")
                .contains(REPO + "#" + number);
        assertThat(github.labels(REPO, number)).containsExactly("needs-info");
        AuditRecord audit =
                topics.awaitAudit(action.actionId(), AuditOutcome.ROLLBACK_CONFLICT, WAIT);
        assertThat(audit.error()).isEqualTo(result.detail());
        assertThat(mutationsOf(number)).containsExactly(REPO + "#" + number + ":+label:wontfix");
    }

    @Test
    void deletesTheCommentItCreated() {
        int number = github.createIssue(REPO, "Undo a comment", "", "alice");
        ActionRecord action =
                Actions.of(
                        ActionType.CREATE_COMMENT,
                        REPO,
                        number,
                        Actions.params().put("body", "Automated hello"));
        long commentId = apply(action).after().commentId();
        assertThat(executor.rollbacks().rollback(action.actionId(), false).status())
                .isEqualTo(Status.ROLLED_BACK);
        assertThat(github.comments(REPO, number)).isEmpty();
        assertThat(mutationsOf(number)).contains(REPO + "#" + number + ":-comment:" + commentId);
    }

    @Test
    void reopensAnIssueItClosedButNotOneAHumanReopenedAndClosedAgain() {
        int number = github.createIssue(REPO, "Undo a close", "", "alice");
        ActionRecord action = Actions.of(ActionType.CLOSE_ISSUE, REPO, number, Actions.params());
        apply(action);
        assertThat(executor.rollbacks().rollback(action.actionId(), false).status())
                .isEqualTo(Status.ROLLED_BACK);
        assertThat(github.issue(REPO, number).state()).isEqualTo("open");

        int other = github.createIssue(REPO, "Reopened by a human", "", "alice");
        ActionRecord close = Actions.of(ActionType.CLOSE_ISSUE, REPO, other, Actions.params());
        apply(close);
        github.reopenAsHuman(REPO, other, "alice");
        assertThat(executor.rollbacks().rollback(close.actionId(), false).status())
                .isEqualTo(Status.CONFLICT);
        assertThat(github.issue(REPO, other).state()).isEqualTo("open");
    }

    @ParameterizedTest(name = "typed_target: {0}")
    @ValueSource(booleans = {true, false})
    void cancelsTheAttemptARerunStartedWithOrWithoutATypedTarget(boolean typed) {
        long run = github.createWorkflowRun(REPO, 7, "f".repeat(40), "completed", "failure");
        Actions.Builder builder =
                Actions.builder(ActionType.RERUN_FAILED_JOBS, REPO, run, Actions.params());
        ActionRecord rerun = (typed ? builder.on(TypedTarget.workflowRun(run)) : builder).build();
        apply(rerun);
        assertThat(github.workflowRun(REPO, run).runAttempt()).isEqualTo(2);

        RollbackResult result = executor.rollbacks().rollback(rerun.actionId(), false);

        assertThat(result.status()).as(result.detail()).isEqualTo(Status.ROLLED_BACK);
        assertThat(github.workflowRun(REPO, run).conclusion()).isEqualTo("cancelled");
        topics.awaitAudit(rerun.actionId(), AuditOutcome.ROLLED_BACK, WAIT);
    }

    @ParameterizedTest(name = "typed_target: {0}")
    @ValueSource(booleans = {true, false})
    void removesALabelItAddedToAPullRequestWithOrWithoutATypedTarget(boolean typed) {
        int pr =
                github.createPullRequest(
                        REPO, "Label me", "", "alice", "label-me-" + typed, "d".repeat(40));
        Actions.Builder builder =
                Actions.builder(ActionType.ADD_LABELS, REPO, pr, Actions.names("labels", "typed"));
        ActionRecord label = (typed ? builder.on(TypedTarget.pullRequest(pr)) : builder).build();
        apply(label);
        assertThat(github.labels(REPO, pr)).containsExactly("typed");

        RollbackResult result = executor.rollbacks().rollback(label.actionId(), false);

        assertThat(result.status()).as(result.detail()).isEqualTo(Status.ROLLED_BACK);
        assertThat(github.labels(REPO, pr)).isEmpty();
    }

    @Test
    void saysThatAMergeCannotBeUndone() {
        String sha = "e".repeat(40);
        int pr = github.createPullRequest(REPO, "Merge me", "", "alice", "merge-me", sha);
        ActionRecord merge =
                Actions.of(
                        ActionType.MERGE_PULL_REQUEST,
                        REPO,
                        pr,
                        Actions.params().put("head_sha", sha));
        apply(merge);
        RollbackResult result = executor.rollbacks().rollback(merge.actionId(), false);
        assertThat(result.status()).isEqualTo(Status.IRREVERSIBLE);
        assertThat(github.issue(REPO, pr).merged()).isTrue();
        topics.awaitAudit(merge.actionId(), AuditOutcome.ROLLBACK_CONFLICT, WAIT);
    }

    @Test
    void previewsARollbackWithoutSendingOrAuditingAnything() {
        int number = github.createIssue(REPO, "Preview", "", "alice");
        ActionRecord action = Actions.addLabels(REPO, number, "preview-me");
        apply(action);
        RollbackResult preview = executor.rollbacks().rollback(action.actionId(), true);
        assertThat(preview.status()).isEqualTo(Status.PREVIEW);
        assertThat(preview.detail()).contains("remove labels [preview-me]");
        assertThat(github.labels(REPO, number)).containsExactly("preview-me");
        topics.drain(Duration.ofMillis(300));
        assertThat(topics.audits(action.actionId()))
                .extracting(AuditRecord::outcome)
                .containsExactly(AuditOutcome.APPLIED);
    }

    @Test
    void rollsBackFromTheCommandLine() throws Exception {
        int number = github.createIssue(REPO, "CLI", "", "alice");
        ActionRecord action = Actions.addLabels(REPO, number, "from-cli");
        apply(action);
        Path tokenFile = Files.createTempFile("gh-token", ".txt");
        Files.writeString(tokenFile, GitHubSimulator.DEFAULT_TOKEN);
        String[] common = {
            "--action-id",
            action.actionId(),
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--github-api-url",
            github.baseUrl(),
            "--github-token-file",
            tokenFile.toString()
        };

        String preview = cli(concat(new String[] {"rollback", "--dry-run"}, common));
        assertThat(preview).startsWith("0\n").contains("PREVIEW").contains("dry run: nothing sent");
        assertThat(github.labels(REPO, number)).containsExactly("from-cli");

        String done = cli(concat(new String[] {"rollback"}, common));
        assertThat(done).startsWith("0\n").contains("ROLLED_BACK").contains(REPO + "#" + number);
        assertThat(github.labels(REPO, number)).isEmpty();
        assertThat(done).doesNotContain(GitHubSimulator.DEFAULT_TOKEN);
    }

    @Test
    void bulkRollbackOfARulesThousandActionsRestoresUntouchedTargetsAndReportsTouchedOnes()
            throws Exception {
        String rule = "bulk-triage@3";
        int count = 1000;
        List<Integer> numbers = new ArrayList<>();
        List<ActionRecord> actions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int number =
                    github.createIssue(
                            REPO,
                            "Bulk " + i,
                            "",
                            "alice",
                            i % 3 == 0 ? new String[] {"kept"} : new String[0]);
            numbers.add(number);
            actions.add(
                    Actions.builder(
                                    ActionType.ADD_LABELS,
                                    REPO,
                                    number,
                                    Actions.names("labels", "auto-triaged"))
                            .producedBy(rule)
                            .build());
        }
        topics.sendAll(actions);
        topics.awaitAudited(
                actions.stream().map(ActionRecord::actionId).toList(), Duration.ofSeconds(90));
        Awaitility.await()
                .atMost(WAIT)
                .until(
                        () ->
                                executor.ledger().appliedMatching(rule, REPO, null, null).size()
                                        == count);

        // people change 100 of the targets: the label the rule added is taken off again
        Set<Integer> touched = new HashSet<>();
        for (int i = 0; i < count; i += 10) {
            github.removeLabelAsHuman(REPO, numbers.get(i), "auto-triaged", "alice");
            touched.add(numbers.get(i));
        }

        HttpResponse<String> response =
                admin(
                        "POST",
                        "/rollback/bulk",
                        "{\"produced_by\":\"" + rule + "\",\"repo\":\"" + REPO + "\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(response.body());
        assertThat(body.at("/counts/rolled_back").asInt()).isEqualTo(count - touched.size());
        assertThat(body.at("/counts/conflict").asInt()).isEqualTo(touched.size());

        for (int i = 0; i < count; i++) {
            int number = numbers.get(i);
            List<String> expected = i % 3 == 0 ? List.of("kept") : List.of();
            assertThat(github.labels(REPO, number)).as("labels of #%d", number).isEqualTo(expected);
        }
        for (JsonNode result : body.get("results")) {
            int number =
                    Integer.parseInt(result.get("target").asText().substring(REPO.length() + 1));
            assertThat(result.get("status").asText())
                    .isEqualTo(touched.contains(number) ? "CONFLICT" : "ROLLED_BACK");
        }
    }

    @Test
    void showsAnAppliedActionWithSnapshotAndAuditAndRollsItBackOverHttp() throws Exception {
        int number = github.createIssue(REPO, "Over HTTP", "", "alice", "p2");
        ActionRecord action = Actions.addLabels(REPO, number, "http-bug");
        AuditRecord applied = apply(action);

        HttpResponse<String> lookup = admin("GET", "/actions/" + action.actionId(), null);
        assertThat(lookup.statusCode()).isEqualTo(200);
        JsonNode shown = Json.mapper().readTree(lookup.body());
        assertThat(shown.at("/snapshot/action_id").asText()).isEqualTo(action.actionId());
        assertThat(shown.at("/snapshot/produced_by").asText()).isEqualTo(action.producedBy());
        assertThat(shown.at("/snapshot/before/labels").toString()).isEqualTo("[\"p2\"]");
        assertThat(shown.get("audits")).hasSize(1);
        JsonNode audit = shown.get("audits").get(0);
        assertThat(audit.get("audit_id").asText()).isEqualTo(applied.auditId());
        assertThat(audit.get("outcome").asText()).isEqualTo("applied");
        assertThat(audit.at("/before/labels").toString()).isEqualTo("[\"p2\"]");
        assertThat(audit.at("/after/labels").toString()).isEqualTo("[\"http-bug\",\"p2\"]");
        assertThat(audit.get("github_status").asInt()).isEqualTo(200);

        HttpResponse<String> preview =
                admin("POST", "/rollback/actions/" + action.actionId() + "?dry_run=true", null);
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(preview.body()).get("status").asText())
                .isEqualTo("PREVIEW");
        assertThat(github.labels(REPO, number)).containsExactly("p2", "http-bug");

        double rolledBackBefore =
                executor.metrics().rollbackCount(ActionType.ADD_LABELS, AuditOutcome.ROLLED_BACK);
        HttpResponse<String> rollback =
                admin("POST", "/rollback/actions/" + action.actionId(), null);
        assertThat(rollback.statusCode()).isEqualTo(200);
        JsonNode result = Json.mapper().readTree(rollback.body());
        assertThat(result.get("status").asText()).isEqualTo("ROLLED_BACK");
        assertThat(result.get("target").asText()).isEqualTo(REPO + "#" + number);
        assertThat(github.labels(REPO, number)).containsExactly("p2");
        assertThat(
                        executor.metrics()
                                .rollbackCount(ActionType.ADD_LABELS, AuditOutcome.ROLLED_BACK))
                .isEqualTo(rolledBackBefore + 1);
        assertThat(admin("GET", "/metrics", null).body())
                .contains(
                        "repostream_executor_rollbacks_total{action_type=\"add_labels\",outcome=\"rolled_back\"}");

        // the trail now shows the rollback too; asking again sends nothing
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> executor.ledger().history(action.actionId()).size() == 2);
        JsonNode trail =
                Json.mapper()
                        .readTree(admin("GET", "/actions/" + action.actionId(), null).body())
                        .get("audits");
        assertThat(trail).hasSize(2);
        assertThat(trail.get(1).get("outcome").asText()).isEqualTo("rolled_back");
        assertThat(trail.get(1).at("/after/labels").toString()).isEqualTo("[\"p2\"]");
        HttpResponse<String> again = admin("POST", "/rollback/actions/" + action.actionId(), null);
        assertThat(Json.mapper().readTree(again.body()).get("status").asText())
                .isEqualTo("ALREADY_ROLLED_BACK");
        assertThat(mutationsOf(number))
                .containsExactly(
                        REPO + "#" + number + ":+label:http-bug",
                        REPO + "#" + number + ":-label:http-bug");
    }

    @Test
    void aRollbackOverHttpNamesWhoAskedInItsAuditRecord() throws Exception {
        ActionRecord one = labelled(REPO, "asked-one@1", "asked-one");
        ActionRecord ofRule = labelled(REPO, "asked-bulk@1", "asked-bulk");
        ActionRecord unnamed = labelled(REPO, "asked-none@1", "asked-none");

        assertThat(
                        admin(
                                        "POST",
                                        "/rollback/actions/" + one.actionId(),
                                        "{\"requested_by\":\"octocat (console)\"}")
                                .statusCode())
                .isEqualTo(200);
        assertThat(
                        admin(
                                        "POST",
                                        "/rollback/bulk",
                                        "{\"produced_by\":\"asked-bulk@1\",\"repo\":\""
                                                + REPO
                                                + "\",\"requested_by\":\"hubot (token ci)\"}")
                                .statusCode())
                .isEqualTo(200);
        assertThat(admin("POST", "/rollback/actions/" + unnamed.actionId(), null).statusCode())
                .isEqualTo(200);

        assertThat(rolledBack(one).requestedBy()).isEqualTo("octocat (console)");
        assertThat(rolledBack(ofRule).requestedBy()).isEqualTo("hubot (token ci)");
        assertThat(rolledBack(unnamed).requestedBy()).isNull();
        assertThat(topics.audits(one.actionId()))
                .filteredOn(a -> a.outcome() == AuditOutcome.APPLIED)
                .extracting(AuditRecord::requestedBy)
                .containsOnlyNulls();
        HttpResponse<String> notJson =
                admin("POST", "/rollback/actions/" + unnamed.actionId(), "octocat");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("requested_by");
    }

    private static AuditRecord rolledBack(ActionRecord action) {
        return topics.awaitAudit(action.actionId(), AuditOutcome.ROLLED_BACK, WAIT);
    }

    /** An issue in {@code repo} labelled {@code label} by an action of {@code rule}, applied. */
    private static ActionRecord labelled(String repo, String rule, String label) {
        int number = github.createIssue(repo, "Range " + label, "", "alice");
        ActionRecord action =
                Actions.builder(ActionType.ADD_LABELS, repo, number, Actions.names("labels", label))
                        .producedBy(rule)
                        .build();
        apply(action);
        return action;
    }

    /**
     * A rule's actions on {@code REPO} before, within and after a time range, and actions within it
     * of another rule and on another repo: only the rule's actions on the repo within the range may
     * be undone.
     */
    private record RangeScenario(
            Instant from, Instant to, List<ActionRecord> inRange, List<ActionRecord> leftAlone) {}

    private static RangeScenario rangeScenario(String rule) throws InterruptedException {
        List<ActionRecord> leftAlone = new ArrayList<>();
        leftAlone.add(labelled(REPO, rule, "before-1"));
        leftAlone.add(labelled(REPO, rule, "before-2"));
        leftAlone.add(labelled(OTHER_REPO, rule, "other-repo-before"));
        Instant from = Instant.now();
        Thread.sleep(5);
        List<ActionRecord> inRange = new ArrayList<>();
        inRange.add(labelled(REPO, rule, "in-range-1"));
        leftAlone.add(labelled(REPO, "another-rule@1", "other-rule"));
        leftAlone.add(labelled(OTHER_REPO, rule, "other-repo-in-range"));
        inRange.add(labelled(REPO, rule, "in-range-2"));
        Thread.sleep(5);
        Instant to = Instant.now();
        Thread.sleep(5);
        leftAlone.add(labelled(REPO, rule, "after"));
        return new RangeScenario(from, to, inRange, leftAlone);
    }

    private static void assertOnlyTheRangeWasUndone(RangeScenario scenario) {
        for (ActionRecord undone : scenario.inRange()) {
            assertThat(github.labels(undone.repo(), (int) undone.target()))
                    .as("labels of %s", undone.targetRef())
                    .isEmpty();
        }
        for (ActionRecord kept : scenario.leftAlone()) {
            assertThat(github.labels(kept.repo(), (int) kept.target()))
                    .as("labels of %s, outside the rollback", kept.targetRef())
                    .hasSize(1);
            assertThat(topics.audits(kept.actionId()))
                    .extracting(AuditRecord::outcome)
                    .containsExactly(AuditOutcome.APPLIED);
        }
    }

    @Test
    void bulkRollbackOverHttpUndoesOnlyTheRulesActionsOnTheRepoWithinTheTimeRange()
            throws Exception {
        RangeScenario scenario = rangeScenario("range-http@1");

        HttpResponse<String> response =
                admin(
                        "POST",
                        "/rollback/bulk",
                        "{\"produced_by\":\"range-http@1\",\"repo\":\""
                                + REPO
                                + "\",\"from\":\""
                                + scenario.from()
                                + "\",\"to\":\""
                                + scenario.to()
                                + "\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(response.body());
        assertThat(body.at("/counts/rolled_back").asInt()).isEqualTo(2);
        assertThat(body.get("counts").size()).isEqualTo(1);
        List<String> undone = new ArrayList<>();
        body.get("results").forEach(r -> undone.add(r.get("action_id").asText()));
        // newest first, so that stacked actions unwind in reverse
        assertThat(undone)
                .containsExactly(
                        scenario.inRange().get(1).actionId(), scenario.inRange().get(0).actionId());
        assertOnlyTheRangeWasUndone(scenario);
    }

    @Test
    void bulkRollbackFromTheCommandLineTakesTheSameRepoAndTimeRange() throws Exception {
        RangeScenario scenario = rangeScenario("range-cli@1");
        Path tokenFile = Files.createTempFile("gh-token", ".txt");
        Files.writeString(tokenFile, GitHubSimulator.DEFAULT_TOKEN);

        String done =
                cli(
                        "rollback",
                        "--produced-by",
                        "range-cli@1",
                        "--repo",
                        REPO,
                        "--from",
                        scenario.from().toString(),
                        "--to",
                        scenario.to().toString(),
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--github-api-url",
                        github.baseUrl(),
                        "--github-token-file",
                        tokenFile.toString());

        assertThat(done).startsWith("0\n").contains("2 action(s)");
        for (ActionRecord undone : scenario.inRange()) {
            assertThat(done).contains(undone.actionId());
        }
        for (ActionRecord kept : scenario.leftAlone()) {
            assertThat(done).doesNotContain(kept.actionId());
        }
        assertOnlyTheRangeWasUndone(scenario);
    }

    private static HttpResponse<String> admin(String method, String path, String body)
            throws Exception {
        return AdminApi.send(executor.adminPort(), method, path, ADMIN_TOKEN, body);
    }

    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        PrintWriter writer = new PrintWriter(out);
        picocli.CommandLine cli = ExecutorMain.commandLine();
        cli.setOut(writer);
        cli.setErr(writer);
        int code = cli.execute(args);
        writer.flush();
        return code + "\n" + out;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
