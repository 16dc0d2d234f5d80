package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.bridge.kafka.EventFingerprint;
import io.repostream.bridge.webhook.EventNormalizer;
import io.repostream.bridge.webhook.EventTime;
import io.repostream.bridge.webhook.MalformedDeliveryException;
import io.repostream.bridge.webhook.PrunedPayload;
import io.repostream.schemas.GitHubEvent;
import io.repostream.testkit.fixtures.WebhookExample;
import io.repostream.testkit.fixtures.WebhookExamples;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The endpoint builds events from a pruned parse of the payload; everything it derives must be what
 * the full parse gives, and it must refuse exactly what the full parse refuses.
 */
class PrunedPayloadTest {
    private static final Instant RECEIVED = Instant.parse("2030-01-01T00:00:00Z");
    private static final PrunedPayload READER = WebhookEndpoint.PAYLOAD_READER;
    private static final List<IngestFilter> FILTERS =
            List.of(
                    IngestFilter.acceptAll(),
                    new IngestFilter(Set.of(), Set.of(), Set.of("bug")),
                    new IngestFilter(Set.of(), Set.of(), Set.of("enhancement", "Duplicate")),
                    new IngestFilter(Set.of("octo-org"), Set.of("watch")));

    @Test
    void everyExamplePayloadGivesTheSameEventFingerprintAndFilterDecisionAsTheFullParse() {
        List<WebhookExample> examples = WebhookExamples.all();
        assertThat(examples).hasSize(329);
        SoftAssertions softly = new SoftAssertions();
        for (WebhookExample example : examples) {
            String what = example.toString();
            JsonNode full = EventNormalizer.parse(example.body());
            JsonNode pruned = READER.parse(example.body());
            GitHubEvent expected = normalize(example.event(), full);
            GitHubEvent actual = normalize(example.event(), pruned);

            softly.assertThat(actual.eventId()).as(what).isEqualTo(expected.eventId());
            softly.assertThat(actual.type()).as(what).isEqualTo(expected.type());
            softly.assertThat(actual.action()).as(what).isEqualTo(expected.action());
            softly.assertThat(actual.repo()).as(what).isEqualTo(expected.repo());
            softly.assertThat(actual.org()).as(what).isEqualTo(expected.org());
            softly.assertThat(actual.installationId())
                    .as(what)
                    .isEqualTo(expected.installationId());
            softly.assertThat(actual.occurredAt()).as(what).isEqualTo(expected.occurredAt());
            softly.assertThat(actual.key()).as(what).isEqualTo(expected.key());
            softly.assertThat(EventFingerprint.recordedKeys(actual))
                    .as(what)
                    .isEqualTo(EventFingerprint.recordedKeys(expected));
            softly.assertThat(EventFingerprint.otherSourceKeys(actual))
                    .as(what)
                    .isEqualTo(EventFingerprint.otherSourceKeys(expected));
            for (IngestFilter filter : FILTERS) {
                softly.assertThat(filter.dropReason(actual))
                        .as("%s with %s", what, filter)
                        .isEqualTo(filter.dropReason(expected));
            }
            softly.assertThat(EventNormalizer.orgOf(pruned))
                    .as(what)
                    .isEqualTo(EventNormalizer.orgOf(full));
        }
        softly.assertAll();
    }

    @Test
    void theExamplesStillExerciseWhatIsCompared() {
        // Guards the test above against comparing nothing but nulls.
        List<GitHubEvent> events = new ArrayList<>();
        for (WebhookExample example : WebhookExamples.all()) {
            events.add(normalize(example.event(), READER.parse(example.body())));
        }
        assertThat(events).filteredOn(e -> e.org() != null).hasSizeGreaterThan(50);
        assertThat(events).filteredOn(e -> e.installationId() != null).hasSizeGreaterThan(50);
        assertThat(events)
                .filteredOn(e -> !e.occurredAt().equals(RECEIVED))
                .hasSizeGreaterThan(200);
        assertThat(events)
                .filteredOn(e -> !EventFingerprint.recordedKeys(e).isEmpty())
                .hasSizeGreaterThan(30);
        IngestFilter bugs = FILTERS.get(1);
        assertThat(events).filteredOn(e -> bugs.dropReason(e).isPresent()).isNotEmpty();
    }

    @Test
    void everyKeptFieldHasTheValueOfTheFullParse() {
        List<String> kept = new ArrayList<>(EventTime.allFields());
        kept.addAll(EventNormalizer.PAYLOAD_FIELDS);
        kept.addAll(EventFingerprint.WEBHOOK_PAYLOAD_FIELDS);
        kept.addAll(IngestFilter.PAYLOAD_FIELDS);
        SoftAssertions softly = new SoftAssertions();
        for (WebhookExample example : WebhookExamples.all()) {
            JsonNode full = EventNormalizer.parse(example.body());
            JsonNode pruned = READER.parse(example.body());
            for (String path : kept) {
                softly.assertThat(pruned.at(path))
                        .as("%s %s", example, path)
                        .isEqualTo(full.at(path));
            }
        }
        softly.assertAll();
        JsonNode pruned = READER.parse(WebhookExamples.first("issues", "opened").body());
        assertThat(pruned.path("issue").path("title").isMissingNode())
                .as("fields nobody reads are not built")
                .isTrue();
    }

    static Stream<String> oddPayloads() {
        return Stream.of(
                "",
                "   ",
                "null",
                "[]",
                "[1,2",
                "\"text\"",
                "42",
                "true",
                "{}",
                "{} ",
                "{} x",
                "{}{}",
                "{\"a\":1} [",
                "{\"a\":}",
                "{\"a\" 1}",
                "{a:1}",
                "{\"a\":01}",
                "{\"a\":NaN}",
                "{\"a\":1.}",
                "{\"a\":-}",
                "{\"a\":\"\\x\"}",
                "{\"a\":\"\\u12\"}",
                "{\"a\":\"tab\there\"}",
                "{\"a\":[1,2,]}",
                "{\"a\":{\"b\":[{\"c\":1},]}}",
                "{\"a\":1,}",
                "{\"action\":null}",
                "{\"action\":{\"nested\":[1,{\"x\":\"y\"}]}}",
                "{\"action\":\"first\",\"action\":\"second\"}",
                "{\"repository\":{\"full_name\":\"a/b\"},\"repository\":{\"name\":\"c\"}}",
                "{\"repository\":\"octo/app\"}",
                "{\"repository\":[{\"full_name\":\"octo/app\"}]}",
                "{\"repository\":{\"full_name\":\"no slash here\"}}",
                "{\"issue\":[],\"pull_request\":{\"labels\":[{\"name\":\"bug\"}]}}",
                "{\"installation\":{\"id\":12345678901234567890}}",
                "{\"installation\":{\"id\":1.5e3}}",
                "{\"ignored\":" + "[".repeat(1500) + "]".repeat(1500) + "}",
                "{\"ignored\":" + "[".repeat(900) + "]".repeat(900) + ",\"action\":\"x\"}",
                "\uFEFF{\"action\":\"with a byte order mark\"}",
                "{\"ignored\":\"caf\u00e9 \ud83d\ude00\",\"action\":\"\u00fcber\"}");
    }

    @ParameterizedTest
    @MethodSource("oddPayloads")
    void oddPayloadsAreAcceptedOrRefusedExactlyLikeTheFullParse(String payload) {
        assertSameOutcome(payload.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void invalidUtf8AndControlCharactersInSkippedFieldsAreRefusedLikeTheFullParse() {
        byte[][] bodies = {
            bytes("{\"ignored\":\"", new byte[] {(byte) 0xC3, 'x'}, "\"}"),
            bytes("{\"ignored\":\"", new byte[] {(byte) 0xE2, (byte) 0x82, 'x'}, "\"}"),
            bytes("{\"ignored\":\"", new byte[] {(byte) 0xFF}, "\"}"),
            bytes("{\"ignored\":\"", new byte[] {(byte) 0x80}, "\"}"),
            bytes("{\"ignored\":\"", new byte[] {0x01}, "\"}"),
            bytes("{\"ignored\":\"", new byte[] {'\n'}, "\"}"),
            bytes("{\"ign", new byte[] {(byte) 0xC3}, "\":1}"),
        };
        for (byte[] body : bodies) {
            assertSameOutcome(body);
        }
    }

    @Test
    void randomlyDamagedExamplesAreAcceptedOrRefusedExactlyLikeTheFullParse() {
        Random random = new Random(20261122);
        List<WebhookExample> examples = WebhookExamples.all();
        for (int i = 0; i < 3000; i++) {
            byte[] body = examples.get(random.nextInt(examples.size())).body().clone();
            switch (random.nextInt(3)) {
                case 0 -> body = java.util.Arrays.copyOf(body, random.nextInt(body.length + 1));
                case 1 -> {
                    for (int n = 1 + random.nextInt(4); n > 0; n--) {
                        body[random.nextInt(body.length)] = (byte) random.nextInt(256);
                    }
                }
                default -> {
                    byte[] structural = {'{', '}', '[', ']', '"', ',', ':', '\\', ' ', '0'};
                    body[random.nextInt(body.length)] =
                            structural[random.nextInt(structural.length)];
                }
            }
            assertSameOutcome(body);
        }
    }

    private static void assertSameOutcome(byte[] body) {
        String what = new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8);
        Throwable fullError = catchThrowable(() -> EventNormalizer.parse(body));
        Throwable prunedError = catchThrowable(() -> READER.parse(body));
        if (fullError != null) {
            assertThat(fullError).isInstanceOf(MalformedDeliveryException.class);
            assertThat(prunedError)
                    .as("refused like the full parse: %s", what)
                    .isInstanceOf(MalformedDeliveryException.class)
                    .hasMessage(fullError.getMessage());
            return;
        }
        assertThat(prunedError).as("accepted like the full parse: %s", what).isNull();
        JsonNode full = EventNormalizer.parse(body);
        JsonNode pruned = READER.parse(body);
        for (String type : List.of("issues", "push", "installation", "ping")) {
            Throwable fullRefusal = catchThrowable(() -> normalize(type, full));
            Throwable prunedRefusal = catchThrowable(() -> normalize(type, pruned));
            if (fullRefusal != null) {
                assertThat(prunedRefusal).as(what).hasMessage(fullRefusal.getMessage());
                continue;
            }
            assertThat(prunedRefusal).as(what).isNull();
            GitHubEvent expected = normalize(type, full);
            GitHubEvent actual = normalize(type, pruned);
            assertThat(actual.action()).as(what).isEqualTo(expected.action());
            assertThat(actual.repo()).as(what).isEqualTo(expected.repo());
            assertThat(actual.org()).as(what).isEqualTo(expected.org());
            assertThat(actual.installationId()).as(what).isEqualTo(expected.installationId());
            assertThat(actual.occurredAt()).as(what).isEqualTo(expected.occurredAt());
            for (IngestFilter filter : FILTERS) {
                assertThat(filter.dropReason(actual))
                        .as(what)
                        .isEqualTo(filter.dropReason(expected));
            }
        }
    }

    private static GitHubEvent normalize(String type, JsonNode payload) {
        return EventNormalizer.normalize("delivery-1", type, payload, RECEIVED);
    }

    private static byte[] bytes(String head, byte[] middle, String tail) {
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] t = tail.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[h.length + middle.length + t.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(middle, 0, out, h.length, middle.length);
        System.arraycopy(t, 0, out, h.length + middle.length, t.length);
        return out;
    }
}
