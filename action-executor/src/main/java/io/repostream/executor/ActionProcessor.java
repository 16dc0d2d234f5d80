package io.repostream.executor;

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
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
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

    /** Why the kill switch of a rule is on, by its producer ({@code produced_by} w/o version). */
    @FunctionalInterface
    public interface KilledRules {
        /** Why {@code producer}'s kill switch is on, or empty when it is off. */
        Optional<String> why(String producer);

        KilledRules NONE = producer -> Optional.empty();
    }

    public ActionProcessor(
            GitHubClient github,
            Handlers handlers,
            Ledger ledger,
            PolicyStore policies,
            RecordWriter writer,
            ExecutorMetrics metrics,
            BooleanSupplier killSwitch,
            Clock clock) {
        this(
                github,
                handlers,
                ledger,
                policies,
                writer,
                metrics,
                killSwitch,
                KilledRules.NONE,
                clock,
                null);
    }

    /**
     * @param killedRules why a rule's kill switch is on
     * @param reads performs read actions ({@link io.repostream.schemas.ActionType#read()}); null: a
     *     read action is audited failed
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
            ReadProcessor reads) {
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
            audit = decide(action, started, deferRateLimits);
            pending = writer.writeLater(audit);
        }
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

    private AuditRecord decide(ActionRecord action, Instant started, boolean deferRateLimits) {
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
        try {
            return applyOrPreview(
                    action,
                    handler,
                    github,
                    deferRateLimits ? github.deferringRateLimits() : github,
                    policy,
                    started);
        } catch (RateLimitedException e) {
            throw e; // nothing changed yet: the action is held and tried again, not audited
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
            RepoPolicy policy,
            Instant started) {
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
        Optional<TargetState> effect =
                handler.existingEffect(firstAsks, action, before, current, earlier.isPresent());
        if (effect.isPresent()) {
            String note =
                    earlier.isPresent()
                            ? "found applied by an earlier attempt; nothing sent again"
                            : "already in the wanted state; nothing sent";
            return audit(
                    action,
                    AuditOutcome.APPLIED,
                    before,
                    effect.get(),
                    null,
                    readRateLimit,
                    note,
                    started);
        }
        Optional<String> refusal = handler.refusal(current, action);
        if (refusal.isPresent()) {
            return audit(
                    action,
                    AuditOutcome.FAILED,
                    before,
                    null,
                    null,
                    readRateLimit,
                    refusal.get(),
                    started);
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
        // the mutation is computed against what GitHub shows now, not the (maybe older) snapshot
        Mutation mutation = handler.apply(github, action, current);
        GitHubResponse response = mutation.response();
        TargetState after =
                mutation.after() != null ? mutation.after() : handler.read(github, action).value();
        if (mutation.commentId() != null) {
            after = after.withCommentId(mutation.commentId());
        }
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
