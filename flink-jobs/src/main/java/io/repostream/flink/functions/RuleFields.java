package io.repostream.flink.functions;

import static io.repostream.flink.functions.PayloadProjection.fields;

import io.repostream.schemas.GitHubEvent;
import java.util.Map;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Keeps only the payload fields the rules read. Webhook payloads run to tens of kilobytes, mostly
 * URLs and repository metadata; each keyed rule gets its own copy of every event over the network,
 * so the job projects right after the source (chained: no copy) and ships a few hundred bytes
 * instead. The source itself keeps only what the rules and the predictor read (see {@code
 * GitHubEventDecoder}); the predictor reads a few fields more than the rules, from the source
 * stream.
 */
public final class RuleFields implements MapFunction<GitHubEvent, GitHubEvent> {
    private static final long serialVersionUID = 1L;

    /** A field kept as it is. */
    private static final Map<String, Object> LEAF = PayloadProjection.WHOLE;

    private static final Map<String, Object> USER = fields("login", LEAF, "type", LEAF);
    private static final Map<String, Object> ITEM =
            fields(
                    "number", LEAF,
                    "labels", fields("name", LEAF),
                    "user", USER,
                    "state", LEAF,
                    "merged", LEAF,
                    "pull_request", fields("url", LEAF));

    /** What the rules read, as a {@link PayloadProjection} spec. */
    public static final Map<String, Object> KEPT =
            fields(
                    GitHubPayloads.INCOMPLETE,
                    LEAF,
                    "action",
                    LEAF,
                    "issue",
                    ITEM,
                    "pull_request",
                    ITEM,
                    "comment",
                    fields("user", USER),
                    "review",
                    fields("user", USER, "state", LEAF),
                    "sender",
                    USER,
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
                PayloadProjection.project(event.payload(), KEPT));
    }
}
