package io.repostream.flink.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.metrics.MetricWindowAccSerializer;
import io.repostream.flink.metrics.MetricWindowAggregate;
import io.repostream.flink.prediction.OutcomeStats;
import io.repostream.flink.prediction.PendingBuild;
import io.repostream.flink.prediction.PredictorStateSerializers.OutcomeStatsSerializer;
import io.repostream.flink.prediction.PredictorStateSerializers.PendingBuildSerializer;
import io.repostream.flink.prediction.PredictorStateSerializers.PullRequestInfoSerializer;
import io.repostream.flink.prediction.PredictorStateSerializers.RepoHistorySerializer;
import io.repostream.flink.prediction.PullRequestInfo;
import io.repostream.flink.prediction.RepoHistory;
import io.repostream.flink.rules.ci.CiWorkflowState;
import io.repostream.flink.rules.ci.CiWorkflowStateSerializer;
import io.repostream.flink.rules.sla.SlaState;
import io.repostream.flink.rules.sla.SlaStateSerializer;
import io.repostream.flink.serialization.JsonTypeSerializer;
import io.repostream.flink.serialization.SerializerContract;
import io.repostream.schemas.RepoPolicy;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The binary state serializers: exact round trips, and JSON state of the same class migrates. */
class StateSerializersTest {

    static Stream<Arguments> serializers() {
        return Stream.of(
                Arguments.of(SlaState.class, SlaStateSerializer.INSTANCE, StateSamples.slaStates()),
                Arguments.of(
                        CiWorkflowState.class,
                        CiWorkflowStateSerializer.INSTANCE,
                        StateSamples.ciWorkflowStates()),
                Arguments.of(
                        MetricWindowAggregate.Acc.class,
                        MetricWindowAccSerializer.INSTANCE,
                        StateSamples.accumulators()),
                Arguments.of(
                        OutcomeStats.class,
                        OutcomeStatsSerializer.INSTANCE,
                        StateSamples.outcomeStats()),
                Arguments.of(
                        RepoHistory.class,
                        RepoHistorySerializer.INSTANCE,
                        StateSamples.repoHistories()),
                Arguments.of(
                        PullRequestInfo.class,
                        PullRequestInfoSerializer.INSTANCE,
                        StateSamples.pullRequests()),
                Arguments.of(
                        PendingBuild.class,
                        PendingBuildSerializer.INSTANCE,
                        StateSamples.pendingBuilds()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serializers")
    <T extends Record> void carriesEveryFieldOfTheState(
            Class<T> type, TypeSerializer<T> serializer, List<T> samples) throws Exception {
        SerializerContract.check(type, serializer, samples);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serializers")
    <T extends Record> void migratesStateThatTheJsonSerializerWroteForTheSameClass(
            Class<T> type, TypeSerializer<T> serializer, List<T> samples) {
        var fromJson =
                serializer
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(
                                new JsonTypeSerializer<>(type).snapshotConfiguration());
        assertThat(fromJson.isCompatibleAfterMigration()).isTrue();

        @SuppressWarnings({"unchecked", "rawtypes"})
        var otherClass =
                serializer
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(
                                (org.apache.flink.api.common.typeutils.TypeSerializerSnapshot)
                                        new JsonTypeSerializer<>(RepoPolicy.class)
                                                .snapshotConfiguration());
        assertThat(otherClass.isIncompatible()).isTrue();
    }
}
