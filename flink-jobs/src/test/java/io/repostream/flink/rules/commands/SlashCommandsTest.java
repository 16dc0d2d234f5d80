package io.repostream.flink.rules.commands;

import static io.repostream.flink.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.Events;
import io.repostream.flink.rules.RuleHarness;
import io.repostream.flink.rules.Rules;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.Lifecycle;
import io.repostream.schemas.MergeQueue;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RepoPolicy.Mode;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The slash-command framework as the job runs it (the rule's declared fields, its descriptor's
 * checks): a comment's commands wait for the commenter's permission as GitHub reports it, then go
 * to the rule that declares them; whatever is not done gets one reply per comment.
 */
class SlashCommandsTest {
    private static final String REPO = "octo-org/widgets";
    private static final int ISSUE = 12;
    private static final String ITEM = REPO + "#" + ISSUE;

    private static final MergeQueue MERGE_QUEUE =
            MergeQueue.on(
                    MergeQueue.Branch.builder("main").requiredChecks("build").queue(true).build());

    private KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            harness;

    @BeforeEach
    void open() throws Exception {
        harness = RuleHarness.of(Rules.SLASH_COMMANDS);
        // the rules whose commands are tested are on: triage (by default), SLA, lifecycle and
        // the merge rules
        harness.processBroadcastElement(
                RepoPolicy.builder(REPO)
                        .commands(RepoPolicy.Commands.on())
                        .sla(RepoPolicy.Sla.defaults())
                        .lifecycle(Lifecycle.defaults())
                        .mergeQueue(MERGE_QUEUE)
                        .build(),
                0);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static GitHubEvent comment(String login, String userType, String body) {
        GitHubEvent c = Events.comment(REPO, ISSUE, login, userType, T0);
        ObjectNode comment = (ObjectNode) c.payload().get("comment");
        comment.put("body", body);
        comment.put("id", 777L);
        // what a commenter's association says must not matter: only GitHub's answer does
        comment.put("author_association", "OWNER");
        return c;
    }

    private static GitHubEvent permission(ActionRecord read, String role, String legacy) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.putObject("issue").put("number", ISSUE);
        ObjectNode e = payload.putObject("enrichment");
        e.put("read", read.type().wireName());
        e.put("action_id", read.actionId());
        e.put("requested_by", read.producedBy());
        e.put("outcome", role == null ? "failed" : "read");
        if (role == null) {
            e.put("status", 404);
            e.put("error", "Not Found");
        } else {
            e.putObject("result").put("role_name", role).put("permission", legacy);
        }
        return new GitHubEvent(
                "enrichment:" + read.actionId(),
                EventSource.ENRICHMENT,
                read.type().wireName(),
                e.path("outcome").asText(),
                REPO,
                null,
                42L,
                T0.plusSeconds(1),
                T0.plusSeconds(1),
                payload);
    }

    /** The comment, then GitHub's answer to the read it asked for; returns every action. */
    private List<ActionRecord> run(String body, String role, String legacy) throws Exception {
        harness.processElement(comment("carol", "User", body), T0.toEpochMilli());
        List<ActionRecord> first = List.copyOf(harness.extractOutputValues());
        ActionRecord read =
                first.stream()
                        .filter(a -> a.type() == ActionType.READ_COLLABORATOR_PERMISSION)
                        .findFirst()
                        .orElse(null);
        if (read != null) {
            harness.processElement(permission(read, role, legacy), T0.toEpochMilli() + 1000);
        }
        return List.copyOf(harness.extractOutputValues());
    }

    private long pendingEntries() throws Exception {
        KeyedStateBackend<Object> backend =
                ((AbstractStreamOperator<?>) harness.getOperator()).getKeyedStateBackend();
        try (var keys = backend.getKeys("pending-commands", VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }

    private static List<String> summary(List<ActionRecord> actions) {
        return actions.stream()
                .map(
                        a ->
                                a.type().wireName()
                                        + " "
                                        + a.producedBy()
                                        + " "
                                        + (a.type() == ActionType.CREATE_COMMENT
                                                ? (a.actionId().endsWith(":reply")
                                                        ? "reply"
                                                        : "comment")
                                                : a.params().toString()))
                .toList();
    }

    static Stream<Arguments> cases() {
        String read = "read_collaborator_permission slash-commands@1 {\"username\":\"carol\"}";
        String reply = "create_comment slash-commands@1 reply";
        return Stream.of(
                Arguments.of(
                        "/label bug",
                        "triage",
                        "read",
                        List.of(read, "add_labels triage-label@1 {\"labels\":[\"bug\"]}")),
                Arguments.of(
                        "/label bug \"good first issue\"",
                        "maintain",
                        "write",
                        List.of(
                                read,
                                "add_labels triage-label@1"
                                        + " {\"labels\":[\"bug\",\"good first issue\"]}")),
                Arguments.of(
                        "/unlabel bug",
                        "admin",
                        "admin",
                        List.of(read, "remove_label triage-label@1 {\"label\":\"bug\"}")),
                Arguments.of("/label bug", "read", "read", List.of(read, reply)),
                Arguments.of("/label bug", null, null, List.of(read, reply)),
                Arguments.of("/label", "write", "write", List.of(read, reply)),
                Arguments.of("/frobnicate now", "admin", "admin", List.of(reply)),
                Arguments.of(
                        "/frobnicate\n/label bug\n/unlabel a b",
                        "triage",
                        "read",
                        List.of(read, "add_labels triage-label@1 {\"labels\":[\"bug\"]}", reply)),
                Arguments.of(
                        "/remove-lifecycle stale",
                        "triage",
                        "read",
                        List.of(read, "remove_label lifecycle@1 {\"label\":\"lifecycle/stale\"}")),
                Arguments.of(
                        "/remove-lifecycle Rotten",
                        "write",
                        "write",
                        List.of(read, "remove_label lifecycle@1 {\"label\":\"lifecycle/rotten\"}")),
                Arguments.of("/remove-lifecycle frozen", "write", "write", List.of(read, reply)),
                Arguments.of("/remove-lifecycle stale", "read", "read", List.of(read, reply)),
                Arguments.of(
                        "/reopen", "triage", "read", List.of(read, "reopen_issue lifecycle@1 {}")),
                Arguments.of("/reopen", "read", "read", List.of(read, reply)),
                Arguments.of("/reopen now", "admin", "admin", List.of(read, reply)),
                Arguments.of("no command here", "admin", "admin", List.of()),
                Arguments.of("```\n/label bug\n```", "admin", "admin", List.of()),
                Arguments.of("> /label bug", "admin", "admin", List.of()));
    }

    @ParameterizedTest(name = "{0} by {1}")
    @MethodSource("cases")
    void aCommandIsDoneOnlyWithThePermissionGitHubReportsAndAnythingElseGetsOneReply(
            String body, String role, String legacy, List<String> expected) throws Exception {
        List<ActionRecord> actions = run(body, role, legacy);

        assertThat(summary(actions)).containsExactlyElementsOf(expected);
        assertThat(actions).allSatisfy(a -> assertThat(a.repo()).isEqualTo(REPO));
        assertThat(actions).allSatisfy(a -> assertThat(a.target()).isEqualTo(ISSUE));
        assertThat(pendingEntries()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {"no commands section", "flat policy", "commands off"})
    void withoutTheCommandsSectionACommentIsNotACommand(String policy) throws Exception {
        try (var off = RuleHarness.of(Rules.SLASH_COMMANDS)) {
            switch (policy) {
                case "flat policy" -> off.processBroadcastElement(RepoPolicy.defaults(REPO), 0);
                case "commands off" ->
                        off.processBroadcastElement(
                                RepoPolicy.builder(REPO)
                                        .commands(RepoPolicy.Commands.off())
                                        .build(),
                                0);
                default -> {}
            }
            off.processElement(
                    comment("carol", "User", "/label bug\n/frobnicate"), T0.toEpochMilli());
            assertThat(off.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void theReplyToARefusalSaysWhatIsNeededAndWhatTheCommenterHas() throws Exception {
        List<ActionRecord> actions = run("/label bug\n/nope", "read", "read");

        ActionRecord reply = actions.get(actions.size() - 1);
        assertThat(reply.actionId()).isEqualTo("slash-commands@1:" + ITEM + ":comment:777:reply");
        assertThat(reply.params().path("body").asText())
                .contains(
                        "`/label bug`: needs triage permission on this repository; @carol has read")
                .contains("`/nope`: unknown command")
                .contains("Known commands: /label, /unlabel");
    }

    /**
     * GitHub does not let an author reopen what someone else closed; {@code /reopen} does, on their
     * own item, whatever their permission (the example payload's issue is Codertocat's), but only
     * what lifecycle closed: an item that still carries the rotten or the awaiting-response label
     * lifecycle leaves on what it closes. A maintainer's close (no such label) stays closed.
     */
    @ParameterizedTest(name = "{0} with {1} permission, labels {2}")
    @org.junit.jupiter.params.provider.CsvSource({
        "Codertocat, read, lifecycle/rotten, reopen_issue",
        "codertocat, none, awaiting-author, reopen_issue",
        "Codertocat, read, bug, create_comment",
        "Codertocat, read, '', create_comment",
        "carol, read, lifecycle/rotten, create_comment"
    })
    void theAuthorMayReopenTheirOwnItemOnlyWhereLifecycleClosedIt(
            String commenter, String role, String label, String done) throws Exception {
        GitHubEvent comment = comment(commenter, "User", "/reopen");
        ArrayNode labels = ((ObjectNode) comment.payload().get("issue")).putArray("labels");
        if (!label.isEmpty()) {
            labels.addObject().put("name", label);
        }
        harness.processElement(comment, T0.toEpochMilli());
        ActionRecord read = harness.extractOutputValues().get(0);
        harness.processElement(permission(read, role, role), T0.toEpochMilli() + 1000);

        List<ActionRecord> actions = harness.extractOutputValues();
        ActionRecord last = actions.get(actions.size() - 1);
        assertThat(last.type().wireName()).isEqualTo(done);
        if (last.type() == ActionType.CREATE_COMMENT) {
            assertThat(last.params().path("body").asText())
                    .contains(
                            "`/reopen`: needs triage permission on this repository (or to be the"
                                    + " author of this item");
        }
    }

    /**
     * A command belongs to its rule: where the rule's policy section is off, the command is not run
     * (nor the commenter's permission read for it), and the reply says why; where the section is in
     * shadow mode, the command's effects are dry runs like the rule's own actions.
     */
    @Test
    void aCommandOfARuleWhoseSectionIsOffIsNotRunAndTheReplySaysWhy() throws Exception {
        harness.processBroadcastElement(
                RepoPolicy.builder(REPO)
                        .commands(RepoPolicy.Commands.on())
                        .triage(RepoPolicy.Triage.off())
                        .build(),
                0);

        List<ActionRecord> actions = run("/label bug", "write", "write");

        assertThat(actions)
                .singleElement()
                .satisfies(
                        reply -> {
                            assertThat(reply.type()).isEqualTo(ActionType.CREATE_COMMENT);
                            assertThat(reply.params().path("body").asText())
                                    .contains(
                                            "`/label bug`: off in this repository (policy"
                                                    + " section `triage:`)");
                        });
        assertThat(pendingEntries()).isZero();
    }

    @Test
    void aCommandOfARuleTurnedOffWhileItsPermissionWasReadIsNotRun() throws Exception {
        harness.processElement(comment("carol", "User", "/label bug"), T0.toEpochMilli());
        ActionRecord read = harness.extractOutputValues().get(0);
        harness.processBroadcastElement(
                RepoPolicy.builder(REPO)
                        .commands(RepoPolicy.Commands.on())
                        .triage(RepoPolicy.Triage.off())
                        .build(),
                0);
        harness.processElement(permission(read, "write", "write"), T0.toEpochMilli() + 1000);

        assertThat(summary(harness.extractOutputValues()))
                .containsExactly(
                        "read_collaborator_permission slash-commands@1 {\"username\":\"carol\"}",
                        "create_comment slash-commands@1 reply");
    }

    @Test
    void aCommandOfARuleInShadowModeProposesDryRuns() throws Exception {
        harness.processBroadcastElement(
                RepoPolicy.builder(REPO)
                        .commands(RepoPolicy.Commands.on())
                        .triage(RepoPolicy.Triage.defaults().withMode(Mode.SHADOW))
                        .build(),
                0);

        List<ActionRecord> actions = run("/label bug", "write", "write");

        assertThat(actions)
                .filteredOn(a -> a.type() == ActionType.ADD_LABELS)
                .singleElement()
                .satisfies(a -> assertThat(a.dryRun()).isTrue());
    }

    @Test
    void aCommandWaitsForThePermissionAndTheReadIsCorrelatedByTheCommentsId() throws Exception {
        harness.processElement(comment("carol", "User", "/label bug"), T0.toEpochMilli());

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(
                        read -> {
                            assertThat(read.actionId())
                                    .isEqualTo(
                                            "slash-commands@1:" + ITEM + ":comment:777:permission");
                            assertThat(read.type())
                                    .isEqualTo(ActionType.READ_COLLABORATOR_PERMISSION);
                        });
        assertThat(pendingEntries()).isEqualTo(1);
    }

    @Test
    void anAnswerDeliveredTwiceDoesTheCommandsOnce() throws Exception {
        harness.processElement(comment("carol", "User", "/label bug"), T0.toEpochMilli());
        ActionRecord read = harness.extractOutputValues().get(0);
        GitHubEvent answer = permission(read, "write", "write");

        harness.processElement(answer, T0.toEpochMilli() + 1000);
        harness.processElement(answer, T0.toEpochMilli() + 2000);

        assertThat(harness.extractOutputValues())
                .extracting(ActionRecord::type)
                .containsExactly(ActionType.READ_COLLABORATOR_PERMISSION, ActionType.ADD_LABELS);
    }

    @Test
    void botsCommentsAreNotReadForCommands() throws Exception {
        harness.processElement(comment("repostream[bot]", "Bot", "/label bug"), T0.toEpochMilli());

        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void theSameCommandDeclaredByTwoRulesIsRefusedWhenTheJobIsBuilt() {
        var twice =
                io.repostream.flink.rules.Rule.builder("other", "other@1", Rules.ITEM_EVENTS)
                        .function(() -> null)
                        .policySection("other")
                        .command(LabelCommands.LABEL)
                        .build();

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> CommandRegistry.of(List.of(Rules.TRIAGE, twice)))
                .hasMessageContaining("/label is declared by triage-label@1 and other@1");
    }

    /**
     * The comment by {@code commenter} on the item (a pull request when {@code pr}) carrying {@code
     * labels}, then GitHub's answer ({@code role} null: the read failed); returns every action.
     */
    private List<ActionRecord> runOn(
            boolean pr, String commenter, List<String> labels, String body, String role)
            throws Exception {
        GitHubEvent c = comment(commenter, "User", body);
        ObjectNode issue = (ObjectNode) c.payload().get("issue");
        issue.remove("pull_request");
        if (pr) {
            issue.putObject("pull_request")
                    .put("url", "https://api.github.com/repos/" + REPO + "/pulls/" + ISSUE);
        }
        ArrayNode names = issue.putArray("labels");
        labels.forEach(l -> names.addObject().put("name", l));
        harness.processElement(c, T0.toEpochMilli());
        List<ActionRecord> first = List.copyOf(harness.extractOutputValues());
        ActionRecord read =
                first.stream()
                        .filter(a -> a.type() == ActionType.READ_COLLABORATOR_PERMISSION)
                        .findFirst()
                        .orElse(null);
        if (read != null) {
            harness.processElement(permission(read, role, role), T0.toEpochMilli() + 1000);
        }
        return List.copyOf(harness.extractOutputValues());
    }

    static Stream<Arguments> moreCommands() {
        String carol = "carol";
        String author = "Codertocat"; // the example payload's issue is theirs
        String reply = "create_comment slash-commands@1 reply";
        List<String> none = List.of();
        return Stream.of(
                // /assign, /unassign: triage
                Arguments.of(
                        false,
                        carol,
                        none,
                        "/assign",
                        "triage",
                        List.of("add_assignees triage-label@1 {\"assignees\":[\"carol\"]}")),
                Arguments.of(
                        true,
                        carol,
                        none,
                        "/assign @alice bob @alice",
                        "write",
                        List.of(
                                "add_assignees triage-label@1"
                                        + " {\"assignees\":[\"alice\",\"bob\"]}")),
                Arguments.of(false, carol, none, "/assign @alice", "read", List.of(reply)),
                Arguments.of(false, author, none, "/assign", "read", List.of(reply)),
                Arguments.of(false, carol, none, "/assign @-nope!", "admin", List.of(reply)),
                Arguments.of(
                        false,
                        carol,
                        none,
                        "/unassign",
                        "maintain",
                        List.of("remove_assignees triage-label@1 {\"assignees\":[\"carol\"]}")),
                Arguments.of(
                        false,
                        carol,
                        none,
                        "/unassign @alice",
                        "triage",
                        List.of("remove_assignees triage-label@1 {\"assignees\":[\"alice\"]}")),
                Arguments.of(false, carol, none, "/unassign @alice", "read", List.of(reply)),
                // /cc: write, pull requests only, not the pull request's author
                Arguments.of(
                        true,
                        carol,
                        none,
                        "/cc @alice",
                        "write",
                        List.of("request_reviewers triage-label@1 {\"reviewers\":[\"alice\"]}")),
                Arguments.of(true, carol, none, "/cc @alice", "triage", List.of(reply)),
                Arguments.of(true, author, none, "/cc @alice", "read", List.of(reply)),
                Arguments.of(false, carol, none, "/cc @alice", "write", List.of(reply)),
                Arguments.of(true, carol, none, "/cc", "write", List.of(reply)),
                Arguments.of(true, carol, none, "/cc @codertocat", "admin", List.of(reply)),
                // /priority: the SLA rule's priority labels
                Arguments.of(
                        false,
                        carol,
                        none,
                        "/priority p1",
                        "triage",
                        List.of("add_labels sla-monitor@1 {\"labels\":[\"P1\"]}")),
                Arguments.of(
                        false,
                        carol,
                        List.of("priority/high", "bug"),
                        "/priority P0",
                        "write",
                        List.of(
                                "add_labels sla-monitor@1 {\"labels\":[\"P0\"]}",
                                "remove_label sla-monitor@1 {\"label\":\"priority/high\"}")),
                Arguments.of(
                        false,
                        carol,
                        List.of("priority/critical", "P1"),
                        "/priority p1",
                        "triage",
                        List.of("remove_label sla-monitor@1 {\"label\":\"priority/critical\"}")),
                Arguments.of(false, carol, List.of("P2"), "/priority p2", "triage", none),
                Arguments.of(false, carol, none, "/priority p9", "triage", List.of(reply)),
                Arguments.of(false, carol, none, "/priority", "triage", List.of(reply)),
                Arguments.of(false, carol, none, "/priority p1", "read", List.of(reply)),
                Arguments.of(false, author, none, "/priority p1", "read", List.of(reply)),
                // /remove-label: an alias of /unlabel
                Arguments.of(
                        false,
                        carol,
                        List.of("bug"),
                        "/remove-label bug",
                        "triage",
                        List.of("remove_label triage-label@1 {\"label\":\"bug\"}")),
                Arguments.of(false, carol, none, "/remove-label bug", "read", List.of(reply)),
                Arguments.of(false, carol, none, "/remove-label a b", "triage", List.of(reply)),
                // /close: triage, or the item's author
                Arguments.of(
                        false,
                        carol,
                        none,
                        "/close",
                        "triage",
                        List.of("close_issue triage-label@1 {\"state_reason\":\"completed\"}")),
                Arguments.of(
                        true,
                        carol,
                        none,
                        "/close not_planned",
                        "write",
                        List.of(
                                "close_issue triage-label@1"
                                        + " {\"state_reason\":\"not_planned\"}")),
                Arguments.of(
                        false,
                        author,
                        none,
                        "/close",
                        "read",
                        List.of("close_issue triage-label@1 {\"state_reason\":\"completed\"}")),
                Arguments.of(
                        false,
                        "codertocat",
                        none,
                        "/close",
                        null,
                        List.of("close_issue triage-label@1 {\"state_reason\":\"completed\"}")),
                Arguments.of(false, carol, none, "/close", "read", List.of(reply)),
                Arguments.of(false, carol, none, "/close wontfix", "triage", List.of(reply)),
                Arguments.of(false, author, none, "/close duplicate", "read", List.of(reply)),
                // /merge: write; /hold: triage or the author; /unhold: triage; pull requests
                Arguments.of(
                        true,
                        carol,
                        none,
                        "/merge",
                        "write",
                        List.of("add_labels merge-queue@1 {\"labels\":[\"automerge\"]}")),
                Arguments.of(
                        true,
                        carol,
                        List.of("automerge"),
                        "/merge --priority",
                        "maintain",
                        List.of("add_labels merge-queue@1 {\"labels\":[\"merge/priority\"]}")),
                Arguments.of(true, carol, List.of("AutoMerge"), "/merge", "admin", none),
                Arguments.of(true, carol, none, "/merge", "triage", List.of(reply)),
                Arguments.of(true, author, none, "/merge", "read", List.of(reply)),
                Arguments.of(false, carol, none, "/merge", "write", List.of(reply)),
                Arguments.of(true, carol, none, "/merge now", "write", List.of(reply)),
                Arguments.of(
                        true,
                        carol,
                        none,
                        "/hold",
                        "triage",
                        List.of("add_labels merge-queue@1 {\"labels\":[\"hold\"]}")),
                Arguments.of(
                        true,
                        author,
                        none,
                        "/hold",
                        "read",
                        List.of("add_labels merge-queue@1 {\"labels\":[\"hold\"]}")),
                Arguments.of(true, carol, none, "/hold", "read", List.of(reply)),
                Arguments.of(
                        true,
                        carol,
                        List.of("hold"),
                        "/unhold",
                        "triage",
                        List.of("remove_label merge-queue@1 {\"label\":\"hold\"}")),
                Arguments.of(true, carol, none, "/unhold", "triage", none),
                Arguments.of(true, author, List.of("hold"), "/unhold", "read", List.of(reply)),
                // /help: anyone, even when the permission could not be read
                Arguments.of(
                        false,
                        carol,
                        none,
                        "/help",
                        "read",
                        List.of("create_comment" + " slash-commands@1 comment")),
                Arguments.of(
                        false,
                        carol,
                        none,
                        "/help",
                        null,
                        List.of("create_comment" + " slash-commands@1 comment")),
                Arguments.of(false, carol, none, "/help me", "admin", List.of(reply)));
    }

    @ParameterizedTest(name = "{3} by {1} ({4}) on a pull request: {0}, labels {2}")
    @MethodSource("moreCommands")
    void eachCommandNeedsWhatGitHubNeedsForTheSameChangeByHand(
            boolean pr,
            String commenter,
            List<String> labels,
            String body,
            String role,
            List<String> expected)
            throws Exception {
        List<ActionRecord> actions = runOn(pr, commenter, labels, body, role);

        String read =
                "read_collaborator_permission slash-commands@1 {\"username\":\""
                        + commenter
                        + "\"}";
        assertThat(summary(actions))
                .containsExactlyElementsOf(
                        Stream.concat(Stream.of(read), expected.stream()).toList());
        assertThat(actions).allSatisfy(a -> assertThat(a.target()).isEqualTo(ISSUE));
        assertThat(pendingEntries()).isZero();
    }

    @Test
    void theReplyToCcOnAnIssueSaysItIsForPullRequests() throws Exception {
        List<ActionRecord> actions = runOn(false, "carol", List.of(), "/cc @alice", "write");

        assertThat(actions.get(actions.size() - 1).params().path("body").asText())
                .contains(
                        "`/cc @alice`: reviews are requested on pull requests only, and this is"
                                + " an issue (usage: `/cc @user...`)");
    }

    static Stream<Arguments> everyCommandOfARule() {
        return CommandRegistry.of(Rules.REGISTERED).declared().stream()
                .filter(d -> !d.section().equals("commands"))
                .map(d -> Arguments.of(d.command().usage(), d.section()));
    }

    /** Every command of a rule whose section is off is refused, and the reply names the section. */
    @ParameterizedTest(name = "{0} with {1}: off")
    @MethodSource("everyCommandOfARule")
    void everyCommandOfARuleWhoseSectionIsOffIsNotRun(String usage, String section)
            throws Exception {
        RepoPolicy.Builder policy =
                RepoPolicy.builder(REPO)
                        .commands(RepoPolicy.Commands.on())
                        .sla(RepoPolicy.Sla.defaults())
                        .lifecycle(Lifecycle.defaults());
        switch (section) {
            case "triage" -> policy.triage(RepoPolicy.Triage.off());
            case "sla" -> policy.sla(RepoPolicy.Sla.off());
            case "lifecycle" -> policy.lifecycle(null);
            case "ci" -> policy.ci(RepoPolicy.Ci.off());
            case "merge_queue" -> policy.mergeQueue(MergeQueue.off());
            default -> throw new AssertionError("a section the test does not know: " + section);
        }
        harness.processBroadcastElement(policy.build(), 0);
        String line = usage.replaceAll("[\\[\\]]", "").replace("...", "").split("\\|")[0];

        List<ActionRecord> actions = runOn(true, "carol", List.of(), line, "admin");

        assertThat(actions)
                .singleElement()
                .satisfies(
                        reply ->
                                assertThat(reply.params().path("body").asText())
                                        .contains(
                                                "off in this repository (policy section `"
                                                        + section
                                                        + ":`)"));
    }

    @Test
    void helpListsTheCommandsEnabledHereWithUsageAndWhoMayRunThem() throws Exception {
        harness.processBroadcastElement(
                RepoPolicy.builder(REPO)
                        .commands(RepoPolicy.Commands.on())
                        .sla(RepoPolicy.Sla.off())
                        .lifecycle(Lifecycle.defaults())
                        .build(),
                0);

        List<ActionRecord> actions = runOn(false, "carol", List.of(), "/help", "read");

        ActionRecord help = actions.get(actions.size() - 1);
        assertThat(help.producedBy()).isEqualTo(SlashCommandFunction.RULE);
        assertThat(help.actionId())
                .isEqualTo("slash-commands@1:" + ITEM + ":comment:777:1.1:create_comment");
        assertThat(help.params().path("body").asText())
                .startsWith("@carol, the commands enabled in this repository:")
                .contains(
                        "| `/label NAME...` | Adds the labels named. | triage permission or above |")
                .contains(
                        "| `/close [completed\\|not_planned]` | Closes the issue or pull request,"
                                + " as completed (the default) or not planned. | triage permission"
                                + " or above, or the item's author |")
                .contains(
                        "| `/reopen` | Reopens the issue or pull request. | triage permission or"
                                + " above, or the item's author where lifecycle closed it |")
                .contains("| `/cc @user...` |")
                .contains("| `/help` | Lists the commands enabled in this repository. | anyone |")
                .doesNotContain("/priority");
    }

    /**
     * A completed run {@code "workflow id attempt conclusion pr"}, e.g. {@code "CI 501 1 failure
     * 12"}.
     */
    private static GitHubEvent run(String spec, int i) {
        String[] f = spec.split(" ");
        return Events.workflowRun(
                REPO,
                f[0],
                Long.parseLong(f[1]),
                "sha" + f[1],
                f[3],
                Integer.parseInt(f[2]),
                Long.parseLong(f[4]),
                T0.minusSeconds(600 - i));
    }

    static Stream<Arguments> retest() {
        String reply = "create_comment slash-commands@1 reply #12";
        String rerun501 = "rerun_failed_jobs ci-retry@1 {} #501";
        return Stream.of(
                Arguments.of(
                        List.of("CI 501 1 failure 12", "Lint 502 1 success 12"),
                        true,
                        "carol",
                        "/retest",
                        "write",
                        List.of(rerun501)),
                Arguments.of(
                        List.of("Lint 502 1 timed_out 12", "CI 501 1 failure 12"),
                        true,
                        "carol",
                        "/retest",
                        "admin",
                        List.of(rerun501, "rerun_failed_jobs ci-retry@1 {} #502")),
                // the latest run of each workflow counts: a later success, a later attempt
                Arguments.of(
                        List.of("CI 501 1 failure 12", "CI 503 1 success 12"),
                        true,
                        "carol",
                        "/retest",
                        "write",
                        List.of(reply)),
                Arguments.of(
                        List.of("CI 501 1 failure 12", "CI 501 2 success 12"),
                        true,
                        "carol",
                        "/retest",
                        "write",
                        List.of(reply)),
                Arguments.of(
                        List.of("CI 503 1 success 12", "CI 501 1 failure 12"),
                        true,
                        "carol",
                        "/retest",
                        "write",
                        List.of(reply)),
                Arguments.of(
                        List.of("CI 501 1 cancelled 12"),
                        true,
                        "carol",
                        "/retest",
                        "write",
                        List.of(reply)),
                // another pull request's runs, and a fork's (GitHub names no pull request)
                Arguments.of(
                        List.of("CI 501 1 failure 13", "CI 504 1 failure 0"),
                        true,
                        "carol",
                        "/retest",
                        "write",
                        List.of(reply)),
                Arguments.of(List.of(), true, "carol", "/retest", "write", List.of(reply)),
                Arguments.of(
                        List.of("CI 501 1 failure 12"),
                        true,
                        "carol",
                        "/retest",
                        "triage",
                        List.of(reply)),
                Arguments.of(
                        List.of("CI 501 1 failure 12"),
                        true,
                        "Codertocat",
                        "/retest",
                        "read",
                        List.of(reply)),
                Arguments.of(
                        List.of("CI 501 1 failure 12"),
                        false,
                        "carol",
                        "/retest",
                        "write",
                        List.of(reply)),
                Arguments.of(
                        List.of("CI 501 1 failure 12"),
                        true,
                        "carol",
                        "/retest now",
                        "write",
                        List.of(reply)));
    }

    /**
     * {@code /retest} re-runs the failed jobs of the pull request's latest failed run of each
     * workflow: the framework keeps the runs GitHub says were for the pull request, keyed by it.
     */
    @ParameterizedTest(name = "{3} by {2} ({4}) after {0}, on a pull request: {1}")
    @MethodSource("retest")
    void retestReRunsTheFailedJobsOfThePullRequestsLatestFailedRuns(
            List<String> runs,
            boolean pr,
            String commenter,
            String body,
            String role,
            List<String> expected)
            throws Exception {
        for (int i = 0; i < runs.size(); i++) {
            GitHubEvent run = run(runs.get(i), i);
            // as the job's input filter does: a run naming no pull request (a fork's) is not kept
            if (new CommandEvents().filter(run)) {
                harness.processElement(run, T0.toEpochMilli() - 600_000 + i);
            }
        }
        assertThat(harness.extractOutputValues()).isEmpty();

        List<ActionRecord> actions = runOn(pr, commenter, List.of(), body, role);

        assertThat(
                        actions.stream()
                                .skip(1)
                                .map(a -> summary(List.of(a)).get(0) + " #" + a.target())
                                .toList())
                .containsExactlyElementsOf(expected);
        assertThat(actions.get(0).type()).isEqualTo(ActionType.READ_COLLABORATOR_PERMISSION);
    }

    @Test
    void theReplyToRetestWithoutAFailedRunSaysWhy() throws Exception {
        List<ActionRecord> actions = runOn(true, "carol", List.of(), "/retest", "write");

        assertThat(actions.get(actions.size() - 1).params().path("body").asText())
                .contains(
                        "`/retest`: no failed workflow run is known for this pull request (the"
                                + " latest run of each workflow passed, or GitHub named no pull"
                                + " request on them, as for pull requests from forks)");
    }

    @Test
    void theFrameworksInputKeysARunByThePullRequestItRanForAndDropsRunsOfNone() throws Exception {
        CommandEvents input = new CommandEvents();
        GitHubEvent ofPr = run("CI 501 1 failure 12", 0);
        GitHubEvent ofFork = run("CI 502 1 failure 0", 0);

        assertThat(input.filter(ofPr)).isTrue();
        assertThat(new CommandEvents.Key().getKey(ofPr)).isEqualTo(ITEM);
        assertThat(input.filter(ofFork)).isFalse();
        assertThat(input.filter(comment("carol", "User", "/retest"))).isTrue();
        assertThat(new CommandEvents.Key().getKey(comment("carol", "User", "/retest")))
                .isEqualTo(ITEM);
    }
}
