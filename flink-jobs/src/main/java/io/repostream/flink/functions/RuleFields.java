package io.repostream.flink.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.GitHubEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Keeps only the payload fields the rules read. Webhook payloads run to tens of kilobytes, mostly
 * URLs and repository metadata; each keyed rule gets its own copy of every event over the network,
 * so the job projects right after the source (chained: no copy) and ships a few hundred bytes
 * instead. Consumers that need the whole payload (the ML features) read the source stream.
 */
public final class RuleFields implements MapFunction<GitHubEvent, GitHubEvent> {
    private static final long serialVersionUID = 1L;

    /** A field kept as it is. */
    private static final Map<String, Object> LEAF = null;

    private static final Map<String, Object> USER = fields("login", LEAF, "type", LEAF);
    private static final Map<String, Object> ITEM =
            fields(
                    "number", LEAF,
                    "labels", fields("name", LEAF),
                    "user", USER,
                    "state", LEAF,
                    "merged", LEAF,
                    "pull_request", fields("url", LEAF));

    /** Field name to its kept sub-fields ({@code null}: keep whole); arrays keep per element. */
    static final Map<String, Object> KEPT =
            fields(
                    "action", LEAF,
                    "issue", ITEM,
                    "pull_request", ITEM,
                    "comment", fields("user", USER),
                    "review", fields("user", USER, "state", LEAF),
                    "sender", USER,
                    "workflow_run",
                            fields(
                                    "id", LEAF,
                                    "name", LEAF,
                                    "head_sha", LEAF,
                                    "conclusion", LEAF,
                                    "run_attempt", LEAF,
                                    "pull_requests", fields("number", LEAF)),
                    "workflow_job",
                            fields(
                                    "run_id", LEAF,
                                    "workflow_name", LEAF,
                                    "name", LEAF,
                                    "conclusion", LEAF,
                                    "steps", fields("name", LEAF, "conclusion", LEAF)),
                    "check_run",
                            fields(
                                    "name", LEAF,
                                    "head_sha", LEAF,
                                    "conclusion", LEAF,
                                    "output", fields("title", LEAF, "summary", LEAF, "text", LEAF),
                                    "app", fields("slug", LEAF)));

    @Override
    public GitHubEvent map(GitHubEvent event) {
        return new GitHubEvent(
                event.eventId(),
                event.source(),
                event.type(),
                event.action(),
                event.repo(),
                event.org(),
                event.installationId(),
                event.occurredAt(),
                event.receivedAt(),
                project(event.payload(), KEPT));
    }

    /** The parts of {@code node} that {@code kept} names. */
    @SuppressWarnings("unchecked")
    static JsonNode project(JsonNode node, Map<String, Object> kept) {
        if (kept == null) {
            return node;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode(node.size());
            for (JsonNode element : node) {
                out.add(project(element, kept));
            }
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, Object> field : kept.entrySet()) {
            JsonNode value = node.get(field.getKey());
            if (value != null) {
                out.set(field.getKey(), project(value, (Map<String, Object>) field.getValue()));
            }
        }
        return out;
    }

    private static Map<String, Object> fields(Object... namesAndSpecs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndSpecs.length; i += 2) {
            m.put((String) namesAndSpecs[i], namesAndSpecs[i + 1]);
        }
        return m;
    }
}
