package io.repostream.flink.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.CapturedLogs;
import io.repostream.flink.CountingMetricGroup;
import io.repostream.flink.Events;
import io.repostream.schemas.DeadLetter;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventDeserializerTest {
    private static final String REPO = "octo-org/widgets";
    private static final GitHubEvent EVENT = Events.issue("opened", REPO, 7, List.of(), Events.T0);

    private final CountingMetricGroup metrics = new CountingMetricGroup();
    private final EventDeserializer deserializer = new EventDeserializer();
    private final List<Object> out = new ArrayList<>();

    static Stream<Arguments> undecodable() {
        return Stream.of(
                Arguments.of("an overlong slash", note(0xC0, 0xAF), "invalid_utf8"),
                Arguments.of("an overlong three-byte NUL", note(0xE0, 0x80, 0x80), "invalid_utf8"),
                Arguments.of("an encoded surrogate", note(0xED, 0xA0, 0x80), "invalid_utf8"),
                Arguments.of("a stray continuation byte", note(0x80), "invalid_utf8"),
                Arguments.of("a truncated character", note(0xE2, 0x82), "invalid_utf8"),
                Arguments.of("above U+10FFFF", note(0xF4, 0x90, 0x80, 0x80), "invalid_utf8"),
                Arguments.of("a lone high surrogate", note("\\ud800"), "lone_surrogate"),
                Arguments.of("a lone low surrogate", note("\\udc00"), "lone_surrogate"),
                Arguments.of("a reversed pair", note("\\udc00\\ud800"), "lone_surrogate"),
                Arguments.of("a high surrogate before text", note("\\ud83dx"), "lone_surrogate"),
                Arguments.of(
                        "truncated JSON",
                        new String(json(), UTF_8).substring(0, 100).getBytes(UTF_8),
                        "malformed_json"),
                Arguments.of("not JSON", "<html>".getBytes(UTF_8), "malformed_json"),
                Arguments.of(
                        "JSON that is not an event",
                        "{\"this is\": \"not an event\"}".getBytes(UTF_8),
                        "invalid_event"),
                Arguments.of("a JSON array", "[1, 2]".getBytes(UTF_8), "invalid_event"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("undecodable")
    void deadLettersARecordItCannotReadWithItsReasonLoggedAndCounted(
            String what, byte[] value, String reason) throws Exception {
        open();
        try (CapturedLogs logs = CapturedLogs.capture()) {
            deserializer.deserialize(record(value), collector());

            assertThat(logs.lines())
                    .anySatisfy(
                            line ->
                                    assertThat(line)
                                            .contains("github.events.v1-3@42")
                                            .contains(REPO)
                                            .contains(reason));
        }
        assertThat(out).hasSize(1).first().isInstanceOf(DeadLetter.class);
        DeadLetter letter = (DeadLetter) out.get(0);
        assertThat(letter.reason()).startsWith(reason + ": ");
        assertThat(letter.source()).isEqualTo("flink-jobs");
        assertThat(letter.body()).isEqualTo(new String(value, UTF_8));
        assertThat(letter.headers())
                .containsEntry("kafka-topic", "github.events.v1")
                .containsEntry("kafka-partition", "3")
                .containsEntry("kafka-offset", "42")
                .containsEntry("kafka-key", REPO);
        // a dead letter is a valid record of its topic
        assertThat(
                        Topics.EVENTS_DLQ
                                .valueCodec()
                                .decode(Topics.EVENTS_DLQ.valueCodec().encode(letter)))
                .isEqualTo(letter);
        assertThat(metrics.count("deadLetteredRecords{reason=" + reason + "}")).isEqualTo(1);
        assertThat(metrics.count("undecodableRecords")).isEqualTo(1);
    }

    static Stream<Arguments> decodable() {
        return Stream.of(
                Arguments.of("a surrogate pair", note("\\ud83d\\ude00")),
                Arguments.of("an escaped backslash before u", note("\\\\ud800")),
                Arguments.of("four-byte UTF-8", note(0xF0, 0x9F, 0x98, 0x80)),
                Arguments.of("the highest code point", note(0xF4, 0x8F, 0xBF, 0xBF)),
                Arguments.of("BMP text", note("héllo – ✓".getBytes(UTF_8))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decodable")
    void readsWellFormedTextAsAnEvent(String what, byte[] value) throws Exception {
        open();
        deserializer.deserialize(record(value), collector());

        assertThat(out).hasSize(1).first().isInstanceOf(GitHubEvent.class);
        assertThat(metrics.count("undecodableRecords")).isZero();
    }

    @Test
    void readsAnEventAsTheDecoderDoes() throws Exception {
        open();
        deserializer.deserialize(record(json()), collector());

        assertThat(out).containsExactly(new GitHubEventDecoder().decode(json()));
    }

    private void open() {
        deserializer.open(
                new DeserializationSchema.InitializationContext() {
                    @Override
                    public MetricGroup getMetricGroup() {
                        return metrics;
                    }

                    @Override
                    public UserCodeClassLoader getUserCodeClassLoader() {
                        return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
                    }
                });
    }

    private Collector<Object> collector() {
        return new Collector<>() {
            @Override
            public void collect(Object record) {
                out.add(record);
            }

            @Override
            public void close() {}
        };
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
        return new ConsumerRecord<>("github.events.v1", 3, 42, REPO.getBytes(UTF_8), value);
    }

    private static byte[] json() {
        return Topics.EVENTS.valueCodec().encode(EVENT);
    }

    private static byte[] note(String escapedText) {
        return note(escapedText.getBytes(UTF_8));
    }

    private static byte[] note(int... bytes) {
        byte[] raw = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            raw[i] = (byte) bytes[i];
        }
        return note(raw);
    }

    /** The event's JSON with {@code "note": "<raw>"} first in its payload, byte for byte. */
    private static byte[] note(byte[] raw) {
        byte[] json = json();
        String marker = "\"payload\":{";
        int at = new String(json, UTF_8).indexOf(marker) + marker.length();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(json, 0, at);
        out.writeBytes("\"note\":\"".getBytes(UTF_8));
        out.writeBytes(raw);
        out.writeBytes("\",".getBytes(UTF_8));
        out.write(json, at, json.length - at);
        return out.toByteArray();
    }
}
