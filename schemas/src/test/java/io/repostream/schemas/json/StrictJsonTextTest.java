package io.repostream.schemas.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The text standard the bridge and the Flink job share ({@link StrictJsonText}). */
class StrictJsonTextTest {
    static Stream<Arguments> decodable() {
        return Stream.of(
                Arguments.of("a surrogate pair escape", "{\"t\":\"\\ud83d\\ude00\"}"),
                Arguments.of("an upper-case pair escape", "{\"t\":\"\\uD83D\\uDE00\"}"),
                Arguments.of("an escaped backslash before 'ud800'", "{\"t\":\"\\\\ud800\"}"),
                Arguments.of("a BMP escape", "{\"t\":\"\\u00e9\\u0041\"}"),
                Arguments.of("four-byte UTF-8", "{\"t\":\"\ud83d\ude00\"}"),
                Arguments.of("a byte-order mark", "\ufeff{}"),
                Arguments.of("other escapes", "{\"t\":\"\\n\\\"\\/\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decodable")
    void decodableTextPasses(String name, String json) {
        assertThat(StrictJsonText.problem(json.getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    static Stream<Arguments> undecodable() {
        return Stream.of(
                Arguments.of(
                        "a lone high escape",
                        "{\"t\":\"\\ud800\"}",
                        "lone surrogate escape \\ud800 at byte 6"),
                Arguments.of("a high escape then a letter", "{\"t\":\"\\ud800x\"}", "at byte 6"),
                Arguments.of(
                        "a high escape then another escape", "{\"t\":\"\\ud800\\n\"}", "at byte 6"),
                Arguments.of("two high escapes", "{\"t\":\"\\ud800\\ud800\"}", "at byte 6"),
                Arguments.of("a lone low escape", "{\"t\":\"a\\uDC00\"}", "\\uDC00 at byte 7"),
                Arguments.of("a high escape at the end", "{\"t\":1}\\ud800", "lone surrogate"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("undecodable")
    void aLoneSurrogateEscapeIsRefusedWithItsOffset(String name, String json, String message) {
        assertThat(StrictJsonText.problem(json.getBytes(StandardCharsets.UTF_8)))
                .hasValueSatisfying(
                        p -> {
                            assertThat(p.kind()).isEqualTo(StrictJsonText.Kind.LONE_SURROGATE);
                            assertThat(p.detail()).contains(message);
                        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.repostream.schemas.json.StrictJsonTextTest#invalidUtf8")
    void bytesThatAreNotUtf8AreRefusedWithTheirOffset(String name, byte[] bytes) {
        assertThat(StrictJsonText.problem(bytes))
                .hasValueSatisfying(
                        p -> {
                            assertThat(p.kind()).isEqualTo(StrictJsonText.Kind.INVALID_UTF8);
                            assertThat(p.offset()).isEqualTo(7);
                            assertThat(p.detail()).contains("not valid UTF-8 at byte 7");
                        });
    }

    static Stream<Arguments> invalidUtf8() {
        return Stream.of(
                bytes("overlong '/'", 0xC0, 0xAF),
                bytes("overlong NUL", 0xC0, 0x80),
                bytes("overlong three bytes", 0xE0, 0x80, 0xAF),
                bytes("overlong four bytes", 0xF0, 0x80, 0x80, 0xAF),
                bytes("CESU-8 surrogate", 0xED, 0xA0, 0x80),
                bytes("beyond U+10FFFF", 0xF4, 0x90, 0x80, 0x80),
                bytes("a continuation byte alone", 0x80),
                bytes("0xFE", 0xFE),
                bytes("a truncated sequence", 0xE2, 0x82));
    }

    private static Arguments bytes(String name, int... raw) {
        byte[] head = "{\"t\":\"a".getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[head.length + raw.length + 2];
        System.arraycopy(head, 0, body, 0, head.length);
        for (int i = 0; i < raw.length; i++) {
            body[head.length + i] = (byte) raw[i];
        }
        body[body.length - 2] = '"';
        body[body.length - 1] = '}';
        return Arguments.of(name, body);
    }

    @Test
    void agreesWithTheJdksStrictUtf8DecoderOnRandomBytesAtEveryAlignment() {
        Random random = new Random(13);
        for (int n = 0; n < 20_000; n++) {
            byte[] bytes = new byte[random.nextInt(40)];
            for (int i = 0; i < bytes.length; i++) {
                // mostly ASCII, so the eight-byte steps are taken, with UTF-8 lead and
                // continuation bytes of every kind in between
                int b = random.nextInt(4) == 0 ? random.nextInt(256) : 0x20 + random.nextInt(0x5F);
                bytes[i] = (byte) (b == '\\' ? 'x' : b);
            }
            boolean valid = strictUtf8(bytes);
            if (valid) {
                assertThat(StrictJsonText.problem(bytes)).isEmpty();
            } else {
                assertThat(StrictJsonText.problem(bytes))
                        .hasValueSatisfying(
                                p ->
                                        assertThat(p.kind())
                                                .isEqualTo(StrictJsonText.Kind.INVALID_UTF8));
            }
        }
    }

    private static boolean strictUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
