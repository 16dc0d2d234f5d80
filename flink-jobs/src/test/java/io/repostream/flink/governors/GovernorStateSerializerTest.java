package io.repostream.flink.governors;

import static io.repostream.flink.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.repostream.flink.KeyedStates;
import io.repostream.flink.rules.Policies;
import io.repostream.flink.serialization.JsonTypeInfo;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.RateLimit;
import io.repostream.schemas.RepoPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

class GovernorStateSerializerTest {
    private static final long NOW = T0.toEpochMilli();

    @Test
    void readsBackWhatItWroteWithAndWithoutTheOptionalFields() throws Exception {
        List<GovernorState> states =
                List.of(
                        GovernorState.empty(),
                        new GovernorState(List.of(1L, 2L, NOW), null, null, null, "installation:5"),
                        new GovernorState(null, List.of(NOW, NOW + 9), 4_999, NOW + 60_000, null),
                        new GovernorState(
                                List.of(-1L), List.of(Long.MAX_VALUE), 0, 0L, "repo:o/r"));
        for (GovernorState state : states) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            GovernorStateSerializer.INSTANCE.serialize(state, out);
            GovernorState back =
                    GovernorStateSerializer.INSTANCE.deserialize(
                            new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(back).isEqualTo(state);
        }
    }

    @Test
    void eachGovernorsOwnStateReadsBackAsWritten() throws Exception {
        List<RepoGovernorState> repo =
                List.of(
                        RepoGovernorState.empty(),
                        new RepoGovernorState(List.of(1L, 2L, NOW), "installation:5"),
                        new RepoGovernorState(List.of(-1L, Long.MAX_VALUE), "repo:o/r"));
        for (RepoGovernorState state : repo) {
            assertThat(roundTrip(RepoGovernorStateSerializer.INSTANCE, state)).isEqualTo(state);
        }
        List<InstallationGovernorState> installation =
                List.of(
                        InstallationGovernorState.empty(),
                        new InstallationGovernorState(
                                List.of(NOW, NOW + 9),
                                4_999,
                                NOW + 60_000,
                                NOW + 1_000,
                                NOW - 2_000,
                                3,
                                List.of(
                                        new InstallationGovernorState.Queued(
                                                1, 0, "o/a#1", NOW, Long.MAX_VALUE, true, false),
                                        new InstallationGovernorState.Queued(
                                                2, 2, "o/b#12", NOW + 5, NOW + 9, false, true))));
        for (InstallationGovernorState state : installation) {
            assertThat(roundTrip(InstallationGovernorStateSerializer.INSTANCE, state))
                    .isEqualTo(state);
        }
    }

    private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        T back = serializer.deserialize(in);
        assertThat(in.available()).isZero();
        return back;
    }

    @Test
    void migratesInstallationGovernorStateThatEarlierVersionsWroteAsJson() throws Exception {
        // an earlier job version: the same state name and TTL, the value as JSON
        OperatorSubtaskState jsonState;
        try (var before = harness(new JsonGovernorState())) {
            before.open();
            before.processElement(GovernorInput.of(comment("seed")), NOW);
            jsonState = before.snapshot(1, NOW);
        }

        try (var after = harness(new InstallationRateGovernor())) {
            after.initializeState(jsonState);
            after.open();
            after.setProcessingTime(NOW);
            after.processElement(GovernorInput.of(comment("81st")), NOW);
            runUntil(after, NOW + 70_000);

            // the 80 comments of the JSON state fill this minute: the next one waits
            assertThat(after.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            a ->
                                    assertThat(a.notBefore())
                                            .isEqualTo(T0.plus(Duration.ofMinutes(1))));
        }
    }

    @Test
    void movesTheSharedStateOfTheInstallationGovernorOfEarlierVersionsIntoItsOwn()
            throws Exception {
        // what main wrote before each governor had its own state: the shared GovernorState,
        // binary, under the installation governor's old state name
        OperatorSubtaskState legacyState;
        try (var before =
                harness(
                        new LegacyWriter(
                                "installation-governor",
                                new GovernorState(
                                        null, fullMinute(), 4_000, NOW + 600_000, null)))) {
            before.open();
            before.processElement(GovernorInput.of(comment("seed")), NOW);
            legacyState = before.snapshot(1, NOW);
        }

        try (var after = harness(new InstallationRateGovernor())) {
            after.initializeState(legacyState);
            after.open();
            after.setProcessingTime(NOW);
            after.processElement(GovernorInput.of(comment("81st")), NOW);
            runUntil(after, NOW + 70_000);

            assertThat(after.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            a ->
                                    assertThat(a.notBefore())
                                            .isEqualTo(T0.plus(Duration.ofMinutes(1))));
            // read once, then gone: the governor's own state holds it
            assertThat(KeyedStates.entries(after, "installation-governor")).isZero();
            assertThat(KeyedStates.entries(after, "installation-schedule")).isEqualTo(1);
        }
    }

    @Test
    void movesTheSharedStateOfTheRepoGovernorOfEarlierVersionsIntoItsOwn() throws Exception {
        OperatorSubtaskState legacyState;
        try (var before =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new LegacyWriter(
                                        "repo-governor",
                                        new GovernorState(
                                                List.of(NOW - 60_000),
                                                null,
                                                null,
                                                null,
                                                "installation:5"))),
                        (KeySelector<GovernorInput, String>) GovernorInput::repo,
                        Types.STRING)) {
            before.setStateBackend(new EmbeddedRocksDBStateBackend());
            before.open();
            before.processElement(GovernorInput.of(comment("seed")), NOW);
            legacyState = before.snapshot(1, NOW);
        }

        try (var after =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                new ActionRateGovernor(), List.of(Policies.DESCRIPTOR)),
                        (KeySelector<GovernorInput, String>) GovernorInput::repo,
                        Types.STRING,
                        1,
                        1,
                        0)) {
            after.setStateBackend(new EmbeddedRocksDBStateBackend());
            after.initializeState(legacyState);
            after.open();
            after.setProcessingTime(NOW);
            after.processBroadcastElement(
                    RepoPolicy.builder("o/a").actionBudgetPerHour(1).updatedAt(T0).build(), NOW);
            after.processElement(GovernorInput.of(audit()), NOW);
            after.processElement(GovernorInput.of(comment("second")), NOW);

            List<GovernorInput> out = after.extractOutputValues();
            // the installation the old state had learned addresses the audit's quota
            assertThat(out.get(0).installation()).isEqualTo("installation:5");
            // the one send of the last hour fills the budget of 1: the next waits for it to leave
            assertThat(out.get(1).action().notBefore())
                    .isEqualTo(T0.minusSeconds(60).plus(Duration.ofHours(1)));
            assertThat(KeyedStates.entries(after, "repo-governor")).isZero();
        }
    }

    private static List<Long> fullMinute() {
        List<Long> content = new ArrayList<>();
        for (int i = 0; i < InstallationRateGovernor.CONTENT_PER_MINUTE; i++) {
            content.add(NOW);
        }
        return content;
    }

    private static void runUntil(
            KeyedOneInputStreamOperatorTestHarness<String, GovernorInput, ActionRecord> harness,
            long until)
            throws Exception {
        for (long t = NOW; t < until; ) {
            t = Math.min(until, t + 250);
            harness.setProcessingTime(t);
        }
    }

    private static AuditRecord audit() {
        return new AuditRecord(
                "audit-1",
                "a-1",
                "o/a",
                1,
                ActionType.CREATE_COMMENT,
                AuditOutcome.APPLIED,
                null,
                null,
                201,
                new RateLimit(5000, 4000, 1000, T0.getEpochSecond() + 600, "core", null),
                null,
                "sla-monitor@1",
                List.of(),
                null,
                T0,
                T0);
    }

    /** Writes {@code value} for every key the way main's governors did (same name, TTL, form). */
    private static final class LegacyWriter
            extends KeyedProcessFunction<String, GovernorInput, ActionRecord> {
        private final String name;
        private final GovernorState value;
        private transient ValueState<GovernorState> state;

        LegacyWriter(String name, GovernorState value) {
            this.name = name;
            this.value = value;
        }

        @Override
        public void open(OpenContext openContext) {
            ValueStateDescriptor<GovernorState> descriptor =
                    new ValueStateDescriptor<>(name, GovernorStateSerializer.INSTANCE);
            descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(1)).build());
            state = getRuntimeContext().getState(descriptor);
        }

        @Override
        public void processElement(GovernorInput input, Context ctx, Collector<ActionRecord> out)
                throws Exception {
            state.update(value);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, GovernorInput, ActionRecord>
            harness(KeyedProcessFunction<String, GovernorInput, ActionRecord> function)
                    throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(function),
                        (KeySelector<GovernorInput, String>) GovernorInput::installationKey,
                        Types.STRING);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        return harness;
    }

    private static ActionRecord comment(String id) {
        return new ActionRecord(
                id,
                "o/a",
                1,
                ActionType.CREATE_COMMENT,
                JsonNodeFactory.instance.objectNode().put("body", "hi"),
                "test",
                List.of(),
                1,
                "sla-monitor@1",
                List.of("ev"),
                5L,
                T0,
                null,
                null,
                false);
    }

    /** Writes 80 comment reservations at NOW the way the installation governor used to. */
    private static final class JsonGovernorState
            extends KeyedProcessFunction<String, GovernorInput, ActionRecord> {
        private transient ValueState<GovernorState> state;

        @Override
        public void open(OpenContext openContext) {
            ValueStateDescriptor<GovernorState> descriptor =
                    new ValueStateDescriptor<>(
                            "installation-governor", JsonTypeInfo.of(GovernorState.class));
            descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(1)).build());
            state = getRuntimeContext().getState(descriptor);
        }

        @Override
        public void processElement(GovernorInput input, Context ctx, Collector<ActionRecord> out)
                throws Exception {
            List<Long> content = new ArrayList<>();
            for (int i = 0; i < InstallationRateGovernor.CONTENT_PER_MINUTE; i++) {
                content.add(NOW);
            }
            state.update(new GovernorState(null, content, null, null, null));
        }
    }
}
