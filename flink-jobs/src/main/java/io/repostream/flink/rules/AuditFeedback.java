package io.repostream.flink.rules;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.serialization.WireTypes;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.TargetKind;
import io.repostream.schemas.TargetState;
import io.repostream.schemas.TypedTarget;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge from {@code github.audit.v1} back to the rules: a rule that declares {@link
 * Rule.Builder#learnsFromItsAudits} receives the audit records of its own actions, each turned into
 * an {@link #event internal event} ({@code source: enrichment}, {@code type: audit}, {@code action}
 * the outcome) that is unioned into its keyed input after its filter, keyed by its own key
 * selector. The router reads the one audit stream the job already reads for the governors' rate
 * limits (operator {@code github-audit-source}); the events it makes exist only inside the job: the
 * job writes no events, so none ever reaches {@code github.events.v1}, the event counts or another
 * rule.
 *
 * <p>Which audit records reach a rule, deliberately:
 *
 * <ul>
 *   <li>those whose {@code produced_by} names the rule (its name; any version, so audits of actions
 *       an earlier version proposed reach the rule that keeps its state) and whose action type it
 *       learns from;
 *   <li>every outcome, {@code dry_run} and {@code dropped} (the governors' own audits, {@code
 *       ActionDrops}, read back from the topic) included: the rule decides what each means;
 *   <li>never a rollback's audit ({@code audit_id} with {@link #ROLLBACK_MARK}): a rollback is a
 *       person undoing an applied action, not the result of the rule's step, and a failed rollback
 *       would otherwise read as the action failing;
 *   <li>never one its key selector cannot key (an item rule and an audit of a target that is no
 *       issue or pull request): logged and counted.
 * </ul>
 *
 * An audit record can be older than what the rule knows (the audit topic is read from its committed
 * offsets, from the start on a first run): a rule must check the record is about the step it is
 * waiting for (its action id, the head it pinned) and ignore it otherwise.
 *
 * <p>Metrics on the router ({@code audit-feedback}): {@code auditsRoutedToRules} with label {@code
 * rule}, and {@code auditsWithoutRule} with label {@code reason}: {@code no_rule} (no rule of the
 * job names the producer: another job, the predictor, a rule since removed), {@code not_learned}
 * (the rule does not learn from audits of that type), {@code rollback}, {@code unkeyable}.
 */
public final class AuditFeedback {
    private static final Logger LOG = LoggerFactory.getLogger(AuditFeedback.class);

    /** The events' {@link GitHubEvent#type()}; no GitHub webhook has this name. */
    public static final String TYPE = "audit";

    /** The payload field that holds the audit ({@code /audit/outcome}, ...). */
    public static final String FIELD = "audit";

    /** The router operator's uid. */
    public static final String UID = "audit-feedback";

    /**
     * Marks the audit id of a rollback's audit record: the executor's {@code Ledger.ROLLBACK_MARK}
     * (the job does not import the executor).
     */
    public static final String ROLLBACK_MARK = "/rollback/";

    /**
     * Why an audit record reaches no rule: the {@code reason} label of {@code auditsWithoutRule}.
     */
    public enum Unrouted {
        NO_RULE,
        NOT_LEARNED,
        ROLLBACK,
        UNKEYABLE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final SingleOutputStreamOperator<GitHubEvent> router;
    private final Map<String, OutputTag<GitHubEvent>> tags;

    private AuditFeedback(
            SingleOutputStreamOperator<GitHubEvent> router,
            Map<String, OutputTag<GitHubEvent>> tags) {
        this.router = router;
        this.tags = tags;
    }

    /** Routes {@code audits} to those of {@code rules} that learn from them. */
    public static AuditFeedback route(DataStream<AuditRecord> audits, List<Rule<?>> rules) {
        List<Learner> learning = new ArrayList<>();
        Map<String, OutputTag<GitHubEvent>> tags = new LinkedHashMap<>();
        for (Rule<?> rule : rules) {
            if (rule.learnsFromItsAudits()) {
                learning.add(Learner.of(rule));
                tags.put(rule.uid(), tag(rule.uid()));
            }
        }
        List<String> producers = rules.stream().map(Rule::producer).distinct().toList();
        SingleOutputStreamOperator<GitHubEvent> router =
                audits.process(new Router(learning, producers), WireTypes.GITHUB_EVENT)
                        .uid(UID)
                        .name("audit-feedback");
        return new AuditFeedback(router, tags);
    }

    /** The audit events of {@code rule}, which must have been routed. */
    public DataStream<GitHubEvent> of(Rule<?> rule) {
        OutputTag<GitHubEvent> tag = tags.get(rule.uid());
        if (tag == null) {
            throw new IllegalArgumentException(
                    rule + " learns from its audits but was not routed any (not in the rule list)");
        }
        return router.getSideOutput(tag);
    }

    static OutputTag<GitHubEvent> tag(String ruleUid) {
        return new OutputTag<>("audits-of-" + ruleUid, WireTypes.GITHUB_EVENT);
    }

    /**
     * What the router needs of a rule that learns from its audits (a rule descriptor is not
     * serializable; this is).
     *
     * @param fields the rule's declared fields and what keys an item
     */
    record Learner(
            String uid,
            String producer,
            Set<ActionType> types,
            List<String> fields,
            KeySelector<GitHubEvent, String> key)
            implements Serializable {
        static Learner of(Rule<?> rule) {
            if (!(rule.input() instanceof RuleInput.Events e)) {
                throw new IllegalArgumentException(rule + " reads no events");
            }
            List<String> fields = new ArrayList<>(rule.fields());
            fields.add("/issue/number");
            fields.add("/pull_request/number");
            return new Learner(
                    rule.uid(),
                    rule.producer(),
                    Set.copyOf(rule.learnsFrom()),
                    List.copyOf(fields),
                    e.key());
        }
    }

    /** Whether {@code event} is an audit event made by this router. */
    public static boolean isAudit(GitHubEvent event) {
        return event.source() == EventSource.ENRICHMENT && TYPE.equals(event.type());
    }

    /** {@code produced_by} without its version. */
    static String producer(String producedBy) {
        int at = producedBy.indexOf('@');
        return at < 0 ? producedBy : producedBy.substring(0, at);
    }

    /**
     * The event {@code rule} receives for {@code audit}, as the router makes it (projected to the
     * fields the rule declares), or why it receives none.
     */
    public static Routed forRule(Rule<?> rule, AuditRecord audit) {
        Learner learner = Learner.of(rule);
        return forRule(learner, PayloadFields.spec(learner.fields()), audit);
    }

    private static Routed forRule(Learner rule, Map<String, Object> kept, AuditRecord audit) {
        if (!rule.producer().equals(producer(audit.producedBy()))) {
            return new Routed(null, Unrouted.NO_RULE);
        }
        if (!rule.types().contains(audit.actionType())) {
            return new Routed(null, Unrouted.NOT_LEARNED);
        }
        if (audit.auditId().contains(ROLLBACK_MARK)) {
            return new Routed(null, Unrouted.ROLLBACK);
        }
        GitHubEvent event = event(audit);
        GitHubEvent projected = event.withPayload(PayloadProjection.project(event.payload(), kept));
        try {
            if (rule.key().getKey(projected) == null) {
                return new Routed(null, Unrouted.UNKEYABLE);
            }
        } catch (Exception unkeyable) {
            return new Routed(null, Unrouted.UNKEYABLE);
        }
        return new Routed(projected, null);
    }

    /**
     * What the router did with one audit for one rule.
     *
     * @param event the rule's event, or null
     * @param unrouted why there is none, or null
     */
    public record Routed(GitHubEvent event, Unrouted unrouted) {}

    /**
     * The internal event of {@code audit}: {@code event_id} {@code audit:<audit_id>}, {@code
     * occurred_at} and {@code received_at} the audit's {@code finished_at}, {@code action} the
     * outcome; the payload holds {@code audit} (below) and, when the action's target is an issue or
     * a pull request, {@code issue.number} or {@code pull_request.number}, so item rules key it as
     * their other events. {@code audit}: {@code audit_id}, {@code action_id}, {@code action_type},
     * {@code outcome}, {@code success}, {@code github_status} (absent when nothing was sent),
     * {@code error}, {@code produced_by}, {@code target}, {@code typed_target} ({@code kind},
     * {@code id}), {@code caused_by}, {@code reason} (the action's), and {@code before} / {@code
     * after} ({@code state}, {@code head_sha}, {@code merged}, {@code comment_id}) when read. The
     * action's {@code params} are not in an audit record: a rule that needs one reads it from its
     * own action id.
     */
    public static GitHubEvent event(AuditRecord audit) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        ObjectNode a = payload.putObject(FIELD);
        a.put("audit_id", audit.auditId());
        a.put("action_id", audit.actionId());
        a.put("action_type", audit.actionType().wireName());
        a.put("outcome", audit.outcome().wireName());
        a.put("success", audit.success());
        if (audit.githubStatus() != null) {
            a.put("github_status", audit.githubStatus());
        }
        if (audit.error() != null) {
            a.put("error", audit.error());
        }
        a.put("produced_by", audit.producedBy());
        a.put("target", audit.target());
        TypedTarget target = audit.typedTarget();
        if (target != null) {
            a.putObject("typed_target")
                    .put("kind", target.kind().wireName())
                    .put("id", target.id());
            if (target.namesAnIssueOrPullRequest() && target.number().isPresent()) {
                String item = target.kind().equals(TargetKind.ISSUE) ? "issue" : "pull_request";
                payload.putObject(item).put("number", target.number().getAsLong());
            }
        }
        var causedBy = a.putArray("caused_by");
        audit.causedBy().forEach(causedBy::add);
        if (audit.metadata() != null && audit.metadata().reason() != null) {
            a.put("reason", audit.metadata().reason());
        }
        state(a, "before", audit.before());
        state(a, "after", audit.after());
        return new GitHubEvent(
                "audit:" + audit.auditId(),
                EventSource.ENRICHMENT,
                TYPE,
                audit.outcome().wireName(),
                audit.repo(),
                null,
                null,
                audit.finishedAt(),
                audit.finishedAt(),
                payload);
    }

    private static void state(ObjectNode audit, String field, TargetState state) {
        if (state == null) {
            return;
        }
        ObjectNode s = audit.putObject(field);
        if (state.state() != null) {
            s.put("state", state.state());
        }
        if (state.headSha() != null) {
            s.put("head_sha", state.headSha());
        }
        if (state.merged() != null) {
            s.put("merged", state.merged());
        }
        if (state.commentId() != null) {
            s.put("comment_id", state.commentId());
        }
    }

    /** Sends each audit record to the side output of every rule that learns from it. */
    static final class Router extends ProcessFunction<AuditRecord, GitHubEvent> {
        private static final long serialVersionUID = 1L;

        private final List<Learner> learning;
        private final List<String> producers;
        private transient List<Map<String, Object>> kept;
        private transient List<OutputTag<GitHubEvent>> tags;
        private transient List<Counter> routed;
        private transient Map<Unrouted, Counter> unrouted;

        /**
         * @param producers the producers of every rule of the job, learning or not
         */
        Router(List<Learner> learning, List<String> producers) {
            this.learning = List.copyOf(learning);
            this.producers = List.copyOf(producers);
        }

        @Override
        public void open(OpenContext openContext) {
            MetricGroup metrics = getRuntimeContext().getMetricGroup();
            kept = new ArrayList<>();
            tags = new ArrayList<>();
            routed = new ArrayList<>();
            for (Learner rule : learning) {
                kept.add(PayloadFields.spec(rule.fields()));
                tags.add(tag(rule.uid()));
                routed.add(metrics.addGroup("rule", rule.uid()).counter("auditsRoutedToRules"));
            }
            unrouted = new EnumMap<>(Unrouted.class);
            for (Unrouted reason : Unrouted.values()) {
                unrouted.put(
                        reason,
                        metrics.addGroup("reason", reason.label()).counter("auditsWithoutRule"));
            }
        }

        @Override
        public void processElement(AuditRecord audit, Context ctx, Collector<GitHubEvent> out) {
            String producer = producer(audit.producedBy());
            Unrouted why = producers.contains(producer) ? Unrouted.NOT_LEARNED : Unrouted.NO_RULE;
            boolean any = false;
            for (int i = 0; i < learning.size(); i++) {
                Learner rule = learning.get(i);
                Routed r = forRule(rule, kept.get(i), audit);
                if (r.event() != null) {
                    ctx.output(tags.get(i), r.event());
                    routed.get(i).inc();
                    any = true;
                } else if (r.unrouted() != Unrouted.NO_RULE) {
                    why = r.unrouted();
                    if (why == Unrouted.UNKEYABLE) {
                        LOG.warn(
                                "audit {} of {} ({} on {}) not given to rule {}: its key selector"
                                        + " cannot key it",
                                audit.auditId(),
                                audit.producedBy(),
                                audit.actionType().wireName(),
                                audit.repo(),
                                rule.uid());
                    }
                }
            }
            if (!any) {
                unrouted.get(why).inc();
            }
        }

        /** Audits given to rule {@code uid} so far, for tests. */
        long routed(String uid) {
            for (int i = 0; i < learning.size(); i++) {
                if (learning.get(i).uid().equals(uid)) {
                    return routed.get(i).getCount();
                }
            }
            return 0;
        }

        /** Audits that reached no rule for {@code reason} so far, for tests. */
        long unrouted(Unrouted reason) {
            return unrouted.get(reason).getCount();
        }
    }
}
