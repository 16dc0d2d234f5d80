package io.repostream.executor.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.executor.github.RateLimitedException;
import io.repostream.executor.ledger.Ledger;
import io.repostream.executor.ledger.RecordWriter;
import io.repostream.executor.metrics.ExecutorMetrics;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.Snapshot;
import io.repostream.schemas.TargetState;
import io.repostream.schemas.TypedTarget;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers notification actions ({@link ActionType#notification()}): Slack messages and PagerDuty
 * events. Unlike GitHub mutations they are delivered <em>at least once</em> (ARCHITECTURE.md rule
 * 3) and made idempotent by their dedup key, the action's typed target:
 *
 * <ul>
 *   <li>Slack: the first delivery posts ({@code chat.postMessage}) and at once records the
 *       message's channel and {@code ts} in the action's snapshot; a retry (after a crash, say), or
 *       a later notification with the same dedup key, edits that message ({@code chat.update})
 *       instead of posting another. Only a crash between Slack's answer and that record can post
 *       twice.
 *   <li>PagerDuty: every event carries the dedup key, and PagerDuty folds a repeated trigger into
 *       the open alert.
 * </ul>
 *
 * A refusal that will not change by retrying (an unknown channel, a bad token, an invalid event) is
 * audited failed, logged and counted; a rate limit, a 5xx or no answer holds the action in its lane
 * until it is tried again ({@link RateLimitedException}), at most {@link #MAX_ATTEMPTS} times.
 * Secrets (the bot token, routing keys) are never in an audit, a log line or a metric: actions name
 * a routing key by its name, and any error text is masked before it is kept.
 */
public final class NotificationProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationProcessor.class);

    /** Attempts of one action that a service answers with a rate limit, 5xx or not at all. */
    public static final int MAX_ATTEMPTS = 5;

    /** Every kind of target state a notification leaves; see the snapshot schema. */
    public static final String KIND = "notification";

    private static final Set<String> EVENT_ACTIONS = Set.of("trigger", "acknowledge", "resolve");
    private static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");

    /** What deciding an action came to; the caller makes the audit record of it. */
    public record Outcome(
            AuditOutcome outcome,
            TargetState before,
            TargetState after,
            Integer status,
            String error) {}

    private final NotificationSettings settings;
    private final SlackApi slack;
    private final PagerDutyEvents pagerDuty;
    private final Ledger ledger;
    private final RecordWriter writer;
    private final ExecutorMetrics metrics;
    private final Clock clock;
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

    public NotificationProcessor(
            NotificationSettings settings,
            Ledger ledger,
            RecordWriter writer,
            ExecutorMetrics metrics,
            Clock clock) {
        this.settings = settings;
        NotifyHttp http = new NotifyHttp(settings.timeout(), clock);
        this.slack = new SlackApi(http, settings.slackApiUrl(), settings.slackToken());
        this.pagerDuty = new PagerDutyEvents(http, settings.pagerDutyEventsUrl());
        this.ledger = ledger;
        this.writer = writer;
        this.metrics = metrics;
        this.clock = clock;
        metrics.notificationsKnown();
    }

    /**
     * Delivers {@code action}, or previews it.
     *
     * @param dryRun audit what would be sent, send nothing
     * @throws RateLimitedException when the service asked to wait or did not answer: the action is
     *     to be tried again then (its snapshot, if written, stays)
     */
    public Outcome deliver(ActionRecord action, boolean dryRun) {
        try {
            return attempt(action, dryRun);
        } catch (GaveUp e) {
            return e.outcome;
        }
    }

    private Outcome attempt(ActionRecord action, boolean dryRun) {
        Optional<String> invalid = invalid(action);
        if (invalid.isPresent()) {
            return failed(action, null, null, "invalid action: " + invalid.get());
        }
        return action.type() == ActionType.NOTIFY_SLACK
                ? slack(action, dryRun)
                : pagerDuty(action, dryRun);
    }

    private Optional<String> invalid(ActionRecord action) {
        JsonNode p = action.params();
        String on = " (" + action.targetRef() + ")";
        if (action.type() == ActionType.NOTIFY_SLACK) {
            if (text(p, "channel") == null) {
                return Optional.of("params.channel is required" + on);
            }
            if (text(p, "text") == null) {
                return Optional.of("params.text is required" + on);
            }
            return Optional.empty();
        }
        String name = text(p, "routing_key");
        if (name == null) {
            return Optional.of("params.routing_key (a routing key's name) is required" + on);
        }
        String eventAction = text(p, "event_action");
        if (eventAction == null || !EVENT_ACTIONS.contains(eventAction)) {
            return Optional.of(
                    "params.event_action must be trigger, acknowledge or resolve, not "
                            + eventAction
                            + on);
        }
        if (action.typedTarget().id().length() > 255) {
            return Optional.of("a PagerDuty dedup key has at most 255 characters" + on);
        }
        if (eventAction.equals("trigger")) {
            if (text(p, "summary") == null) {
                return Optional.of("params.summary is required to trigger" + on);
            }
            String severity = text(p, "severity");
            if (severity == null || !SEVERITIES.contains(severity)) {
                return Optional.of(
                        "params.severity must be critical, error, warning or info, not "
                                + severity
                                + on);
            }
        }
        return Optional.empty();
    }

    // ---- Slack ---------------------------------------------------------------------------

    private Outcome slack(ActionRecord action, boolean dryRun) {
        TypedTarget target = action.typedTarget();
        Optional<Snapshot> earlier = ledger.snapshot(action.actionId());
        // the message this action's earlier attempt posted, else the one of an earlier action
        // with the same dedup key
        TargetState recorded =
                earlier.map(Snapshot::before)
                        .filter(NotificationProcessor::isSlackMessage)
                        .or(
                                () ->
                                        ledger.latestNotification(ActionType.NOTIFY_SLACK, target)
                                                .map(AuditRecord::after)
                                                .filter(NotificationProcessor::isSlackMessage))
                        .orElse(null);
        TargetState before =
                earlier.map(Snapshot::before).orElse(recorded != null ? recorded : nothing(target));
        String text = text(action.params(), "text");
        String channel = text(action.params(), "channel");
        if (dryRun) {
            TargetState intended =
                    recorded != null ? recorded : slackMessage(channel, "(not posted)");
            return new Outcome(AuditOutcome.DRY_RUN, before, intended, null, null);
        }
        if (!slack.configured()) {
            return failed(
                    action,
                    before,
                    null,
                    "no Slack bot token is configured (notifications.slack_token_file);"
                            + " nothing sent for "
                            + action.targetRef());
        }
        if (earlier.isEmpty()) {
            writer.write(snapshot(action, before));
        }
        if (recorded != null) {
            NotifyHttp.Answer updated = slack.update(recorded.stateReason(), recorded.name(), text);
            boolean gone =
                    updated.kind() == NotifyHttp.Kind.REFUSED
                            && "message_not_found".equals(updated.why());
            if (!gone) {
                return settle(
                        action,
                        before,
                        updated,
                        "Slack chat.update of the message",
                        () -> delivered(action, "updated", before, recorded, updated.status()));
            }
            // somebody deleted the message: post it again, at least once
            LOG.info(
                    "the Slack message for {} is gone ({}); posting it again",
                    action.targetRef(),
                    updated.why());
        }
        NotifyHttp.Answer posted = slack.postMessage(channel, text);
        return settle(
                action,
                before,
                posted,
                "Slack chat.postMessage to " + channel,
                () -> {
                    TargetState message =
                            slackMessage(
                                    posted.body().path("channel").asText(),
                                    posted.body().path("ts").asText());
                    // recorded before anything else, so that a retry edits this message
                    // instead of posting
                    writer.write(snapshot(action, message));
                    return delivered(action, "posted", before, message, posted.status());
                });
    }

    /**
     * Every delivery's answer, one way: delivered runs {@code onDelivered}; a refusal for good is
     * audited failed, naming {@code what} and the target; a rate limit, 5xx or no answer is thrown
     * as a retry ({@link #retry}).
     */
    private Outcome settle(
            ActionRecord action,
            TargetState before,
            NotifyHttp.Answer answer,
            String what,
            java.util.function.Supplier<Outcome> onDelivered) {
        return switch (answer.kind()) {
            case RETRY -> throw retry(action, what, answer);
            case REFUSED ->
                    failed(
                            action,
                            before,
                            answer.status(),
                            what
                                    + " for "
                                    + action.targetRef()
                                    + " was refused: "
                                    + mask(answer.why()));
            case OK -> onDelivered.get();
        };
    }

    private static boolean isSlackMessage(TargetState state) {
        return state != null
                && KIND.equals(state.kind())
                && "posted".equals(state.state())
                && state.stateReason() != null
                && state.name() != null;
    }

    /** A posted Slack message: {@code state_reason} its channel's id, {@code name} its ts. */
    static TargetState slackMessage(String channelId, String ts) {
        return new TargetState(
                KIND, "posted", channelId, null, null, null, null, null, null, null, null, null,
                null, ts);
    }

    // ---- PagerDuty -----------------------------------------------------------------------

    private Outcome pagerDuty(ActionRecord action, boolean dryRun) {
        TypedTarget target = action.typedTarget();
        String name = text(action.params(), "routing_key");
        String eventAction = text(action.params(), "event_action");
        Optional<Snapshot> earlier = ledger.snapshot(action.actionId());
        TargetState before =
                earlier.map(Snapshot::before)
                        .orElseGet(
                                () ->
                                        ledger.latestNotification(
                                                        ActionType.PAGERDUTY_EVENT, target)
                                                .map(AuditRecord::after)
                                                .filter(s -> name.equals(s.stateReason()))
                                                .orElse(nothing(target)));
        TargetState after = alert(eventAction, name, target.id());
        if (dryRun) {
            return new Outcome(AuditOutcome.DRY_RUN, before, after, null, null);
        }
        String routingKey = settings.routingKeys().get(name);
        if (routingKey == null) {
            return failed(
                    action,
                    before,
                    null,
                    "no PagerDuty routing key named '"
                            + name
                            + "' in the executor's settings (known: "
                            + new TreeSet<>(settings.routingKeys().keySet())
                            + "); nothing sent for "
                            + action.targetRef());
        }
        if (earlier.isEmpty()) {
            writer.write(snapshot(action, before));
        }
        String source = text(action.params(), "source");
        NotifyHttp.Answer answer =
                pagerDuty.enqueue(
                        routingKey,
                        eventAction,
                        target.id(),
                        text(action.params(), "summary"),
                        source == null ? "repostream" : source,
                        text(action.params(), "severity"),
                        action.repo());
        return settle(
                action,
                before,
                answer,
                "PagerDuty " + eventAction + " (routing key '" + name + "')",
                () -> delivered(action, eventAction, before, after, answer.status()));
    }

    /**
     * A PagerDuty alert as the last event left it: {@code state} triggered, acknowledged or
     * resolved, {@code state_reason} the routing key's name, {@code name} the dedup key.
     */
    static TargetState alert(String eventAction, String routingKeyName, String dedupKey) {
        String state =
                switch (eventAction) {
                    case "trigger" -> "triggered";
                    case "acknowledge" -> "acknowledged";
                    default -> "resolved";
                };
        return new TargetState(
                KIND,
                state,
                routingKeyName,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                dedupKey);
    }

    // ---- undo ----------------------------------------------------------------------------

    /**
     * What undoing an applied notification did or would do.
     *
     * @param done whether it was sent (false: irreversible, or a preview)
     * @param after the notification's state after the undo, when it was sent
     * @param status the service's HTTP status, when it was sent
     */
    public record Undo(
            boolean done,
            boolean irreversible,
            String description,
            TargetState after,
            Integer status) {}

    /**
     * Undoes an applied notification as far as it can be: a Slack message is edited to say it was
     * withdrawn, a triggered PagerDuty alert is resolved. That people read the message or were
     * paged cannot be undone, and an acknowledge or resolve has no inverse event in the Events API.
     */
    public Undo undo(AuditRecord applied, boolean preview) {
        TargetState after = applied.after();
        if (applied.actionType() == ActionType.NOTIFY_SLACK && isSlackMessage(after)) {
            String plan =
                    "edit Slack message "
                            + after.name()
                            + " in "
                            + after.stateReason()
                            + " to say it was withdrawn (that people read it cannot be undone)";
            if (preview) {
                return new Undo(false, false, plan, null, null);
            }
            return undone(plan, slack.update(after.stateReason(), after.name(), WITHDRAWN), after);
        }
        if (applied.actionType() == ActionType.PAGERDUTY_EVENT
                && after != null
                && "triggered".equals(after.state())) {
            String plan =
                    "resolve PagerDuty alert "
                            + after.name()
                            + " (routing key '"
                            + after.stateReason()
                            + "'; the page already sent cannot be taken back)";
            String key = settings.routingKeys().get(after.stateReason());
            if (preview) {
                return new Undo(false, false, plan, null, null);
            }
            if (key == null) {
                return new Undo(
                        false,
                        false,
                        plan + " failed: no routing key of that name is configured",
                        null,
                        null);
            }
            return undone(
                    plan,
                    pagerDuty.enqueue(
                            key, "resolve", after.name(), null, null, null, applied.repo()),
                    alert("resolve", after.stateReason(), after.name()));
        }
        return new Undo(
                false,
                true,
                applied.actionType().wireName()
                        + " leaving "
                        + (after == null ? "nothing" : after.state())
                        + " cannot be undone: the Events API has no inverse of acknowledge or"
                        + " resolve",
                null,
                null);
    }

    /** What an undo sent came to: {@code after} when delivered, why not otherwise. */
    private Undo undone(String plan, NotifyHttp.Answer answer, TargetState after) {
        return answer.kind() == NotifyHttp.Kind.OK
                ? new Undo(true, false, plan, after, answer.status())
                : new Undo(
                        false,
                        false,
                        plan + " failed: " + mask(answer.why()),
                        null,
                        answer.status() == 0 ? null : answer.status());
    }

    /** The text a withdrawn Slack message is edited to. */
    public static final String WITHDRAWN = "(withdrawn: repostream rolled this notification back)";

    // ---- shared --------------------------------------------------------------------------

    /** What a notification's target is before anything was delivered under its dedup key. */
    private static TargetState nothing(TypedTarget target) {
        return new TargetState(
                KIND,
                "none",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                target.id());
    }

    private Snapshot snapshot(ActionRecord action, TargetState before) {
        return Snapshot.of(action, clock.instant(), before);
    }

    private Outcome delivered(
            ActionRecord action, String how, TargetState before, TargetState after, int status) {
        attempts.remove(action.actionId());
        metrics.notification(service(action.type()), how);
        return new Outcome(AuditOutcome.APPLIED, before, after, status, null);
    }

    private Outcome failed(ActionRecord action, TargetState before, Integer status, String why) {
        attempts.remove(action.actionId());
        metrics.notification(service(action.type()), "failed");
        LOG.warn("{} {} not delivered: {}", action.type().wireName(), action.actionId(), why);
        return new Outcome(AuditOutcome.FAILED, before, null, status, why);
    }

    /**
     * The action is to be tried again when the service said; after {@link #MAX_ATTEMPTS} attempts
     * it is audited failed instead.
     */
    private RuntimeException retry(ActionRecord action, String what, NotifyHttp.Answer answer) {
        int attempt = attempts.merge(action.actionId(), 1, Integer::sum);
        metrics.notification(service(action.type()), "retried");
        String why = what + " for " + action.targetRef() + ": " + mask(answer.why());
        if (attempt >= MAX_ATTEMPTS) {
            attempts.remove(action.actionId());
            return new GaveUp(
                    failed(
                            action,
                            null,
                            answer.status() == 0 ? null : answer.status(),
                            why + "; gave up after " + attempt + " attempts"));
        }
        LOG.info(
                "{} (attempt {} of {}); tried again at {}",
                why,
                attempt,
                MAX_ATTEMPTS,
                answer.retryAt());
        return new RateLimitedException(why, answer.retryAt());
    }

    /** Thrown in place of a retry once the attempts are used up; carries the failed outcome. */
    static final class GaveUp extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Outcome outcome;

        GaveUp(Outcome outcome) {
            super(outcome.error(), null, false, false);
            this.outcome = outcome;
        }
    }

    private static String service(ActionType type) {
        return type == ActionType.NOTIFY_SLACK ? "slack" : "pagerduty";
    }

    /** Masks any secret a service might have echoed into an error. */
    private String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        if (settings.slackToken() != null) {
            masked = masked.replace(settings.slackToken(), "****");
        }
        for (String key : settings.routingKeys().values()) {
            masked = masked.replace(key, "****");
        }
        return masked;
    }

    private static String text(JsonNode params, String field) {
        JsonNode v = params == null ? null : params.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }
}
