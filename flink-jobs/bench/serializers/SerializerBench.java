package io.repostream.bench;

import io.repostream.flink.Events;
import io.repostream.flink.governors.GovernorInput;
import io.repostream.flink.governors.GovernorInputSerializer;
import io.repostream.flink.governors.InstallationGovernorState;
import io.repostream.flink.governors.InstallationGovernorStateSerializer;
import io.repostream.flink.governors.RepoGovernorState;
import io.repostream.flink.governors.RepoGovernorStateSerializer;
import io.repostream.flink.metrics.MetricWindowAccSerializer;
import io.repostream.flink.metrics.MetricWindowAggregate;
import io.repostream.flink.prediction.OutcomeStats;
import io.repostream.flink.prediction.PendingBuild;
import io.repostream.flink.prediction.PredictorStateSerializers;
import io.repostream.flink.prediction.PullRequestInfo;
import io.repostream.flink.prediction.RepoHistory;
import io.repostream.flink.rules.ci.CiWorkflowState;
import io.repostream.flink.rules.ci.CiWorkflowStateSerializer;
import io.repostream.flink.rules.sla.SlaState;
import io.repostream.flink.rules.sla.SlaStateSerializer;
import io.repostream.flink.serialization.ActionRecordSerializer;
import io.repostream.flink.serialization.GitHubEventSerializer;
import io.repostream.flink.serialization.RepoMetricsSerializer;
import io.repostream.flink.serialization.SampleRecords;
import io.repostream.flink.state.StateSamples;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Each hand-written serializer against the serializer Flink picks for the same class ({@code
 * TypeInformation.of(type)}: a POJO serializer for records whose fields it knows, Kryo otherwise),
 * in one JVM, alternating: ns per serialize + deserialize of the type's samples and bytes per
 * value, medians of the runs. Arguments: runs (default 7), operations per run (default 20000).
 */
public final class SerializerBench {
    private SerializerBench() {}

    private record Case<T>(
            String name, boolean hotPath, Class<T> type, TypeSerializer<T> hand, List<T> samples) {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        List<ActionRecord> actions = SampleRecords.actions();
        Instant t = Instant.parse("2026-03-02T09:00:00Z");
        List<GitHubEvent> events =
                List.of(
                        Events.issue("opened", "octo-org/widgets", 7, List.of("P1", "bug"), t),
                        Events.workflowRun("octo-org/widgets", "CI", 10, "abc", "failure", 1, 5, t));
        List<RepoMetrics> metrics =
                List.of(
                        new RepoMetrics(
                                "octo-org/widgets",
                                "events_total",
                                Map.of("type", "issues"),
                                3.0,
                                t,
                                t.plusSeconds(60)));
        List<Long> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent.add(t.toEpochMilli() + i * 1000L);
        }
        List<Case<?>> cases =
                List.of(
                        new Case<>("GitHubEvent", true, GitHubEvent.class, GitHubEventSerializer.INSTANCE, events),
                        new Case<>("ActionRecord", true, ActionRecord.class, ActionRecordSerializer.INSTANCE, actions),
                        new Case<>("RepoMetrics", true, RepoMetrics.class, RepoMetricsSerializer.INSTANCE, metrics),
                        new Case<>(
                                "GovernorInput",
                                true,
                                GovernorInput.class,
                                GovernorInputSerializer.INSTANCE,
                                actions.stream().map(GovernorInput::of).toList()),
                        new Case<>("SlaState", false, SlaState.class, SlaStateSerializer.INSTANCE, StateSamples.slaStates()),
                        new Case<>(
                                "CiWorkflowState",
                                false,
                                CiWorkflowState.class,
                                CiWorkflowStateSerializer.INSTANCE,
                                StateSamples.ciWorkflowStates()),
                        new Case<>(
                                "RepoGovernorState",
                                false,
                                RepoGovernorState.class,
                                RepoGovernorStateSerializer.INSTANCE,
                                List.of(new RepoGovernorState(sent, "installation:42"))),
                        new Case<>(
                                "InstallationGovernorState",
                                false,
                                InstallationGovernorState.class,
                                InstallationGovernorStateSerializer.INSTANCE,
                                List.of(
                                        new InstallationGovernorState(
                                                sent.subList(0, 10), 4000, t.toEpochMilli(),
                                                t.toEpochMilli(), t.toEpochMilli(), 17,
                                                List.of(
                                                        new InstallationGovernorState.Queued(
                                                                16, 2, "octo-org/widgets#7",
                                                                t.toEpochMilli(), Long.MAX_VALUE,
                                                                false, false))))),
                        new Case<>(
                                "MetricWindowAcc",
                                false,
                                MetricWindowAggregate.Acc.class,
                                MetricWindowAccSerializer.INSTANCE,
                                StateSamples.accumulators()),
                        new Case<>("OutcomeStats", false, OutcomeStats.class, PredictorStateSerializers.OutcomeStatsSerializer.INSTANCE, StateSamples.outcomeStats()),
                        new Case<>("RepoHistory", false, RepoHistory.class, PredictorStateSerializers.RepoHistorySerializer.INSTANCE, StateSamples.repoHistories()),
                        new Case<>("PullRequestInfo", false, PullRequestInfo.class, PredictorStateSerializers.PullRequestInfoSerializer.INSTANCE, StateSamples.pullRequests()),
                        new Case<>("PendingBuild", false, PendingBuild.class, PredictorStateSerializers.PendingBuildSerializer.INSTANCE, StateSamples.pendingBuilds()));

        System.out.printf(
                "runs=%d ops/run=%d java=%s%n", runs, ops, System.getProperty("java.version"));
        System.out.println(
                "| type | hot path | Flink picks | hand ns/op | Flink ns/op | Flink/hand | hand bytes | Flink bytes |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Case<?> c : cases) {
            System.out.println(row(c, runs, ops));
        }
    }

    private static <T> String row(Case<T> c, int runs, int ops) {
        TypeInformation<T> info = TypeInformation.of(c.type());
        String picked = info.getClass().getSimpleName();
        TypeSerializer<T> flink;
        try {
            flink = info.createSerializer(new SerializerConfigImpl());
            roundTrip(flink, c.samples(), c.samples().size());
        } catch (Exception | Error e) {
            return String.format(
                    "| %s | %s | %s | %s | fails: %s | | %d | |",
                    c.name(), c.hotPath() ? "yes" : "no", picked, "", oneLine(e),
                    bytes(c.hand(), c.samples()));
        }
        // warm up both
        for (int i = 0; i < 3; i++) {
            time(c.hand(), c.samples(), ops);
            time(flink, c.samples(), ops);
        }
        double[] hand = new double[runs];
        double[] own = new double[runs];
        for (int r = 0; r < runs; r++) {
            hand[r] = time(c.hand(), c.samples(), ops);
            own[r] = time(flink, c.samples(), ops);
        }
        double h = median(hand);
        double f = median(own);
        return String.format(
                "| %s | %s | %s (%s) | %.0f | %.0f | %.2f | %d | %d |",
                c.name(), c.hotPath() ? "yes" : "no", picked,
                flink.getClass().getSimpleName(), h, f, f / h,
                bytes(c.hand(), c.samples()), bytes(flink, c.samples()));
    }

    private static String oneLine(Throwable e) {
        String m = e.getClass().getSimpleName() + " " + e.getMessage();
        m = m.replace('\n', ' ').replace('|', '/');
        return m.length() > 120 ? m.substring(0, 120) + "…" : m;
    }

    /** Median ns of one serialize + deserialize over {@code ops} operations. */
    private static <T> double time(TypeSerializer<T> s, List<T> samples, int ops) {
        try {
            long start = System.nanoTime();
            Object sink = roundTrip(s, samples, ops);
            long elapsed = System.nanoTime() - start;
            if (sink == null) {
                throw new AssertionError();
            }
            return (double) elapsed / ops;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> Object roundTrip(TypeSerializer<T> s, List<T> samples, int ops)
            throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(4096);
        DataInputDeserializer in = new DataInputDeserializer();
        Object last = null;
        for (int i = 0; i < ops; i++) {
            T value = samples.get(i % samples.size());
            out.clear();
            s.serialize(value, out);
            in.setBuffer(out.getSharedBuffer(), 0, out.length());
            last = s.deserialize(in);
            if (i < samples.size() && !last.equals(value)) {
                throw new AssertionError(s.getClass().getSimpleName() + " changed " + value);
            }
        }
        return last;
    }

    /** Mean bytes per sample. */
    private static <T> long bytes(TypeSerializer<T> s, List<T> samples) {
        long total = 0;
        try {
            DataOutputSerializer out = new DataOutputSerializer(4096);
            for (T v : samples) {
                out.clear();
                s.serialize(v, out);
                total += out.length();
            }
        } catch (Exception e) {
            return -1;
        }
        return total / samples.size();
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
