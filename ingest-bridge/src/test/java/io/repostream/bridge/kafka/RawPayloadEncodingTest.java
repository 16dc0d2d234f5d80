package io.repostream.bridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.bridge.webhook.EventNormalizer;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.fixtures.WebhookExample;
import io.repostream.testkit.fixtures.WebhookExamples;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RawPayloadEncodingTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void everyExampleEncodesToTheRecordTheCodecReadsBackWithTheBodyBytesInside() {
        for (WebhookExample example : WebhookExamples.all()) {
            byte[] body = example.body();
            GitHubEvent event =
                    EventNormalizer.normalize(
                            "d-" + example.index(),
                            example.event(),
                            EventNormalizer.parse(body),
                            NOW);

            byte[] encoded = RawPayloadEncoding.encode(event, body);

            assertThat(Topics.EVENTS.valueCodec().decode(encoded))
                    .as(example.toString())
                    .isEqualTo(event);
            assertThat(new String(encoded, StandardCharsets.UTF_8))
                    .as(example.toString())
                    .endsWith("\"payload\":" + example.json() + "}");
        }
    }

    @Test
    void aByteOrderMarkBeforeTheJsonIsLeftOut() {
        byte[] json = "{\"zen\":\"Design for failure.\"}".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withBom, 3, json.length);
        GitHubEvent event =
                EventNormalizer.normalize("d-1", "ping", EventNormalizer.parse(withBom), NOW);

        byte[] encoded = RawPayloadEncoding.encode(event, withBom);

        assertThat(Topics.EVENTS.valueCodec().decode(encoded)).isEqualTo(event);
    }
}
