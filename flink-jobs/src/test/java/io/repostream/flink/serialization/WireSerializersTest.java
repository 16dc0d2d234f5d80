package io.repostream.flink.serialization;

import static io.repostream.flink.serialization.SerializerContract.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import io.repostream.flink.kafka.GitHubEventDecoder;
import io.repostream.flink.metrics.MetricSignals;
import io.repostream.flink.rules.RuleFields;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.fixtures.WebhookExample;
import io.repostream.testkit.fixtures.WebhookExamples;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class WireSerializersTest {
    private static final Instant AT = Instant.parse("2026-03-02T09:00:00.123456789Z");

    @Test
    void carriesEveryFieldOfEventsBuiltFromEveryRealGitHubExamplePayload() throws Exception {
        List<WebhookExample> examples = WebhookExamples.all();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(329);
        GitHubEventDecoder decoder = new GitHubEventDecoder();
        List<GitHubEvent> samples = new ArrayList<>();
        for (WebhookExample example : examples) {
            GitHubEvent full = event(example);
            // as the job has them: projected by the events source, then by RuleFields
            GitHubEvent decoded = decoder.decode(Topics.EVENTS.valueCodec().encode(full));
            samples.add(full);
            samples.add(decoded);
            samples.add(new RuleFields().map(decoded));
        }
        samples.add(unicodeEvent());

        SerializerContract.check(GitHubEvent.class, GitHubEventSerializer.INSTANCE, samples);
    }

    @Test
    void carriesEveryFieldOfActions() throws Exception {
        SerializerContract.check(
                ActionRecord.class, ActionRecordSerializer.INSTANCE, SampleRecords.actions());
    }

    @Test
    void carriesEveryFieldOfMetricSamples() throws Exception {
        List<RepoMetrics> samples = new ArrayList<>();
        for (WebhookExample example : WebhookExamples.all()) {
            samples.add(new MetricSignals.EventCount().map(event(example)));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("priority", "P0");
        labels.put("kind", SampleRecords.UNICODE);
        labels.put("action_type", "add_labels");
        samples.add(
                new RepoMetrics(
                        "installation:42",
                        "sla_compliance_ratio",
                        labels,
                        0.8125,
                        AT,
                        AT.plusSeconds(60)));
        samples.add(new RepoMetrics("octo-org/widgets", "open_items", Map.of(), -3, AT, AT));

        SerializerContract.check(RepoMetrics.class, RepoMetricsSerializer.INSTANCE, samples);
    }

    @Test
    void keepsEveryKindOfJsonNodeAsItIs() throws Exception {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode tree = nodes.objectNode();
        tree.put("int", 7);
        tree.put("long", 7L);
        tree.put("short", (short) 7);
        tree.put("float", 0.5f);
        tree.put("double", 0.1);
        tree.put("decimal", new BigDecimal("12.3400"));
        tree.put("big_integer", new BigInteger("123456789012345678901234567890"));
        tree.put("negative_big_integer", new BigInteger("-98765432109876543210"));
        tree.put("true", true);
        tree.put("false", false);
        tree.putNull("null");
        tree.put("text", SampleRecords.UNICODE);
        tree.put("empty_text", "");
        tree.put("binary", new byte[] {0, 1, -1, 127});
        tree.putObject("empty_object");
        tree.putArray("empty_array");
        tree.putArray("array").add(1).add("two").addNull().addObject().put("nested", 3L);
        tree.put("z_after_a", 1).put("a_after_z", 2);

        JsonNode back = roundTrip(GitHubEventSerializer.INSTANCE, withPayload(tree)).payload();

        assertThat(back).isEqualTo(tree);
        assertThat(Json.mapper().writeValueAsString(back))
                .isEqualTo(Json.mapper().writeValueAsString(tree));
        List<Class<?>> kinds = new ArrayList<>();
        tree.forEach(n -> kinds.add(n.getClass()));
        List<Class<?>> kindsBack = new ArrayList<>();
        back.forEach(n -> kindsBack.add(n.getClass()));
        assertThat(kindsBack).isEqualTo(kinds);
    }

    @Test
    void refusesNodesThatParsedJsonNeverHas() {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        tree.set("pojo", new POJONode(new Object()));

        assertThatThrownBy(
                        () ->
                                GitHubEventSerializer.INSTANCE.serialize(
                                        withPayload(tree), new DataOutputSerializer(64)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("POJO");
    }

    @Test
    void isWhatTheWireTypesCreate() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        assertThat(WireTypes.GITHUB_EVENT.createSerializer(config))
                .isSameAs(GitHubEventSerializer.INSTANCE);
        assertThat(WireTypes.ACTION_RECORD.createSerializer(config))
                .isSameAs(ActionRecordSerializer.INSTANCE);
        assertThat(WireTypes.REPO_METRICS.createSerializer(config))
                .isSameAs(RepoMetricsSerializer.INSTANCE);
        assertThat(WireTypes.GITHUB_EVENT).isNotEqualTo(JsonTypeInfo.of(GitHubEvent.class));
    }

    static GitHubEvent event(WebhookExample example) throws IOException {
        int i = example.index() + example.event().length();
        return new GitHubEvent(
                "delivery-" + example.qualifiedType() + "-" + example.index(),
                i % 2 == 0 ? EventSource.WEBHOOK : EventSource.POLL,
                example.event(),
                example.action(),
                i % 5 == 0 ? null : "octo-org/widgets-" + (i % 3),
                i % 4 == 0 ? null : "octo-org",
                i % 3 == 0 ? null : 42L + i,
                AT.plusMillis(i),
                AT.plusSeconds(i),
                Json.mapper().readTree(example.json()));
    }

    private static GitHubEvent unicodeEvent() {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("action", "opened");
        payload.putObject("issue").put("title", SampleRecords.UNICODE).put("number", 1);
        return new GitHubEvent(
                "délivery-😀",
                EventSource.WEBHOOK,
                "issues",
                "opened",
                "octo-org/unicode",
                "octo-org",
                1L,
                AT,
                AT,
                payload);
    }

    private static GitHubEvent withPayload(JsonNode payload) {
        return new GitHubEvent(
                "d-1", EventSource.WEBHOOK, "issues", null, null, null, null, AT, AT, payload);
    }
}
