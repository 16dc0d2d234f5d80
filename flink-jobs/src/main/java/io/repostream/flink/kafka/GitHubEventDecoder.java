package io.repostream.flink.kafka;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.prediction.BuildSignals;
import io.repostream.flink.rules.PayloadProjection;
import io.repostream.flink.rules.RuleFields;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.io.Serializable;
import java.util.Map;

/**
 * Reads a {@link GitHubEvent} from its JSON bytes on {@code github.events.v1}, keeping of the
 * payload only what the job reads ({@link #JOB_FIELDS}). The rest of the payload is skipped while
 * parsing, never built as a tree: a webhook payload is ~10 KB, the job reads a few hundred bytes of
 * it, and building the full tree was the bulk of the source's work.
 *
 * <p>Everything but the payload is read as before ({@link GitHubEvent}'s own JSON binding and
 * invariants); JSON that is malformed anywhere, skipped parts included, still fails to decode.
 */
public final class GitHubEventDecoder implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Everything the rules ({@link RuleFields}) and the predictor ({@link BuildSignals}) read. */
    public static final Map<String, Object> JOB_FIELDS =
            PayloadProjection.union(RuleFields.KEPT, BuildSignals.FIELDS);

    private static final String PAYLOAD = "payload";

    private transient ObjectReader reader;

    /** The event in {@code json}; throws on anything that is not one. */
    public GitHubEvent decode(byte[] json) throws IOException {
        try (JsonParser parser = Json.mapper().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw MismatchedInputException.from(
                        parser, GitHubEvent.class, "a GitHub event is a JSON object");
            }
            ObjectNode event = JsonNodeFactory.instance.objectNode();
            for (String name = parser.nextFieldName();
                    name != null;
                    name = parser.nextFieldName()) {
                parser.nextToken();
                event.set(
                        name,
                        PAYLOAD.equals(name)
                                ? PayloadProjection.read(parser, JOB_FIELDS)
                                : Json.mapper().readTree(parser));
            }
            return reader().readValue(event);
        }
    }

    private ObjectReader reader() {
        if (reader == null) {
            reader = Json.mapper().readerFor(GitHubEvent.class);
        }
        return reader;
    }
}
