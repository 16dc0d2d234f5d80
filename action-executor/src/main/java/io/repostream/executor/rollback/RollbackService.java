package io.repostream.executor.rollback;

import io.repostream.executor.github.GitHubClient;
import io.repostream.executor.github.GitHubException;
import io.repostream.executor.github.GitHubResponse;
import io.repostream.executor.github.RateLimitedException;
import io.repostream.executor.handlers.ActionHandler;
import io.repostream.executor.handlers.Handlers;
import io.repostream.executor.handlers.UndoPlan;
import io.repostream.executor.ledger.Ledger;
import io.repostream.executor.ledger.RecordWriter;
import io.repostream.executor.metrics.ExecutorMetrics;
import io.repostream.executor.notify.NotificationProcessor;
import io.repostream.executor.rollback.RollbackResult.Status;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.RateLimit;
import io.repostream.schemas.Snapshot;
import io.repostream.schemas.TargetState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undoes applied actions, one by id or in bulk by rule, repo and time range. Each undo touches only
 * what its action changed, and only if that is still as the action left it; otherwise it reports a
 * conflict and leaves the newer change alone. Every rollback is audited; asking twice sends nothing
 * the second time.
 *
 * <p>{@link #rollback} waits out a rate limit in the caller's thread (the CLI). {@link
 * #rollbackLater} (the admin API) runs on the executor's workers and waits on a timer instead: a
 * rate limit or write slot met before the rollback changed anything sends it again from its start
 * when the wait is over (read, plan, restore), and one met by the read after its restore reads
 * again then; meanwhile its worker goes on with other installations' actions.
 */
public final class RollbackService {
    private static final Logger LOG = LoggerFactory.getLogger(RollbackService.class);

    private final GitHubClient github;
    private final Handlers handlers;
    private final Ledger ledger;
    private final RecordWriter writer;
    private final ExecutorMetrics metrics;
    private final Clock clock;
    private final NotificationProcessor notifications;

    /** The rollbacks run by {@link #rollbackLater} and not finished, by action id. */
    private final Map<String, CompletableFuture<RollbackResult>> inFlight =
            new ConcurrentHashMap<>();

    public RollbackService(
            GitHubClient github,
            Handlers handlers,
            Ledger ledger,
            RecordWriter writer,
            ExecutorMetrics metrics,
            Clock clock) {
        this(github, handlers, ledger, writer, metrics, clock, null);
    }

    /**
     * @param notifications undoes notifications; null: their rollback fails, saying so
     */
    public RollbackService(
            GitHubClient github,
            Handlers handlers,
            Ledger ledger,
            RecordWriter writer,
            ExecutorMetrics metrics,
            Clock clock,
            NotificationProcessor notifications) {
        this.notifications = notifications;
        this.github = github;
        this.handlers = handlers;
        this.ledger = ledger;
        this.writer = writer;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Rolls back one action.
     *
     * @param preview only report the plan; send and audit nothing
     */
    public RollbackResult rollback(String actionId, boolean preview) {
        return rollback(actionId, preview, null);
    }

    /**
     * Rolls back one action for {@code requestedBy}, who is named in its audit record.
     *
     * @param preview only report the plan; send and audit nothing
     * @param requestedBy who asked (null: nobody named)
     */
    public synchronized RollbackResult rollback(
            String actionId, boolean preview, String requestedBy) {
        return attempt(actionId, preview, requestedBy, github, github);
    }

    /**
     * Rolls back one action for {@code requestedBy} on {@code workers}, without a thread waiting
     * for a GitHub limit: the rollback waits on {@code timers} and goes on on {@code workers}. A
     * second request for the same action runs after the first has finished.
     *
     * @return the result, when the rollback is audited (or failed to be)
     */
    public CompletionStage<RollbackResult> rollbackLater(
            String actionId,
            boolean preview,
            String requestedBy,
            Executor workers,
            ScheduledExecutorService timers) {
        CompletableFuture<RollbackResult> result = new CompletableFuture<>();
        CompletableFuture<RollbackResult> earlier = inFlight.put(actionId, result);
        result.whenComplete((r, e) -> inFlight.remove(actionId, result));
        Supplier<RollbackResult> attempt =
                new Supplier<>() {
                    @Override
                    public RollbackResult get() {
                        try {
                            GitHubClient deferring = github.deferringRateLimits();
                            return attempt(actionId, preview, requestedBy, deferring, deferring);
                        } catch (RateLimitedException e) {
                            // nothing changed yet: all of it again when the wait is over
                            throw new RollbackDeferred(e, this);
                        }
                    }
                };
        Runnable start = () -> runLater(attempt, result, workers, timers, null);
        if (earlier == null) {
            start.run();
        } else {
            earlier.whenComplete((r, e) -> start.run());
        }
        return result;
    }

    /** Runs {@code step} on {@code workers} when {@code at} comes (null: now). */
    private void runLater(
            Supplier<RollbackResult> step,
            CompletableFuture<RollbackResult> result,
            Executor workers,
            ScheduledExecutorService timers,
            Instant at) {
        Runnable run =
                () -> {
                    try {
                        RollbackResult done;
                        synchronized (this) {
                            done = step.get();
                        }
                        result.complete(done);
                    } catch (RollbackDeferred d) {
                        metrics.writeDeferred("rollback");
                        LOG.info("rollback waits until {}: {}", d.until, d.getMessage());
                        runLater(d.rest, result, workers, timers, d.until);
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                    }
                };
        try {
            if (at == null) {
                workers.execute(run);
            } else {
                long delay = Math.max(0, at.toEpochMilli() - clock.millis());
                timers.schedule(
                        () -> {
                            try {
                                workers.execute(run);
                            } catch (RejectedExecutionException e) {
                                result.completeExceptionally(e);
                            }
                        },
                        delay,
                        TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e); // the executor is stopping
        }
    }

    /** The rest of a rollback that must wait for a GitHub limit, for when it is over. */
    private static final class RollbackDeferred extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final Instant until;
        private final transient Supplier<RollbackResult> rest;

        RollbackDeferred(RateLimitedException why, Supplier<RollbackResult> rest) {
            super(why.getMessage(), null, false, false);
            this.until = why.until();
            this.rest = rest;
        }
    }

    /**
     * One try at rolling back: {@code asks} reads the target and sends the restore, {@code
     * afterwards} reads the target after it.
     */
    private RollbackResult attempt(
            String actionId,
            boolean preview,
            String requestedBy,
            GitHubClient asks,
            GitHubClient afterwards) {
        Optional<AuditRecord> appliedAudit = ledger.applied(actionId);
        if (appliedAudit.isEmpty()) {
            return new RollbackResult(
                    actionId,
                    null,
                    Status.NOT_APPLIED,
                    "no applied action " + actionId + " is known");
        }
        AuditRecord applied = appliedAudit.get();
        String ref = applied.repo() + "#" + applied.target();
        if (ledger.rolledBack(actionId)) {
            return new RollbackResult(
                    actionId, ref, Status.ALREADY_ROLLED_BACK, "rolled back before; nothing sent");
        }
        if (applied.actionType().notification()) {
            return undoNotification(applied, preview, requestedBy);
        }
        TargetState before =
                applied.before() != null
                        ? applied.before()
                        : ledger.snapshot(actionId).map(Snapshot::before).orElse(null);
        if (before == null) {
            return new RollbackResult(
                    actionId,
                    ref,
                    Status.FAILED,
                    "no snapshot of " + ref + " for action " + actionId);
        }
        return undo(
                handlers.of(applied.actionType()),
                asks,
                afterwards,
                applied,
                before,
                preview,
                requestedBy);
    }

    /**
     * Undoes a Slack or PagerDuty notification (not GitHub): see {@link
     * NotificationProcessor#undo}.
     */
    private RollbackResult undoNotification(
            AuditRecord applied, boolean preview, String requestedBy) {
        Instant started = clock.instant();
        String ref = applied.repo() + " notification " + applied.typedTarget().id();
        if (notifications == null) {
            return new RollbackResult(
                    applied.actionId(),
                    ref,
                    Status.FAILED,
                    "this executor delivers no notifications");
        }
        NotificationProcessor.Undo undo = notifications.undo(applied, preview);
        if (preview) {
            return new RollbackResult(
                    applied.actionId(),
                    ref,
                    undo.irreversible() ? Status.IRREVERSIBLE : Status.PREVIEW,
                    undo.description());
        }
        Status status =
                undo.done()
                        ? Status.ROLLED_BACK
                        : undo.irreversible() ? Status.IRREVERSIBLE : Status.FAILED;
        AuditOutcome outcome =
                switch (status) {
                    case ROLLED_BACK -> AuditOutcome.ROLLED_BACK;
                    case FAILED -> AuditOutcome.FAILED;
                    default -> AuditOutcome.ROLLBACK_CONFLICT;
                };
        writer.write(
                audit(
                        applied,
                        outcome,
                        applied.after(),
                        undo.after(),
                        undo.status(),
                        null,
                        undo.description(),
                        started,
                        requestedBy));
        metrics.rollback(applied.actionType(), outcome);
        LOG.info(
                "rollback of {} on {}: {} - {}",
                applied.actionId(),
                ref,
                status,
                undo.description());
        return new RollbackResult(applied.actionId(), ref, status, undo.description());
    }

    /** Undoes {@code applied} through its handler's own part of GitHub. */
    private <G> RollbackResult undo(
            ActionHandler<G> handler,
            G github,
            G afterwards,
            AuditRecord applied,
            TargetState before,
            boolean preview,
            String requestedBy) {
        String actionId = applied.actionId();
        String ref = applied.repo() + "#" + applied.target();
        Instant started = clock.instant();
        TargetState current;
        try {
            current = handler.read(github, applied).value();
        } catch (GitHubException e) {
            return finish(
                    applied,
                    preview,
                    Status.FAILED,
                    null,
                    null,
                    e,
                    "cannot read " + ref + ": " + e.getMessage(),
                    started,
                    requestedBy);
        }
        UndoPlan<G> plan = handler.planUndo(applied, before, current);
        if (preview) {
            return new RollbackResult(actionId, ref, previewStatus(plan), plan.description());
        }
        if (plan instanceof UndoPlan.Restore<G> restore) {
            return restoreFrom(
                    0,
                    null,
                    applied,
                    handler,
                    github,
                    afterwards,
                    restore,
                    current,
                    started,
                    requestedBy);
        }
        if (plan instanceof UndoPlan.NothingToUndo) {
            return finish(
                    applied,
                    false,
                    Status.NOTHING_TO_UNDO,
                    current,
                    current,
                    null,
                    plan.description(),
                    started,
                    requestedBy);
        }
        Status status =
                plan instanceof UndoPlan.Irreversible ? Status.IRREVERSIBLE : Status.CONFLICT;
        return finish(
                applied,
                false,
                status,
                current,
                null,
                null,
                plan.description(),
                started,
                requestedBy);
    }

    private static Status previewStatus(UndoPlan<?> plan) {
        if (plan instanceof UndoPlan.Restore) {
            return Status.PREVIEW;
        }
        if (plan instanceof UndoPlan.NothingToUndo) {
            return Status.NOTHING_TO_UNDO;
        }
        return plan instanceof UndoPlan.Irreversible ? Status.IRREVERSIBLE : Status.CONFLICT;
    }

    /**
     * Rolls back every applied action of rule {@code producedBy} on {@code repo} (null = every
     * repo) applied within {@code [from, to)} (null = open), newest first so that stacked actions
     * unwind in reverse.
     */
    public List<RollbackResult> rollbackAll(
            String producedBy, String repo, Instant from, Instant to, boolean preview) {
        return rollbackAll(producedBy, repo, from, to, preview, null);
    }

    /** {@link #rollbackAll(String, String, Instant, Instant, boolean)} for {@code requestedBy}. */
    public List<RollbackResult> rollbackAll(
            String producedBy,
            String repo,
            Instant from,
            Instant to,
            boolean preview,
            String requestedBy) {
        List<AuditRecord> matching = newestFirst(producedBy, repo, from, to);
        List<RollbackResult> results = new ArrayList<>();
        for (AuditRecord applied : matching) {
            results.add(rollback(applied.actionId(), preview, requestedBy));
        }
        return results;
    }

    /**
     * {@link #rollbackAll(String, String, Instant, Instant, boolean, String)} through {@link
     * #rollbackLater}, one action after another, newest first.
     */
    public CompletionStage<List<RollbackResult>> rollbackAllLater(
            String producedBy,
            String repo,
            Instant from,
            Instant to,
            boolean preview,
            String requestedBy,
            Executor workers,
            ScheduledExecutorService timers) {
        List<AuditRecord> matching = newestFirst(producedBy, repo, from, to);
        CompletionStage<List<RollbackResult>> results =
                CompletableFuture.<List<RollbackResult>>completedFuture(new ArrayList<>());
        for (AuditRecord applied : matching) {
            results =
                    results.thenCompose(
                            list ->
                                    rollbackLater(
                                                    applied.actionId(),
                                                    preview,
                                                    requestedBy,
                                                    workers,
                                                    timers)
                                            .thenApply(
                                                    r -> {
                                                        list.add(r);
                                                        return list;
                                                    }));
        }
        return results;
    }

    /** The applied actions a bulk rollback undoes, newest first so that stacked ones unwind. */
    private List<AuditRecord> newestFirst(
            String producedBy, String repo, Instant from, Instant to) {
        if (producedBy == null || producedBy.isBlank()) {
            throw new IllegalArgumentException("a bulk rollback needs the rule (produced_by)");
        }
        List<AuditRecord> matching =
                new ArrayList<>(ledger.appliedMatching(producedBy, repo, from, to));
        java.util.Collections.reverse(matching);
        return matching;
    }

    /**
     * Sends the restore's requests from step {@code from} on. A rate limit or write slot that one
     * of them must wait for (through a client that defers them: GitHub did not apply that request)
     * defers the rollback with the requests left, this one first, so that no worker waits and
     * nothing sent is sent again.
     *
     * @param response GitHub's answer to the step before {@code from}, if any
     */
    private <G> RollbackResult restoreFrom(
            int from,
            GitHubResponse response,
            AuditRecord applied,
            ActionHandler<G> handler,
            G github,
            G afterwards,
            UndoPlan.Restore<G> plan,
            TargetState current,
            Instant started,
            String requestedBy) {
        int step = from;
        try {
            for (; step < plan.steps().size(); step++) {
                response = plan.steps().get(step).apply(github);
            }
        } catch (RateLimitedException e) {
            if (step == 0) {
                throw e; // nothing changed yet: the whole rollback again, target read included
            }
            int next = step;
            GitHubResponse sent = response;
            throw new RollbackDeferred(
                    e,
                    () ->
                            restoreFrom(
                                    next,
                                    sent,
                                    applied,
                                    handler,
                                    github,
                                    afterwards,
                                    plan,
                                    current,
                                    started,
                                    requestedBy));
        } catch (GitHubException e) {
            // gone or refused: somebody changed the target under us, which is a conflict
            Status status =
                    e.status() == 404 || e.status() == 410 || e.status() == 422
                            ? Status.CONFLICT
                            : Status.FAILED;
            return finish(
                    applied,
                    false,
                    status,
                    current,
                    null,
                    e,
                    plan.description() + " failed: " + e.getMessage(),
                    started,
                    requestedBy);
        }
        return restored(
                applied, handler, afterwards, plan, current, response, started, requestedBy);
    }

    /** Reads the target after its restore and audits the rollback. */
    private <G> RollbackResult restored(
            AuditRecord applied,
            ActionHandler<G> handler,
            G github,
            UndoPlan.Restore<G> plan,
            TargetState current,
            GitHubResponse response,
            Instant started,
            String requestedBy) {
        TargetState after;
        try {
            after = handler.read(github, applied).value();
        } catch (RateLimitedException e) {
            // the restore is on GitHub: only the read and the audit are left
            throw new RollbackDeferred(
                    e,
                    () ->
                            restored(
                                    applied,
                                    handler,
                                    github,
                                    plan,
                                    current,
                                    response,
                                    started,
                                    requestedBy));
        }
        AuditRecord audit =
                audit(
                        applied,
                        AuditOutcome.ROLLED_BACK,
                        current,
                        after,
                        response == null ? null : response.status(),
                        response == null ? null : response.rateLimit(),
                        plan.description(),
                        started,
                        requestedBy);
        writer.write(audit);
        metrics.rollback(applied.actionType(), AuditOutcome.ROLLED_BACK);
        LOG.info(
                "rolled back {} on {}#{}: {}",
                applied.actionId(),
                applied.repo(),
                applied.target(),
                plan.description());
        return new RollbackResult(
                applied.actionId(),
                applied.repo() + "#" + applied.target(),
                Status.ROLLED_BACK,
                plan.description());
    }

    private RollbackResult finish(
            AuditRecord applied,
            boolean preview,
            Status status,
            TargetState current,
            TargetState after,
            GitHubException error,
            String detail,
            Instant started,
            String requestedBy) {
        String ref = applied.repo() + "#" + applied.target();
        if (preview) {
            return new RollbackResult(applied.actionId(), ref, status, detail);
        }
        // "nothing to undo" counts as rolled back, so that asking again is a no-op
        AuditOutcome outcome =
                switch (status) {
                    case NOTHING_TO_UNDO -> AuditOutcome.ROLLED_BACK;
                    case FAILED -> AuditOutcome.FAILED;
                    default -> AuditOutcome.ROLLBACK_CONFLICT;
                };
        Integer githubStatus = error == null || error.status() == 0 ? null : error.status();
        RateLimit rateLimit =
                error == null ? null : error.response().map(GitHubResponse::rateLimit).orElse(null);
        writer.write(
                audit(
                        applied,
                        outcome,
                        current,
                        after,
                        githubStatus,
                        rateLimit,
                        detail,
                        started,
                        requestedBy));
        metrics.rollback(applied.actionType(), outcome);
        LOG.info("rollback of {} on {}: {} - {}", applied.actionId(), ref, status, detail);
        return new RollbackResult(applied.actionId(), ref, status, detail);
    }

    private AuditRecord audit(
            AuditRecord applied,
            AuditOutcome outcome,
            TargetState before,
            TargetState after,
            Integer status,
            RateLimit rateLimit,
            String detail,
            Instant started,
            String requestedBy) {
        return new AuditRecord(
                applied.actionId() + Ledger.ROLLBACK_MARK + UUID.randomUUID(),
                applied.actionId(),
                applied.repo(),
                applied.target(),
                applied.declaredTarget(),
                applied.actionType(),
                outcome,
                before,
                after,
                status,
                rateLimit,
                detail,
                applied.producedBy(),
                applied.causedBy(),
                applied.metadata(),
                started,
                clock.instant(),
                requestedBy);
    }
}
