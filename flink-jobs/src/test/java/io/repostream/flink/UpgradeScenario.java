package io.repostream.flink;

import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What the stored savepoint of an older main holds, shared by its generator ({@link
 * UpgradeSavepointGenerator}) and {@link UpgradeFromSavepointTest}: one repository, one
 * installation, real webhook payloads (testkit's examples, through {@link Events}), and the whole
 * job from Kafka at parallelism 2 on RocksDB, as in production.
 */
final class UpgradeScenario {
    private UpgradeScenario() {}

    static final String REPO = "octo-org/widgets";
    static final String WORKFLOW = "CI";

    /** Opened without labels before the savepoint: triaged, so not triaged again. */
    static final List<Integer> TRIAGED = List.of(1, 2);

    /** Opened as P0 before the savepoint; its first-response deadline is pending in it. */
    static final int URGENT = 3;

    /** P0 items must get an answer within this; long enough to be pending at the savepoint. */
    static final Duration URGENT_RESPONSE = Duration.ofMinutes(10);

    /** Failed on a dependency download: re-run once before the savepoint (attempt 2). */
    static final long DEPENDENCY_RUN = 10;

    /** Timed out on {@link #FLAKY_SHA}: re-run once before the savepoint. */
    static final long TIMED_OUT_RUN = 11;

    static final String FLAKY_SHA = "aaa";

    /** Budget of the repo: the governor's hour of sent actions is in the savepoint. */
    static final int BUDGET_PER_HOUR = 50;

    /**
     * The repo's policy as JSON on {@code github.config.v1}, as users write it: a short response
     * target for P0 and fast re-runs (the rest defaults).
     */
    static String policyJson(Instant updatedAt) {
        return """
                {"repo": "%s",
                 "action_budget_per_hour": %d,
                 "sla": {"targets": {"P0": {"first_response": "%s", "resolution": "PT4H"}}},
                 "retry": {"max_attempts": 3, "base_delay": "PT1S", "max_delay": "PT2S"},
                 "updated_at": "%s"}
                """
                .formatted(REPO, BUDGET_PER_HOUR, URGENT_RESPONSE, updatedAt);
    }

    /**
     * After the actions: GitHub reports (on an audit record) 12 requests left until {@link
     * #QUOTA_RESET} after the events, which the installation governor keeps.
     */
    static final Duration QUOTA_RESET = Duration.ofMinutes(12);

    /** The audit record of triage of #1, with GitHub's rate-limit headers, as JSON. */
    static String auditJson(Instant t) {
        return """
                {"audit_id": "upgrade-audit-1",
                 "action_id": "%s",
                 "repo": "%s",
                 "target": %d,
                 "action_type": "add_labels",
                 "outcome": "applied",
                 "github_status": 200,
                 "rate_limit": {"limit": 5000, "remaining": 12, "used": 4988,
                                "reset_epoch_seconds": %d, "resource": "core"},
                 "produced_by": "triage-label@1",
                 "caused_by": [],
                 "started_at": "%s",
                 "finished_at": "%s"}
                """
                .formatted(
                        triage(TRIAGED.get(0)),
                        REPO,
                        TRIAGED.get(0),
                        t.plus(QUOTA_RESET).getEpochSecond(),
                        t.plusSeconds(1),
                        t.plusSeconds(1));
    }

    /** The events before the savepoint, in order, all of one repo (one partition). */
    static List<GitHubEvent> eventsBeforeSavepoint(Instant t) {
        return List.of(
                Events.issue("opened", REPO, TRIAGED.get(0), List.of(), t.plusMillis(1)),
                Events.issue("opened", REPO, TRIAGED.get(1), List.of(), t.plusMillis(2)),
                Events.issue("opened", REPO, URGENT, List.of("P0"), t.plusMillis(3)),
                Events.workflowJob(
                        REPO,
                        WORKFLOW,
                        DEPENDENCY_RUN,
                        "build",
                        "failure",
                        List.of("Download dependencies: 503 Service Unavailable"),
                        t.plusMillis(4)),
                Events.workflowRun(
                        REPO, WORKFLOW, DEPENDENCY_RUN, "bbb", "failure", 1, 0, t.plusMillis(5)),
                Events.workflowRun(
                        REPO,
                        WORKFLOW,
                        TIMED_OUT_RUN,
                        FLAKY_SHA,
                        "timed_out",
                        1,
                        5,
                        t.plusMillis(6)));
    }

    /** The actions the job writes before the savepoint. */
    static List<String> actionsBeforeSavepoint() {
        return List.of(
                triage(TRIAGED.get(0)),
                triage(TRIAGED.get(1)),
                rerun(DEPENDENCY_RUN, 2),
                rerun(TIMED_OUT_RUN, 2));
    }

    static String triage(int number) {
        return "triage-label@1:" + REPO + "#" + number;
    }

    static String rerun(long run, int attempt) {
        return "ci-retry@1:" + REPO + ":run-" + run + ":attempt-" + attempt;
    }

    /** The prefix of the SLA actions of the life of {@code number} opened at {@code openedAt}. */
    static String sla(int number, Instant openedAt) {
        return "sla-monitor@1:" + REPO + "#" + number + "@" + openedAt;
    }

    /**
     * Starts the whole job from Kafka on a MiniCluster, from {@code savepoint} if not null, with
     * state that is not restored refused ({@code allowNonRestoredState=false}).
     */
    static JobClient start(
            EmbeddedKafkaBroker broker, Path checkpoints, String prefix, Path savepoint)
            throws Exception {
        Configuration conf = RepostreamJob.localConfiguration(checkpoints, Duration.ofMillis(500));
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint.toUri().toString());
            conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, false);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        RepostreamJob.fromKafka(
                        new JobConfig(
                                broker.bootstrapServers(),
                                JobConfig.DEFAULT_GROUP_ID,
                                prefix,
                                Duration.ofMillis(500),
                                2,
                                // a quiet job's event time follows the wall clock 2 s behind
                                Duration.ofSeconds(2),
                                Duration.ofSeconds(2),
                                Map.of()))
                .build(env);
        return env.executeAsync("repostream-upgrade");
    }

    static void sendEvent(KafkaProducer<String, String> producer, GitHubEvent event) {
        send(
                producer,
                Topics.EVENTS.name(),
                event.repo(),
                new String(Topics.EVENTS.valueCodec().encode(event), StandardCharsets.UTF_8));
    }

    static void send(KafkaProducer<String, String> producer, String topic, String key, String v) {
        try {
            producer.send(new ProducerRecord<>(topic, key, v)).get();
        } catch (Exception e) {
            throw new AssertionError("could not send to " + topic, e);
        }
    }
}
