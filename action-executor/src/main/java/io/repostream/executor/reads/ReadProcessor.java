package io.repostream.executor.reads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.executor.github.CollaboratorReads.Conditional;
import io.repostream.executor.github.GitHubClient;
import io.repostream.executor.github.GitHubException;
import io.repostream.executor.github.GitHubResponse;
import io.repostream.executor.github.GitHubResult;
import io.repostream.executor.ledger.RecordWriteException;
import io.repostream.schemas.ActionMetadata;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RateLimit;
import io.repostream.schemas.TypedTarget;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Performs a read action for the rule that asked (ARCHITECTURE.md rule 8): through the same GitHub
 * client, and so the same rate gate and installation budget, as every mutation; conditional on the
 * ETag of the last answer for the same resource (a 304 reuses it); no snapshot. The result goes to
 * {@code github.events.v1} as an event with {@code source: enrichment}, keyed by repo, together
 * with the read's audit record in one transaction ({@link EnrichmentWriter}).
 *
 * <p>Every decision but a duplicate writes a result, a refusal too, so that the asking rule is
 * never left waiting: the event's {@code payload.enrichment.outcome} says {@code read}, {@code
 * failed}, {@code skipped_disabled} or {@code skipped_expired}.
 *
 * <p>The event: {@code event_id} {@code enrichment:<action_id>} (the same read, the same id),
 * {@code type} the read type ({@code read_collaborator_permission}), {@code action} the outcome,
 * and a payload with {@code issue.number} (the item the read was asked for, so that the job keys it
 * to that item) and {@code enrichment}: {@code read}, {@code action_id} (the correlation), {@code
 * requested_by} (the asking rule's {@code produced_by}), {@code caused_by}, {@code params}, {@code
 * outcome}, {@code status}, {@code from_cache}, {@code error}, and {@code result} (GitHub's body).
 */
public final class ReadProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(ReadProcessor.class);

    /** Answers kept for conditional reads. */
    public static final int CACHE_CAPACITY = 10_000;

    private final GitHubClient github;
    private final Map<ActionType, ReadHandler<? super GitHubClient>> handlers =
            new EnumMap<>(ActionType.class);
    private final ReadCache cache;
    private final EnrichmentWriter writer;
    private final ReadMetrics metrics;
    private final BooleanSupplier killSwitch;
    private final Clock clock;

    public ReadProcessor(
            GitHubClient github,
            List<? extends ReadHandler<? super GitHubClient>> handlers,
            ReadCache cache,
            EnrichmentWriter writer,
            ReadMetrics metrics,
            BooleanSupplier killSwitch,
            Clock clock) {
        this.github = github;
        for (ReadHandler<? super GitHubClient> h : handlers) {
            if (this.handlers.put(h.type(), h) != null) {
                throw new IllegalArgumentException("two handlers for " + h.type().wireName());
            }
        }
        for (ActionType type : ActionType.values()) {
            if (type.read() && !this.handlers.containsKey(type)) {
                throw new IllegalArgumentException("no read handler for " + type.wireName());
            }
        }
        this.cache = cache;
        this.writer = writer;
        this.metrics = metrics;
        this.killSwitch = killSwitch;
        this.clock = clock;
    }

    /** Every read this executor performs. */
    public static List<ReadHandler<? super GitHubClient>> standardHandlers() {
        return List.of(
                new CollaboratorPermissionRead(),
                new FileRead(),
                new JobLogRead(),
                new CompareRead());
    }

    /**
     * Performs {@code action} (a read the ledger has not decided) and writes its result and audit.
     *
     * @return the audit record, already in Kafka
     * @throws RecordWriteException when Kafka did not take them; the read is then to be retried
     */
    public AuditRecord process(ActionRecord action, Instant started) {
        Decision d = decide(action);
        AuditRecord audit =
                new AuditRecord(
                        action.actionId() + "/" + d.outcome.wireName() + "/" + UUID.randomUUID(),
                        action.actionId(),
                        action.repo(),
                        action.target(),
                        action.type(),
                        d.outcome,
                        null,
                        null,
                        d.status,
                        d.rateLimit,
                        d.error,
                        action.producedBy(),
                        action.causedBy(),
                        ActionMetadata.of(action),
                        started,
                        clock.instant());
        writer.write(result(action, d, audit.finishedAt()), audit);
        metrics.read(action.type(), d.metric);
        return audit;
    }

    private record Decision(
            AuditOutcome outcome,
            ReadMetrics.Result metric,
            Integer status,
            RateLimit rateLimit,
            String error,
            JsonNode body,
            boolean fromCache) {
        static Decision refused(AuditOutcome outcome, String error) {
            ReadMetrics.Result metric =
                    outcome == AuditOutcome.FAILED
                            ? ReadMetrics.Result.FAILED
                            : ReadMetrics.Result.SKIPPED;
            return new Decision(outcome, metric, null, null, error, null, false);
        }
    }

    private Decision decide(ActionRecord action) {
        if (killSwitch.getAsBoolean()) {
            return Decision.refused(AuditOutcome.SKIPPED_DISABLED, "the global kill switch is on");
        }
        if (action.expiresAt() != null && !clock.instant().isBefore(action.expiresAt())) {
            return Decision.refused(
                    AuditOutcome.SKIPPED_EXPIRED,
                    "expired at " + action.expiresAt() + " before it could be read");
        }
        ReadHandler<? super GitHubClient> handler = handlers.get(action.type());
        try {
            handler.validate(action);
        } catch (IllegalArgumentException e) {
            return Decision.refused(AuditOutcome.FAILED, "invalid read: " + e.getMessage());
        }
        if (action.installationId() != null) {
            github.installationOf(action.repo(), action.installationId());
        }
        Optional<String> lacking = lacking(action, handler);
        if (lacking.isPresent()) {
            LOG.warn("{} {} not sent: {}", action.type().wireName(), action.targetRef(), lacking);
            return Decision.refused(AuditOutcome.FAILED, lacking.get());
        }
        String resource = handler.resource(action);
        Optional<ReadCache.Entry> cached = cache.get(resource);
        try {
            GitHubResult<Conditional> read =
                    handler.read(github, action, cached.map(ReadCache.Entry::etag).orElse(null));
            GitHubResponse response = read.response();
            Conditional answer = read.value();
            if (answer.notModified() && cached.isPresent()) {
                return new Decision(
                        AuditOutcome.READ,
                        ReadMetrics.Result.CACHED,
                        response.status(),
                        response.rateLimit(),
                        null,
                        cached.get().body(),
                        true);
            }
            cache.put(resource, answer.etag(), answer.body());
            return new Decision(
                    AuditOutcome.READ,
                    ReadMetrics.Result.DONE,
                    response.status(),
                    response.rateLimit(),
                    null,
                    answer.body(),
                    false);
        } catch (GitHubException e) {
            return new Decision(
                    AuditOutcome.FAILED,
                    ReadMetrics.Result.FAILED,
                    e.status() == 0 ? null : e.status(),
                    e.response().map(GitHubResponse::rateLimit).orElse(null),
                    e.getMessage(),
                    null,
                    false);
        }
    }

    private Optional<String> lacking(ActionRecord action, ReadHandler<?> handler) {
        Optional<Map<String, String>> granted;
        try {
            granted = github.grantedPermissions(action.repo(), action.installationId());
        } catch (GitHubException e) {
            return Optional.empty(); // GitHub answers for itself
        }
        if (granted.isEmpty() || handler.permission().grantedBy(granted.get())) {
            return Optional.empty();
        }
        return Optional.of(
                "the GitHub App installation of "
                        + action.repo()
                        + " was not granted the permission "
                        + action.type().wireName()
                        + " needs ("
                        + handler.permission()
                        + "; granted: "
                        + granted.get()
                        + "); nothing was sent");
    }

    /** The event that carries the read's result back to the job. */
    private static GitHubEvent result(ActionRecord action, Decision d, Instant at) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        TypedTarget target = action.typedTarget();
        if (target.namesAnIssueOrPullRequest()) {
            payload.putObject("issue").put("number", target.number().orElseThrow());
        }
        ObjectNode e = payload.putObject("enrichment");
        e.put("read", action.type().wireName());
        e.put("action_id", action.actionId());
        e.put("requested_by", action.producedBy());
        action.causedBy().forEach(e.putArray("caused_by")::add);
        e.set("params", action.params());
        e.put("outcome", d.outcome.wireName());
        if (d.status != null) {
            e.put("status", d.status);
        }
        e.put("from_cache", d.fromCache);
        if (d.error != null) {
            e.put("error", d.error);
        }
        if (d.body != null) {
            e.set("result", d.body);
        }
        return new GitHubEvent(
                "enrichment:" + action.actionId(),
                EventSource.ENRICHMENT,
                action.type().wireName(),
                d.outcome.wireName(),
                action.repo(),
                null,
                action.installationId(),
                at,
                at,
                payload);
    }
}
