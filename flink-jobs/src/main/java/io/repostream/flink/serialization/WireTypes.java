package io.repostream.flink.serialization;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoMetrics;

/**
 * Binary type information of the records that cross the network between operators most often (see
 * {@link WireTypeInfo}). Profiled before: JSON (de)serialisation between operators and of state was
 * about 40 % of the job's CPU.
 */
public final class WireTypes {
    private WireTypes() {}

    public static final WireTypeInfo<GitHubEvent> GITHUB_EVENT =
            new WireTypeInfo<>(GitHubEvent.class, GitHubEventSerializer.INSTANCE);

    public static final WireTypeInfo<RepoMetrics> REPO_METRICS =
            new WireTypeInfo<>(RepoMetrics.class, RepoMetricsSerializer.INSTANCE);

    public static final WireTypeInfo<ActionRecord> ACTION_RECORD =
            new WireTypeInfo<>(ActionRecord.class, ActionRecordSerializer.INSTANCE);
}
