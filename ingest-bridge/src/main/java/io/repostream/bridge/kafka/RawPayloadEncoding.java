package io.repostream.bridge.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes a {@link GitHubEvent} the way the topic's codec does, but splices the payload in as the
 * bytes GitHub sent. The envelope is the codec's own output for the event with an empty payload, so
 * field names and formats cannot drift from the schema; when that output does not end as expected,
 * the codec encodes the event with the raw payload parsed in full instead. Either way the record's
 * payload comes from the raw bytes, never from {@code event.payload()}, which may hold only the
 * fields the bridge read.
 */
final class RawPayloadEncoding {
    private static final byte[] EMPTY_PAYLOAD_TAIL =
            "\"payload\":{}}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private RawPayloadEncoding() {}

    static byte[] encode(GitHubEvent event, byte[] rawPayload) {
        GitHubEvent envelope = event.withPayload(JsonNodeFactory.instance.objectNode());
        byte[] head = Topics.EVENTS.valueCodec().encode(envelope);
        int cut = head.length - EMPTY_PAYLOAD_TAIL.length + "\"payload\":".length();
        if (!endsWith(head, EMPTY_PAYLOAD_TAIL)) {
            return Topics.EVENTS.valueCodec().encode(withPayload(envelope, rawPayload));
        }
        int skip = startsWith(rawPayload, UTF8_BOM) ? UTF8_BOM.length : 0;
        byte[] out = new byte[cut + rawPayload.length - skip + 1];
        System.arraycopy(head, 0, out, 0, cut);
        System.arraycopy(rawPayload, skip, out, cut, rawPayload.length - skip);
        out[out.length - 1] = '}';
        return out;
    }

    private static boolean endsWith(byte[] bytes, byte[] tail) {
        return bytes.length >= tail.length
                && Arrays.equals(
                        bytes, bytes.length - tail.length, bytes.length, tail, 0, tail.length);
    }

    private static boolean startsWith(byte[] bytes, byte[] head) {
        return bytes.length >= head.length
                && Arrays.equals(bytes, 0, head.length, head, 0, head.length);
    }

    private static GitHubEvent withPayload(GitHubEvent envelope, byte[] rawPayload) {
        JsonNode payload;
        try {
            payload = Json.mapper().readTree(rawPayload);
        } catch (IOException e) {
            throw new UncheckedIOException("payload is not JSON", e);
        }
        return new GitHubEvent(
                envelope.eventId(),
                envelope.source(),
                envelope.type(),
                envelope.action(),
                envelope.repo(),
                envelope.org(),
                envelope.installationId(),
                envelope.occurredAt(),
                envelope.receivedAt(),
                payload);
    }
}
