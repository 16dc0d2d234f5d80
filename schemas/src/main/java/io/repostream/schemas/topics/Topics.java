package io.repostream.schemas.topics;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.DeadLetter;
import io.repostream.schemas.ExecutorControl;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.MergeQueueState;
import io.repostream.schemas.ModelVersion;
import io.repostream.schemas.Prediction;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.Snapshot;
import io.repostream.schemas.TrainingExample;
import io.repostream.schemas.json.JsonCodec;
import io.repostream.schemas.json.RecordSchema;
import java.util.List;

/**
 * Every topic repostream reads or writes. Who writes what: the ingest bridge writes {@link #EVENTS}
 * and {@link #EVENTS_DLQ}; the Flink job reads events, {@link #CONFIG}, {@link #AUDIT} and {@link
 * #MODELS}, and writes {@link #ACTIONS}, {@link #PREDICTIONS}, {@link #TRAINING_EXAMPLES}, {@link
 * #METRICS} and {@link #MERGE_QUEUE}; the action executor reads actions, policies and {@link
 * #CONTROL}, writes {@link #SNAPSHOTS} and audit records (and reads both back to know what it
 * applied), and its policy and kill-switch commands write {@link #CONFIG} and {@link #CONTROL};
 * ml-training reads training examples and models and writes models.
 */
public final class Topics {
    private Topics() {}

    /** Normalised GitHub events, keyed by repo. Written by the bridge, read by Flink. */
    public static final Topic<String, GitHubEvent> EVENTS =
            Topic.keyedByString(
                            "github.events.v1",
                            codec(GitHubEvent.class, "github-event.v1"),
                            6,
                            false)
                    .withMaxMessageBytes(Topic.WEBHOOK_MAX_MESSAGE_BYTES);

    /** Authenticated input the bridge could not normalise, with the reason. */
    public static final Topic<String, DeadLetter> EVENTS_DLQ =
            Topic.keyedByString(
                            "github.events.dlq.v1",
                            codec(DeadLetter.class, "dead-letter.v1"),
                            1,
                            false)
                    .withMaxMessageBytes(Topic.WEBHOOK_MAX_MESSAGE_BYTES);

    /** Proposed actions, keyed by repo. Written exactly once by Flink, applied by the executor. */
    public static final Topic<String, ActionRecord> ACTIONS =
            Topic.keyedByString(
                    "github.actions.v1", codec(ActionRecord.class, "action-record.v1"), 6, false);

    /** Before-state of every mutation, keyed and compacted by action_id. */
    public static final Topic<String, Snapshot> SNAPSHOTS =
            Topic.keyedByString(
                    "github.snapshots.v1", codec(Snapshot.class, "snapshot.v1"), 6, true);

    /** Every outcome of every action and rollback, keyed by repo. */
    public static final Topic<String, AuditRecord> AUDIT =
            Topic.keyedByString(
                    "github.audit.v1", codec(AuditRecord.class, "audit-record.v1"), 6, false);

    /** Per-repo policy, compacted by repo. */
    public static final Topic<String, RepoPolicy> CONFIG =
            Topic.keyedByString(
                    "github.config.v1", codec(RepoPolicy.class, "repo-policy.v1"), 1, true);

    /** Switches for every action executor at once (the kill switch), compacted, one key. */
    public static final Topic<String, ExecutorControl> CONTROL =
            Topic.keyedByString(
                    "github.control.v1",
                    codec(ExecutorControl.class, "executor-control.v1"),
                    1,
                    true);

    /** CI success predictions, keyed by repo. */
    public static final Topic<String, Prediction> PREDICTIONS =
            Topic.keyedByString(
                    "github.predictions.v1", codec(Prediction.class, "prediction.v1"), 3, false);

    /** Feature vectors joined with outcomes, keyed by repo. */
    public static final Topic<String, TrainingExample> TRAINING_EXAMPLES =
            Topic.keyedByString(
                    "github.training-examples.v1",
                    codec(TrainingExample.class, "training-example.v1"),
                    3,
                    false);

    /** Published models, compacted by model name. */
    public static final Topic<String, ModelVersion> MODELS =
            Topic.keyedByString(
                    "github.models.v1", codec(ModelVersion.class, "model-version.v1"), 1, true);

    /** Windowed metrics for dashboards, keyed by repo. */
    public static final Topic<String, RepoMetrics> METRICS =
            Topic.keyedByString(
                    "github.metrics.v1", codec(RepoMetrics.class, "repo-metrics.v1"), 3, false);

    /**
     * Each merge queue's state after a change, compacted by {@code <repo>|<base>}. Written by Flink
     * (rule {@code merge-queue@1}); for dashboards and the console.
     */
    public static final Topic<String, MergeQueueState> MERGE_QUEUE =
            Topic.keyedByString(
                    "github.mergequeue.v1",
                    codec(MergeQueueState.class, "merge-queue-state.v1"),
                    3,
                    true);

    public static List<Topic<String, ?>> all() {
        return List.of(
                EVENTS,
                EVENTS_DLQ,
                ACTIONS,
                SNAPSHOTS,
                AUDIT,
                CONFIG,
                CONTROL,
                PREDICTIONS,
                TRAINING_EXAMPLES,
                MODELS,
                METRICS,
                MERGE_QUEUE);
    }

    private static <V> JsonCodec<V> codec(Class<V> type, String schema) {
        return new JsonCodec<>(type, RecordSchema.load(schema));
    }
}
