package io.repostream.flink.rules;

import io.repostream.flink.serialization.WireTypes;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * The rules' part of the job graph, one {@link #add rule} at a time: each rule's input (filtered
 * events, or another rule's side output) keyed, connected to the broadcast policies, and processed
 * by the rule's function under its uid; its actions and metric signals collected for what comes
 * after the rules (governors, metrics windows).
 */
public final class RuleGraph {
    private final DataStream<GitHubEvent> events;
    private final BroadcastStream<RepoPolicy> policies;
    private final AuditFeedback audits;
    private final Map<String, DataStream<GitHubEvent>> filtered = new HashMap<>();
    private final Map<String, KeyedStream<GitHubEvent, String>> eventInputs = new HashMap<>();
    private final Map<String, SingleOutputStreamOperator<ActionRecord>> built = new HashMap<>();
    private DataStream<ActionRecord> actions;
    private DataStream<RepoMetrics> signals;

    /**
     * @param events the events after the job's payload projection ({@code RuleFields})
     * @param policies the repo policies, broadcast
     */
    public RuleGraph(DataStream<GitHubEvent> events, BroadcastStream<RepoPolicy> policies) {
        this(events, policies, null);
    }

    /**
     * @param events the events after the job's payload projection ({@code RuleFields})
     * @param policies the repo policies, broadcast
     * @param audits the audit records routed to the rules that learn from them ({@link
     *     AuditFeedback#route}); null when the job reads no audits, and then such a rule gets its
     *     events alone
     */
    public RuleGraph(
            DataStream<GitHubEvent> events,
            BroadcastStream<RepoPolicy> policies,
            AuditFeedback audits) {
        this.events = events;
        this.policies = policies;
        this.audits = audits;
    }

    /** Adds {@code rule}; a rule it consumes the output of must have been added before. */
    public <IN> RuleGraph add(Rule<IN> rule) {
        if (built.containsKey(rule.uid())) {
            throw new IllegalArgumentException(rule + " is already in the job");
        }
        SingleOutputStreamOperator<ActionRecord> operator =
                input(rule)
                        .connect(policies)
                        .process(rule.newFunction(), WireTypes.ACTION_RECORD)
                        .uid(rule.uid())
                        .name(rule.name());
        built.put(rule.uid(), operator);
        actions = actions == null ? operator : actions.union(operator);
        for (var tag : rule.signals()) {
            DataStream<RepoMetrics> s = operator.getSideOutput(tag);
            signals = signals == null ? s : signals.union(s);
        }
        return this;
    }

    @SuppressWarnings("unchecked")
    private <IN> KeyedStream<IN, String> input(Rule<IN> rule) {
        if (rule.input() instanceof RuleInput.Events e) {
            DataStream<GitHubEvent> kept =
                    filtered.computeIfAbsent(
                            e.name(), name -> events.filter(e.filter()).name(name));
            DataStream<GitHubEvent> own = kept;
            if (audits != null && rule.learnsFromItsAudits()) {
                // its own keyed input: the shared filter's events and the rule's audit events
                own = own.union(audits.of(rule));
            }
            for (Rule.AlsoReads also : rule.alsoReads()) {
                own =
                        own.union(
                                from(rule, also.fromRule(), also.output().getId())
                                        .getSideOutput(also.output()));
            }
            if (own != kept) {
                return (KeyedStream<IN, String>) own.keyBy(e.key(), Types.STRING);
            }
            return (KeyedStream<IN, String>)
                    eventInputs.computeIfAbsent(
                            e.name(), name -> kept.keyBy(e.key(), Types.STRING));
        }
        return consumed(rule, (RuleInput.Consumes<IN>) rule.input());
    }

    private <IN> KeyedStream<IN, String> consumed(Rule<IN> rule, RuleInput.Consumes<IN> c) {
        return from(rule, c.fromRule(), c.output().getId())
                .getSideOutput(c.output())
                .keyBy(c.key(), Types.STRING);
    }

    /** The operator of rule {@code uid}, which {@code rule} reads output {@code output} of. */
    private SingleOutputStreamOperator<ActionRecord> from(Rule<?> rule, String uid, String output) {
        SingleOutputStreamOperator<ActionRecord> from = built.get(uid);
        if (from == null) {
            throw new IllegalArgumentException(
                    rule
                            + " consumes output "
                            + output
                            + " of rule "
                            + uid
                            + ", which is not in the job before it");
        }
        return from;
    }

    /** The records the added rule {@code uid} writes to its side output {@code tag}. */
    public <T> DataStream<T> sideOutput(String uid, org.apache.flink.util.OutputTag<T> tag) {
        SingleOutputStreamOperator<ActionRecord> operator = built.get(uid);
        if (operator == null) {
            throw new IllegalArgumentException("no rule " + uid + " in the job");
        }
        return operator.getSideOutput(tag);
    }

    /** What the added rule {@code rule} writes to its side output {@code tag}. */
    public <T> DataStream<T> sideOutput(Rule<?> rule, OutputTag<T> tag) {
        return sideOutput(rule.uid(), tag);
    }

    /** Every added rule's actions; null before the first rule. */
    public DataStream<ActionRecord> actions() {
        return actions;
    }

    /** Every added rule's metric signals; null when no rule has any. */
    public DataStream<RepoMetrics> signals() {
        return signals;
    }
}
