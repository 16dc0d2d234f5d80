package io.repostream.flink.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.Checkpoints;
import io.repostream.flink.CollectingSink;
import io.repostream.flink.FiniteSource;
import io.repostream.flink.RepostreamJob;
import io.repostream.flink.metrics.MetricSignals;
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
import io.repostream.flink.serialization.JsonTypeInfo;
import io.repostream.flink.serialization.JsonTypeSerializer;
import io.repostream.flink.serialization.WireTypes;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A RocksDB checkpoint whose keyed and window state was written as JSON (as every version before
 * the binary state serializers) restores under the binary serializers with the same state: the same
 * state names, operator uids and TTL settings as the job's functions, one job that writes and is
 * cancelled after its checkpoints, one restored from the last of them that reads.
 */
class JsonStateMigrationTest {
    private static final int KEYS = 30;
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:10Z");

    @TempDir Path checkpoints;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void restoresJsonStateFromARocksDbCheckpointAsTheSameStateUnderTheBinarySerializers()
            throws Exception {
        CollectingSink<String> written = new CollectingSink<>();
        StreamExecutionEnvironment writing = env(null);
        build(
                writing,
                new DataGeneratorSource<>(
                        i -> i, Long.MAX_VALUE, RateLimiterStrategy.perSecond(200), Types.LONG),
                "json-ticks",
                false,
                written,
                new CollectingSink<>());
        JobClient job = writing.executeAsync("json-state");
        String jobId = job.getJobID().toString();
        awaitAllKeys(written);
        Checkpoints.awaitMore(
                checkpoints, jobId, 2); // the second started after every key was written
        Path checkpoint = Checkpoints.latest(checkpoints, jobId);
        job.cancel().get(30, TimeUnit.SECONDS);

        CollectingSink<String> read = new CollectingSink<>();
        CollectingSink<RepoMetrics> windows = new CollectingSink<>();
        List<Long> keys = new ArrayList<>();
        for (long i = 0; i < KEYS; i++) {
            keys.add(i);
        }
        StreamExecutionEnvironment reading = env(checkpoint);
        build(reading, FiniteSource.of(Long.class, keys), "keys", true, read, windows);
        reading.execute("binary-state");

        List<String> expected = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
            expected.add(StateWriter.describe(k));
        }
        assertThat(read.collected()).containsExactlyInAnyOrderElementsOf(expected);
        // each window holds the JSON accumulator's sample plus the one added after the restore
        assertThat(windows.collected())
                .hasSize(KEYS)
                .allSatisfy(
                        m -> {
                            assertThat(m.value()).isEqualTo(2);
                            assertThat(m.windowStart())
                                    .isEqualTo(Instant.parse("2026-03-02T09:00:00Z"));
                        });
        assertThat(windows.collected())
                .extracting(m -> m.labels().get("type"))
                .containsExactlyInAnyOrderElementsOf(keys.stream().map(i -> "k" + i).toList());
    }

    private void build(
            StreamExecutionEnvironment env,
            Source<Long, ?, ?> source,
            String sourceUid,
            boolean binary,
            CollectingSink<String> stateOut,
            CollectingSink<RepoMetrics> windowOut) {
        DataStream<Long> ticks =
                env.fromSource(
                                source,
                                WatermarkStrategy.<Long>forMonotonousTimestamps()
                                        .withTimestampAssigner((i, t) -> T0.toEpochMilli()),
                                sourceUid)
                        .uid(sourceUid);
        ticks.keyBy(i -> "k" + (i < KEYS ? i : "-idle"), Types.STRING)
                .process(new StateWriter(binary), Types.STRING)
                .uid("state-writer")
                .sinkTo(stateOut);
        TypeInformation<MetricWindowAggregate.Acc> acc =
                binary
                        ? MetricWindowAccSerializer.TYPE
                        : JsonTypeInfo.of(MetricWindowAggregate.Acc.class);
        ticks.filter(i -> i < KEYS)
                .map(
                        i ->
                                new RepoMetrics(
                                        "octo-org/widgets",
                                        MetricSignals.EVENTS,
                                        Map.of("type", "k" + i),
                                        1,
                                        T0,
                                        T0),
                        WireTypes.REPO_METRICS)
                .keyBy(new MetricSignals.SeriesKey(), Types.STRING)
                .window(TumblingEventTimeWindows.of(RepostreamJob.METRICS_WINDOW))
                .aggregate(
                        new MetricWindowAggregate(),
                        new MetricWindowAggregate.ToMetric(),
                        acc,
                        acc,
                        WireTypes.REPO_METRICS)
                .uid("metric-windows")
                .sinkTo(windowOut);
    }

    private StreamExecutionEnvironment env(Path restoreFrom) {
        Configuration conf = RepostreamJob.localConfiguration(checkpoints, Duration.ofMillis(300));
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom.toUri().toString());
            // the writing job's source is not in the reading job
            conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    /**
     * Keyed state as the SLA monitor, the CI retry planner and the success predictor keep it: their
     * state names, kinds (value, map) and TTLs; JSON serializers as before, or the binary ones.
     */
    static final class StateWriter extends KeyedProcessFunction<String, Long, String> {
        private static final long serialVersionUID = 1L;

        private final boolean binary;
        private transient ValueState<SlaState> sla;
        private transient ValueState<CiWorkflowState> workflow;
        private transient ValueState<RepoHistory> history;
        private transient MapState<String, PendingBuild> pending;
        private transient MapState<Long, OutcomeStats> outcomes;
        private transient MapState<Long, PullRequestInfo> pullRequests;

        StateWriter(boolean binary) {
            this.binary = binary;
        }

        @Override
        public void open(OpenContext openContext) {
            sla =
                    value(
                            "sla-item",
                            SlaState.class,
                            SlaStateSerializer.INSTANCE,
                            Duration.ofDays(400));
            workflow =
                    value(
                            "ci-workflow",
                            CiWorkflowState.class,
                            CiWorkflowStateSerializer.INSTANCE,
                            Duration.ofDays(30));
            history =
                    value(
                            "repo-history",
                            RepoHistory.class,
                            RepoHistorySerializer.INSTANCE,
                            Duration.ofDays(180));
            pending =
                    getRuntimeContext()
                            .getMapState(
                                    new MapStateDescriptor<>(
                                            "pending-builds",
                                            StringSerializer.INSTANCE,
                                            serializer(
                                                    PendingBuild.class,
                                                    PendingBuildSerializer.INSTANCE)));
            MapStateDescriptor<Long, OutcomeStats> workflows =
                    new MapStateDescriptor<>(
                            "workflow-history",
                            LongSerializer.INSTANCE,
                            serializer(OutcomeStats.class, OutcomeStatsSerializer.INSTANCE));
            workflows.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(180)).build());
            outcomes = getRuntimeContext().getMapState(workflows);
            MapStateDescriptor<Long, PullRequestInfo> prs =
                    new MapStateDescriptor<>(
                            "pull-requests",
                            LongSerializer.INSTANCE,
                            serializer(PullRequestInfo.class, PullRequestInfoSerializer.INSTANCE));
            prs.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(30)).build());
            pullRequests = getRuntimeContext().getMapState(prs);
        }

        private <T> TypeSerializer<T> serializer(Class<T> type, TypeSerializer<T> binaryForm) {
            return binary ? binaryForm : new JsonTypeSerializer<>(type);
        }

        private <T> ValueState<T> value(
                String name, Class<T> type, TypeSerializer<T> binaryForm, Duration ttl) {
            ValueStateDescriptor<T> descriptor =
                    new ValueStateDescriptor<>(name, serializer(type, binaryForm));
            descriptor.enableTimeToLive(StateTtlConfig.newBuilder(ttl).build());
            return getRuntimeContext().getState(descriptor);
        }

        @Override
        public void processElement(Long i, Context ctx, Collector<String> out) throws Exception {
            if (i >= KEYS) {
                return; // the writing job's source goes on until the test cancels it
            }
            int k = i.intValue();
            if (!binary) {
                sla.update(pick(StateSamples.slaStates(), k));
                workflow.update(pick(StateSamples.ciWorkflowStates(), k));
                history.update(pick(StateSamples.repoHistories(), k));
                pending.put("p" + k, pick(StateSamples.pendingBuilds(), k));
                pending.put("q" + k, pick(StateSamples.pendingBuilds(), k + 1));
                outcomes.put((long) k, pick(StateSamples.outcomeStats(), k));
                pullRequests.put((long) k, pick(StateSamples.pullRequests(), k));
                out.collect("k" + k);
                return;
            }
            Map<String, PendingBuild> builds = new TreeMap<>();
            for (var e : pending.entries()) {
                builds.put(e.getKey(), e.getValue());
            }
            out.collect(
                    describe(
                            k,
                            sla.value(),
                            workflow.value(),
                            history.value(),
                            builds,
                            outcomes.get((long) k),
                            pullRequests.get((long) k)));
        }

        /** What the reading job must find for key {@code k}. */
        static String describe(int k) {
            Map<String, PendingBuild> builds = new TreeMap<>();
            builds.put("p" + k, pick(StateSamples.pendingBuilds(), k));
            builds.put("q" + k, pick(StateSamples.pendingBuilds(), k + 1));
            return describe(
                    k,
                    pick(StateSamples.slaStates(), k),
                    pick(StateSamples.ciWorkflowStates(), k),
                    pick(StateSamples.repoHistories(), k),
                    builds,
                    pick(StateSamples.outcomeStats(), k),
                    pick(StateSamples.pullRequests(), k));
        }

        private static String describe(int k, Object... values) {
            try {
                return "k" + k + " " + Json.mapper().writeValueAsString(List.of(values));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private static <T> T pick(List<T> samples, int k) {
            return samples.get(k % samples.size());
        }
    }

    private static void awaitAllKeys(CollectingSink<String> written) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (written.collected().stream().distinct().count() < KEYS) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the writing job wrote " + written.collected());
            }
            Thread.sleep(50);
        }
    }
}
