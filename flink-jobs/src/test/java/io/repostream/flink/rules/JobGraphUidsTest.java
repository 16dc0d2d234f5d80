package io.repostream.flink.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.CollectingSink;
import io.repostream.flink.RepostreamJob;
import io.repostream.flink.serialization.JsonTypeInfo;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.ModelVersion;
import io.repostream.schemas.RepoPolicy;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * A savepoint restores by operator uid: the job built from the rule registry has the uids the job
 * had before the registry, listed here as they were released, and nothing else but what a release
 * note names.
 */
class JobGraphUidsTest {

    /** The uids of the whole job as released before the rule descriptors (main, 2026-12). */
    static final Set<String> RELEASED_UIDS =
            Set.of(
                    "github-events-source",
                    "github-events-dlq-sink",
                    "repo-policies-source",
                    "triage-label",
                    "sla-monitor",
                    "ci-retry-planner",
                    "github-models-source",
                    "build-signals",
                    "ci-success-predictor",
                    "github-predictions-sink",
                    "github-training-examples-sink",
                    "github-audit-source",
                    "action-rate-governor",
                    "installation-rate-governor",
                    "github-actions-sink",
                    "github-audit-sink",
                    "rule-signal-counters",
                    "open-items-gauge",
                    "repo-metrics-windows",
                    "github-metrics-sink");

    /**
     * Stateful operators added since, each with what it starts with after a restore from a
     * savepoint of the released job (flink-jobs/README.md, "Upgrading").
     */
    static final Set<String> ADDED_UIDS =
            Set.of(
                    // split from ci-retry-planner (which kept its uid and state as the CI failure
                    // classifier); its re-runs of the last hour start empty
                    "ci-retry",
                    // the slash-command framework: new, so nothing of it is in a released savepoint
                    "slash-commands",
                    // the merge rules (issue 16): new
                    "merge-eligibility",
                    // the lifecycle rule: new, it follows items from their next event
                    "lifecycle",
                    // routes audit records to the rules that learn from them (issue 16):
                    // stateless, nothing to restore; the audit source keeps its uid and offsets
                    AuditFeedback.UID,
                    // the routing rule (issue 17): new, it learns people's work from their next
                    // events
                    "routing",
                    // the completion rule (issue 18): new, it follows work from its next event
                    "completion",
                    // the maintenance rule (issue 18): new, it learns from its next event
                    "maintenance",
                    // the in-repo configuration (issue 20): new, it reads a repository's file at
                    // its next push or installation; its sink writes github.config.v1
                    "repo-config",
                    "github-config-sink",
                    // the merge queue (issue 16): new, each queue starts empty; its states' sink
                    "merge-queue",
                    "github-mergequeue-sink");

    @Test
    void theWholeJobKeepsTheOperatorUidsOfTheReleasedJob() {
        Set<String> uids = uids(wholeJob());

        assertThat(uids).containsAll(RELEASED_UIDS);
        assertThat(uids).isEqualTo(union(RELEASED_UIDS, ADDED_UIDS));
    }

    @Test
    void everyRegisteredRuleHasItsOwnUid() {
        assertThat(Rules.REGISTERED.stream().map(Rule::uid).distinct())
                .hasSameSizeAs(Rules.REGISTERED);
        assertThat(union(RELEASED_UIDS, ADDED_UIDS))
                .containsAll(Rules.REGISTERED.stream().map(Rule::uid).toList());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    static Set<String> uids(StreamExecutionEnvironment env) {
        return env.getStreamGraph().getStreamNodes().stream()
                .map(StreamNode::getTransformationUID)
                .filter(Objects::nonNull)
                .collect(Collectors.toSet());
    }

    /** Every source and sink the production job has, over finite sources. */
    static StreamExecutionEnvironment wholeJob() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new RepostreamJob(
                        unread(GitHubEvent.class),
                        unread(RepoPolicy.class),
                        unread(AuditRecord.class),
                        new CollectingSink<>(),
                        new CollectingSink<>())
                .withDeadLetters(new CollectingSink<>())
                .withDropAudits(new CollectingSink<>())
                .withPolicyWrites(new CollectingSink<>())
                .withMergeQueueStates(new CollectingSink<>())
                .withPredictions(
                        new RepostreamJob.PredictionIo(
                                unread(ModelVersion.class),
                                new CollectingSink<>(),
                                new CollectingSink<>()))
                .build(env);
        return env;
    }

    /** A source for building the graph only: the job never runs. */
    private static <T> DataGeneratorSource<T> unread(Class<T> type) {
        return new DataGeneratorSource<>(
                index -> {
                    throw new IllegalStateException("the graph is only built");
                },
                1,
                JsonTypeInfo.of(type));
    }
}
