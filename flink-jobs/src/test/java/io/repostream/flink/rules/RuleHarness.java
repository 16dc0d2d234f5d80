package io.repostream.flink.rules;

import io.repostream.flink.functions.Policies;
import io.repostream.flink.functions.RuleFields;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.Collector;

/**
 * Operator test harnesses for a rule over GitHub events, as its descriptor says: keyed by its
 * input's key, with the repo policies broadcast, and every event projected to the payload fields
 * the rule declares ({@link RuleFields#declaredBy}) before the key or the function reads it. The
 * job keeps the union of every rule's fields, so a field a rule reads without declaring it would
 * work in production only while another rule declares it; here it reads as absent and the rule's
 * test fails.
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
        RuleFields projection = RuleFields.declaredBy(rule);
        KeySelector<GitHubEvent, String> key = rule.input().key();
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new Projected(function, projection),
                event -> key.getKey(projection.map(event)),
                Types.STRING,
                Policies.DESCRIPTOR);
    }

    /** A harness of a new instance of {@code rule}'s function. */
    public static KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            of(Rule<GitHubEvent> rule) throws Exception {
        return of(rule, rule.newFunction());
    }

    /** {@code rule}'s function, reading events projected as the rule declares. */
    private static final class Projected
            extends KeyedBroadcastProcessFunction<String, GitHubEvent, RepoPolicy, ActionRecord> {
        private static final long serialVersionUID = 1L;
        private final KeyedBroadcastProcessFunction<String, GitHubEvent, RepoPolicy, ActionRecord>
                rule;
        private final RuleFields projection;

        Projected(
                KeyedBroadcastProcessFunction<String, GitHubEvent, RepoPolicy, ActionRecord> rule,
                RuleFields projection) {
            this.rule = rule;
            this.projection = projection;
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
        public void processElement(
                GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
                throws Exception {
            rule.processElement(projection.map(event), ctx, out);
        }

        @Override
        public void processBroadcastElement(
                RepoPolicy policy, Context ctx, Collector<ActionRecord> out) throws Exception {
            rule.processBroadcastElement(policy, ctx, out);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<ActionRecord> out)
                throws Exception {
            rule.onTimer(timestamp, ctx, out);
        }
    }
}
