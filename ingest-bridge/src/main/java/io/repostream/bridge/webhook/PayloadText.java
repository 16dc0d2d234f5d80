package io.repostream.bridge.webhook;

import io.repostream.schemas.json.StrictJsonText;
import java.util.Optional;

/**
 * Refuses payload text that the Flink job cannot decode, before it is accepted: the bridge and the
 * job judge with the same {@link StrictJsonText} (bytes that are not strict UTF-8, and {@code \\u}
 * escapes of half a surrogate pair, which Jackson alone lets through).
 */
public final class PayloadText {
    private PayloadText() {}

    /**
     * @throws MalformedDeliveryException naming the first problem and its byte offset
     */
    public static void check(byte[] json) {
        Optional<StrictJsonText.Problem> problem = StrictJsonText.problem(json);
        if (problem.isEmpty()) {
            return;
        }
        StrictJsonText.Problem p = problem.get();
        if (p.kind() == StrictJsonText.Kind.INVALID_UTF8) {
            throw new MalformedDeliveryException(
                    MalformedDeliveryException.INVALID_UTF8,
                    "body is "
                            + p.detail()
                            + ": GitHub sends UTF-8, and the event could not be decoded"
                            + " downstream");
        }
        throw new MalformedDeliveryException(
                MalformedDeliveryException.LONE_SURROGATE,
                "body has a " + p.detail() + ", which cannot be decoded downstream as UTF-8 text");
    }
}
