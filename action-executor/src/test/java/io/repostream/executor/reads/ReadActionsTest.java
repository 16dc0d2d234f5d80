package io.repostream.executor.reads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.executor.ActionExecutor;
import io.repostream.executor.support.Actions;
import io.repostream.executor.support.ExecutorConfigs;
import io.repostream.executor.support.ExecutorProcess;
import io.repostream.executor.support.KafkaTopics;
import io.repostream.executor.support.Policies;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.TypedTarget;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads as actions through the broker and the simulator: the result comes back on {@code
 * github.events.v1} as an enrichment event keyed by repo and correlated by the read's action id,
 * the read is audited {@code read}, a second read of the same resource is conditional and reuses a
 * 304, a refusal comes back as a result too, and a read replayed after a restart writes nothing
 * twice.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReadActionsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String RULE = "slash-commands@1";

    private static EmbeddedKafkaBroker kafka;
    private static GitHubSimulator github;
    private static KafkaTopics topics;
    private static String group;
    private static ActionExecutor executor;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) {
        kafka = broker;
        github = simulator;
        github.removeLimits();
        topics = new KafkaTopics(kafka);
        group = "reads-" + UUID.randomUUID();
        executor = ActionExecutor.start(ExecutorConfigs.forSimulator(kafka, github, group));
        await().atMost(WAIT).until(executor::ready);
    }

    @AfterAll
    static void stop() {
        executor.close();
        topics.close();
    }

    private static String newRepo() {
        String repo = "acme/reads-" + UUID.randomUUID().toString().substring(0, 8);
        github.createRepo(repo);
        topics.send(Policies.everyActionType(repo, 1000));
        return repo;
    }

    private static ActionRecord permissionOf(String repo, int issue, String username) {
        return Actions.builder(
                        ActionType.READ_COLLABORATOR_PERMISSION,
                        repo,
                        issue,
                        Actions.params().put("username", username))
                .id(RULE + ":" + repo + "#" + issue + ":" + UUID.randomUUID())
                .producedBy(RULE)
                .build();
    }

    private static ActionRecord fileOn(String repo, String branch, String path) {
        TypedTarget ref = TypedTarget.ref("refs/heads/" + branch);
        return Actions.builder(
                        ActionType.READ_FILE,
                        repo,
                        ref.legacyTarget(),
                        Actions.params().put("path", path))
                .on(ref)
                .id(RULE + ":" + repo + ":" + path + ":" + UUID.randomUUID())
                .producedBy(RULE)
                .build();
    }

    private static ActionRecord logOf(String repo, long runId, long jobId) {
        return Actions.builder(
                        ActionType.READ_JOB_LOG,
                        repo,
                        runId,
                        Actions.params().put("job_id", jobId).put("workflow", "CI"))
                .on(TypedTarget.workflowRun(runId))
                .id("ci-classifier@1:" + repo + ":job-" + jobId + ":" + UUID.randomUUID())
                .producedBy("ci-classifier@1")
                .build();
    }

    private static ActionRecord compareOn(String repo, String branch, String base, String head) {
        TypedTarget ref = TypedTarget.ref("refs/heads/" + branch);
        return Actions.builder(
                        ActionType.READ_COMPARE,
                        repo,
                        ref.legacyTarget(),
                        Actions.params().put("base", base).put("head", head))
                .on(ref)
                .id("completion@1:" + repo + ":compare:" + UUID.randomUUID())
                .producedBy("completion@1")
                .build();
    }

    /** Every enrichment event of {@code repo} so far (read_committed). */
    private static List<GitHubEvent> results(String repo, int atLeast) {
        return kafka.consume(Topics.EVENTS, Math.max(1, atLeast), WAIT).stream()
                .map(r -> r.value())
                .filter(e -> repo.equals(e.repo()))
                .toList();
    }

    private static GitHubEvent resultOf(ActionRecord read) {
        return await().atMost(WAIT)
                .until(
                        () ->
                                results(read.repo(), 1).stream()
                                        .filter(
                                                e ->
                                                        e.eventId()
                                                                .equals(
                                                                        "enrichment:"
                                                                                + read.actionId()))
                                        .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
    }

    static Stream<Arguments> roles() {
        return Stream.of(
                Arguments.of("read", "read"),
                Arguments.of("triage", "read"),
                Arguments.of("write", "write"),
                Arguments.of("maintain", "write"),
                Arguments.of("admin", "admin"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roles")
    void theResultComesBackAsAnEnrichmentEventForTheRuleThatAsked(String role, String legacy) {
        String repo = newRepo();
        int issue = github.createIssue(repo, "Hi", "", "alice");
        github.setCollaborator(repo, "carol", role);
        ActionRecord read = permissionOf(repo, issue, "carol");

        topics.send(read);

        AuditRecord audit = topics.awaitAudit(read.actionId(), AuditOutcome.READ, WAIT);
        GitHubEvent result = resultOf(read);
        JsonNode e = result.payload().path("enrichment");
        assertThat(result.source()).isEqualTo(EventSource.ENRICHMENT);
        assertThat(result.key()).isEqualTo(repo);
        assertThat(result.type()).isEqualTo("read_collaborator_permission");
        assertThat(result.payload().path("issue").path("number").asInt()).isEqualTo(issue);
        assertThat(e.path("action_id").asText()).isEqualTo(read.actionId());
        assertThat(e.path("requested_by").asText()).isEqualTo(RULE);
        assertThat(e.path("outcome").asText()).isEqualTo("read");
        assertThat(e.path("result").path("role_name").asText()).isEqualTo(role);
        assertThat(e.path("result").path("permission").asText()).isEqualTo(legacy);
        assertThat(audit.githubStatus()).isEqualTo(200);
        assertThat(audit.before()).isNull();
        assertThat(topics.snapshots(read.actionId())).isEmpty();
    }

    @Test
    void aSecondReadOfTheSameResourceIsConditionalAndReusesTheCachedAnswerOnA304() {
        String repo = newRepo();
        int issue = github.createIssue(repo, "Hi", "", "alice");
        github.setCollaborator(repo, "dora", "triage");
        ActionRecord first = permissionOf(repo, issue, "dora");
        ActionRecord second = permissionOf(repo, issue, "Dora");
        double cachedBefore = readCount(ReadMetrics.Result.CACHED);

        topics.send(first);
        topics.awaitAudit(first.actionId(), AuditOutcome.READ, WAIT);
        topics.send(second);
        AuditRecord again = topics.awaitAudit(second.actionId(), AuditOutcome.READ, WAIT);

        JsonNode e = resultOf(second).payload().path("enrichment");
        assertThat(again.githubStatus()).isEqualTo(304);
        assertThat(e.path("from_cache").asBoolean()).isTrue();
        assertThat(e.path("result").path("role_name").asText()).isEqualTo("triage");
        assertThat(readCount(ReadMetrics.Result.CACHED)).isEqualTo(cachedBefore + 1);
    }

    @Test
    void aRefusedReadComesBackAsAFailedResultSoTheRuleIsNotLeftWaiting() {
        String repo = newRepo();
        int issue = github.createIssue(repo, "Hi", "", "alice");
        ActionRecord unknown = permissionOf(repo, issue, "nobody-at-all");
        ActionRecord invalid = permissionOf(repo, issue, "not a login");

        topics.send(unknown);
        topics.send(invalid);

        AuditRecord notFound = topics.awaitAudit(unknown.actionId(), AuditOutcome.FAILED, WAIT);
        AuditRecord refused = topics.awaitAudit(invalid.actionId(), AuditOutcome.FAILED, WAIT);
        assertThat(notFound.githubStatus()).isEqualTo(404);
        assertThat(resultOf(unknown).payload().path("enrichment").path("status").asInt())
                .isEqualTo(404);
        assertThat(resultOf(invalid).payload().path("enrichment").path("outcome").asText())
                .isEqualTo("failed");
        assertThat(refused.error()).startsWith("invalid read: params.username");
        assertThat(github.requests()).noneMatch(r -> r.contains("not a login"));
    }

    @Test
    void aFileReadComesBackWithGitHubsContentObjectAndItsTextDecoded() {
        String repo = newRepo();
        github.createBranch(repo, "release", "main");
        String text = "* @acme/core\n" + "docs/ @acme/writers # ü\n".repeat(8);
        github.putFile(repo, "release", ".github/CODEOWNERS", text);
        ActionRecord read = fileOn(repo, "release", ".github/CODEOWNERS");

        topics.send(read);

        AuditRecord audit = topics.awaitAudit(read.actionId(), AuditOutcome.READ, WAIT);
        GitHubEvent result = resultOf(read);
        JsonNode file = result.payload().path("enrichment").path("result");
        assertThat(result.type()).isEqualTo("read_file");
        assertThat(result.key()).isEqualTo(repo);
        assertThat(audit.githubStatus()).isEqualTo(200);
        assertThat(file.path("type").asText()).isEqualTo("file");
        assertThat(file.path("path").asText()).isEqualTo(".github/CODEOWNERS");
        assertThat(file.path("encoding").asText()).isEqualTo("base64");
        assertThat(file.path("content").asText()).contains("\n");
        assertThat(file.path("sha").asText()).hasSize(40);
        assertThat(file.path("text").asText()).isEqualTo(text);
        assertThat(github.requests())
                .anyMatch(r -> r.contains("/contents/.github/CODEOWNERS?ref=release"));
        assertThat(topics.snapshots(read.actionId())).isEmpty();
    }

    @Test
    void aSecondFileReadIsServedFromTheETagAndAChangedFileReadAgain() {
        String repo = newRepo();
        github.putFile(repo, "main", "repostream.yml", "sla: {}\n");
        ActionRecord first = fileOn(repo, "main", "repostream.yml");
        ActionRecord second = fileOn(repo, "main", "repostream.yml");
        ActionRecord afterChange = fileOn(repo, "main", "repostream.yml");
        double cachedBefore = readCount(ActionType.READ_FILE, ReadMetrics.Result.CACHED);

        topics.send(first);
        topics.awaitAudit(first.actionId(), AuditOutcome.READ, WAIT);
        topics.send(second);
        AuditRecord again = topics.awaitAudit(second.actionId(), AuditOutcome.READ, WAIT);
        github.putFile(repo, "main", "repostream.yml", "sla: {first_response: PT4H}\n");
        topics.send(afterChange);
        AuditRecord changed = topics.awaitAudit(afterChange.actionId(), AuditOutcome.READ, WAIT);

        JsonNode cached = resultOf(second).payload().path("enrichment");
        assertThat(again.githubStatus()).isEqualTo(304);
        assertThat(cached.path("from_cache").asBoolean()).isTrue();
        assertThat(cached.path("result").path("text").asText()).isEqualTo("sla: {}\n");
        assertThat(readCount(ActionType.READ_FILE, ReadMetrics.Result.CACHED))
                .isEqualTo(cachedBefore + 1);
        JsonNode fresh = resultOf(afterChange).payload().path("enrichment");
        assertThat(changed.githubStatus()).isEqualTo(200);
        assertThat(fresh.path("from_cache").asBoolean()).isFalse();
        assertThat(fresh.path("result").path("text").asText())
                .isEqualTo("sla: {first_response: PT4H}\n");
    }

    @Test
    void aFileReadOnTheDefaultBranchTargetAsksWithoutARefAndGitHubReadsTheDefaultBranch() {
        String repo = newRepo();
        github.putFile(repo, "main", ".github/repostream.yml", "triage: {}\n");
        ActionRecord read = fileOn(repo, "HEAD", ".github/repostream.yml");
        assertThat(read.typedTarget().id()).isEqualTo(FileRead.DEFAULT_BRANCH);

        topics.send(read);
        topics.awaitAudit(read.actionId(), AuditOutcome.READ, WAIT);

        JsonNode e = resultOf(read).payload().path("enrichment");
        assertThat(e.path("result").path("text").asText()).isEqualTo("triage: {}\n");
        assertThat(github.requests())
                .anyMatch(r -> r.contains(repo + "/contents/.github/repostream.yml 200"))
                .noneMatch(r -> r.contains(repo + "/contents/.github/repostream.yml?ref="));
    }

    @Test
    void aComparisonComesBackWithItsCommitsAndFilesAndASecondIsServedFromTheETag() {
        String repo = newRepo();
        String base = github.branchSha(repo, "main");
        github.createBranch(repo, "release/1.0", "main");
        String fix = github.commit(repo, "release/1.0", "Fix the login\n\nFixes #12", "src/a.js");
        github.commit(repo, "release/1.0", "Test it", "test/a.test.js");
        String head = github.branchSha(repo, "release/1.0");
        ActionRecord first = compareOn(repo, "release/1.0", base, head);
        ActionRecord second = compareOn(repo, "release/1.0", base, head);
        ActionRecord backwards = compareOn(repo, "main", head, "main");
        double cachedBefore = readCount(ActionType.READ_COMPARE, ReadMetrics.Result.CACHED);

        topics.send(first);
        AuditRecord read = topics.awaitAudit(first.actionId(), AuditOutcome.READ, WAIT);
        topics.send(second);
        AuditRecord again = topics.awaitAudit(second.actionId(), AuditOutcome.READ, WAIT);
        topics.send(backwards);
        topics.awaitAudit(backwards.actionId(), AuditOutcome.READ, WAIT);

        GitHubEvent result = resultOf(first);
        JsonNode comparison = result.payload().path("enrichment").path("result");
        assertThat(result.type()).isEqualTo("read_compare");
        assertThat(read.githubStatus()).isEqualTo(200);
        assertThat(comparison.path("status").asText()).isEqualTo("ahead");
        assertThat(comparison.path("ahead_by").asInt()).isEqualTo(2);
        assertThat(comparison.path("commits").get(0).path("sha").asText()).isEqualTo(fix);
        assertThat(comparison.path("commits").get(0).path("message").asText())
                .isEqualTo("Fix the login\n\nFixes #12");
        assertThat(comparison.path("files").findValuesAsText("filename"))
                .containsExactlyInAnyOrder("src/a.js", "test/a.test.js");
        assertThat(comparison.path("files").findValues("patch")).isEmpty();
        assertThat(again.githubStatus()).isEqualTo(304);
        assertThat(resultOf(second).payload().path("enrichment").path("from_cache").asBoolean())
                .isTrue();
        assertThat(readCount(ActionType.READ_COMPARE, ReadMetrics.Result.CACHED))
                .isEqualTo(cachedBefore + 1);
        assertThat(
                        resultOf(backwards)
                                .payload()
                                .path("enrichment")
                                .path("result")
                                .path("status")
                                .asText())
                .isEqualTo("behind");
        assertThat(github.requests()).anyMatch(r -> r.contains("/compare/" + base + "..." + head));
        assertThat(topics.snapshots(first.actionId())).isEmpty();
    }

    @Test
    void aComparisonOfAnUnknownCommitIsAFailedReadWithGitHubs404() {
        String repo = newRepo();
        ActionRecord unknown =
                compareOn(repo, "main", "main", "0000000000000000000000000000000000000001");

        topics.send(unknown);

        AuditRecord failed = topics.awaitAudit(unknown.actionId(), AuditOutcome.FAILED, WAIT);
        JsonNode e = resultOf(unknown).payload().path("enrichment");
        assertThat(failed.githubStatus()).isEqualTo(404);
        assertThat(e.path("status").asInt()).isEqualTo(404);
        assertThat(e.has("result")).isFalse();
    }

    @Test
    void aMissingFileIsAFailedReadWithGitHubs404AndABadPathIsNeverSent() {
        String repo = newRepo();
        ActionRecord missing = fileOn(repo, "main", ".github/CODEOWNERS");
        ActionRecord outside = fileOn(repo, "main", "../secrets");

        topics.send(missing);
        topics.send(outside);

        AuditRecord notFound = topics.awaitAudit(missing.actionId(), AuditOutcome.FAILED, WAIT);
        AuditRecord refused = topics.awaitAudit(outside.actionId(), AuditOutcome.FAILED, WAIT);
        JsonNode e = resultOf(missing).payload().path("enrichment");
        assertThat(notFound.githubStatus()).isEqualTo(404);
        assertThat(e.path("outcome").asText()).isEqualTo("failed");
        assertThat(e.path("status").asInt()).isEqualTo(404);
        assertThat(e.has("result")).isFalse();
        assertThat(refused.error()).startsWith("invalid read: params.path");
        assertThat(github.requests()).noneMatch(r -> r.contains("secrets"));
    }

    @Test
    void aJobLogComesBackAsTheFailingStepsErrorLinesWithSecretsMaskedNeverAsTheLog() {
        String repo = newRepo();
        long run = github.createWorkflowRun(repo, 7, "b".repeat(40), "completed", "failure");
        long job = github.addJob(repo, run, "test", "completed", "failure");
        String token = "ghp_" + "A1b2C3d4E5".repeat(4);
        String log =
                String.join(
                        "\n",
                        "2026-12-07T10:00:00.0000000Z ##[group]Run actions/checkout@v4",
                        "2026-12-07T10:00:00.1000000Z ##[endgroup]",
                        "2026-12-07T10:00:01.0000000Z ##[group]Run mvn -B verify",
                        "2026-12-07T10:00:01.1000000Z mvn -B verify",
                        "2026-12-07T10:00:01.2000000Z ##[endgroup]",
                        "2026-12-07T10:00:02.0000000Z [INFO] Building widgets 1.0",
                        "2026-12-07T10:00:02.5000000Z [INFO] cloning https://bot:"
                                + token
                                + "@github.com/acme/widgets",
                        "2026-12-07T10:00:03.0000000Z [ERROR] com.acme.WidgetTest.spins  Time"
                                + " elapsed: 0.2 s  <<< FAILURE!",
                        "2026-12-07T10:00:03.1000000Z java.lang.AssertionError: expected 3 but"
                                + " was 2 (token="
                                + token
                                + ")",
                        "2026-12-07T10:00:04.0000000Z ##[error]Process completed with exit code"
                                + " 1.",
                        "2026-12-07T10:00:05.0000000Z Post job cleanup.");
        github.setJobLog(repo, job, log);
        ActionRecord read = logOf(repo, run, job);

        topics.send(read);

        AuditRecord audit = topics.awaitAudit(read.actionId(), AuditOutcome.READ, WAIT);
        GitHubEvent result = resultOf(read);
        JsonNode excerpt = result.payload().path("enrichment").path("result");
        assertThat(result.type()).isEqualTo("read_job_log");
        assertThat(audit.githubStatus()).isEqualTo(302);
        assertThat(excerpt.path("job_id").asLong()).isEqualTo(job);
        assertThat(excerpt.path("step").asText()).isEqualTo("mvn -B verify");
        assertThat(excerpt.path("excerpt").asText())
                .contains("com.acme.WidgetTest.spins")
                .contains("expected 3 but was 2")
                .contains("##[error]Process completed with exit code 1.")
                .doesNotContain("Building widgets")
                .doesNotContain("Post job cleanup");
        assertThat(excerpt.path("failed_tests").get(0).asText())
                .isEqualTo("com.acme.WidgetTest.spins");
        assertThat(excerpt.path("bytes").asLong()).isEqualTo(log.length());
        assertThat(excerpt.path("truncated").asBoolean()).isFalse();
        // no secret anywhere in what reached Kafka, and no signed download URL either
        String written =
                new String(
                        Topics.EVENTS.valueCodec().encode(result),
                        java.nio.charset.StandardCharsets.UTF_8);
        assertThat(written).doesNotContain(token).doesNotContain("urlSignature");
        assertThat(excerpt.path("redactions").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(topics.snapshots(read.actionId())).isEmpty();
    }

    @Test
    void aJobWithoutALogIsAFailedReadWithGitHubs404() {
        String repo = newRepo();
        long run = github.createWorkflowRun(repo, 7, "c".repeat(40), "completed", "failure");
        long job = github.addJob(repo, run, "test", "completed", "failure");
        ActionRecord read = logOf(repo, run, job);

        topics.send(read);

        AuditRecord failed = topics.awaitAudit(read.actionId(), AuditOutcome.FAILED, WAIT);
        assertThat(failed.githubStatus()).isEqualTo(404);
        assertThat(resultOf(read).payload().path("enrichment").path("status").asInt())
                .isEqualTo(404);
    }

    @Test
    void aReadReplayedAfterARestartIsNotReadOrWrittenAgain() {
        String repo = newRepo();
        int issue = github.createIssue(repo, "Hi", "", "alice");
        github.setCollaborator(repo, "erin", "write");
        ActionRecord read = permissionOf(repo, issue, "erin");
        topics.send(read);
        topics.awaitAudit(read.actionId(), AuditOutcome.READ, WAIT);

        executor.close();
        executor = ActionExecutor.start(ExecutorConfigs.forSimulator(kafka, github, group));
        await().atMost(WAIT).until(executor::ready);
        long requestsBefore = github.requestCount();
        topics.send(read);

        topics.awaitAudit(read.actionId(), AuditOutcome.SKIPPED_DUPLICATE, WAIT);
        assertThat(results(repo, 1))
                .filteredOn(e -> e.eventId().equals("enrichment:" + read.actionId()))
                .hasSize(1);
        assertThat(topics.audits(read.actionId()))
                .extracting(AuditRecord::outcome)
                .containsExactly(AuditOutcome.READ, AuditOutcome.SKIPPED_DUPLICATE);
        assertThat(github.requestCount()).isEqualTo(requestsBefore);
    }

    @Test
    void aReadCutShortByAKillIsReadAgainAfterTheRestartAndItsResultWrittenOnce() throws Exception {
        String repo = newRepo();
        int issue = github.createIssue(repo, "Hi", "", "alice");
        github.setCollaborator(repo, "fred", "maintain");
        ActionRecord read = permissionOf(repo, issue, "fred");
        Path tokenFile = Files.createTempFile("gh-token", ".txt");
        Files.writeString(tokenFile, GitHubSimulator.DEFAULT_TOKEN);
        String crashGroup = "reads-kill9-" + UUID.randomUUID();
        List<String> args =
                List.of(
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--github-api-url",
                        github.baseUrl(),
                        "--github-token-file",
                        tokenFile.toString(),
                        "--group-id",
                        crashGroup,
                        "--instance-id",
                        crashGroup + "-0",
                        "--admin-port",
                        "-1",
                        "--write-spacing",
                        "PT0S");
        // the class's executor (another group) would read it too: only the crashing one may
        executor.close();
        github.setResponseDelay(Duration.ofSeconds(20));
        github.resetMaxConcurrentRequests();
        try (ExecutorProcess process =
                ExecutorProcess.start(args, Path.of("target", "reads-kill9-executor.log"))) {
            topics.send(read);
            // GitHub has the read and has not answered: the executor dies in the middle of it
            await().atMost(Duration.ofSeconds(60)).until(() -> github.maxConcurrentRequests() >= 1);
            process.kill();
        } finally {
            github.setResponseDelay(Duration.ZERO);
        }
        assertThat(topics.audits(read.actionId())).isEmpty();

        try (ActionExecutor restarted =
                ActionExecutor.start(
                        ExecutorConfigs.forSimulator(kafka, github, crashGroup)
                                .withInstanceId(crashGroup + "-0"))) {
            topics.awaitAudit(read.actionId(), AuditOutcome.READ, WAIT);
        }

        assertThat(results(repo, 1))
                .filteredOn(e -> e.eventId().equals("enrichment:" + read.actionId()))
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(
                                                e.payload()
                                                        .path("enrichment")
                                                        .path("result")
                                                        .path("role_name")
                                                        .asText())
                                        .isEqualTo("maintain"));
        assertThat(topics.audits(read.actionId()))
                .extracting(AuditRecord::outcome)
                .containsExactly(AuditOutcome.READ);
        executor = ActionExecutor.start(ExecutorConfigs.forSimulator(kafka, github, group));
        await().atMost(WAIT).until(executor::ready);
    }

    private static double readCount(ReadMetrics.Result result) {
        return readCount(ActionType.READ_COLLABORATOR_PERMISSION, result);
    }

    private static double readCount(ActionType type, ReadMetrics.Result result) {
        String line =
                executor.metrics()
                        .scrape()
                        .lines()
                        .filter(
                                l ->
                                        l.startsWith("repostream_executor_reads_total{")
                                                && l.contains(
                                                        "read_type=\"" + type.wireName() + "\"")
                                                && l.contains("result=\"" + result.label + "\""))
                        .findFirst()
                        .orElseThrow();
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
