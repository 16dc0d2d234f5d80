package io.repostream.flink.functions;

import static io.repostream.flink.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.repostream.flink.serialization.JsonTypeInfo;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
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

            // the 80 comments of the JSON state fill this minute: the next one waits
            assertThat(after.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            a ->
                                    assertThat(a.notBefore())
                                            .isEqualTo(T0.plus(Duration.ofMinutes(1))));
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
