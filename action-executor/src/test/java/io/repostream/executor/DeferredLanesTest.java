package io.repostream.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.repostream.executor.support.Actions;
import io.repostream.executor.support.ExecutorConfigs;
import io.repostream.executor.support.KafkaTopics;
import io.repostream.executor.support.Policies;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An action that is not due yet holds only the lane of its target: another repo's action on the
 * same partition of the actions topic is applied at once, and the offset committed stays below the
 * action held, so that a restart still applies it, once.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeferredLanesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static EmbeddedKafkaBroker kafka;
    private static GitHubSimulator github;
    private static KafkaTopics topics;

    private static final long APP_ID = 41;
    private static String privateKeyPem;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) throws Exception {
        kafka = broker;
        github = simulator;
        github.removeLimits();
        topics = new KafkaTopics(kafka);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        github.registerApp(APP_ID, keys.getPublic());
        privateKeyPem =
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(keys.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n";
    }

    @AfterAll
    static void stop() {
        topics.close();
    }

    /** Two repos whose actions land on the same partition of the actions topic. */
    private record SamePartition(String a, String b) {
        static SamePartition pick() {
            String prefix = "acme/lanes-" + UUID.randomUUID().toString().substring(0, 8);
            String a = prefix + "-a";
            for (int i = 0; ; i++) {
                String b = prefix + "-b" + i;
                if (partitionOf(a) == partitionOf(b)) {
                    return new SamePartition(a, b);
                }
            }
        }

        /** What Kafka's producer does with a keyed record (the actions topic is keyed by repo). */
        private static int partitionOf(String repo) {
            byte[] key = repo.getBytes(StandardCharsets.UTF_8);
            return Utils.toPositive(Utils.murmur2(key)) % Topics.ACTIONS.defaultPartitions();
        }

        void create() {
            for (String repo : new String[] {a, b}) {
                github.createRepo(repo);
                topics.send(Policies.everyActionType(repo, 1000));
            }
        }
    }

    private static ActionExecutor startExecutor(String group) {
        ActionExecutor executor =
                ActionExecutor.start(ExecutorConfigs.forSimulator(kafka, github, group));
        await().atMost(WAIT).until(executor::ready);
        return executor;
    }

    private static ActionRecord rerun(String repo, Instant notBefore) {
        long run =
                github.createWorkflowRun(
                        repo,
                        7,
                        "0123456789abcdef0123456789abcdef01234567",
                        "completed",
                        "failure");
        return Actions.builder(ActionType.RERUN_FAILED_JOBS, repo, run, Actions.params())
                .notBefore(notBefore)
                .build();
    }

    private static ActionRecord breachLabel(String repo) {
        int issue = github.createIssue(repo, "No answer", "Waiting.", "alice");
        return Actions.addLabels(repo, issue, "sla-breached");
    }

    @Test
    void aRerunDeferredTenMinutesDoesNotHoldUpAnotherReposBreachLabelOnItsPartition() {
        SamePartition repos = SamePartition.pick();
        repos.create();
        ActionRecord rerun = rerun(repos.a(), Instant.now().plus(Duration.ofMinutes(10)));
        ActionRecord breach = breachLabel(repos.b());
        try (ActionExecutor executor = startExecutor("lanes-" + UUID.randomUUID())) {
            topics.send(rerun);
            Instant sent = Instant.now();
            topics.send(breach);

            AuditRecord applied = topics.awaitAudit(breach.actionId(), AuditOutcome.APPLIED, WAIT);
            assertThat(Duration.between(sent, applied.startedAt()))
                    .isLessThan(Duration.ofSeconds(1));
            assertThat(github.labels(repos.b(), (int) breach.target()))
                    .containsExactly("sla-breached");
            assertThat(topics.audits(rerun.actionId())).isEmpty();
            // the gauge is refreshed with each commit; another test's held actions may count too
            await().atMost(WAIT).until(() -> executor.metrics().deferredHeld() >= 1);
            assertThat(executor.metrics().scrape())
                    .contains("repostream_executor_deferred_oldest_seconds")
                    .contains("repostream_executor_deferred_overdue_seconds");
        }
    }

    @Test
    void keepsTheOrderOfOneTargetsActionsBehindOneThatIsNotDue() {
        SamePartition repos = SamePartition.pick();
        repos.create();
        int issue = github.createIssue(repos.a(), "Flaky", "Flaky.", "alice");
        Instant due = Instant.now().plusSeconds(3);
        ActionRecord first =
                Actions.builder(
                                ActionType.ADD_LABELS,
                                repos.a(),
                                issue,
                                Actions.names("labels", "first"))
                        .notBefore(due)
                        .build();
        ActionRecord second = Actions.addLabels(repos.a(), issue, "second");
        ActionRecord other = breachLabel(repos.b());
        try (ActionExecutor executor = startExecutor("lanes-" + UUID.randomUUID())) {
            topics.send(first);
            topics.send(second);
            topics.send(other);

            AuditRecord otherApplied =
                    topics.awaitAudit(other.actionId(), AuditOutcome.APPLIED, WAIT);
            AuditRecord firstApplied =
                    topics.awaitAudit(first.actionId(), AuditOutcome.APPLIED, WAIT);
            AuditRecord secondApplied =
                    topics.awaitAudit(second.actionId(), AuditOutcome.APPLIED, WAIT);
            assertThat(otherApplied.finishedAt()).isBefore(due);
            assertThat(firstApplied.startedAt()).isAfterOrEqualTo(due);
            assertThat(secondApplied.startedAt()).isAfterOrEqualTo(firstApplied.finishedAt());
            assertThat(secondApplied.before().labels()).containsExactly("first");
        }
    }

    @Test
    void aRestartWhileAnActionIsDeferredAppliesItOnceWhenDueAndTheOthersNotAgain() {
        SamePartition repos = SamePartition.pick();
        repos.create();
        String group = "lanes-" + UUID.randomUUID();
        Instant due = Instant.now().plusSeconds(8);
        ActionRecord rerun = rerun(repos.a(), due);
        ActionRecord breach = breachLabel(repos.b());
        try (ActionExecutor first = startExecutor(group)) {
            topics.send(rerun);
            topics.send(breach);
            topics.awaitAudit(breach.actionId(), AuditOutcome.APPLIED, WAIT);
        }
        // the first executor stopped before the rerun was due: its offset was not committed
        assertThat(topics.audits(rerun.actionId())).isEmpty();
        try (ActionExecutor second = startExecutor(group)) {
            AuditRecord applied =
                    topics.awaitAudit(rerun.actionId(), AuditOutcome.APPLIED, WAIT.plusSeconds(10));
            assertThat(applied.startedAt()).isAfterOrEqualTo(due);
            topics.awaitAudit(breach.actionId(), AuditOutcome.SKIPPED_DUPLICATE, WAIT);
            topics.drain(Duration.ofMillis(500));
        }
        assertThat(topics.audits(rerun.actionId()))
                .extracting(AuditRecord::outcome)
                .containsExactly(AuditOutcome.APPLIED);
        assertThat(topics.audits(breach.actionId()))
                .extracting(AuditRecord::outcome)
                .containsExactly(AuditOutcome.APPLIED, AuditOutcome.SKIPPED_DUPLICATE);
        assertThat(github.mutations())
                .filteredOn(m -> m.startsWith(repos.b() + "#"))
                .containsExactly(repos.b() + "#" + breach.target() + ":+label:sla-breached");
    }

    @Test
    void anotherInstallationGoesOnWhileOneWaitsOutARateLimit() {
        SamePartition repos = SamePartition.pick();
        repos.create();
        github.installApp(APP_ID, 3501, repos.a());
        github.installApp(APP_ID, 3502, repos.b());
        // two workers: actions waiting out the limit in them would hold up everything
        ExecutorConfig config =
                ExecutorConfig.forGitHubApp(
                                kafka.bootstrapServers(), github.baseUrl(), APP_ID, privateKeyPem)
                        .withGroupId("lanes-" + UUID.randomUUID())
                        .withoutPacing()
                        .withMaxConcurrentRequests(2)
                        .withRetries(2, Duration.ofMillis(10), Duration.ofMinutes(1));
        ActionRecord first = onA(repos, "first");
        ActionRecord next = onA(repos, "next");
        github.limitNext(429, 6, "/repos/" + repos.a() + "/issues/" + first.target());
        ActionRecord other =
                Actions.builder(
                                ActionType.ADD_LABELS,
                                repos.b(),
                                github.createIssue(repos.b(), "Late", "", "alice"),
                                Actions.names("labels", "sla-breached"))
                        .installationId(3502L)
                        .build();
        try (ActionExecutor executor = ActionExecutor.start(config)) {
            await().atMost(WAIT).until(executor::ready);
            // the first action to meet the limit is held in its lane, without a worker ...
            topics.send(first);
            awaitRateLimited(executor);
            // ... the installation's next one is held in its lane, taking no worker, and the
            // other installation's action is applied at once
            topics.send(next);
            Instant sent = Instant.now();
            topics.send(other);

            AuditRecord applied = topics.awaitAudit(other.actionId(), AuditOutcome.APPLIED, WAIT);
            assertThat(Duration.between(sent, applied.startedAt()))
                    .isLessThan(Duration.ofSeconds(2));
            topics.awaitAudit(next.actionId(), AuditOutcome.APPLIED, WAIT);
        }
        // the held action reached GitHub only after the other installation's action, although
        // it was read first and a worker was free
        List<String> requests = github.requests();
        int otherLabelled =
                indexOf(
                        requests,
                        "POST /repos/" + repos.b() + "/issues/" + other.target() + "/labels");
        int nextAsked = indexOf(requests, "/repos/" + repos.a() + "/issues/" + next.target());
        assertThat(otherLabelled).isNotNegative();
        assertThat(nextAsked).isGreaterThan(otherLabelled);
    }

    @Test
    void aLaneWhoseFirstRequestMeetsARateLimitGivesItsWorkerBackToTheOtherLanes() {
        SamePartition repos = SamePartition.pick();
        repos.create();
        github.installApp(APP_ID, 3601, repos.a());
        github.installApp(APP_ID, 3602, repos.b());
        // one worker: an action waiting out the limit in it would hold up every other lane
        ExecutorConfig config =
                ExecutorConfig.forGitHubApp(
                                kafka.bootstrapServers(), github.baseUrl(), APP_ID, privateKeyPem)
                        .withGroupId("lanes-" + UUID.randomUUID())
                        .withoutPacing()
                        .withMaxConcurrentRequests(1)
                        .withRetries(2, Duration.ofMillis(10), Duration.ofMinutes(1));
        ActionRecord first =
                Actions.builder(
                                ActionType.ADD_LABELS,
                                repos.a(),
                                github.createIssue(repos.a(), "first", "", "alice"),
                                Actions.names("labels", "first"))
                        .installationId(3601L)
                        .build();
        github.limitNext(429, 6, "/repos/" + repos.a() + "/issues/" + first.target());
        ActionRecord other =
                Actions.builder(
                                ActionType.ADD_LABELS,
                                repos.b(),
                                github.createIssue(repos.b(), "Late", "", "alice"),
                                Actions.names("labels", "sla-breached"))
                        .installationId(3602L)
                        .build();
        try (ActionExecutor executor = ActionExecutor.start(config)) {
            await().atMost(WAIT).until(executor::ready);
            topics.send(first);
            // its first request meets the limit: the action goes back to its lane, held
            awaitRateLimited(executor);
            Instant sent = Instant.now();
            topics.send(other);

            AuditRecord applied = topics.awaitAudit(other.actionId(), AuditOutcome.APPLIED, WAIT);
            assertThat(Duration.between(sent, applied.startedAt()))
                    .isLessThan(Duration.ofSeconds(2));
            assertThat(executor.metrics().scrape())
                    .contains("repostream_executor_github_rate_limit_waits 0.0");
            AuditRecord late = topics.awaitAudit(first.actionId(), AuditOutcome.APPLIED, WAIT);
            // sent again once the limit was over, and audited once
            assertThat(late.startedAt()).isAfter(applied.startedAt());
            assertThat(topics.audits(first.actionId())).hasSize(1);
        }
        assertThat(github.issue(repos.a(), (int) first.target()).labels()).contains("first");
    }

    @Test
    void anInstallationWaitingForItsNextWriteSlotLeavesTheOnlyWorkerToAnotherInstallation() {
        SamePartition repos = SamePartition.pick();
        repos.create();
        github.installApp(APP_ID, 3701, repos.a());
        github.installApp(APP_ID, 3702, repos.b());
        // one worker, and writes of one installation 4 s apart: a worker sleeping until the
        // next slot would hold up the other installation for that long
        ExecutorConfig config =
                ExecutorConfig.forGitHubApp(
                                kafka.bootstrapServers(), github.baseUrl(), APP_ID, privateKeyPem)
                        .withGroupId("lanes-" + UUID.randomUUID())
                        .withPacing(Duration.ofSeconds(4), Integer.MAX_VALUE)
                        .withMaxConcurrentRequests(1)
                        .withRetries(2, Duration.ofMillis(10), Duration.ofMinutes(1));
        ActionRecord first = labelOn(repos.a(), 3701L, "first");
        ActionRecord paced = labelOn(repos.a(), 3701L, "paced");
        ActionRecord other = labelOn(repos.b(), 3702L, "sla-breached");
        try (ActionExecutor executor = ActionExecutor.start(config)) {
            await().atMost(WAIT).until(executor::ready);
            topics.send(first);
            AuditRecord firstApplied =
                    topics.awaitAudit(first.actionId(), AuditOutcome.APPLIED, WAIT);
            topics.send(paced);
            await().atMost(WAIT)
                    .until(
                            () ->
                                    executor.metrics()
                                            .scrape()
                                            .contains(
                                                    "repostream_executor_writes_deferred_total"
                                                            + "{reason=\"pacing\"} 1.0"));
            Instant sent = Instant.now();
            topics.send(other);

            AuditRecord otherApplied =
                    topics.awaitAudit(other.actionId(), AuditOutcome.APPLIED, WAIT);
            assertThat(Duration.between(sent, otherApplied.finishedAt()))
                    .isLessThan(Duration.ofSeconds(2));
            AuditRecord pacedApplied =
                    topics.awaitAudit(paced.actionId(), AuditOutcome.APPLIED, WAIT);
            assertThat(otherApplied.finishedAt()).isBefore(pacedApplied.finishedAt());
            assertThat(Duration.between(firstApplied.finishedAt(), pacedApplied.finishedAt()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(3500));
            topics.drain(Duration.ofMillis(500));
            assertThat(topics.audits(paced.actionId())).hasSize(1);
        }
        assertThat(github.mutations())
                .filteredOn(m -> m.startsWith(repos.a() + "#"))
                .containsExactly(
                        repos.a() + "#" + first.target() + ":+label:first",
                        repos.a() + "#" + paced.target() + ":+label:paced");
    }

    static java.util.stream.Stream<Integer> rateLimitStatuses() {
        return java.util.stream.Stream.of(429, 403);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "answered {0}")
    @org.junit.jupiter.params.provider.MethodSource("rateLimitStatuses")
    void aMutationAnsweredWithASecondaryLimitIsSentAgainAfterRetryAfterWithoutHoldingAWorker(
            int status) {
        SamePartition repos = SamePartition.pick();
        repos.create();
        long installationA = 3800 + status;
        long installationB = 3900 + status;
        github.installApp(APP_ID, installationA, repos.a());
        github.installApp(APP_ID, installationB, repos.b());
        ExecutorConfig config =
                ExecutorConfig.forGitHubApp(
                                kafka.bootstrapServers(), github.baseUrl(), APP_ID, privateKeyPem)
                        .withGroupId("lanes-" + UUID.randomUUID())
                        .withoutPacing()
                        .withMaxConcurrentRequests(1)
                        .withRetries(2, Duration.ofMillis(10), Duration.ofMinutes(1));
        ActionRecord limited = labelOn(repos.a(), installationA, "limited");
        // only the mutation (POST .../labels) is refused; the read of the issue goes through
        github.limitNext(status, 3, "/issues/" + limited.target() + "/labels");
        ActionRecord other = labelOn(repos.b(), installationB, "sla-breached");
        try (ActionExecutor executor = ActionExecutor.start(config)) {
            await().atMost(WAIT).until(executor::ready);
            topics.send(limited);
            awaitRateLimited(executor);
            Instant sent = Instant.now();
            topics.send(other);

            AuditRecord otherApplied =
                    topics.awaitAudit(other.actionId(), AuditOutcome.APPLIED, WAIT);
            assertThat(Duration.between(sent, otherApplied.finishedAt()))
                    .isLessThan(Duration.ofSeconds(2));
            AuditRecord applied = topics.awaitAudit(limited.actionId(), AuditOutcome.APPLIED, WAIT);
            assertThat(otherApplied.finishedAt()).isBefore(applied.finishedAt());
            assertThat(Duration.between(applied.startedAt(), applied.finishedAt()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(2500));
            assertThat(applied.githubStatus()).isEqualTo(200);
            assertThat(executor.metrics().scrape())
                    .contains("repostream_executor_github_rate_limit_waits 0.0")
                    .contains(
                            "repostream_executor_writes_deferred_total{reason=\"rate_limit\"}"
                                    + " 1.0");
            topics.drain(Duration.ofMillis(500));
            assertThat(topics.audits(limited.actionId())).hasSize(1);
        }
        assertThat(github.mutations())
                .filteredOn(m -> m.startsWith(repos.a() + "#"))
                .containsExactly(repos.a() + "#" + limited.target() + ":+label:limited");
        String post = "POST /repos/" + repos.a() + "/issues/" + limited.target() + "/labels";
        assertThat(github.requests())
                .filteredOn(r -> r.startsWith(post))
                .containsExactly(post + " " + status, post + " 200");
    }

    @Test
    void aRollbackWaitingOnARateLimitLeavesTheOnlyWorkerToAnotherInstallation() throws Exception {
        SamePartition repos = SamePartition.pick();
        repos.create();
        github.installApp(APP_ID, 4101, repos.a());
        github.installApp(APP_ID, 4102, repos.b());
        String token = "admin-" + UUID.randomUUID();
        ExecutorConfig config =
                ExecutorConfig.forGitHubApp(
                                kafka.bootstrapServers(), github.baseUrl(), APP_ID, privateKeyPem)
                        .withGroupId("lanes-" + UUID.randomUUID())
                        .withoutPacing()
                        .withMaxConcurrentRequests(1)
                        .withRetries(2, Duration.ofMillis(10), Duration.ofMinutes(1))
                        .withAdmin(0, token);
        ActionRecord undone = labelOn(repos.a(), 4101L, "undo-me");
        ActionRecord other = labelOn(repos.b(), 4102L, "sla-breached");
        try (ActionExecutor executor = ActionExecutor.start(config)) {
            await().atMost(WAIT).until(executor::ready);
            topics.send(undone);
            topics.awaitAudit(undone.actionId(), AuditOutcome.APPLIED, WAIT);
            // the rollback's DELETE of the label is answered 429, Retry-After 3 s
            github.limitNext(429, 3, "/issues/" + undone.target() + "/labels/undo-me");
            java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>> rollback =
                    java.util.concurrent.CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return io.repostream.executor.support.AdminApi.send(
                                            executor.adminPort(),
                                            "POST",
                                            "/rollback/actions/" + undone.actionId(),
                                            token,
                                            null);
                                } catch (java.io.IOException | InterruptedException e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            await().atMost(WAIT)
                    .until(
                            () ->
                                    executor.metrics()
                                            .scrape()
                                            .contains(
                                                    "repostream_executor_writes_deferred_total"
                                                            + "{reason=\"rollback\"} 1.0"));
            Instant sent = Instant.now();
            topics.send(other);

            AuditRecord otherApplied =
                    topics.awaitAudit(other.actionId(), AuditOutcome.APPLIED, WAIT);
            assertThat(Duration.between(sent, otherApplied.finishedAt()))
                    .isLessThan(Duration.ofSeconds(2));
            // nothing waits out the limit in a thread: the rollback waits on a timer
            assertThat(executor.metrics().scrape())
                    .contains("repostream_executor_github_rate_limit_waits 0.0");
            java.net.http.HttpResponse<String> answer = rollback.get(30, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("ROLLED_BACK");
            AuditRecord rolledBack =
                    topics.awaitAudit(undone.actionId(), AuditOutcome.ROLLED_BACK, WAIT);
            assertThat(otherApplied.finishedAt()).isBefore(rolledBack.finishedAt());
        }
        assertThat(github.issue(repos.a(), (int) undone.target()).labels())
                .doesNotContain("undo-me");
        String delete =
                "DELETE /repos/" + repos.a() + "/issues/" + undone.target() + "/labels/undo-me";
        assertThat(github.requests())
                .filteredOn(r -> r.startsWith(delete))
                .containsExactly(delete + " 429", delete + " 200");
    }

    @Test
    void anUndoOfSeveralRequestsLimitedAfterItsFirstLeavesTheOnlyWorkerAndSendsOnlyTheRest()
            throws Exception {
        SamePartition repos = SamePartition.pick();
        repos.create();
        github.installApp(APP_ID, 4103, repos.a());
        github.installApp(APP_ID, 4104, repos.b());
        ExecutorConfig config =
                ExecutorConfig.forGitHubApp(
                                kafka.bootstrapServers(), github.baseUrl(), APP_ID, privateKeyPem)
                        .withGroupId("lanes-" + UUID.randomUUID())
                        .withoutPacing()
                        .withMaxConcurrentRequests(1)
                        .withRetries(2, Duration.ofMillis(10), Duration.ofMinutes(1));
        int issue = github.createIssue(repos.a(), "two labels", "", "alice");
        ActionRecord undone =
                Actions.builder(
                                ActionType.ADD_LABELS,
                                repos.a(),
                                issue,
                                Actions.names("labels", "undo-a", "undo-b"))
                        .installationId(4103L)
                        .build();
        ActionRecord other = labelOn(repos.b(), 4104L, "sla-breached");
        try (ActionExecutor executor = ActionExecutor.start(config)) {
            await().atMost(WAIT).until(executor::ready);
            topics.send(undone);
            topics.awaitAudit(undone.actionId(), AuditOutcome.APPLIED, WAIT);
            // the undo's first DELETE goes through; its second is answered 429, Retry-After 3 s
            github.limitNext(429, 3, "/issues/" + issue + "/labels/undo-b");
            java.util.concurrent.CompletableFuture<io.repostream.executor.rollback.RollbackResult>
                    rollback =
                            executor.rollbackLater(undone.actionId(), false, "alice")
                                    .toCompletableFuture();
            await().atMost(WAIT)
                    .until(
                            () ->
                                    executor.metrics()
                                            .scrape()
                                            .contains(
                                                    "repostream_executor_writes_deferred_total"
                                                            + "{reason=\"rollback\"} 1.0"));
            Instant sent = Instant.now();
            topics.send(other);

            AuditRecord otherApplied =
                    topics.awaitAudit(other.actionId(), AuditOutcome.APPLIED, WAIT);
            assertThat(Duration.between(sent, otherApplied.finishedAt()))
                    .isLessThan(Duration.ofSeconds(2));
            assertThat(executor.metrics().scrape())
                    .contains("repostream_executor_github_rate_limit_waits 0.0");
            assertThat(rollback.get(30, TimeUnit.SECONDS).status())
                    .isEqualTo(io.repostream.executor.rollback.RollbackResult.Status.ROLLED_BACK);
            AuditRecord rolledBack =
                    topics.awaitAudit(undone.actionId(), AuditOutcome.ROLLED_BACK, WAIT);
            assertThat(otherApplied.finishedAt()).isBefore(rolledBack.finishedAt());
            assertThat(rolledBack.after().labels()).doesNotContain("undo-a", "undo-b");
        }
        assertThat(github.issue(repos.a(), issue).labels()).doesNotContain("undo-a", "undo-b");
        String delete = "DELETE /repos/" + repos.a() + "/issues/" + issue + "/labels/";
        // the first request is not sent again when the rest is
        assertThat(github.requests())
                .filteredOn(r -> r.startsWith(delete))
                .containsExactly(
                        delete + "undo-a 200", delete + "undo-b 429", delete + "undo-b 200");
    }

    private static ActionRecord labelOn(String repo, long installation, String label) {
        int issue = github.createIssue(repo, label, "", "alice");
        return Actions.builder(ActionType.ADD_LABELS, repo, issue, Actions.names("labels", label))
                .installationId(installation)
                .build();
    }

    /** Until a request of {@code executor} met the rate limit (earlier tests' actions are held). */
    private static void awaitRateLimited(ActionExecutor executor) {
        await().atMost(WAIT)
                .until(
                        () ->
                                executor.metrics()
                                        .scrape()
                                        .contains(
                                                "repostream_executor_github_retries_total"
                                                        + "{reason=\"rate_limit\"} 1.0"));
    }

    private static int indexOf(List<String> requests, String part) {
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }

    private static ActionRecord onA(SamePartition repos, String label) {
        int issue = github.createIssue(repos.a(), label, "", "alice");
        return Actions.builder(
                        ActionType.ADD_LABELS, repos.a(), issue, Actions.names("labels", label))
                .installationId(3501L)
                .build();
    }
}
