package io.repostream.flink.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.flink.rules.ci.CiFailure;
import io.repostream.flink.rules.sla.SlaDeadlineFunction;
import io.repostream.flink.serialization.JsonTypeInfo;
import io.repostream.flink.serialization.WireTypes;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

class RuleGraphTest {
    private final StreamExecutionEnvironment env =
            StreamExecutionEnvironment.getExecutionEnvironment();

    private RuleGraph rules() {
        return rules(null);
    }

    private AuditFeedback audits(List<Rule<?>> rules) {
        var audits =
                env.fromSource(
                                new DataGeneratorSource<>(
                                        i -> (AuditRecord) null,
                                        1,
                                        JsonTypeInfo.of(AuditRecord.class)),
                                WatermarkStrategy.noWatermarks(),
                                "audits")
                        .uid("github-audit-source");
        return AuditFeedback.route(audits, rules);
    }

    private RuleGraph rules(AuditFeedback feedback) {
        var events =
                env.fromSource(
                        new DataGeneratorSource<>(
                                i -> (GitHubEvent) null, 1, WireTypes.GITHUB_EVENT),
                        WatermarkStrategy.noWatermarks(),
                        "events");
        var policies =
                env.fromSource(
                                new DataGeneratorSource<>(
                                        i -> (RepoPolicy) null,
                                        1,
                                        JsonTypeInfo.of(RepoPolicy.class)),
                                WatermarkStrategy.noWatermarks(),
                                "policies")
                        .broadcast(Policies.DESCRIPTOR);
        return new RuleGraph(events, policies, feedback);
    }

    @Test
    void aRuleThatLearnsFromItsAuditsReadsThemFromTheOneRouterBesideItsEvents() {
        List<Rule<?>> registered = List.of(Rules.TRIAGE, Rules.SLA, Rules.MERGE_ELIGIBILITY);
        RuleGraph rules = rules(audits(registered));
        registered.forEach(rules::add);
        rules.actions().print();
        StreamGraph graph = env.getStreamGraph();

        StreamNode router = node(graph, AuditFeedback.UID);
        StreamNode merge = node(graph, "merge-eligibility");
        assertThat(merge.getInEdges())
                .anySatisfy(
                        edge -> {
                            assertThat(edge.getSourceId()).isEqualTo(router.getId());
                            assertThat(edge.getOutputTag().getId())
                                    .isEqualTo("audits-of-merge-eligibility");
                        });
        // the rules that do not learn read their events alone
        for (String uid : List.of("triage-label", "sla-monitor")) {
            assertThat(node(graph, uid).getInEdges())
                    .noneSatisfy(edge -> assertThat(edge.getSourceId()).isEqualTo(router.getId()));
        }
        // one audit source, one router
        assertThat(graph.getStreamNodes())
                .filteredOn(n -> "github-audit-source".equals(n.getTransformationUID()))
                .hasSize(1);
    }

    @Test
    void theRetryRuleReadsTheClassifiersFailedRunsOverAnEdgeOfTheGraph() {
        RuleGraph rules = rules().add(Rules.CI_CLASSIFIER).add(Rules.CI_RETRY);
        rules.actions().print();
        StreamGraph graph = env.getStreamGraph();

        StreamNode retry = node(graph, "ci-retry");
        StreamNode classifier = node(graph, "ci-retry-planner");
        assertThat(retry.getInEdges())
                .anySatisfy(
                        edge -> {
                            assertThat(edge.getSourceId()).isEqualTo(classifier.getId());
                            assertThat(edge.getOutputTag()).isEqualTo(CiFailure.TAG);
                        });
    }

    @Test
    void theRoutingRuleReadsTheSlaRulesWarningsOverAnEdgeOfTheGraphBesideItsEvents() {
        RuleGraph rules = rules().add(Rules.SLA).add(Rules.ROUTING);
        rules.actions().print();
        StreamGraph graph = env.getStreamGraph();

        StreamNode routing = node(graph, "routing");
        StreamNode sla = node(graph, "sla-monitor");
        assertThat(routing.getInEdges())
                .anySatisfy(
                        edge -> {
                            assertThat(edge.getSourceId()).isEqualTo(sla.getId());
                            assertThat(edge.getOutputTag()).isEqualTo(SlaDeadlineFunction.WARNINGS);
                        })
                .anySatisfy(edge -> assertThat(edge.getSourceId()).isNotEqualTo(sla.getId()));
        assertThatThrownBy(() -> rules().add(Rules.ROUTING))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sla-warnings")
                .hasMessageContaining("sla-monitor");
    }

    @Test
    void aRuleCannotConsumeTheOutputOfARuleNotAddedBeforeIt() {
        assertThatThrownBy(() -> rules().add(Rules.CI_RETRY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ci-failures")
                .hasMessageContaining("ci-retry-planner");
    }

    @Test
    void aRuleIsAddedOnce() {
        assertThatThrownBy(() -> rules().add(Rules.TRIAGE).add(Rules.TRIAGE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("triage-label");
    }

    private static StreamNode node(StreamGraph graph, String uid) {
        return graph.getStreamNodes().stream()
                .filter(n -> uid.equals(n.getTransformationUID()))
                .findFirst()
                .orElseThrow();
    }
}
