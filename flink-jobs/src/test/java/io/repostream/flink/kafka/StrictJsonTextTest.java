package io.repostream.flink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StrictJsonTextTest {

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
                assertThatCode(() -> StrictJsonText.check(bytes)).doesNotThrowAnyException();
            } else {
                assertThatThrownBy(() -> StrictJsonText.check(bytes))
                        .isInstanceOfSatisfying(
                                UndecodableRecordException.class,
                                e ->
                                        assertThat(e.reason())
                                                .isEqualTo(
                                                        UndecodableRecordException.Reason
                                                                .INVALID_UTF8));
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
