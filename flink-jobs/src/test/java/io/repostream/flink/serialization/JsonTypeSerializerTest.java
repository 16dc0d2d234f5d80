package io.repostream.flink.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.json.Json;
import io.repostream.testkit.fixtures.WebhookExample;
import io.repostream.testkit.fixtures.WebhookExamples;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshotSerializationUtil;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class JsonTypeSerializerTest {

    @Test
    void roundTripsEveryRealWebhookPayloadExactly() throws Exception {
        TypeSerializer<GitHubEvent> serializer =
                JsonTypeInfo.of(GitHubEvent.class).createSerializer(new SerializerConfigImpl());
        List<WebhookExample> examples = WebhookExamples.all();
        assertThat(examples).hasSizeGreaterThan(300);

        for (WebhookExample example : examples) {
            GitHubEvent event = event(example);
            DataOutputSerializer out = new DataOutputSerializer(4096);
            serializer.serialize(event, out);

            GitHubEvent back =
                    serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

            assertThat(back).as(example.toString()).isEqualTo(event);
        }
    }

    @Test
    void copiesSerializedBytesWithoutDecodingThem() throws Exception {
        TypeSerializer<GitHubEvent> serializer = new JsonTypeSerializer<>(GitHubEvent.class);
        GitHubEvent event = event(WebhookExamples.first("issues", "opened"));
        DataOutputSerializer first = new DataOutputSerializer(4096);
        serializer.serialize(event, first);
        serializer.serialize(event, first);

        DataInputDeserializer in = new DataInputDeserializer(first.getCopyOfBuffer());
        DataOutputSerializer copied = new DataOutputSerializer(4096);
        serializer.copy(in, copied);
        serializer.copy(in, copied);

        assertThat(copied.getCopyOfBuffer()).isEqualTo(first.getCopyOfBuffer());
    }

    @Test
    void roundTripsPoliciesAndActionsWithTheirNestedDefaults() throws Exception {
        RepoPolicy policy = RepoPolicy.defaults("octo-org/widgets");
        ActionRecord action =
                new ActionRecord(
                        "a-1",
                        "octo-org/widgets",
                        7,
                        ActionType.ADD_LABELS,
                        Json.mapper().readTree("{\"labels\":[\"x\"]}"),
                        "because",
                        List.of("e"),
                        0.5,
                        "test@1",
                        List.of("ev-1"),
                        null,
                        Instant.parse("2026-01-01T00:00:00Z"),
                        null,
                        null,
                        false);

        assertThat(roundTrip(RepoPolicy.class, policy)).isEqualTo(policy);
        assertThat(roundTrip(ActionRecord.class, action)).isEqualTo(action);
    }

    @Test
    void restoresFromItsSnapshotAndStaysCompatibleOnlyWithTheSameRecordType() throws Exception {
        JsonTypeSerializer<GitHubEvent> serializer = new JsonTypeSerializer<>(GitHubEvent.class);
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshotSerializationUtil.writeSerializerSnapshot(
                out, serializer.snapshotConfiguration());

        TypeSerializerSnapshot<GitHubEvent> restored =
                TypeSerializerSnapshotSerializationUtil.readSerializerSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());

        assertThat(restored.restoreSerializer()).isEqualTo(serializer);
        TypeSerializerSchemaCompatibility<GitHubEvent> same =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertThat(same.isCompatibleAsIs()).isTrue();
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeSerializerSnapshot<GitHubEvent> other =
                (TypeSerializerSnapshot)
                        new JsonTypeSerializer<>(RepoPolicy.class).snapshotConfiguration();
        assertThat(
                        serializer
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(other)
                                .isIncompatible())
                .isTrue();
    }

    private static <T> T roundTrip(Class<T> type, T value) throws Exception {
        JsonTypeSerializer<T> serializer = new JsonTypeSerializer<>(type);
        DataOutputSerializer out = new DataOutputSerializer(1024);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    private static GitHubEvent event(WebhookExample example) throws Exception {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        return new GitHubEvent(
                "delivery-" + example.index(),
                EventSource.WEBHOOK,
                example.event(),
                example.action(),
                "octo-org/widgets",
                null,
                1L,
                at,
                at,
                Json.mapper().readTree(example.json()));
    }
}
