package io.repostream.flink.rules.triage;

import static io.repostream.flink.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.Events;
import io.repostream.flink.KeyedStates;
import io.repostream.flink.rules.GitHubPayloads;
import io.repostream.flink.rules.RuleHarness;
import io.repostream.flink.rules.Rules;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TriageLabelFunctionTest {
    private static final String REPO = "octo-org/widgets";

    private KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            harness;
    private TriageLabelFunction function;

    @BeforeEach
    void openHarness() throws Exception {
        harness = RuleHarness.of(Rules.TRIAGE, function = new TriageLabelFunction());
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void labelsAnIssueOpenedWithoutLabelsWithTheDefaultTriageLabel() throws Exception {
        GitHubEvent opened = Events.issue("opened", REPO, 12, List.of(), T0);

        harness.processElement(opened, T0.toEpochMilli());

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(
                        action -> {
                            assertThat(action.actionId())
                                    .isEqualTo("triage-label@1:octo-org/widgets#12");
                            assertThat(action.type()).isEqualTo(ActionType.ADD_LABELS);
                            assertThat(action.repo()).isEqualTo(REPO);
                            assertThat(action.target()).isEqualTo(12);
                            assertThat(action.params().toString())
                                    .isEqualTo("{\"labels\":[\"needs-triage\"]}");
                            assertThat(action.producedBy()).isEqualTo("triage-label@1");
                            assertThat(action.causedBy()).containsExactly(opened.eventId());
                            assertThat(action.createdAt()).isEqualTo(T0);
                            assertThat(action.installationId()).isEqualTo(42L);
                            assertThat(action.dryRun()).isFalse();
                        });
    }

    @Test
    void leavesAnIssueOpenedWithLabelsAlone() throws Exception {
        harness.processElement(
                Events.issue("opened", REPO, 13, List.of("bug"), T0), T0.toEpochMilli());

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(KeyedStates.entries(harness, "triaged")).isZero();
    }

    /**
     * A polled event whose feed record lacked the labels and whose issue the poller could not read
     * back (GitHub no longer serves it): the labels are unknown, not empty.
     */
    static Stream<Arguments> openingsWhoseLabelsAreUnknown() {
        ObjectNode absent = (ObjectNode) Events.issue("opened", REPO, 15, List.of(), T0).payload();
        ((ObjectNode) absent.get("issue")).remove("labels");
        ObjectNode marked = absent.deepCopy();
        ((ObjectNode) marked.get("issue")).putArray("labels");
        marked.putArray(GitHubPayloads.INCOMPLETE).add("/issue/labels");
        return Stream.of(
                Arguments.of("labels absent", absent), Arguments.of("marked incomplete", marked));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("openingsWhoseLabelsAreUnknown")
    void leavesAnIssueAloneWhenItsLabelsAreUnknown(String name, ObjectNode payload)
            throws Exception {
        GitHubEvent opened = Events.issue("opened", REPO, 15, List.of(), T0).withPayload(payload);

        harness.processElement(opened, T0.toEpochMilli());

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(KeyedStates.entries(harness, "triaged")).isZero();
        assertThat(function.eventsWithUnknownLabels()).isOne();
    }

    /** GitHub logins are case-insensitive: the SLA monitor already matched them so. */
    @ParameterizedTest(name = "ignore_users {0}, author {1}")
    @org.junit.jupiter.params.provider.CsvSource({
        "Dependabot[bot], dependabot[bot]",
        "dependabot[bot], Dependabot[bot]",
        "RELEASE-BOT, release-bot"
    })
    void leavesIssuesOfIgnoredUsersAloneInAnyCase(String ignored, String author) throws Exception {
        harness.processBroadcastElement(
                RepoPolicy.builder(REPO).ignoreUsers(List.of(ignored)).updatedAt(T0).build(), 0);
        GitHubEvent opened = Events.issue("opened", REPO, 16, List.of(), T0);
        ObjectNode payload = opened.payload().deepCopy();
        ((ObjectNode) payload.get("issue").get("user")).put("login", author);

        harness.processElement(opened.withPayload(payload), T0.toEpochMilli());

        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void usesTheRepositorysPolicyLabelAndDryRunOnceAPolicyArrives() throws Exception {
        harness.processBroadcastElement(policy(REPO, "triage/new", true, null), 0);

        harness.processElement(Events.issue("opened", REPO, 14, List.of(), T0), T0.toEpochMilli());
        harness.processElement(
                Events.issue("opened", "octo-org/other", 1, List.of(), T0), T0.toEpochMilli());

        List<ActionRecord> out = harness.extractOutputValues();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).params().get("labels").get(0).asText()).isEqualTo("triage/new");
        assertThat(out.get(0).dryRun()).isTrue();
        assertThat(out.get(1).params().get("labels").get(0).asText()).isEqualTo("needs-triage");
        assertThat(out.get(1).dryRun()).isFalse();
    }

    @Test
    void proposesTheLabelWhenThePolicyDisablesAddingLabelsSoThatTheGovernorDropsItOnRecord()
            throws Exception {
        harness.processBroadcastElement(
                policy(REPO, null, false, Set.of(ActionType.CREATE_COMMENT)), 0);

        harness.processElement(Events.issue("opened", REPO, 15, List.of(), T0), T0.toEpochMilli());

        // the repo governor keeps the enabled types (GovernorChainTest), and audits the drop
        assertThat(harness.extractOutputValues())
                .extracting(ActionRecord::type)
                .containsExactly(ActionType.ADD_LABELS);
    }

    @Test
    void ignoresAnOlderPolicyThatArrivesAfterANewerOne() throws Exception {
        RepoPolicy newer = policy(REPO, "newer", false, null);
        RepoPolicy older =
                RepoPolicy.builder(REPO)
                        .triage(RepoPolicy.Triage.labelling("older"))
                        .actionBudgetPerHour(300)
                        .updatedAt(T0.minusSeconds(60))
                        .build();
        harness.processBroadcastElement(newer, 0);
        harness.processBroadcastElement(older, 0);

        harness.processElement(Events.issue("opened", REPO, 16, List.of(), T0), T0.toEpochMilli());

        assertThat(harness.extractOutputValues().get(0).params().get("labels").get(0).asText())
                .isEqualTo("newer");
    }

    @Test
    void skipsIssuesOpenedByIgnoredUsers() throws Exception {
        RepoPolicy ignoring =
                RepoPolicy.builder(REPO)
                        .actionBudgetPerHour(300)
                        .ignoreUsers(List.of("renovate[bot]"))
                        .updatedAt(T0)
                        .build();
        harness.processBroadcastElement(ignoring, 0);

        harness.processElement(
                Events.authoredBy(Events.issue("opened", REPO, 17, List.of(), T0), "Renovate[bot]"),
                T0.toEpochMilli());

        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void triagesAnIssueOnceWhenWebhookAndPollerBothDeliverTheOpening() throws Exception {
        GitHubEvent opened = Events.issue("opened", REPO, 18, List.of(), T0);

        harness.processElement(opened, T0.toEpochMilli());
        harness.processElement(Events.redelivered(opened, "poll-abc"), T0.toEpochMilli());

        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void clearsTheIssuesStateWhenTheIssueIsClosed() throws Exception {
        harness.processElement(Events.issue("opened", REPO, 19, List.of(), T0), T0.toEpochMilli());
        harness.processElement(Events.issue("opened", REPO, 20, List.of(), T0), T0.toEpochMilli());
        assertThat(KeyedStates.entries(harness, "triaged")).isEqualTo(2);

        Instant later = T0.plusSeconds(3600);
        harness.processElement(
                Events.issue("closed", REPO, 19, List.of(), later), later.toEpochMilli());
        harness.processElement(
                Events.issue("deleted", REPO, 20, List.of(), later), later.toEpochMilli());

        assertThat(KeyedStates.entries(harness, "triaged")).isZero();
    }

    private static RepoPolicy policy(
            String repo, String label, boolean dryRun, Set<ActionType> enabled) {
        return RepoPolicy.builder(repo)
                .triage(RepoPolicy.Triage.labelling(label))
                .enabledActions(enabled)
                .dryRun(dryRun)
                .actionBudgetPerHour(300)
                .updatedAt(T0)
                .build();
    }
}
