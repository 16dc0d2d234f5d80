package io.repostream.bridge.webhook;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PayloadTextTest {
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
        assertThatCode(() -> PayloadText.check(json.getBytes(StandardCharsets.UTF_8)))
                .doesNotThrowAnyException();
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
        assertThatThrownBy(() -> PayloadText.check(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedDeliveryException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((MalformedDeliveryException) e).label())
                .isEqualTo(MalformedDeliveryException.LONE_SURROGATE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.repostream.bridge.webhook.PayloadTextTest#invalidUtf8")
    void bytesThatAreNotUtf8AreRefusedWithTheirOffset(String name, byte[] bytes) {
        assertThatThrownBy(() -> PayloadText.check(bytes))
                .isInstanceOf(MalformedDeliveryException.class)
                .hasMessageContaining("not valid UTF-8 at byte 7")
                .extracting(e -> ((MalformedDeliveryException) e).label())
                .isEqualTo(MalformedDeliveryException.INVALID_UTF8);
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
}
