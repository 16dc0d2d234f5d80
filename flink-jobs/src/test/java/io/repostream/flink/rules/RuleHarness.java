package io.repostream.flink.rules;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import java.io.Serializable;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Operator test harnesses for a rule as its descriptor says: keyed by its input's key, with the
 * repo policies broadcast, inside the gate of its policy section as in the job ({@link
 * Rule#gated}). A rule over GitHub events reads every event projected to the payload fields the
 * rule declares ({@link RuleFields#declaredBy}), key included: the job keeps the union of every
 * rule's fields, so a field a rule reads without declaring it would work in production only while
 * another rule declares it; here it reads as absent and the rule's test fails. Every action the
 * rule emits must carry its {@code produced_by} and be of a type it declares (with a priority), or
 * the harness fails.
 */
public final class RuleHarness {
    private RuleHarness() {}

    /** A harness of {@code function} (the test keeps it to look inside) as {@code rule}. */
    public static KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            of(
                    Rule<GitHubEvent> rule,
                    KeyedBroadcastProcessFunction<String, GitHubEvent, RepoPolicy, ActionRecord>
                            function)
                    throws Exception {
        return harness(rule, rule.gated(function));
    }

    /** A harness of a new instance of {@code rule}'s function. */
    public static KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            of(Rule<GitHubEvent> rule) throws Exception {
        return harness(rule, rule.newFunction());
    }

    private static KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            harness(
                    Rule<GitHubEvent> rule,
                    KeyedBroadcastProcessFunction<String, GitHubEvent, RepoPolicy, ActionRecord>
                            gated)
                    throws Exception {
        RuleFields projection = RuleFields.declaredBy(rule);
        KeySelector<GitHubEvent, String> key = rule.input().key();
        // another rule's internal events reach the rule as that rule wrote them, unprojected
        boolean alsoReads = rule.alsoReads() != null;
        Before<GitHubEvent> asInJob =
                event ->
                        alsoReads
                                        && event.source() == EventSource.ENRICHMENT
                                        && !AuditFeedback.isAudit(event)
                                ? event
                                : projection.map(event);
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new AsDeclared<>(rule, gated, asInJob),
                event -> key.getKey(asInJob.apply(event)),
                Types.STRING,
                Policies.DESCRIPTOR);
    }

    /**
     * A harness of a new instance of {@code rule}'s function with its keyed state in RocksDB, as in
     * production, restored from {@code snapshot} when it is not null.
     */
    public static KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            onRocksDb(Rule<GitHubEvent> rule, OperatorSubtaskState snapshot) throws Exception {
        RuleFields projection = RuleFields.declaredBy(rule);
        KeySelector<GitHubEvent, String> key = rule.input().key();
        boolean alsoReads = rule.alsoReads() != null;
        Before<GitHubEvent> asInJob =
                event ->
                        alsoReads
                                        && event.source() == EventSource.ENRICHMENT
                                        && !AuditFeedback.isAudit(event)
                                ? event
                                : projection.map(event);
        KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord> harness =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                new AsDeclared<>(rule, rule.newFunction(), asInJob),
                                List.of(Policies.DESCRIPTOR)),
                        (KeySelector<GitHubEvent, String>)
                                event -> key.getKey(asInJob.apply(event)),
                        Types.STRING,
                        1,
                        1,
                        0);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        if (snapshot != null) {
            harness.initializeState(snapshot);
        }
        harness.open();
        return harness;
    }

    /** A harness of a rule that reads another rule's output ({@link RuleInput#consumes}). */
    public static <T>
            KeyedBroadcastOperatorTestHarness<String, T, RepoPolicy, ActionRecord> consuming(
                    Rule<T> rule) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new AsDeclared<>(rule, rule.newFunction(), record -> record),
                rule.input().key(),
                Types.STRING,
                Policies.DESCRIPTOR);
    }

    /** Moves what {@code from} wrote to {@code output} since the last call into {@code to}. */
    public static <T> void forward(
            KeyedBroadcastOperatorTestHarness<String, ?, RepoPolicy, ActionRecord> from,
            OutputTag<T> output,
            KeyedBroadcastOperatorTestHarness<String, T, RepoPolicy, ActionRecord> to)
            throws Exception {
        var records = from.getSideOutput(output);
        if (records == null) {
            return;
        }
        for (var record = records.poll(); record != null; record = records.poll()) {
            to.processElement(record);
        }
    }

    private interface Before<IN> extends Serializable {
        IN apply(IN record) throws Exception;
    }

    /**
     * {@code rule}'s function, reading records as the job gives them and checked on the way out.
     */
    private static final class AsDeclared<IN>
            extends KeyedBroadcastProcessFunction<String, IN, RepoPolicy, ActionRecord> {
        private static final long serialVersionUID = 1L;
        private final Rule<IN> descriptor;
        private final KeyedBroadcastProcessFunction<String, IN, RepoPolicy, ActionRecord> rule;
        private final Before<IN> before;

        AsDeclared(
                Rule<IN> descriptor,
                KeyedBroadcastProcessFunction<String, IN, RepoPolicy, ActionRecord> rule,
                Before<IN> before) {
            this.descriptor = descriptor;
            this.rule = rule;
            this.before = before;
        }

        @Override
        public void open(OpenContext openContext) throws Exception {
            rule.setRuntimeContext(getRuntimeContext());
            rule.open(openContext);
        }

        @Override
        public void close() throws Exception {
            rule.close();
        }

        @Override
        public void processElement(IN record, ReadOnlyContext ctx, Collector<ActionRecord> out)
                throws Exception {
            rule.processElement(before.apply(record), ctx, checked(out));
        }

        @Override
        public void processBroadcastElement(
                RepoPolicy policy, Context ctx, Collector<ActionRecord> out) throws Exception {
            rule.processBroadcastElement(policy, ctx, checked(out));
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<ActionRecord> out)
                throws Exception {
            rule.onTimer(timestamp, ctx, checked(out));
        }

        /**
         * The rule's own actions, and for the command framework the actions of the commands it
         * routes: as the rule that declares the command, of a type that rule declares.
         */
        private boolean declares(ActionRecord action) {
            if (action.producedBy().equals(descriptor.producedBy())) {
                return descriptor.priority(action.type()) != null;
            }
            return descriptor == Rules.SLASH_COMMANDS
                    && Rules.REGISTERED.stream()
                            .anyMatch(
                                    r ->
                                            r.producedBy().equals(action.producedBy())
                                                    && !r.slashCommands().isEmpty()
                                                    && r.priority(action.type()) != null);
        }

        private Collector<ActionRecord> checked(Collector<ActionRecord> out) {
            return new Collector<>() {
                @Override
                public void collect(ActionRecord action) {
                    if (!declares(action)) {
                        throw new AssertionError(
                                descriptor
                                        + " declares its actions as "
                                        + descriptor.producedBy()
                                        + " of types "
                                        + descriptor.actions().keySet()
                                        + ", but emitted "
                                        + action.type()
                                        + " as "
                                        + action.producedBy());
                    }
                    out.collect(action);
                }

                @Override
                public void close() {
                    out.close();
                }
            };
        }
    }
}
