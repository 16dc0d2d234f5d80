package io.repostream.bridge.webhook;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Refuses payload text that the Flink job (or any strict reader) cannot decode, before it is
 * accepted: bytes that are not UTF-8 as the JDK's decoder judges it with {@link
 * CodingErrorAction#REPORT} (overlong forms, encoded surrogates, truncated sequences, code points
 * past U+10FFFF, bytes that never occur), and {@code \\u} escapes of half a surrogate pair, which
 * JSON parsers (Jackson too) accept but which no UTF-8 text can carry. Jackson alone lets both
 * through: it decodes overlong forms and builds strings with lone surrogates.
 */
public final class PayloadText {
    private static final int CHUNK = 8192;

    private PayloadText() {}

    /**
     * @throws MalformedDeliveryException naming the first problem and its byte offset
     */
    public static void check(byte[] json) {
        checkUtf8(json);
        checkEscapes(json);
    }

    private static void checkUtf8(byte[] json) {
        // A fresh decoder each time (they are not thread-safe); a bounded output buffer, so a
        // 25 MB payload is not copied into a 50 MB char array just to be checked.
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(json);
        CharBuffer out = CharBuffer.allocate(CHUNK);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                throw invalidUtf8(in.position(), json);
            }
            if (result.isUnderflow()) {
                break;
            }
            out.clear();
        }
        out.clear();
        if (decoder.flush(out).isError()) {
            throw invalidUtf8(in.position(), json);
        }
    }

    private static MalformedDeliveryException invalidUtf8(int offset, byte[] json) {
        StringBuilder bytes = new StringBuilder();
        for (int i = offset; i < Math.min(json.length, offset + 4); i++) {
            bytes.append(String.format(" %02X", json[i] & 0xFF));
        }
        return new MalformedDeliveryException(
                MalformedDeliveryException.INVALID_UTF8,
                "body is not valid UTF-8 at byte "
                        + offset
                        + " (bytes"
                        + bytes
                        + "): GitHub sends UTF-8, and the event could not be decoded downstream");
    }

    /**
     * Backslashes occur only inside JSON strings (anywhere else the JSON is malformed, which the
     * parse reports), so pairing the escapes byte by byte finds every string's {@code \\u} escapes,
     * keys included, without building strings.
     */
    private static void checkEscapes(byte[] json) {
        int pendingHigh = -1; // offset of a high-surrogate escape that needs a low one next
        for (int i = 0; i < json.length; i++) {
            if (json[i] != '\\') {
                if (pendingHigh >= 0) {
                    throw loneSurrogate(pendingHigh, json);
                }
                continue;
            }
            if (i + 1 >= json.length) {
                return; // a dangling backslash: malformed JSON, the parse says so
            }
            if (json[i + 1] != 'u') {
                if (pendingHigh >= 0) {
                    throw loneSurrogate(pendingHigh, json);
                }
                i++; // the escaped character, which may itself be a backslash
                continue;
            }
            int unit = hex4(json, i + 2);
            if (unit < 0) {
                return; // a malformed escape: the parse says so
            }
            boolean high = unit >= 0xD800 && unit <= 0xDBFF;
            boolean low = unit >= 0xDC00 && unit <= 0xDFFF;
            if (pendingHigh >= 0 && !low) {
                throw loneSurrogate(pendingHigh, json);
            }
            if (pendingHigh < 0 && low) {
                throw loneSurrogate(i, json);
            }
            pendingHigh = pendingHigh < 0 && high ? i : -1;
            i += 5;
        }
        if (pendingHigh >= 0) {
            throw loneSurrogate(pendingHigh, json);
        }
    }

    private static int hex4(byte[] json, int from) {
        if (from + 4 > json.length) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < from + 4; i++) {
            int digit = Character.digit(json[i], 16);
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }

    private static MalformedDeliveryException loneSurrogate(int offset, byte[] json) {
        String escape = new String(json, offset, 6, StandardCharsets.US_ASCII);
        return new MalformedDeliveryException(
                MalformedDeliveryException.LONE_SURROGATE,
                "body has a lone surrogate escape "
                        + escape
                        + " at byte "
                        + offset
                        + " (half of a surrogate pair): not a character, cannot be decoded"
                        + " downstream as UTF-8 text");
    }
}
