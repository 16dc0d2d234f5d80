package io.repostream.flink.rules.ci;

import static io.repostream.flink.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.Events;
import io.repostream.flink.KeyedStates;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RepoPolicy.Retry;
import io.repostream.schemas.TypedTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CiRetryPlannerTest {
    private static final String REPO = "octo-org/widgets";
    private static final String CI = "CI";

    private CiRulesHarness harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness = new CiRulesHarness();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void rerunsATransientFailureWithBackoffAndJitter() throws Exception {
        send(Events.workflowJob(REPO, CI, 100, "build", "failure", List.of("Checkout"), T0));
        send(Events.workflowRun(REPO, CI, 100, "sha1", "timed_out", 1, 5, T0.plusSeconds(10)));

        ActionRecord rerun = harness.extractOutputValues().get(0);
        assertThat(rerun.actionId()).isEqualTo("ci-retry@1:octo-org/widgets:run-100:attempt-2");
        assertThat(rerun.type()).isEqualTo(ActionType.RERUN_FAILED_JOBS);
        assertThat(rerun.target()).isEqualTo(100);
        assertThat(rerun.declaredTarget()).isEqualTo(TypedTarget.workflowRun(100));
        assertThat(rerun.params().get("failure_class").asText()).isEqualTo("transient");
        Duration delay = Duration.between(T0.plusSeconds(10), rerun.notBefore());
        // base 1 min, first attempt, ±20 %
        assertThat(delay).isBetween(Duration.ofSeconds(48), Duration.ofSeconds(72));
        assertThat(rerun.expiresAt()).isAfter(rerun.notBefore());
    }

    @Test
    void backsOffExponentiallyAndStopsAtMaxAttempts() {
        Retry retry = new Retry(3, Duration.ofMinutes(1), Duration.ofMinutes(30));
        assertThat(Backoff.delay(retry, 7, 2))
                .isBetween(Duration.ofSeconds(96), Duration.ofSeconds(144));
        assertThat(Backoff.delay(retry, 7, 10)).isLessThanOrEqualTo(Duration.ofMinutes(30));
        assertThat(Backoff.delay(retry, 7, 2)).isEqualTo(Backoff.delay(retry, 7, 2));
        assertThat(Backoff.delay(retry, 7, 2)).isNotEqualTo(Backoff.delay(retry, 8, 2));
    }

    @Test
    void doesNotRerunOnceTheRunHasUsedItsAttempts() throws Exception {
        send(Events.workflowRun(REPO, CI, 101, "sha2", "timed_out", 3, 5, T0));

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(signals("ci_failures"))
                .singleElement()
                .satisfies(m -> assertThat(m.labels()).containsEntry("class", "transient"));
    }

    @Test
    void explainsAPermanentFailureOnceOnThePullRequestInsteadOfRerunning() throws Exception {
        send(Events.workflowJob(REPO, CI, 102, "test", "failure", List.of("Run unit tests"), T0));
        send(Events.workflowRun(REPO, CI, 102, "sha3", "failure", 1, 42, T0.plusSeconds(5)));

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.type()).isEqualTo(ActionType.CREATE_COMMENT);
                            assertThat(a.target()).isEqualTo(42);
                            assertThat(a.actionId())
                                    .isEqualTo("ci-classifier@1:octo-org/widgets#42:run-102");
                            assertThat(a.params().get("body").asText()).contains("Run unit tests");
                        });
    }

    @Test
    void neverPlansMoreThanTheHourlyRerunCapForOneWorkflow() throws Exception {
        for (int i = 0; i < CiRetryPlanner.MAX_RERUNS_PER_HOUR + 5; i++) {
            send(
                    Events.workflowRun(
                            REPO, CI, 200 + i, "sha-" + i, "timed_out", 1, 0, T0.plusSeconds(i)));
        }

        assertThat(harness.extractOutputValues()).hasSize(CiRetryPlanner.MAX_RERUNS_PER_HOUR);
        send(
                Events.workflowRun(
                        REPO, CI, 300, "sha-x", "timed_out", 1, 0, T0.plus(Duration.ofHours(2))));
        assertThat(harness.extractOutputValues()).hasSize(CiRetryPlanner.MAX_RERUNS_PER_HOUR + 1);
    }

    @Test
    void labelsThePullRequestWhenTheWorkflowFlakesRepeatedly() throws Exception {
        Instant t = T0;
        for (int i = 0; i < 3; i++) {
            String sha = "flaky-" + i;
            send(Events.workflowRun(REPO, CI, 400 + i, sha, "failure", 1, 9, t));
            send(Events.workflowRun(REPO, CI, 400 + i, sha, "success", 2, 9, t.plusSeconds(60)));
            t = t.plusSeconds(600);
        }

        assertThat(signals("ci_flaky_runs")).hasSize(3);
        assertThat(harness.extractOutputValues())
                .filteredOn(a -> a.type() == ActionType.ADD_LABELS)
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.target()).isEqualTo(9);
                            assertThat(a.params().get("labels").get(0).asText())
                                    .isEqualTo("ci/flaky");
                        });
        // three runs, each failed then passed: all three flaky
        assertThat(signals("flake_rate_ratio"))
                .last()
                .extracting(RepoMetrics::value)
                .isEqualTo(1.0);
    }

    @Test
    void aRunThatFailsThenPassesOnRerunIsOneFlakyRunOfOne() throws Exception {
        send(Events.workflowRun(REPO, CI, 410, "s-410", "failure", 1, 0, T0));
        send(Events.workflowRun(REPO, CI, 410, "s-410", "success", 2, 0, T0.plusSeconds(60)));

        assertThat(flakeRates()).containsExactly(0.0, 1.0);
    }

    @Test
    void emitsTheFlakeRateOnEveryCompletedRunSoItCanFall() throws Exception {
        send(Events.workflowRun(REPO, CI, 420, "s-420", "failure", 1, 0, T0));
        send(Events.workflowRun(REPO, CI, 420, "s-420", "success", 2, 0, T0.plusSeconds(60)));
        send(Events.workflowRun(REPO, CI, 421, "s-421", "success", 1, 0, T0.plusSeconds(120)));
        send(Events.workflowRun(REPO, CI, 422, "s-422", "failure", 1, 0, T0.plusSeconds(180)));
        send(Events.workflowRun(REPO, CI, 423, "s-423", "cancelled", 1, 0, T0.plusSeconds(240)));

        // flaky of completed runs: 0/1, 1/1, 1/2, 1/3; a cancelled run is no outcome
        assertThat(flakeRates()).containsExactly(0.0, 1.0, 0.5, 1.0 / 3);
        assertThat(signals("flake_rate_ratio"))
                .allSatisfy(m -> assertThat(m.labels()).containsEntry("workflow", CI));
    }

    @Test
    void theFlakeRateCountsOnlyTheLatestRunsOfTheWorkflow() throws Exception {
        send(Events.workflowRun(REPO, CI, 430, "s-430", "failure", 1, 0, T0));
        send(Events.workflowRun(REPO, CI, 430, "s-430", "success", 2, 0, T0.plusSeconds(1)));
        for (int i = 1; i <= CiFailureClassifierFunction.FLAKE_WINDOW; i++) {
            send(
                    Events.workflowRun(
                            REPO,
                            CI,
                            430 + i,
                            "s-" + (430 + i),
                            "success",
                            1,
                            0,
                            T0.plusSeconds(1 + i)));
        }

        List<Double> rates = flakeRates();
        // 49 passing runs after the flaky one: still in the window; the 50th pushes it out
        assertThat(rates.get(rates.size() - 2))
                .isEqualTo(1.0 / CiFailureClassifierFunction.FLAKE_WINDOW);
        assertThat(rates.get(rates.size() - 1)).isEqualTo(0.0);
    }

    @Test
    void aCheckRunRerunOnTheSameCommitIsOneRun() throws Exception {
        send(checkRun("lint", "c-1", "failure"));
        send(checkRun("lint", "c-1", "success"));

        assertThat(flakeRates()).containsExactly(0.0, 1.0);
        assertThat(signals("ci_flaky_runs")).hasSize(1);
    }

    @Test
    void treatsUnexplainedFailuresOfAFlakyWorkflowAsFlakyAndReruns() throws Exception {
        for (int i = 0; i < 3; i++) {
            send(Events.workflowRun(REPO, CI, 500 + i, "f-" + i, "failure", 2, 0, T0));
            send(Events.workflowRun(REPO, CI, 500 + i, "f-" + i, "success", 3, 0, T0));
        }
        send(Events.workflowRun(REPO, CI, 600, "new", "failure", 1, 0, T0.plusSeconds(60)));

        assertThat(harness.extractOutputValues())
                .filteredOn(a -> a.type() == ActionType.RERUN_FAILED_JOBS)
                .singleElement()
                .satisfies(
                        a ->
                                assertThat(a.params().get("failure_class").asText())
                                        .isEqualTo("flaky"));
    }

    @Test
    void forgetsTheFailedJobsOfARunWhenItCompletes() throws Exception {
        send(Events.workflowJob(REPO, CI, 700, "build", "failure", List.of("Compile"), T0));
        assertThat(KeyedStates.entries(harness.classifier, "ci-workflow")).isEqualTo(1);
        send(Events.workflowRun(REPO, CI, 700, "s", "cancelled", 1, 0, T0));

        GitHubEvent sameRunLater = Events.workflowRun(REPO, CI, 700, "s", "failure", 1, 0, T0);
        send(sameRunLater);
        // the cancelled run took its job text along: nothing left to classify by
        assertThat(signals("ci_failures"))
                .singleElement()
                .satisfies(m -> assertThat(m.labels()).containsEntry("class", "unknown"));
    }

    @Test
    void writesNoStateForCompletionsThatChangeNothing() throws Exception {
        send(Events.workflowJob(REPO, CI, 950, "build", "success", List.of(), T0));
        send(Events.workflowRun(REPO, CI, 950, "e", "cancelled", 1, 0, T0));

        assertThat(KeyedStates.entries(harness.classifier, "ci-workflow")).isZero();
    }

    @Test
    void followsARetryPolicyChangedMidStream() throws Exception {
        send(Events.workflowRun(REPO, CI, 800, "a", "timed_out", 3, 0, T0));
        assertThat(harness.extractOutputValues()).isEmpty(); // default: 3 attempts

        harness.processBroadcastElement(
                RepoPolicy.builder(REPO)
                        .actionBudgetPerHour(300)
                        .ci(
                                RepoPolicy.Ci.builder()
                                        .retry(
                                                new Retry(
                                                        5,
                                                        Duration.ofMinutes(2),
                                                        Duration.ofMinutes(30)))
                                        .build())
                        .updatedAt(T0)
                        .build(),
                0);
        send(Events.workflowRun(REPO, CI, 801, "b", "timed_out", 3, 0, T0.plusSeconds(60)));

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.actionId()).endsWith(":run-801:attempt-4");
                            // 2 min base, fourth attempt: 2 * 2^2 = 8 min, within ±20 %
                            assertThat(Duration.between(T0.plusSeconds(60), a.notBefore()))
                                    .isBetween(Duration.ofSeconds(384), Duration.ofSeconds(576));
                        });
    }

    @Test
    void followsFailurePatternsChangedMidStream() throws Exception {
        send(Events.workflowJob(REPO, CI, 900, "test", "failure", List.of("Quota gremlins"), T0));
        send(Events.workflowRun(REPO, CI, 900, "c", "failure", 1, 0, T0));
        harness.processBroadcastElement(
                RepoPolicy.builder(REPO)
                        .actionBudgetPerHour(300)
                        .ci(
                                RepoPolicy.Ci.builder()
                                        .failurePatterns(
                                                java.util.Map.of(
                                                        "transient", List.of("(?i)quota gremlins")))
                                        .build())
                        .updatedAt(T0)
                        .build(),
                0);
        send(Events.workflowJob(REPO, CI, 901, "test", "failure", List.of("Quota gremlins"), T0));
        send(Events.workflowRun(REPO, CI, 901, "d", "failure", 1, 0, T0));

        assertThat(signals("ci_failures"))
                .extracting(m -> m.labels().get("class"))
                .containsExactly("unknown", "transient");
        assertThat(harness.extractOutputValues())
                .extracting(ActionRecord::actionId)
                .containsExactly("ci-retry@1:octo-org/widgets:run-901:attempt-2");
    }

    private void send(GitHubEvent event) throws Exception {
        harness.processElement(event, event.occurredAt().toEpochMilli());
    }

    private List<Double> flakeRates() {
        return signals("flake_rate_ratio").stream().map(RepoMetrics::value).toList();
    }

    /** A completed check run of another CI app than GitHub Actions. */
    private static GitHubEvent checkRun(String name, String sha, String conclusion) {
        com.fasterxml.jackson.databind.node.ObjectNode payload =
                Events.example("check_run", "completed");
        com.fasterxml.jackson.databind.node.ObjectNode check =
                (com.fasterxml.jackson.databind.node.ObjectNode) payload.get("check_run");
        check.put("name", name);
        check.put("head_sha", sha);
        check.put("conclusion", conclusion);
        ((com.fasterxml.jackson.databind.node.ObjectNode) check.get("app")).put("slug", "circleci");
        ((com.fasterxml.jackson.databind.node.ObjectNode) payload.get("repository"))
                .put("full_name", REPO);
        return new GitHubEvent(
                "check-" + name + "-" + sha + "-" + conclusion,
                io.repostream.schemas.EventSource.WEBHOOK,
                "check_run",
                "completed",
                REPO,
                null,
                42L,
                T0,
                T0,
                payload);
    }

    private List<RepoMetrics> signals(String name) {
        return harness.getSideOutput(CiFailureClassifierFunction.SIGNALS).stream()
                .map(StreamRecord::getValue)
                .filter(m -> m.metric().equals(name))
                .toList();
    }
}
