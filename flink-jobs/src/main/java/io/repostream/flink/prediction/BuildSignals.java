package io.repostream.flink.prediction;

import static io.repostream.flink.rules.PayloadProjection.WHOLE;
import static io.repostream.flink.rules.PayloadProjection.fields;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.flink.prediction.BuildSignal.Kind;
import io.repostream.flink.rules.PayloadProjection;
import io.repostream.schemas.GitHubEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the GitHub events the predictor follows into {@link BuildSignal}s, right after the source
 * (chained, so the full payload never crosses the network). Other events are skipped; an event of a
 * followed kind that lacks what identifies it is logged with its repo and event id, and skipped.
 */
public final class BuildSignals implements FlatMapFunction<GitHubEvent, BuildSignal> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BuildSignals.class);

    private static final Map<String, Object> LOGIN = fields("login", WHOLE);

    /** The payload fields read here, as a {@link PayloadProjection} spec. */
    public static final Map<String, Object> FIELDS =
            fields(
                    "workflow_run",
                            fields(
                                    "id", WHOLE,
                                    "pull_requests", fields("number", WHOLE),
                                    "actor", LOGIN,
                                    "triggering_actor", LOGIN,
                                    "conclusion", WHOLE,
                                    "run_attempt", WHOLE,
                                    "workflow_id", WHOLE,
                                    "head_sha", WHOLE),
                    "sender", LOGIN,
                    "pull_request",
                            fields(
                                    "number", WHOLE,
                                    "user", LOGIN,
                                    "head", fields("sha", WHOLE),
                                    "commits", WHOLE,
                                    "additions", WHOLE,
                                    "deletions", WHOLE,
                                    "changed_files", WHOLE,
                                    "created_at", WHOLE),
                    "review", fields("state", WHOLE, "user", LOGIN));

    @Override
    public void flatMap(GitHubEvent event, Collector<BuildSignal> out) {
        if (event.repo() == null || event.action() == null) {
            return;
        }
        BuildSignal signal =
                switch (event.type()) {
                    case "workflow_run" -> run(event);
                    case "pull_request" -> pullRequest(event);
                    case "pull_request_review" -> review(event);
                    default -> null;
                };
        if (signal != null) {
            out.collect(signal);
        }
    }

    /** The signal of one event, or null when the predictor does not follow it. */
    public static BuildSignal of(GitHubEvent event) {
        List<BuildSignal> one = new ArrayList<>(1);
        new BuildSignals().flatMap(event, new ListCollector(one));
        return one.isEmpty() ? null : one.get(0);
    }

    private static BuildSignal run(GitHubEvent event) {
        Kind kind =
                switch (event.action()) {
                    case "requested", "in_progress" -> Kind.RUN_STARTED;
                    case "completed" -> Kind.RUN_COMPLETED;
                    default -> null;
                };
        if (kind == null) {
            return null;
        }
        JsonNode run = event.payload().path("workflow_run");
        Long runId = positiveLong(run.path("id"));
        if (runId == null) {
            LOG.warn(
                    "{}: workflow_run.{} event {} has no run id; skipped by the predictor",
                    event.repo(),
                    event.action(),
                    event.eventId());
            return null;
        }
        List<Long> prs = new ArrayList<>();
        for (JsonNode pr : run.path("pull_requests")) {
            Long number = positiveLong(pr.path("number"));
            if (number != null) {
                prs.add(number);
            }
        }
        String actor = login(run.path("actor"));
        if (actor.isEmpty()) {
            actor = login(run.path("triggering_actor"));
        }
        if (actor.isEmpty()) {
            actor = login(event.payload().path("sender"));
        }
        // the conclusion is read for completions only: a trigger must not see an outcome
        String conclusion =
                kind == Kind.RUN_COMPLETED ? run.path("conclusion").asText("unknown") : null;
        return new BuildSignal(
                kind,
                event.repo(),
                event.eventId(),
                event.occurredAt(),
                event.installationId(),
                runId,
                run.path("run_attempt").canConvertToInt() ? run.path("run_attempt").asInt() : 1,
                positiveLong(run.path("workflow_id")),
                text(run.path("head_sha")),
                actor,
                prs,
                null,
                null,
                null,
                null,
                null,
                null,
                conclusion);
    }

    private static BuildSignal pullRequest(GitHubEvent event) {
        Kind kind =
                switch (event.action()) {
                    case "opened", "reopened", "synchronize" -> Kind.PR_UPDATED;
                    case "closed" -> Kind.PR_CLOSED;
                    default -> null;
                };
        if (kind == null) {
            return null;
        }
        JsonNode pr = event.payload().path("pull_request");
        Long number = positiveLong(pr.path("number"));
        if (number == null) {
            LOG.warn(
                    "{}: pull_request.{} event {} has no pull request number; skipped by the"
                            + " predictor",
                    event.repo(),
                    event.action(),
                    event.eventId());
            return null;
        }
        // whoever pushed (synchronize) or opened; the PR author when the sender is missing
        String actor = login(event.payload().path("sender"));
        if (actor.isEmpty()) {
            actor = login(pr.path("user"));
        }
        return new BuildSignal(
                kind,
                event.repo(),
                event.eventId(),
                event.occurredAt(),
                event.installationId(),
                null,
                null,
                null,
                text(pr.path("head").path("sha")),
                actor,
                List.of(number),
                count(pr.path("commits")),
                count(pr.path("additions")),
                count(pr.path("deletions")),
                count(pr.path("changed_files")),
                instant(pr.path("created_at")),
                null,
                null);
    }

    private static BuildSignal review(GitHubEvent event) {
        if (!"submitted".equals(event.action()) && !"dismissed".equals(event.action())) {
            return null;
        }
        JsonNode payload = event.payload();
        Long number = positiveLong(payload.path("pull_request").path("number"));
        if (number == null) {
            LOG.warn(
                    "{}: pull_request_review.{} event {} has no pull request number; skipped by"
                            + " the predictor",
                    event.repo(),
                    event.action(),
                    event.eventId());
            return null;
        }
        String state =
                "dismissed".equals(event.action())
                        ? "dismissed"
                        : payload.path("review").path("state").asText("").toLowerCase(Locale.ROOT);
        return new BuildSignal(
                Kind.PR_REVIEWED,
                event.repo(),
                event.eventId(),
                event.occurredAt(),
                event.installationId(),
                null,
                null,
                null,
                text(payload.path("pull_request").path("head").path("sha")),
                login(payload.path("review").path("user")),
                List.of(number),
                null,
                null,
                null,
                null,
                instant(payload.path("pull_request").path("created_at")),
                state,
                null);
    }

    private static Long positiveLong(JsonNode node) {
        return node.canConvertToLong() && node.asLong() > 0 ? node.asLong() : null;
    }

    private static Integer count(JsonNode node) {
        return node.canConvertToInt() && node.asInt() >= 0 ? node.asInt() : null;
    }

    private static String text(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }

    private static Instant instant(JsonNode node) {
        if (!node.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String login(JsonNode user) {
        return user.path("login").asText("").toLowerCase(Locale.ROOT);
    }

    private record ListCollector(List<BuildSignal> into) implements Collector<BuildSignal> {
        @Override
        public void collect(BuildSignal record) {
            into.add(record);
        }

        @Override
        public void close() {}
    }
}
