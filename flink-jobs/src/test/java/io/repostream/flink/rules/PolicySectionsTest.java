package io.repostream.flink.rules;

import static io.repostream.flink.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.Events;
import io.repostream.flink.rules.ci.CiRulesHarness;
import io.repostream.flink.rules.triage.TriageLabelFunction;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RepoPolicy.Mode;
import io.repostream.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The framework, not each rule, follows the rule's policy section ({@link Rule#policySection()}):
 * through the rule harness, as the job runs the rules.
 */
class PolicySectionsTest {
    private static final String REPO = "octo-org/widgets";

    private static RepoPolicy decode(String json) {
        return Topics.CONFIG.valueCodec().decode(json.getBytes(StandardCharsets.UTF_8));
    }

    /** What a new issue without labels gets from the triage rule, by the repo's policy. */
    static Stream<Arguments> triageByPolicy() {
        return Stream.of(
                Arguments.of("no policy (the job's defaults)", null, "on"),
                Arguments.of(
                        "a flat policy of the previous release",
                        decode("{\"repo\": \"" + REPO + "\", \"triage_label\": \"triage/new\"}"),
                        "on"),
                Arguments.of(
                        "a sectioned policy without triage",
                        decode("{\"repo\": \"" + REPO + "\", \"policy_version\": 2, \"sla\": {}}"),
                        "off"),
                Arguments.of(
                        "triage: {mode: off}",
                        RepoPolicy.builder(REPO).triage(RepoPolicy.Triage.off()).build(),
                        "off"),
                Arguments.of(
                        "triage: {mode: shadow}",
                        RepoPolicy.builder(REPO)
                                .triage(RepoPolicy.Triage.defaults().withMode(Mode.SHADOW))
                                .build(),
                        "dry run"),
                Arguments.of(
                        "policy_version 2, triage: {}",
                        decode(
                                "{\"repo\": \""
                                        + REPO
                                        + "\", \"policy_version\": 2, \"triage\": {}}"),
                        "on"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("triageByPolicy")
    void theTriageRuleFollowsItsSection(String what, RepoPolicy policy, String expected)
            throws Exception {
        try (var harness = RuleHarness.of(Rules.TRIAGE)) {
            if (policy != null) {
                harness.processBroadcastElement(policy, 0);
            }

            harness.processElement(Events.issue("opened", REPO, 12, List.of(), T0), 0);

            List<ActionRecord> actions = harness.extractOutputValues();
            switch (expected) {
                case "off" -> assertThat(actions).isEmpty();
                case "on" ->
                        assertThat(actions)
                                .singleElement()
                                .satisfies(a -> assertThat(a.dryRun()).isFalse());
                default ->
                        assertThat(actions)
                                .singleElement()
                                .satisfies(a -> assertThat(a.dryRun()).isTrue());
            }
        }
    }

    /** A rule registered after sections existed: its own section, which no one has yet. */
    private static final Rule<GitHubEvent> LATER =
            Rule.builder("later-rule", TriageLabelFunction.RULE, Rules.ITEM_EVENTS)
                    .function(TriageLabelFunction::new)
                    .events("issues")
                    .fields("/issue/number", "/pull_request/number")
                    .fields("/issue/labels/name", "/issue/user/login")
                    .policySection("merge_queue")
                    .emits(ActionPriority.ROUTINE, ActionType.ADD_LABELS)
                    .build();

    static Stream<Arguments> policiesWithoutTheLaterSection() {
        return Stream.of(
                Arguments.of("no policy", null),
                Arguments.of("a flat policy", decode("{\"repo\": \"" + REPO + "\"}")),
                Arguments.of(
                        "a sectioned policy with every section it knows",
                        decode(
                                "{\"repo\": \""
                                        + REPO
                                        + "\", \"policy_version\": 2, \"triage\": {},"
                                        + " \"sla\": {}, \"ci\": {}}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policiesWithoutTheLaterSection")
    void aRuleAddedLaterIsOffUntilAPolicyNamesItsSection(String what, RepoPolicy policy)
            throws Exception {
        try (var harness = RuleHarness.of(LATER)) {
            if (policy != null) {
                harness.processBroadcastElement(policy, 0);
            }

            harness.processElement(Events.issue("opened", REPO, 12, List.of(), T0), 0);

            assertThat(harness.extractOutputValues()).isEmpty();
        }
        // the same policy runs today's triage rule
        try (var harness = RuleHarness.of(Rules.TRIAGE)) {
            if (policy != null) {
                harness.processBroadcastElement(policy, 0);
            }
            harness.processElement(Events.issue("opened", REPO, 12, List.of(), T0), 0);
            assertThat(harness.extractOutputValues()).hasSize(1);
        }
    }

    @Test
    void aSectionTurnedOffAtRunTimeDropsTheDeadlinesItsRuleHadSet() throws Exception {
        try (KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
                harness = RuleHarness.of(Rules.SLA)) {
            harness.processElement(Events.issue("opened", REPO, 7, List.of("P0"), T0), 0);
            harness.processBroadcastElement(
                    RepoPolicy.builder(REPO)
                            .sla(RepoPolicy.Sla.off())
                            .updatedAt(T0.plusSeconds(1))
                            .build(),
                    0);

            harness.watermark(T0.plus(Duration.ofHours(5)).toEpochMilli());

            assertThat(harness.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void aSectionInShadowMarksTheActionsOfItsRuleDryRunAndOnAgainActs() throws Exception {
        try (var harness = RuleHarness.of(Rules.TRIAGE)) {
            harness.processBroadcastElement(shadowTriage(T0), 0);
            harness.processElement(Events.issue("opened", REPO, 1, List.of(), T0), 0);
            harness.processBroadcastElement(
                    RepoPolicy.builder(REPO).updatedAt(T0.plusSeconds(1)).build(), 0);
            harness.processElement(Events.issue("opened", REPO, 2, List.of(), T0), 0);

            assertThat(harness.extractOutputValues())
                    .extracting(ActionRecord::target, ActionRecord::dryRun)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(1L, true),
                            org.assertj.core.groups.Tuple.tuple(2L, false));
        }
    }

    @ParameterizedTest(name = "ci: {0}")
    @org.junit.jupiter.params.provider.EnumSource(Mode.class)
    void bothCiRulesFollowTheCiSection(Mode mode) throws Exception {
        try (CiRulesHarness ci = new CiRulesHarness()) {
            ci.processBroadcastElement(
                    RepoPolicy.builder(REPO).ci(RepoPolicy.Ci.builder().mode(mode).build()).build(),
                    0);
            // a run that timed out: the re-run rule re-runs it
            ci.processElement(
                    Events.workflowJob(
                            REPO, "CI", 100, "build", "failure", List.of("Checkout"), T0),
                    0);
            ci.processElement(
                    Events.workflowRun(REPO, "CI", 100, "sha1", "timed_out", 1, 5, T0), 0);

            List<ActionRecord> actions = ci.extractOutputValues();
            if (mode == Mode.OFF) {
                assertThat(actions).isEmpty();
            } else {
                assertThat(actions)
                        .singleElement()
                        .satisfies(
                                a -> {
                                    assertThat(a.type()).isEqualTo(ActionType.RERUN_FAILED_JOBS);
                                    assertThat(a.dryRun()).isEqualTo(mode == Mode.SHADOW);
                                });
            }
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @org.junit.jupiter.params.provider.CsvSource({
        "octo-org/widgets#12, octo-org/widgets",
        "octo-org/widgets|CI build, octo-org/widgets",
        "a.b-c_d/e.f-g_h#1, a.b-c_d/e.f-g_h",
        "octo-org/widgets, octo-org/widgets"
    })
    void theRepositoryOfARulesKeyIsItsOwnerAndName(String key, String repo) {
        assertThat(PolicySectionGate.repoOf(key)).isEqualTo(repo);
    }

    private static RepoPolicy shadowTriage(Instant at) {
        return RepoPolicy.builder(REPO)
                .triage(RepoPolicy.Triage.defaults().withMode(Mode.SHADOW))
                .updatedAt(at)
                .build();
    }
}
