package io.repostream.flink.rules.lifecycle;

import static io.repostream.flink.Events.T0;
import static io.repostream.flink.rules.lifecycle.LifecycleEvents.AUTHOR;
import static io.repostream.flink.rules.lifecycle.LifecycleEvents.MAINTAINER;
import static io.repostream.flink.rules.lifecycle.LifecycleEvents.REPO;
import static io.repostream.flink.rules.lifecycle.LifecycleEvents.event;
import static io.repostream.flink.rules.lifecycle.LifecycleEvents.labeled;
import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.KeyedStates;
import io.repostream.flink.rules.ItemKey;
import io.repostream.flink.rules.Policies;
import io.repostream.flink.rules.RuleHarness;
import io.repostream.flink.rules.Rules;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.Lifecycle;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RepoPolicy.BusinessCalendar;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lifecycle rule on event time, through the operator harness as the job runs it (its policy
 * section's gate, its declared payload fields). Each row: a policy section, what happens (events
 * and watermarks), and the actions expected, as {@code type(what)@when} with {@code when} in days
 * after {@link io.repostream.flink.Events#T0} (a Monday).
 */
class LifecycleFunctionTest {
    private static final List<String> NONE = List.of();
    private static final String STALE = Lifecycle.DEFAULT_STALE_LABEL;
    private static final String ROTTEN = Lifecycle.DEFAULT_ROTTEN_LABEL;
    private static final String AWAITING = Lifecycle.AwaitingResponse.DEFAULT_LABEL;

    /** Stale after 30 days, rotten 30 days later, closed 30 days after that. */
    private static final Lifecycle MONTHLY =
            Lifecycle.builder()
                    .staleAfter(Duration.ofDays(30))
                    .rottenAfter(Duration.ofDays(30))
                    .closeAfter(Duration.ofDays(30))
                    .build();

    private KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            harness;

    @AfterEach
    void closeHarness() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private static Instant day(double days) {
        return T0.plus(Duration.ofMinutes(Math.round(days * 24 * 60)));
    }

    /** A watermark at {@code days} after T0. */
    private record Watermark(double days) {}

    private static GitHubEvent opened(List<String> labels) {
        return event("issues", "opened", 7, T0, AUTHOR, "User", labels);
    }

    private static GitHubEvent comment(
            double days, String login, String type, List<String> labels) {
        return event("issue_comment", "created", 7, day(days), login, type, labels);
    }

    /** Opened by a maintainer (for the author), already waiting for the author. */
    private static GitHubEvent awaitingFromTheStart() {
        return event("issues", "opened", 7, T0, MAINTAINER, "User", List.of(AWAITING));
    }

    private static GitHubEvent inMilestone(String title) {
        return event(
                "issues",
                "opened",
                7,
                T0,
                AUTHOR,
                "User",
                NONE,
                item -> item.putObject("milestone").put("title", title));
    }

    static Stream<Arguments> lifecycles() {
        Lifecycle businessDays =
                MONTHLY.toBuilder()
                        .staleAfter(Duration.ofDays(5))
                        .businessDays(true)
                        .calendar(
                                new BusinessCalendar(
                                        "UTC",
                                        List.copyOf(
                                                EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY)),
                                        java.time.LocalTime.of(9, 0),
                                        java.time.LocalTime.of(17, 0),
                                        List.of(LocalDate.parse("2026-03-04"))))
                        .build();
        return Stream.of(
                Arguments.of(
                        "an untouched issue goes stale, rotten, then is closed as not planned",
                        MONTHLY,
                        List.of(opened(NONE), new Watermark(100)),
                        List.of(
                                "add_labels(lifecycle/stale)@30",
                                "add_labels(lifecycle/rotten)@60",
                                "remove_label(lifecycle/stale)@60",
                                "create_comment(reopen)@90",
                                "close_issue(not_planned)@90")),
                Arguments.of(
                        "a person's comment on a stale issue removes the label and starts over",
                        MONTHLY,
                        List.of(
                                opened(NONE),
                                new Watermark(31),
                                comment(40, MAINTAINER, "User", List.of(STALE)),
                                new Watermark(69.9),
                                new Watermark(71)),
                        List.of(
                                "add_labels(lifecycle/stale)@30",
                                "remove_label(lifecycle/stale)@40",
                                "add_labels(lifecycle/stale)@70")),
                Arguments.of(
                        "a bot's comment (type Bot, [bot] login) does not reset the clock",
                        MONTHLY,
                        List.of(
                                opened(NONE),
                                comment(20, "renovate[bot]", "Bot", NONE),
                                comment(25, "some-app[bot]", "User", NONE),
                                new Watermark(31)),
                        List.of("add_labels(lifecycle/stale)@30")),
                Arguments.of(
                        "a listed bot's comment does not reset the clock",
                        MONTHLY.toBuilder().bots(List.of("release-helper")).build(),
                        List.of(
                                opened(NONE),
                                comment(20, "Release-Helper", "User", NONE),
                                new Watermark(31)),
                        List.of("add_labels(lifecycle/stale)@30")),
                Arguments.of(
                        "a bot's comment on a stale issue leaves the label and the clock",
                        MONTHLY,
                        List.of(
                                opened(NONE),
                                new Watermark(31),
                                comment(40, "renovate[bot]", "Bot", List.of(STALE)),
                                new Watermark(61)),
                        List.of(
                                "add_labels(lifecycle/stale)@30",
                                "add_labels(lifecycle/rotten)@60",
                                "remove_label(lifecycle/stale)@60")),
                Arguments.of(
                        "a person removing the stale label starts over",
                        MONTHLY,
                        List.of(
                                opened(NONE),
                                new Watermark(31),
                                event("issues", "unlabeled", 7, day(45), MAINTAINER, "User", NONE),
                                new Watermark(74)),
                        List.of("add_labels(lifecycle/stale)@30")),
                Arguments.of(
                        "an exempt label leaves the issue alone",
                        MONTHLY,
                        List.of(opened(List.of("lifecycle/frozen")), new Watermark(200)),
                        NONE),
                Arguments.of(
                        "freezing a stale issue removes the stale label and stops the clock",
                        MONTHLY,
                        List.of(
                                opened(NONE),
                                new Watermark(31),
                                labeled(
                                        7,
                                        day(32),
                                        MAINTAINER,
                                        "lifecycle/frozen",
                                        List.of(STALE, "lifecycle/frozen")),
                                new Watermark(200)),
                        List.of(
                                "add_labels(lifecycle/stale)@30",
                                "remove_label(lifecycle/stale)@32")),
                Arguments.of(
                        "any milestone exempts when exempt_all_milestones is set",
                        MONTHLY.toBuilder().exemptAllMilestones(true).build(),
                        List.of(inMilestone("v9"), new Watermark(200)),
                        NONE),
                Arguments.of(
                        "a listed milestone exempts",
                        MONTHLY.toBuilder().exemptMilestones(List.of("v1.0")).build(),
                        List.of(inMilestone("v1.0"), new Watermark(200)),
                        NONE),
                Arguments.of(
                        "another milestone does not exempt",
                        MONTHLY.toBuilder().exemptMilestones(List.of("v1.0")).build(),
                        List.of(inMilestone("v2.0"), new Watermark(31)),
                        List.of("add_labels(lifecycle/stale)@30")),
                Arguments.of(
                        "an assignee exempts when exempt_assigned is set",
                        MONTHLY.toBuilder().exemptAssigned(true).build(),
                        List.of(
                                event(
                                        "issues",
                                        "opened",
                                        7,
                                        T0,
                                        AUTHOR,
                                        "User",
                                        NONE,
                                        item ->
                                                item.putArray("assignees")
                                                        .addObject()
                                                        .put("login", MAINTAINER)),
                                new Watermark(200)),
                        NONE),
                Arguments.of(
                        "a draft pull request is exempt when exempt_drafts is set",
                        MONTHLY.toBuilder().exemptDrafts(true).build(),
                        List.of(
                                event(
                                        "pull_request",
                                        "opened",
                                        7,
                                        T0,
                                        AUTHOR,
                                        "User",
                                        NONE,
                                        item -> item.put("draft", true)),
                                new Watermark(200)),
                        NONE),
                Arguments.of(
                        "a push to a pull request is activity",
                        MONTHLY,
                        List.of(
                                event("pull_request", "opened", 7, T0, AUTHOR, "User", NONE),
                                event(
                                        "pull_request",
                                        "synchronize",
                                        7,
                                        day(20),
                                        AUTHOR,
                                        "User",
                                        NONE),
                                new Watermark(49)),
                        NONE),
                Arguments.of(
                        "a review is activity",
                        MONTHLY,
                        List.of(
                                event("pull_request", "opened", 7, T0, AUTHOR, "User", NONE),
                                event(
                                        "pull_request_review",
                                        "submitted",
                                        7,
                                        day(20),
                                        MAINTAINER,
                                        "User",
                                        NONE),
                                new Watermark(51)),
                        List.of("add_labels(lifecycle/stale)@50")),
                Arguments.of(
                        "business days skip weekends and holidays (5 days from Monday 2 March,"
                                + " Wednesday 4 a holiday: Tuesday 10 March)",
                        businessDays,
                        List.of(opened(NONE), new Watermark(9)),
                        List.of("add_labels(lifecycle/stale)@8")),
                Arguments.of(
                        "the author's reply removes the awaiting label",
                        MONTHLY,
                        List.of(
                                awaitingFromTheStart(),
                                comment(3, AUTHOR, "User", List.of(AWAITING)),
                                new Watermark(20)),
                        List.of("remove_label(awaiting-author)@3")),
                Arguments.of(
                        "no answer from the author within 14 days closes with the policy's comment",
                        MONTHLY,
                        List.of(
                                awaitingFromTheStart(),
                                comment(3, MAINTAINER, "User", List.of(AWAITING)),
                                new Watermark(20)),
                        List.of("create_comment(no answer)@14", "close_issue(not_planned)@14")),
                Arguments.of(
                        "the wait starts when the label is added",
                        MONTHLY,
                        List.of(
                                opened(NONE),
                                labeled(7, day(5), MAINTAINER, AWAITING, List.of(AWAITING)),
                                new Watermark(20)),
                        List.of("create_comment(no answer)@19", "close_issue(not_planned)@19")),
                Arguments.of(
                        "removing the awaiting label ends the wait",
                        MONTHLY,
                        List.of(
                                opened(List.of(AWAITING)),
                                event("issues", "unlabeled", 7, day(5), MAINTAINER, "User", NONE),
                                new Watermark(20)),
                        NONE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lifecycles")
    void followsTheLifecycleOfAnItem(
            String name, Lifecycle lifecycle, List<Object> steps, List<String> expected)
            throws Exception {
        harness = harness(lifecycle);

        run(steps);

        assertThat(written(harness.extractOutputValues())).containsExactlyElementsOf(expected);
    }

    @Test
    void staysOffWhereThePolicyHasNoLifecycleSection() throws Exception {
        harness = RuleHarness.of(Rules.LIFECYCLE, new LifecycleFunction());

        run(List.of(opened(NONE), new Watermark(200)));

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(KeyedStates.entries(harness, "lifecycle-item", "lifecycle-ended")).isZero();
    }

    @Test
    void proposesDryRunsInShadowMode() throws Exception {
        harness = harness(MONTHLY.toBuilder().mode(RepoPolicy.Mode.SHADOW).build());

        run(List.of(opened(NONE), new Watermark(31)));

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(a -> assertThat(a.dryRun()).isTrue());
    }

    @Test
    void closesWithACommentSayingHowToReopen() throws Exception {
        harness = harness(MONTHLY);

        run(List.of(opened(NONE), new Watermark(100)));

        List<ActionRecord> out = harness.extractOutputValues();
        ActionRecord comment = out.get(3);
        assertThat(comment.params().path("body").asText())
                .contains("@" + AUTHOR + " or a maintainer can reopen it by commenting `/reopen`")
                .contains("90 days without activity");
        ActionRecord close = out.get(4);
        assertThat(close.actionId())
                .isEqualTo("lifecycle@1:octo-org/widgets#7:rotten@" + day(90) + ":close");
        assertThat(close.producedBy()).isEqualTo(LifecycleFunction.RULE);
        assertThat(close.installationId()).isEqualTo(42L);
    }

    /**
     * The webhook and the poller both deliver every event, our own close comes back as an event,
     * and a poller catching up redelivers the item's old events afterwards: closed once.
     */
    @Test
    void aReplayDoesNotCloseAnItemTwice() throws Exception {
        harness = harness(MONTHLY);
        GitHubEvent opened = opened(NONE);
        GitHubEvent remark = comment(10, MAINTAINER, "User", NONE);

        run(List.of(opened, opened, remark, remark, new Watermark(101)));
        run(
                List.of(
                        event(
                                "issues",
                                "closed",
                                7,
                                day(100.01),
                                "repostream[bot]",
                                "Bot",
                                List.of(ROTTEN))));
        run(List.of(opened, remark, remark, new Watermark(140)));

        assertThat(harness.extractOutputValues())
                .filteredOn(a -> a.type() == ActionType.CLOSE_ISSUE)
                .hasSize(1);
        // the close's memory goes too, a week of event time later
        harness.watermark(day(120).toEpochMilli());
        assertThat(KeyedStates.entries(harness, "lifecycle-item", "lifecycle-ended")).isZero();
    }

    @Test
    void anItemClosedByAPersonIsForgotten() throws Exception {
        harness = harness(MONTHLY);

        run(
                List.of(
                        opened(NONE),
                        event("issues", "closed", 7, day(3), AUTHOR, "User", NONE),
                        new Watermark(200)));

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(KeyedStates.entries(harness, "lifecycle-item", "lifecycle-ended")).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aReopenedItemStartsOver() throws Exception {
        harness = harness(MONTHLY);

        run(
                List.of(
                        opened(NONE),
                        new Watermark(91),
                        event(
                                "issues",
                                "closed",
                                7,
                                day(90.01),
                                "repostream[bot]",
                                "Bot",
                                List.of(ROTTEN)),
                        event("issues", "reopened", 7, day(95), AUTHOR, "User", List.of(ROTTEN)),
                        new Watermark(126)));

        assertThat(written(harness.extractOutputValues()))
                .containsSubsequence(
                        "close_issue(not_planned)@90",
                        "remove_label(lifecycle/rotten)@95",
                        "add_labels(lifecycle/stale)@125");
    }

    @Test
    void restartsFromASnapshotTakenWhileATimerIsPending() throws Exception {
        harness = harness(MONTHLY);
        run(List.of(opened(NONE), new Watermark(31)));
        OperatorSubtaskState snapshot = harness.snapshot(1L, day(31).toEpochMilli());
        List<String> before = written(harness.extractOutputValues());
        harness.close();

        harness =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                Rules.LIFECYCLE.newFunction(), List.of(Policies.DESCRIPTOR)),
                        new ItemKey(),
                        Types.STRING,
                        1,
                        1,
                        0);
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        run(List.of(new Watermark(100)));

        assertThat(before).containsExactly("add_labels(lifecycle/stale)@30");
        assertThat(written(harness.extractOutputValues()))
                .containsExactly(
                        "add_labels(lifecycle/rotten)@60",
                        "remove_label(lifecycle/stale)@60",
                        "create_comment(reopen)@90",
                        "close_issue(not_planned)@90");
    }

    @Test
    void signalsItemsMarkedAndClosedAndExemptions() throws Exception {
        harness = harness(MONTHLY.toBuilder().exemptAssigned(true).build());

        run(List.of(opened(NONE), new Watermark(100)));
        harness.processElement(
                event(
                        "issues",
                        "opened",
                        8,
                        day(100),
                        AUTHOR,
                        "User",
                        NONE,
                        item -> item.putArray("assignees").addObject().put("login", MAINTAINER)),
                day(100).toEpochMilli());

        List<String> signals = new ArrayList<>();
        for (var r : harness.getSideOutput(LifecycleFunction.SIGNALS)) {
            RepoMetrics m = r.getValue();
            signals.add(m.repo() + " " + m.metric() + " " + m.labels());
        }
        assertThat(signals)
                .containsExactly(
                        REPO + " lifecycle_items {step=stale}",
                        REPO + " lifecycle_items {step=rotten}",
                        REPO + " lifecycle_items {step=closed-rotten}",
                        REPO + " lifecycle_exemptions {reason=assigned}");
    }

    private KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            harness(Lifecycle lifecycle) throws Exception {
        var h = RuleHarness.of(Rules.LIFECYCLE, new LifecycleFunction());
        h.processBroadcastElement(policy(lifecycle), 0);
        return h;
    }

    private static RepoPolicy policy(Lifecycle lifecycle) {
        return RepoPolicy.builder(REPO).lifecycle(lifecycle).updatedAt(T0).build();
    }

    private void run(List<Object> steps) throws Exception {
        for (Object step : steps) {
            if (step instanceof Watermark w) {
                harness.watermark(day(w.days()).toEpochMilli());
            } else {
                GitHubEvent e = (GitHubEvent) step;
                harness.processElement(e, e.occurredAt().toEpochMilli());
            }
        }
    }

    /** {@code type(what)@days}: what names the label, the close's reason, the comment's kind. */
    private static List<String> written(List<ActionRecord> actions) {
        List<String> out = new ArrayList<>();
        for (ActionRecord a : actions) {
            String what =
                    switch (a.type()) {
                        case ADD_LABELS -> a.params().path("labels").get(0).asText();
                        case REMOVE_LABEL -> a.params().path("label").asText();
                        case CLOSE_ISSUE -> a.params().path("state_reason").asText();
                        case CREATE_COMMENT ->
                                a.params().path("body").asText().contains("answer")
                                        ? "no answer"
                                        : "reopen";
                        default -> a.params().toString();
                    };
            double days = Duration.between(T0, a.createdAt()).toMinutes() / (24.0 * 60);
            String when =
                    days == Math.rint(days) ? Long.toString((long) days) : Double.toString(days);
            out.add(a.type().wireName() + "(" + what + ")@" + when);
        }
        return out;
    }
}
