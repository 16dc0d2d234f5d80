package io.repostream.executor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.executor.github.GitHubClient;
import io.repostream.executor.github.GitHubException;
import io.repostream.executor.github.GitHubResponse;
import io.repostream.executor.github.GitHubResult;
import io.repostream.executor.github.RateLimitedException;
import io.repostream.executor.handlers.ActionHandler;
import io.repostream.executor.handlers.Handlers;
import io.repostream.executor.handlers.Mutation;
import io.repostream.executor.ledger.Ledger;
import io.repostream.executor.ledger.RecordWriteException;
import io.repostream.executor.ledger.RecordWriter;
import io.repostream.executor.metrics.ExecutorMetrics;
import io.repostream.executor.notify.NotificationProcessor;
import io.repostream.executor.policy.PolicyStore;
import io.repostream.executor.reads.ReadProcessor;
import io.repostream.schemas.ActionMetadata;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.RateLimit;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.Snapshot;
import io.repostream.schemas.TargetState;
import io.repostream.schemas.TypedTarget;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides and applies one action: skip it (duplicate, kill switch, expired, disabled, dry run), or
 * read the target, write the snapshot and wait for Kafka, mutate, and audit the outcome.
 *
 * <p>The order is what makes a crash harmless. Nothing is mutated before its snapshot is durable;
 * an action with an audit decision is never applied again; and an action with a snapshot but no
 * audit (a crash in between) is first checked for its effect on GitHub, which each handler can
 * recognise (a comment by its hidden marker), before anything is sent again.
 */
public final class ActionProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(ActionProcessor.class);

    /**
     * How often GitHub may refuse one action's mutation with a rate limit before the action is
     * audited failed; each time it waits in its lane for what GitHub named (pacing waits do not
     * count).
     */
    private static final int MAX_RATE_LIMITED_MUTATIONS = 5;

    private final GitHubClient github;
    private final Handlers handlers;
    private final Ledger ledger;
    private final PolicyStore policies;
    private final RecordWriter writer;
    private final ExecutorMetrics metrics;
    private final BooleanSupplier killSwitch;
    private final KilledRules killedRules;
    private final Clock clock;
    private final ReadProcessor reads;
    private final NotificationProcessor notifications;

    /** Why the kill switch of a rule is on, by its producer ({@code produced_by} w/o version). */
    @FunctionalInterface
    public interface KilledRules {
        /** Why {@code producer}'s kill switch is on, or empty when it is off. */
        Optional<String> why(String producer);

        KilledRules NONE = producer -> Optional.empty();
    }

    /**
     * @param killedRules why a rule's kill switch is on
     * @param reads performs read actions ({@link io.repostream.schemas.ActionType#read()}); null: a
     *     read action is audited failed
     * @param notifications delivers notification actions ({@link
     *     io.repostream.schemas.ActionType#notification()}); null: they are audited failed
     */
    public ActionProcessor(
            GitHubClient github,
            Handlers handlers,
            Ledger ledger,
            PolicyStore policies,
            RecordWriter writer,
            ExecutorMetrics metrics,
            BooleanSupplier killSwitch,
            KilledRules killedRules,
            Clock clock,
            ReadProcessor reads,
            NotificationProcessor notifications) {
        this.notifications = notifications;
        this.killedRules = killedRules;
        this.reads = reads;
        this.github = github;
        this.handlers = handlers;
        this.ledger = ledger;
        this.policies = policies;
        this.writer = writer;
        this.metrics = metrics;
        this.killSwitch = killSwitch;
        this.clock = clock;
    }

    /**
     * Handles one action and writes its audit record.
     *
     * @throws RecordWriteException when Kafka does not take the snapshot or audit; the action is
     *     then to be retried (it is not lost, and the ledger keeps a retry from mutating twice)
     */
    public AuditRecord process(ActionRecord action) {
        return processLater(action, false).await();
    }

    /**
     * Like {@link #process} but does not wait for Kafka to take the audit record: the caller awaits
     * it before it commits the action's offset. The snapshot is still awaited before any mutation.
     * Nor does it wait out a rate limit that its first requests meet, before anything changed:
     *
     * @throws RateLimitedException when GitHub rate limited the action's first requests: nothing
     *     was changed or audited, and it is to be tried again then
     */
    public RecordWriter.PendingAudit processLater(ActionRecord action) {
        return processLater(action, true);
    }

    private RecordWriter.PendingAudit processLater(ActionRecord action, boolean deferRateLimits) {
        Instant started = clock.instant();
        RecordWriter.PendingAudit pending;
        AuditRecord audit;
        if (action.type().read() && reads != null && !ledger.decided(action.actionId())) {
            // a read writes its audit with its result, in one transaction
            audit = reads.process(action, started);
            pending = writer.written(audit);
        } else {
            try {
                audit = decide(action, started, deferRateLimits, null);
            } catch (MutationDeferred d) {
                throw deferredStep(action, d);
            }
            pending = writer.writeLater(audit);
        }
        return finished(action, audit, pending);
    }

    /**
     * The rest of an action whose mutation must wait, for its lane to run at the time named: it
     * reads the target again, looks for the effect (as after a crash), and sends the mutation.
     */
    private DeferredStep deferredStep(ActionRecord action, MutationDeferred d) {
        metrics.writeDeferred(d.reason);
        LOG.debug(
                "{} {} ({}): {}",
                action.type().wireName(),
                action.targetRef(),
                action.actionId(),
                d.getMessage());
        return new DeferredStep(
                d.getMessage(),
                d.until,
                () -> {
                    AuditRecord audit;
                    try {
                        audit = d.rest.get();
                    } catch (MutationDeferred again) {
                        throw deferredStep(action, again);
                    }
                    return finished(action, audit, writer.writeLater(audit)).acknowledged();
                });
    }

    private RecordWriter.PendingAudit finished(
            ActionRecord action, AuditRecord audit, RecordWriter.PendingAudit pending) {
        metrics.action(action.type(), action.repo(), audit.outcome());
        LOG.info(
                "{} {} ({}): {}{}",
                action.type().wireName(),
                action.targetRef(),
                action.actionId(),
                audit.outcome().wireName(),
                audit.error() == null ? "" : " - " + audit.error());
        return pending;
    }

    /**
     * Until when the installation of {@code action}'s repo is known to be rate limited, if it is
     * known without asking GitHub: the action is better held until then than sent to wait.
     */
    public Optional<Instant> limitedUntil(ActionRecord action) {
        return github.limitedUntil(action.repo(), action.installationId());
    }

    /**
     * @param ready where an action that is to be mutated is put instead of being mutated (its
     *     snapshot written), returning null; null: it is mutated here
     */
    private AuditRecord decide(
            ActionRecord action, Instant started, boolean deferRateLimits, List<Ready> ready) {
        if (ledger.decided(action.actionId())) {
            return audit(
                    action,
                    AuditOutcome.SKIPPED_DUPLICATE,
                    null,
                    null,
                    null,
                    null,
                    "action " + action.actionId() + " was decided before",
                    started);
        }
        if (killSwitch.getAsBoolean()) {
            return audit(
                    action,
                    AuditOutcome.SKIPPED_DISABLED,
                    null,
                    null,
                    null,
                    null,
                    "the global kill switch is on",
                    started);
        }
        String producer = producer(action.producedBy());
        Optional<String> killed = killedRules.why(producer);
        if (killed.isPresent()) {
            metrics.ruleKillSwitchSkip(producer);
            LOG.info(
                    "{} of {} not applied: the kill switch of rule {} is on",
                    action.actionId(),
                    action.targetRef(),
                    producer);
            return audit(
                    action,
                    AuditOutcome.SKIPPED_DISABLED,
                    null,
                    null,
                    null,
                    null,
                    "the kill switch of rule " + producer + " is on: " + killed.get(),
                    started);
        }
        if (action.expiresAt() != null && !clock.instant().isBefore(action.expiresAt())) {
            return audit(
                    action,
                    AuditOutcome.SKIPPED_EXPIRED,
                    null,
                    null,
                    null,
                    null,
                    "expired at " + action.expiresAt() + " before it could be applied",
                    started);
        }
        if (action.type().read()) {
            return audit(
                    action,
                    AuditOutcome.FAILED,
                    null,
                    null,
                    null,
                    null,
                    "this executor performs no reads (no read processor): " + action.targetRef(),
                    started);
        }
        RepoPolicy policy = policies.of(action.repo());
        if (!policy.enables(action.type())) {
            return audit(
                    action,
                    AuditOutcome.SKIPPED_DISABLED,
                    null,
                    null,
                    null,
                    null,
                    action.type().wireName() + " is not enabled by the policy of " + action.repo(),
                    started);
        }
        TypedTarget target = action.typedTarget();
        if (!action.type().actsOn(target.kind())) {
            // never act on a ref, or a kind from a newer writer, as if it were an issue or a run
            return audit(
                    action,
                    AuditOutcome.FAILED,
                    null,
                    null,
                    null,
                    null,
                    "invalid action: "
                            + action.type().wireName()
                            + " does not act on a target of kind "
                            + target.kind()
                            + (target.kind().known() ? "" : " (a kind this executor does not know)")
                            + ": "
                            + action.targetRef(),
                    started);
        }
        if (action.type().notification()) {
            return guarded(action, started, () -> deliverNotification(action, policy, started));
        }
        ActionHandler<? super GitHubClient> handler = handlers.of(action.type());
        if (action.installationId() != null) {
            github.installationOf(action.repo(), action.installationId());
        }
        Optional<String> lacking = lackingPermission(action, handler);
        if (lacking.isPresent()) {
            metrics.permissionRefused(action.type(), handler.permission().toString());
            LOG.warn(
                    "{} {} not sent: {}",
                    action.type().wireName(),
                    action.targetRef(),
                    lacking.get());
            return audit(
                    action, AuditOutcome.FAILED, null, null, null, null, lacking.get(), started);
        }
        try {
            handler.validate(action);
        } catch (IllegalArgumentException e) {
            return audit(
                    action,
                    AuditOutcome.FAILED,
                    null,
                    null,
                    null,
                    null,
                    "invalid action: " + e.getMessage(),
                    started);
        }
        return guarded(
                action,
                started,
                () ->
                        applyOrPreview(
                                action,
                                handler,
                                github,
                                deferRateLimits ? github.deferringRateLimits() : github,
                                deferRateLimits,
                                policy,
                                started,
                                ready));
    }

    /**
     * Delivers a notification (Slack, PagerDuty): at least once, not through GitHub, so neither
     * GitHub's permissions nor its pacing apply. A rate limit of the service holds the action in
     * its lane ({@link RateLimitedException}).
     */
    private AuditRecord deliverNotification(
            ActionRecord action, RepoPolicy policy, Instant started) {
        if (notifications == null) {
            return audit(
                    action,
                    AuditOutcome.FAILED,
                    null,
                    null,
                    null,
                    null,
                    "this executor delivers no notifications: " + action.targetRef(),
                    started);
        }
        NotificationProcessor.Outcome o =
                notifications.deliver(action, action.dryRun() || policy.dryRun());
        return audit(
                action, o.outcome(), o.before(), o.after(), o.status(), null, o.error(), started);
    }

    /**
     * Runs what reads the target and mutates it: a refusal by GitHub, or a handler's bug, is
     * audited failed; a rate limit or a deferred mutation is passed on (the action is held).
     */
    private AuditRecord guarded(ActionRecord action, Instant started, Supplier<AuditRecord> body) {
        try {
            return body.get();
        } catch (RateLimitedException e) {
            throw e; // nothing changed yet: the action is held and tried again, not audited
        } catch (MutationDeferred e) {
            throw e; // its mutation waits in its lane: audited when sent
        } catch (GitHubException e) {
            RateLimit rateLimit = e.response().map(GitHubResponse::rateLimit).orElse(null);
            Integer status = e.status() == 0 ? null : e.status();
            return audit(
                    action,
                    AuditOutcome.FAILED,
                    null,
                    null,
                    status,
                    rateLimit,
                    e.getMessage(),
                    started);
        } catch (RecordWriteException e) {
            throw e; // Kafka did not take a write: retry the action, do not audit it as failed
        } catch (RuntimeException e) {
            // a handler bug must not stop the executor: count it, audit it, go on
            metrics.handlerFailed(action.type(), action.repo());
            LOG.error("handler {} failed on {}", action.type().wireName(), action.targetRef(), e);
            return audit(
                    action,
                    AuditOutcome.FAILED,
                    null,
                    null,
                    null,
                    null,
                    "handler failed on " + action.targetRef() + ": " + e,
                    started);
        }
    }

    /**
     * Why the action must not be sent: the GitHub App installation that owns its repo was not
     * granted the permission its handler needs. Empty with a token (GitHub alone knows its rights),
     * and when the installation's permissions cannot be read now (GitHub then answers for itself).
     */
    private Optional<String> lackingPermission(
            ActionRecord action, ActionHandler<? super GitHubClient> handler) {
        Optional<java.util.Map<String, String>> granted;
        try {
            granted = github.grantedPermissions(action.repo(), action.installationId());
        } catch (GitHubException e) {
            LOG.warn(
                    "cannot read the permissions of the installation of {} ({}); sending {} anyway",
                    action.repo(),
                    e.getMessage(),
                    action.actionId());
            return Optional.empty();
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
                        + "); nothing was sent to "
                        + action.targetRef());
    }

    /**
     * Applies {@code action} through its handler's own part of GitHub. What is asked before the
     * snapshot (the target's state, an effect already there) goes through {@code firstAsks}, which
     * does not wait out a rate limit but throws {@link RateLimitedException}: nothing has changed
     * then, so the action can wait in its lane without a worker. Once the snapshot is written, the
     * mutation waits out a limit where it meets it.
     */
    private <G> AuditRecord applyOrPreview(
            ActionRecord action,
            ActionHandler<G> handler,
            G github,
            G firstAsks,
            boolean deferring,
            RepoPolicy policy,
            Instant started,
            List<Ready> ready) {
        GitHubResult<TargetState> read = handler.read(firstAsks, action);
        TargetState current = read.value();
        RateLimit readRateLimit = rateLimit(read.response());
        if (action.dryRun() || policy.dryRun()) {
            String why =
                    action.dryRun()
                            ? "the action is a dry run"
                            : action.repo() + " is in dry-run mode";
            return audit(
                    action,
                    AuditOutcome.DRY_RUN,
                    current,
                    handler.intended(current, action),
                    null,
                    readRateLimit,
                    why + "; nothing was sent",
                    started);
        }
        Optional<Snapshot> earlier = ledger.snapshot(action.actionId());
        TargetState before = earlier.map(Snapshot::before).orElse(current);
        Optional<AuditRecord> settled =
                settled(
                        action,
                        handler,
                        firstAsks,
                        before,
                        current,
                        earlier.isPresent(),
                        readRateLimit,
                        earlier.isPresent()
                                ? "found applied by an earlier attempt; nothing sent again"
                                : "already in the wanted state; nothing sent",
                        started);
        if (settled.isPresent()) {
            return settled.get();
        }
        if (earlier.isEmpty()) {
            writer.write(
                    new Snapshot(
                            action.actionId(),
                            action.repo(),
                            action.target(),
                            action.typedTarget(),
                            action.type(),
                            action.producedBy(),
                            clock.instant(),
                            current));
        }
        if (ready != null) {
            ready.add(new Ready(action, before, current));
            return null;
        }
        return mutate(action, handler, deferring ? firstAsks : github, before, current, started, 0);
    }

    /** An action whose snapshot is written and whose mutation is to be sent with others. */
    private record Ready(ActionRecord action, TargetState before, TargetState current) {}

    /**
     * Applies {@code add_labels} actions on one item that are ready together (consecutive in their
     * lane): each is decided on its own (duplicate, kill switch, policy, dry run, effect already
     * there) and gets its own snapshot and audit, and the labels of those left to add go to GitHub
     * in one request. Each audit names the actions it was coalesced with, and its after-state adds
     * only its own labels to its before-state, so that its undo removes only those. Returns when
     * every audit is in Kafka; like {@link #processLater}, it throws {@link RateLimitedException}
     * when a first request is rate limited (nothing written then) and defers the request in its
     * lane when it must wait.
     */
    CompletionStage<?> processTogether(List<ActionRecord> actions) {
        if (actions.size() == 1) {
            return processLater(actions.get(0)).acknowledged();
        }
        Instant started = clock.instant();
        List<Ready> ready = new ArrayList<>();
        List<Map.Entry<ActionRecord, AuditRecord>> decided = new ArrayList<>();
        for (ActionRecord action : actions) {
            int before = ready.size();
            AuditRecord audit = decide(action, started, true, ready);
            if (ready.size() == before) {
                decided.add(Map.entry(action, audit));
            }
        }
        // written only once every action was decided: a rate limit above leaves nothing written
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (Map.Entry<ActionRecord, AuditRecord> d : decided) {
            acks.add(
                    finished(d.getKey(), d.getValue(), writer.writeLater(d.getValue()))
                            .acknowledged()
                            .toCompletableFuture());
        }
        if (ready.isEmpty()) {
            return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
        }
        ActionRecord together = ready.size() == 1 ? ready.get(0).action() : together(ready);
        Ready latest = ready.get(ready.size() - 1);
        ActionHandler<? super GitHubClient> handler = handlers.of(together.type());
        GitHubClient sends = github.deferringRateLimits();
        return sendTogether(
                ready,
                started,
                () ->
                        guarded(
                                together,
                                started,
                                () ->
                                        mutate(
                                                together,
                                                handler,
                                                sends,
                                                latest.current(),
                                                latest.current(),
                                                started,
                                                0)),
                acks);
    }

    /** Sends the one request, or defers it in the lane; then audits each action. */
    private CompletionStage<?> sendTogether(
            List<Ready> ready,
            Instant started,
            Supplier<AuditRecord> send,
            List<CompletableFuture<?>> earlier) {
        AuditRecord sent;
        try {
            sent = send.get();
        } catch (MutationDeferred d) {
            metrics.writeDeferred(d.reason);
            throw new DeferredStep(
                    d.getMessage(), d.until, () -> sendTogether(ready, started, d.rest, earlier));
        }
        List<CompletableFuture<?>> acks = new ArrayList<>(earlier);
        for (Ready r : ready) {
            AuditRecord audit = ready.size() == 1 ? sent : coalesced(r, sent, ready, started);
            acks.add(
                    finished(r.action(), audit, writer.writeLater(audit))
                            .acknowledged()
                            .toCompletableFuture());
        }
        if (ready.size() > 1 && sent.githubStatus() != null) {
            metrics.requestsSavedByCoalescing(ready.size() - 1);
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }

    /** One {@code add_labels} action for the labels of all of {@code ready}. */
    private static ActionRecord together(List<Ready> ready) {
        ActionRecord first = ready.get(0).action();
        Set<String> union = new LinkedHashSet<>();
        for (Ready r : ready) {
            union.addAll(labelsOf(r.action()));
        }
        ArrayNode labels = JsonNodeFactory.instance.arrayNode();
        union.forEach(labels::add);
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.set("labels", labels);
        return new ActionRecord(
                first.actionId(),
                first.repo(),
                first.target(),
                first.declaredTarget(),
                first.type(),
                params,
                first.reason(),
                first.evidence(),
                first.confidence(),
                first.producedBy(),
                first.causedBy(),
                first.installationId(),
                first.createdAt(),
                null,
                null,
                false);
    }

    private static List<String> labelsOf(ActionRecord action) {
        List<String> names = new ArrayList<>();
        action.params().get("labels").forEach(n -> names.add(n.asText()));
        return names;
    }

    /**
     * The audit of one of several actions sent as one request: GitHub's answer, and an after-state
     * that adds to the action's before-state only the labels of its own that are now there.
     */
    private AuditRecord coalesced(Ready r, AuditRecord sent, List<Ready> ready, Instant started) {
        List<String> others =
                ready.stream()
                        .map(x -> x.action().actionId())
                        .filter(id -> !id.equals(r.action().actionId()))
                        .toList();
        String note =
                "coalesced with "
                        + others
                        + " into one request"
                        + (sent.error() == null ? "" : ": " + sent.error());
        TargetState after = null;
        if (sent.outcome() == AuditOutcome.APPLIED && sent.after() != null) {
            Set<String> labels = new TreeSet<>(r.current().labels());
            for (String label : labelsOf(r.action())) {
                if (sent.after().labels().contains(label)) {
                    labels.add(label);
                }
            }
            TargetState c = r.current();
            after =
                    new TargetState(
                            c.kind(),
                            c.state(),
                            c.stateReason(),
                            List.copyOf(labels),
                            c.assignees(),
                            c.requestedReviewers(),
                            c.headSha(),
                            c.merged(),
                            c.runStatus(),
                            c.runConclusion(),
                            c.runAttempt(),
                            c.commentId(),
                            c.updatedAt());
        }
        return audit(
                r.action(),
                sent.outcome(),
                r.before(),
                after,
                sent.githubStatus(),
                sent.rateLimit(),
                note,
                started);
    }

    /**
     * Sends the mutation, computed against what GitHub shows now ({@code current}), not the (maybe
     * older) snapshot. Through a client that defers rate limits ({@code sends}), a mutation that
     * may not go yet (its installation's next write slot, a rate limit GitHub answered it with:
     * GitHub did not apply it then) throws {@link MutationDeferred}, whose rest reads the target
     * again, looks for the effect and sends it then; so does the read of the after-state that
     * follows a mutation GitHub took.
     *
     * @param rateLimited how often GitHub refused this action's mutation with a rate limit so far
     */
    private <G> AuditRecord mutate(
            ActionRecord action,
            ActionHandler<G> handler,
            G sends,
            TargetState before,
            TargetState current,
            Instant started,
            int rateLimited) {
        Mutation mutation;
        try {
            mutation = handler.apply(sends, action, current);
        } catch (RateLimitedException e) {
            int limits = rateLimited + (e.paced() ? 0 : 1);
            if (limits > MAX_RATE_LIMITED_MUTATIONS) {
                return audit(
                        action,
                        AuditOutcome.FAILED,
                        before,
                        null,
                        null,
                        null,
                        "GitHub refused the mutation of "
                                + action.targetRef()
                                + " with a rate limit "
                                + limits
                                + " times; not sent again",
                        started);
            }
            throw later(
                    e,
                    action,
                    started,
                    () -> resume(action, handler, sends, before, started, limits));
        }
        return applied(action, handler, sends, before, mutation, started);
    }

    /**
     * The audit of a mutation GitHub took, with the after-state it answered or, when it answered
     * none, read now. A read that meets a rate limit waits in the lane, not in the worker: the
     * mutation is on GitHub, so only the read and the audit are left for when it is over.
     */
    private <G> AuditRecord applied(
            ActionRecord action,
            ActionHandler<G> handler,
            G sends,
            TargetState before,
            Mutation mutation,
            Instant started) {
        TargetState after = mutation.after();
        if (after == null) {
            try {
                after = handler.read(sends, action).value();
            } catch (RateLimitedException e) {
                throw new MutationDeferred(
                        e,
                        "read_after_write",
                        () ->
                                guarded(
                                        action,
                                        started,
                                        () ->
                                                applied(
                                                        action, handler, sends, before, mutation,
                                                        started)));
            }
        }
        if (mutation.commentId() != null) {
            after = after.withCommentId(mutation.commentId());
        }
        GitHubResponse response = mutation.response();
        return audit(
                action,
                AuditOutcome.APPLIED,
                before,
                after,
                response == null ? null : response.status(),
                rateLimit(response),
                null,
                started);
    }

    /** {@code rest} of the action (from reading its target again) for when {@code e} is over. */
    private MutationDeferred later(
            RateLimitedException e,
            ActionRecord action,
            Instant started,
            Supplier<AuditRecord> rest) {
        return new MutationDeferred(
                e, e.paced() ? "pacing" : "rate_limit", () -> guarded(action, started, rest));
    }

    /** The rest of an action whose mutation was deferred after its snapshot was written. */
    private <G> AuditRecord resume(
            ActionRecord action,
            ActionHandler<G> handler,
            G sends,
            TargetState before,
            Instant started,
            int rateLimited) {
        GitHubResult<TargetState> read;
        try {
            read = handler.read(sends, action);
        } catch (RateLimitedException e) {
            int limits = rateLimited + (e.paced() ? 0 : 1);
            throw later(
                    e,
                    action,
                    started,
                    () -> resume(action, handler, sends, before, started, limits));
        }
        TargetState current = read.value();
        // a handler that sends more than one request may have sent some before it had to wait
        Optional<AuditRecord> settled =
                settled(
                        action,
                        handler,
                        sends,
                        before,
                        current,
                        true,
                        rateLimit(read.response()),
                        "found applied when its deferred mutation was due; nothing sent again",
                        started);
        if (settled.isPresent()) {
            return settled.get();
        }
        return mutate(action, handler, sends, before, current, started, rateLimited);
    }

    /**
     * The audit of an action that is not to be sent after all: its effect is on GitHub already
     * (applied, with {@code appliedNote}), or its handler refuses the target as it is now (failed);
     * empty when the mutation is to be sent.
     */
    private <G> Optional<AuditRecord> settled(
            ActionRecord action,
            ActionHandler<G> handler,
            G asks,
            TargetState before,
            TargetState current,
            boolean earlierAttempt,
            RateLimit readRateLimit,
            String appliedNote,
            Instant started) {
        Optional<TargetState> effect =
                handler.existingEffect(asks, action, before, current, earlierAttempt);
        if (effect.isPresent()) {
            return Optional.of(
                    audit(
                            action,
                            AuditOutcome.APPLIED,
                            before,
                            effect.get(),
                            null,
                            readRateLimit,
                            appliedNote,
                            started));
        }
        return handler.refusal(current, action)
                .map(
                        refusal ->
                                audit(
                                        action,
                                        AuditOutcome.FAILED,
                                        before,
                                        null,
                                        null,
                                        readRateLimit,
                                        refusal,
                                        started));
    }

    /**
     * A mutation that may not be sent yet; {@link #rest} finishes the action (and may defer it
     * again). Thrown only after the action's snapshot is written.
     */
    private static final class MutationDeferred extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final Instant until;

        /** What waits: pacing, rate_limit (the mutation), read_after_write. */
        private final String reason;

        private final transient Supplier<AuditRecord> rest;

        MutationDeferred(RateLimitedException why, String reason, Supplier<AuditRecord> rest) {
            super(why.getMessage(), null, false, false);
            this.until = why.until();
            this.reason = reason;
            this.rest = rest;
        }
    }

    private static RateLimit rateLimit(GitHubResponse response) {
        return response == null ? null : response.rateLimit();
    }

    /** {@code produced_by} without its version: the rule, whatever version wrote the action. */
    static String producer(String producedBy) {
        int at = producedBy.indexOf('@');
        return at < 0 ? producedBy : producedBy.substring(0, at);
    }

    private AuditRecord audit(
            ActionRecord action,
            AuditOutcome outcome,
            TargetState before,
            TargetState after,
            Integer status,
            RateLimit rateLimit,
            String error,
            Instant started) {
        return new AuditRecord(
                action.actionId() + "/" + outcome.wireName() + "/" + UUID.randomUUID(),
                action.actionId(),
                action.repo(),
                action.target(),
                action.typedTarget(),
                action.type(),
                outcome,
                before,
                after,
                status,
                rateLimit,
                error,
                action.producedBy(),
                action.causedBy(),
                ActionMetadata.of(action),
                started,
                clock.instant());
    }
}
