package io.repostream.flink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.flink.prediction.BuildSignals;
import io.repostream.flink.rules.PayloadProjection;
import io.repostream.flink.rules.RuleFields;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.fixtures.WebhookExample;
import io.repostream.testkit.fixtures.WebhookExamples;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GitHubEventDecoderTest {
    private static final Instant AT = Instant.parse("2026-03-02T09:00:00Z");

    private final GitHubEventDecoder decoder = new GitHubEventDecoder();

    static Stream<WebhookExample> examples() {
        return WebhookExamples.all().stream();
    }

    @Test
    void coversEveryGitHubExamplePayload() {
        assertThat(WebhookExamples.all()).hasSizeGreaterThanOrEqualTo(329);
    }

    @ParameterizedTest
    @MethodSource("examples")
    void readingWhileParsingKeepsExactlyWhatTheTreeProjectionKeeps(WebhookExample example)
            throws Exception {
        JsonNode tree = Json.mapper().readTree(example.json());
        for (Map<String, Object> spec :
                List.of(RuleFields.KEPT, BuildSignals.FIELDS, GitHubEventDecoder.JOB_FIELDS)) {
            try (JsonParser parser = Json.mapper().createParser(example.body())) {
                parser.nextToken();
                JsonNode streamed = PayloadProjection.read(parser, spec);
                assertThat(streamed).isEqualTo(PayloadProjection.project(tree, spec));
                assertThat(parser.nextToken()).as("parser left after the payload").isNull();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void givesTheRulesAndThePredictorWhatTheFullPayloadGivesThem(WebhookExample example)
            throws Exception {
        GitHubEvent full = event(example, Json.mapper().readTree(example.json()));

        GitHubEvent decoded = decoder.decode(Topics.EVENTS.valueCodec().encode(full));

        assertThat(decoded)
                .isEqualTo(
                        event(
                                example,
                                PayloadProjection.project(
                                        full.payload(), GitHubEventDecoder.JOB_FIELDS)));
        assertThat(new RuleFields().map(decoded)).isEqualTo(new RuleFields().map(full));
        assertThat(BuildSignals.of(decoded)).isEqualTo(BuildSignals.of(full));
    }

    @Test
    void shrinksTheRealPayloadsTenfold() throws Exception {
        long before = 0;
        long after = 0;
        for (WebhookExample example : WebhookExamples.all()) {
            byte[] json =
                    Topics.EVENTS
                            .valueCodec()
                            .encode(event(example, Json.mapper().readTree(example.json())));
            before += json.length;
            after += Topics.EVENTS.valueCodec().encode(decoder.decode(json)).length;
        }
        assertThat(after).isLessThan(before / 10);
    }

    @Test
    void failsOnMalformedJsonEvenInsideASkippedPart() {
        String broken =
                "{\"event_id\":\"e\",\"source\":\"webhook\",\"type\":\"issues\","
                        + "\"occurred_at\":\"2026-03-02T09:00:00Z\","
                        + "\"received_at\":\"2026-03-02T09:00:00Z\","
                        + "\"payload\":{\"repository\":{\"name\": tru},\"action\":\"opened\"}}";

        assertThatThrownBy(() -> decoder.decode(broken.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void failsOnWhatIsNotAnEventAsTheJsonBindingDoes() {
        for (String notAnEvent :
                List.of("", "[1,2]", "\"text\"", "{\"this is\": \"not an event\"}", "{\"a\":")) {
            assertThatThrownBy(() -> decoder.decode(notAnEvent.getBytes(StandardCharsets.UTF_8)))
                    .as(notAnEvent)
                    .isInstanceOfAny(IOException.class, IllegalArgumentException.class);
            assertThatThrownBy(
                            () ->
                                    Json.mapper()
                                            .readerFor(GitHubEvent.class)
                                            .readValue(notAnEvent.getBytes(StandardCharsets.UTF_8)))
                    .as(notAnEvent)
                    .isInstanceOfAny(IOException.class, IllegalArgumentException.class);
        }
    }

    private static GitHubEvent event(WebhookExample example, JsonNode payload) {
        return new GitHubEvent(
                "delivery-" + example.index(),
                EventSource.WEBHOOK,
                example.event(),
                example.action(),
                "octo-org/widgets",
                "octo-org",
                7L,
                AT,
                AT.plusSeconds(1),
                payload);
    }
}
