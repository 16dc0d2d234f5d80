package io.repostream.flink.rules.ci;

import static io.repostream.flink.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.Events;
import io.repostream.flink.KeyedStates;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.TypedTarget;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The classifier with {@code ci.read_logs}: it asks for each failed job's log, waits for the logs
 * of a failed run (at most {@code ci.log_wait}), classifies on their error lines, finds flaky tests
 * across SHAs and clusters unknown failures.
 */
class CiJobLogsTest {
    private static final String REPO = "octo-org/widgets";
    private static final String CI = "CI";

    private CiRulesHarness harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness = new CiRulesHarness();
        harness.processBroadcastElement(
                RepoPolicy.builder(REPO)
                        .actionBudgetPerHour(300)
                        .ci(RepoPolicy.Ci.builder().readLogs(true).build())
                        .updatedAt(T0)
                        .build(),
                0);
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void asksForTheLogOfEachFailedJobOnceAndNotForAJobThatPassed() throws Exception {
        send(job(100, 7001, "build", "failure", T0));
        send(job(100, 7001, "build", "failure", T0)); // redelivered
        send(job(100, 7002, "lint", "success", T0));

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(
                        read -> {
                            assertThat(read.type()).isEqualTo(ActionType.READ_JOB_LOG);
                            assertThat(read.actionId())
                                    .isEqualTo("ci-classifier@1:octo-org/widgets:job-7001:log");
                            assertThat(read.declaredTarget())
                                    .isEqualTo(TypedTarget.workflowRun(100));
                            assertThat(read.params().path("job_id").asLong()).isEqualTo(7001);
                            assertThat(read.params().path("run_id").asLong()).isEqualTo(100);
                            assertThat(read.params().path("workflow").asText()).isEqualTo(CI);
                            assertThat(read.expiresAt()).isAfter(T0);
                        });
    }

    @Test
    void waitsForTheLogOfAFailedRunAndClassifiesOnItsErrorLines() throws Exception {
        send(job(101, 7101, "build", "failure", T0));
        send(run(101, "sha1", "failure", T0.plusSeconds(5)));

        assertThat(signals("ci_failures")).isEmpty();

        send(
                log(
                        101,
                        7101,
                        "npm ERR! code E503\nnpm ERR! 503 Service Unavailable - GET"
                                + " https://registry.npmjs.org/left-pad",
                        List.of(),
                        T0.plusSeconds(20)));

        assertThat(signals("ci_failures"))
                .singleElement()
                .satisfies(m -> assertThat(m.labels()).containsEntry("class", "dependency"));
        ActionRecord rerun = only(ActionType.RERUN_FAILED_JOBS);
        assertThat(rerun.params().path("failure_class").asText()).isEqualTo("dependency");
        assertThat(rerun.evidence().get(0)).contains("503 Service Unavailable");
        assertThat(pendingRuns()).isZero();
    }

    @Test
    void aLogThatCameBackBeforeTheRunCompletedIsUsedAtOnce() throws Exception {
        send(job(102, 7201, "build", "failure", T0));
        send(log(102, 7201, "fatal: unable to access: Connection reset by peer", List.of(), T0));
        send(run(102, "sha2", "failure", T0.plusSeconds(30)));

        assertThat(signals("ci_failures"))
                .singleElement()
                .satisfies(m -> assertThat(m.labels()).containsEntry("class", "transient"));
    }

    @Test
    void classifiesWithoutTheLogsThatDidNotComeBackWithinTheWait() throws Exception {
        send(job(103, 7301, "test", "failure", T0));
        send(run(103, "sha3", "failure", T0.plusSeconds(5)));

        harness.processWatermark(
                T0.plusSeconds(5).plus(RepoPolicy.Ci.DEFAULT_LOG_WAIT).toEpochMilli());

        assertThat(signals("ci_failures"))
                .singleElement()
                .satisfies(m -> assertThat(m.labels()).containsEntry("class", "unknown"));
        assertThat(pendingRuns()).isZero();
        // the log coming back now changes nothing
        send(
                log(
                        103,
                        7301,
                        "AssertionError: expected 1 but was 2",
                        List.of(),
                        T0.plusSeconds(300)));
        assertThat(signals("ci_failures")).hasSize(1);
    }

    @Test
    void aTestThatFailsAgainOnOtherShasAfterPassesIsFlakyAndIsRerun() throws Exception {
        Instant t = T0;
        String flaky = "com.acme.ClockTest.ticks";
        for (int i = 0; i < 3; i++) {
            long runId = 200 + i;
            long jobId = 8000 + i;
            send(job(runId, jobId, "test", "failure", t));
            send(
                    log(
                            runId,
                            jobId,
                            "[ERROR] " + flaky + "  Time elapsed: 1 s  <<< FAILURE!",
                            List.of(flaky),
                            t));
            send(run(runId, "sha-" + i, "failure", t.plusSeconds(10)));
            send(run(300 + i, "sha-pass-" + i, "success", t.plusSeconds(600)));
            t = t.plusSeconds(3600);
        }

        List<String> classes =
                signals("ci_failures").stream().map(m -> m.labels().get("class")).toList();
        assertThat(classes).containsExactly("permanent", "permanent", "flaky");
        assertThat(harness.extractOutputValues())
                .filteredOn(a -> a.type() == ActionType.RERUN_FAILED_JOBS)
                .singleElement()
                .satisfies(a -> assertThat(a.target()).isEqualTo(202));
    }

    @Test
    void repeatedUnknownFailuresFallIntoOneCluster() throws Exception {
        for (int i = 0; i < 3; i++) {
            long runId = 400 + i;
            long jobId = 9000 + i;
            send(job(runId, jobId, "deploy", "failure", T0.plusSeconds(i * 100L)));
            send(
                    log(
                            runId,
                            jobId,
                            "upload of /home/runner/work/w/build/out-"
                                    + (1000 + i)
                                    + ".tar rejected by gateway 10.0.0."
                                    + i
                                    + " (ref 3fa2c1d"
                                    + i
                                    + "e9)",
                            List.of(),
                            T0.plusSeconds(i * 100L)));
            send(run(runId, "sha-u" + i, "failure", T0.plusSeconds(i * 100L + 10)));
        }
        send(job(410, 9100, "deploy", "failure", T0.plusSeconds(1000)));
        send(
                log(
                        410,
                        9100,
                        "quota of the artifact store used up",
                        List.of(),
                        T0.plusSeconds(1000)));
        send(run(410, "sha-other", "failure", T0.plusSeconds(1010)));

        List<CiFailure> failures = harness.failures();
        assertThat(failures).extracting(CiFailure::failureClass).containsOnly(FailureClass.UNKNOWN);
        assertThat(failures.subList(0, 3))
                .extracting(CiFailure::cluster)
                .containsOnly(failures.get(0).cluster());
        assertThat(failures.get(3).cluster()).isNotEqualTo(failures.get(0).cluster());
        assertThat(signals("ci_unknown_failure_clusters"))
                .extracting(RepoMetrics::value)
                .containsExactly(1.0, 1.0, 1.0, 2.0);
    }

    @Test
    void readsNoLogsUnlessThePolicySaysSo() throws Exception {
        harness.processBroadcastElement(
                RepoPolicy.builder(REPO)
                        .actionBudgetPerHour(300)
                        .ci(RepoPolicy.Ci.builder().readLogs(false).build())
                        .updatedAt(T0.plusSeconds(1))
                        .build(),
                0);

        send(job(500, 9500, "build", "failure", T0));
        send(run(500, "sha5", "timed_out", T0.plusSeconds(5)));

        assertThat(harness.extractOutputValues())
                .extracting(ActionRecord::type)
                .containsExactly(ActionType.RERUN_FAILED_JOBS);
        assertThat(KeyedStates.entries(harness.classifier, "ci-logs")).isZero();
    }

    private long pendingRuns() throws Exception {
        return KeyedStates.entries(harness.classifier, "ci-logs") == 0
                ? 0
                : harness.classifier.numEventTimeTimers();
    }

    private ActionRecord only(ActionType type) {
        return harness.extractOutputValues().stream()
                .filter(a -> a.type() == type)
                .reduce(
                        (a, b) -> {
                            throw new AssertionError("more than one " + type);
                        })
                .orElseThrow(() -> new AssertionError("no " + type));
    }

    private List<RepoMetrics> signals(String name) {
        return harness.getSideOutput(CiFailureClassifierFunction.SIGNALS).stream()
                .map(StreamRecord::getValue)
                .filter(m -> m.metric().equals(name))
                .toList();
    }

    private void send(GitHubEvent event) throws Exception {
        harness.processElement(event, event.occurredAt().toEpochMilli());
    }

    private static GitHubEvent job(
            long runId, long jobId, String name, String conclusion, Instant at) {
        GitHubEvent e =
                Events.workflowJob(
                        REPO,
                        CI,
                        runId,
                        name,
                        conclusion,
                        "failure".equals(conclusion) ? List.of("Run script") : List.of(),
                        at);
        ((ObjectNode) e.payload().get("workflow_job")).put("id", jobId);
        return e;
    }

    private static GitHubEvent run(long runId, String sha, String conclusion, Instant at) {
        return Events.workflowRun(REPO, CI, runId, sha, conclusion, 1, 0, at);
    }

    /** The executor's answer to the classifier's read of job {@code jobId}'s log. */
    private static GitHubEvent log(
            long runId, long jobId, String excerpt, List<String> tests, Instant at) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        ObjectNode e = payload.putObject("enrichment");
        String actionId = "ci-classifier@1:" + REPO + ":job-" + jobId + ":log";
        e.put("read", "read_job_log");
        e.put("action_id", actionId);
        e.put("requested_by", "ci-classifier@1");
        e.putObject("params").put("job_id", jobId).put("run_id", runId).put("workflow", CI);
        e.put("outcome", "read");
        e.put("status", 302);
        ObjectNode result = e.putObject("result");
        result.put("job_id", jobId);
        result.put("excerpt", excerpt);
        tests.forEach(result.putArray("failed_tests")::add);
        return new GitHubEvent(
                "enrichment:" + actionId,
                EventSource.ENRICHMENT,
                "read_job_log",
                "read",
                REPO,
                null,
                42L,
                at,
                at,
                payload);
    }
}
