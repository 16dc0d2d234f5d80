package io.repostream.flink.functions;

import io.repostream.flink.governors.InstallationGovernorState;
import io.repostream.flink.governors.RepoGovernorState;
import io.repostream.flink.metrics.MetricWindowAggregate;
import io.repostream.flink.rules.ci.CiWorkflowState;
import io.repostream.flink.rules.sla.SlaState;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;

/*
 * The names under which savepoints written before the package move (main at 4c5c21f and earlier)
 * hold the serializer snapshots of state whose serializers moved out of this package. Flink writes
 * a snapshot's class name into the savepoint and instantiates it by that name on restore, so each
 * old name stays, as a snapshot of the moved serializer (same binary format): the state restores
 * as it is, and the next checkpoint or savepoint writes the new name. The classes are not public
 * (only their nested snapshots are, which Flink instantiates), so that nothing else uses them, and
 * they live in this one file so that the moved files keep their history. Remove them, with
 * GovernorStateSerializerSnapshot, once no savepoint of those versions is in use
 * (UpgradeFromSavepointTest restores one; see the README's upgrade notes).
 */

/** Old name of {@link io.repostream.flink.rules.sla.SlaStateSerializer}'s snapshot. */
final class SlaStateSerializer {
    private SlaStateSerializer() {}

    /** Restores {@code sla-item} state of savepoints written before the move. */
    @Deprecated
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SlaState> {
        public Snapshot() {
            super(() -> io.repostream.flink.rules.sla.SlaStateSerializer.INSTANCE);
        }
    }
}

/** Old name of {@link io.repostream.flink.rules.ci.CiWorkflowStateSerializer}'s snapshot. */
final class CiWorkflowStateSerializer {
    private CiWorkflowStateSerializer() {}

    /** Restores the CI classifier's state of savepoints written before the move. */
    @Deprecated
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<CiWorkflowState> {
        public Snapshot() {
            super(() -> io.repostream.flink.rules.ci.CiWorkflowStateSerializer.INSTANCE);
        }
    }
}

/** Old name of {@link io.repostream.flink.governors.RepoGovernorStateSerializer}'s snapshot. */
final class RepoGovernorStateSerializer {
    private RepoGovernorStateSerializer() {}

    /** Restores {@code repo-budget} state of savepoints written before the move. */
    @Deprecated
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RepoGovernorState> {
        public Snapshot() {
            super(() -> io.repostream.flink.governors.RepoGovernorStateSerializer.INSTANCE);
        }
    }
}

/**
 * Old name of {@link io.repostream.flink.governors.InstallationGovernorStateSerializer}'s snapshot.
 */
final class InstallationGovernorStateSerializer {
    private InstallationGovernorStateSerializer() {}

    /** Restores the installation governor's state of savepoints written before the move. */
    @Deprecated
    public static final class Snapshot
            extends SimpleTypeSerializerSnapshot<InstallationGovernorState> {
        public Snapshot() {
            super(() -> io.repostream.flink.governors.InstallationGovernorStateSerializer.INSTANCE);
        }
    }
}

/** Old name of {@link io.repostream.flink.metrics.MetricWindowAccSerializer}'s snapshot. */
final class MetricWindowAccSerializer {
    private MetricWindowAccSerializer() {}

    /** Restores the metrics windows' accumulators of savepoints written before the move. */
    @Deprecated
    public static final class Snapshot
            extends SimpleTypeSerializerSnapshot<MetricWindowAggregate.Acc> {
        public Snapshot() {
            super(() -> io.repostream.flink.metrics.MetricWindowAccSerializer.INSTANCE);
        }
    }
}
