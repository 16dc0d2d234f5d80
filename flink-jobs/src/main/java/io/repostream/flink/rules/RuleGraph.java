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
            if (rule.alsoReads() != null) {
                SingleOutputStreamOperator<ActionRecord> from = built.get(rule.alsoReadsFrom());
                if (from == null) {
                    throw new IllegalArgumentException(
                            rule
                                    + " also reads output "
                                    + rule.alsoReads().getId()
                                    + " of rule "
                                    + rule.alsoReadsFrom()
                                    + ", which is not in the job before it");
                }
                own = own.union(from.getSideOutput(rule.alsoReads()));
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
        SingleOutputStreamOperator<ActionRecord> from = built.get(c.fromRule());
        if (from == null) {
            throw new IllegalArgumentException(
                    rule
                            + " consumes output "
                            + c.output().getId()
                            + " of rule "
                            + c.fromRule()
                            + ", which is not in the job before it");
        }
        return from.getSideOutput(c.output()).keyBy(c.key(), Types.STRING);
    }

    /** What the added rule {@code rule} writes to its side output {@code tag}. */
    public <T> DataStream<T> sideOutput(Rule<?> rule, OutputTag<T> tag) {
        SingleOutputStreamOperator<ActionRecord> operator = built.get(rule.uid());
        if (operator == null) {
            throw new IllegalArgumentException(rule + " is not in the job");
        }
        return operator.getSideOutput(tag);
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
