package io.repostream.flink.prediction;

import static io.repostream.flink.serialization.BinaryFields.readDoubleMap;
import static io.repostream.flink.serialization.BinaryFields.readNullableInstant;
import static io.repostream.flink.serialization.BinaryFields.readNullableInt;
import static io.repostream.flink.serialization.BinaryFields.readString;
import static io.repostream.flink.serialization.BinaryFields.readStrings;
import static io.repostream.flink.serialization.BinaryFields.writeDoubleMap;
import static io.repostream.flink.serialization.BinaryFields.writeNullableInstant;
import static io.repostream.flink.serialization.BinaryFields.writeNullableInt;
import static io.repostream.flink.serialization.BinaryFields.writeString;
import static io.repostream.flink.serialization.BinaryFields.writeStrings;

import io.repostream.flink.serialization.ImmutableRecordSerializer;
import io.repostream.flink.serialization.JsonMigratingSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Binary serializers of the success predictor's keyed state, read and written for every build
 * signal; JSON state of earlier versions is migrated on restore (each serializer's snapshot).
 */
public final class PredictorStateSerializers {
    private PredictorStateSerializers() {}

    /** {@link OutcomeStats}: four numbers. */
    public static final class OutcomeStatsSerializer
            extends ImmutableRecordSerializer<OutcomeStats> {
        private static final long serialVersionUID = 1L;
        public static final OutcomeStatsSerializer INSTANCE = new OutcomeStatsSerializer();

        private OutcomeStatsSerializer() {}

        @Override
        public void serialize(OutcomeStats s, DataOutputView out) throws IOException {
            out.writeLong(s.builds());
            out.writeLong(s.failures());
            out.writeInt(s.recentBits());
            out.writeInt(s.recentCount());
        }

        @Override
        public OutcomeStats deserialize(DataInputView in) throws IOException {
            long builds = in.readLong();
            long failures = in.readLong();
            int bits = in.readInt();
            return new OutcomeStats(builds, failures, bits, in.readInt());
        }

        @Override
        public TypeSerializerSnapshot<OutcomeStats> snapshotConfiguration() {
            return new Snapshot();
        }

        /** Restores the serializer; migrates JSON state. */
        public static final class Snapshot extends JsonMigratingSnapshot<OutcomeStats> {
            public Snapshot() {
                super(OutcomeStats.class, () -> INSTANCE);
            }
        }
    }

    /** {@link RepoHistory}: its outcome counts, the latest outcome and who caused it. */
    public static final class RepoHistorySerializer extends ImmutableRecordSerializer<RepoHistory> {
        private static final long serialVersionUID = 1L;
        public static final RepoHistorySerializer INSTANCE = new RepoHistorySerializer();

        private RepoHistorySerializer() {}

        @Override
        public void serialize(RepoHistory h, DataOutputView out) throws IOException {
            out.writeBoolean(h.outcomes() != null);
            if (h.outcomes() != null) {
                OutcomeStatsSerializer.INSTANCE.serialize(h.outcomes(), out);
            }
            writeNullableInstant(h.lastCompletedAt(), out);
            out.writeBoolean(h.lastFailed());
            writeString(h.lastActor(), out);
        }

        @Override
        public RepoHistory deserialize(DataInputView in) throws IOException {
            OutcomeStats outcomes =
                    in.readBoolean() ? OutcomeStatsSerializer.INSTANCE.deserialize(in) : null;
            var lastCompletedAt = readNullableInstant(in);
            boolean lastFailed = in.readBoolean();
            return new RepoHistory(outcomes, lastCompletedAt, lastFailed, readString(in));
        }

        @Override
        public TypeSerializerSnapshot<RepoHistory> snapshotConfiguration() {
            return new Snapshot();
        }

        /** Restores the serializer; migrates JSON state. */
        public static final class Snapshot extends JsonMigratingSnapshot<RepoHistory> {
            public Snapshot() {
                super(RepoHistory.class, () -> INSTANCE);
            }
        }
    }

    /** {@link PullRequestInfo}: sizes, head and reviews of an open pull request. */
    public static final class PullRequestInfoSerializer
            extends ImmutableRecordSerializer<PullRequestInfo> {
        private static final long serialVersionUID = 1L;
        public static final PullRequestInfoSerializer INSTANCE = new PullRequestInfoSerializer();

        private PullRequestInfoSerializer() {}

        @Override
        public void serialize(PullRequestInfo p, DataOutputView out) throws IOException {
            writeNullableInstant(p.createdAt(), out);
            writeString(p.headSha(), out);
            writeNullableInt(p.commits(), out);
            writeNullableInt(p.additions(), out);
            writeNullableInt(p.deletions(), out);
            writeNullableInt(p.changedFiles(), out);
            out.writeInt(p.reviews());
            writeNullableInstant(p.approvedAt(), out);
        }

        @Override
        public PullRequestInfo deserialize(DataInputView in) throws IOException {
            var createdAt = readNullableInstant(in);
            String headSha = readString(in);
            Integer commits = readNullableInt(in);
            Integer additions = readNullableInt(in);
            Integer deletions = readNullableInt(in);
            Integer changedFiles = readNullableInt(in);
            int reviews = in.readInt();
            return new PullRequestInfo(
                    createdAt,
                    headSha,
                    commits,
                    additions,
                    deletions,
                    changedFiles,
                    reviews,
                    readNullableInstant(in));
        }

        @Override
        public TypeSerializerSnapshot<PullRequestInfo> snapshotConfiguration() {
            return new Snapshot();
        }

        /** Restores the serializer; migrates JSON state. */
        public static final class Snapshot extends JsonMigratingSnapshot<PullRequestInfo> {
            public Snapshot() {
                super(PullRequestInfo.class, () -> INSTANCE);
            }
        }
    }

    /** {@link PendingBuild}: a prediction waiting for its outcome, with its feature vector. */
    public static final class PendingBuildSerializer
            extends ImmutableRecordSerializer<PendingBuild> {
        private static final long serialVersionUID = 1L;
        public static final PendingBuildSerializer INSTANCE = new PendingBuildSerializer();

        private PendingBuildSerializer() {}

        @Override
        public void serialize(PendingBuild b, DataOutputView out) throws IOException {
            writeString(b.predictionId(), out);
            writeString(b.subjectType(), out);
            out.writeLong(b.subjectId());
            writeString(b.headSha(), out);
            writeNullableInt(b.runAttempt(), out);
            out.writeBoolean(b.features() != null);
            writeDoubleMap(b.features(), out); // in the model's feature order
            writeNullableInstant(b.featuresAt(), out);
            writeNullableInstant(b.expiresAt(), out);
            out.writeBoolean(b.causedBy() != null);
            writeStrings(b.causedBy(), out);
        }

        @Override
        public PendingBuild deserialize(DataInputView in) throws IOException {
            String predictionId = readString(in);
            String subjectType = readString(in);
            long subjectId = in.readLong();
            String headSha = readString(in);
            Integer runAttempt = readNullableInt(in);
            boolean hasFeatures = in.readBoolean();
            var features = readDoubleMap(in);
            var featuresAt = readNullableInstant(in);
            var expiresAt = readNullableInstant(in);
            boolean hasCausedBy = in.readBoolean();
            var causedBy = readStrings(in);
            return new PendingBuild(
                    predictionId,
                    subjectType,
                    subjectId,
                    headSha,
                    runAttempt,
                    hasFeatures ? features : null,
                    featuresAt,
                    expiresAt,
                    hasCausedBy ? causedBy : null);
        }

        @Override
        public TypeSerializerSnapshot<PendingBuild> snapshotConfiguration() {
            return new Snapshot();
        }

        /** Restores the serializer; migrates JSON state. */
        public static final class Snapshot extends JsonMigratingSnapshot<PendingBuild> {
            public Snapshot() {
                super(PendingBuild.class, () -> INSTANCE);
            }
        }
    }
}
