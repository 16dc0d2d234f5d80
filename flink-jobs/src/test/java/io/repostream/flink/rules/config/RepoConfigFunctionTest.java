package io.repostream.flink.rules.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.rules.RuleHarness;
import io.repostream.flink.rules.Rules;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.TypedTarget;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The in-repo configuration as the job runs it ({@link RuleHarness}: keyed by owner, reading only
 * the fields it declares): a push or an installation asks for the repository's file and its owner's
 * defaults, and the answers make the policy written to {@code github.config.v1}.
 */
class RepoConfigFunctionTest {
    private static final String REPO = "octo/widgets";
    private static final String PATH = RepoConfigFile.PATH;
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final PolicyCeilings CEILINGS =
            new PolicyCeilings(
                    Set.of(
                            ActionType.ADD_LABELS,
                            ActionType.CREATE_COMMENT,
                            ActionType.CLOSE_ISSUE),
                    100,
                    false);

    private KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            harness;

    @BeforeEach
    void open() throws Exception {
        harness = RuleHarness.of(Rules.REPO_CONFIG, new RepoConfigFunction(CEILINGS));
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void writesThePolicyOfAFilePushedToTheDefaultBranchOverTheOwnersDefaults() throws Exception {
        harness.processElement(push(REPO, "main", "main", PATH), T0.toEpochMilli());

        List<ActionRecord> reads = actions();
        assertThat(reads).hasSize(2);
        ActionRecord own = reads.get(0);
        ActionRecord defaults = reads.get(1);
        assertThat(own.type()).isEqualTo(ActionType.READ_FILE);
        assertThat(own.repo()).isEqualTo(REPO);
        assertThat(own.typedTarget()).isEqualTo(TypedTarget.ref("refs/heads/main"));
        assertThat(own.params().path("path").asText()).isEqualTo(PATH);
        assertThat(defaults.repo()).isEqualTo("octo/.github");
        assertThat(defaults.typedTarget()).isEqualTo(TypedTarget.ref("refs/heads/HEAD"));

        Instant readAt = T0.plusSeconds(5);
        harness.processElement(
                answer(defaults, readAt, 200, "sla:\n  mode: shadow\nignore_users: [ci-bot]\n"),
                readAt.toEpochMilli());
        assertThat(policies()).isEmpty();
        harness.processElement(
                answer(
                        own,
                        readAt,
                        200,
                        "policy_version: 2\n"
                                + "enabled_actions: [add_labels, create_comment]\n"
                                + "triage:\n  label: needs-triage\n"
                                + "sla: {}\n"),
                readAt.toEpochMilli());

        List<RepoPolicy> written = policies();
        assertThat(written).hasSize(1);
        RepoPolicy policy = written.get(0);
        assertThat(policy.repo()).isEqualTo(REPO);
        assertThat(policy.triage().label()).isEqualTo("needs-triage");
        assertThat(policy.mode("sla")).isEqualTo(RepoPolicy.Mode.SHADOW);
        assertThat(policy.mode("ci")).isEqualTo(RepoPolicy.Mode.OFF);
        assertThat(policy.ignoreUsers()).containsExactly("ci-bot");
        assertThat(policy.enabledActions())
                .containsExactlyInAnyOrder(ActionType.ADD_LABELS, ActionType.CREATE_COMMENT);
        assertThat(policy.updatedAt()).isEqualTo(readAt);
        assertNothingWaitsFor(own, defaults);
    }

    @Test
    void narrowsAFileThatAsksForMoreThanTheCentralCeilings() throws Exception {
        harness.processElement(push(REPO, "main", "main", PATH), T0.toEpochMilli());
        List<ActionRecord> reads = actions();

        answerBoth(
                reads,
                "enabled_actions: [add_labels, merge_pull_request]\naction_budget_per_hour: 5000\n",
                null);

        RepoPolicy policy = policies().get(0);
        assertThat(policy.enabledActions()).containsExactly(ActionType.ADD_LABELS);
        assertThat(policy.actionBudgetPerHour()).isEqualTo(100);
    }

    static Stream<Arguments> filesThatWriteNothing() {
        return Stream.of(
                Arguments.of("not YAML", 200, "sla: [unclosed\n"),
                Arguments.of("an unknown field", 200, "triage_lable: oops\n"),
                Arguments.of("a value out of range", 200, "action_budget_per_hour: -1\n"),
                Arguments.of("another repository's policy", 200, "repo: octo/other\n"),
                Arguments.of(
                        "a pattern that is not RE2", 200, "failure_patterns: {flaky: ['(']}\n"),
                Arguments.of("no file", 404, null),
                Arguments.of("a read GitHub refused", 403, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filesThatWriteNothing")
    void writesNothingForAFileThatIsNotAValidPolicy(String why, int status, String text)
            throws Exception {
        harness.processElement(push(REPO, "main", "main", PATH), T0.toEpochMilli());
        List<ActionRecord> reads = actions();

        Instant at = T0.plusSeconds(1);
        harness.processElement(answer(reads.get(0), at, status, text), at.toEpochMilli());
        harness.processElement(answer(reads.get(1), at, 404, null), at.toEpochMilli());

        assertThat(policies()).isEmpty();
        assertNothingWaitsFor(reads.get(0), reads.get(1));
    }

    @Test
    void rejectsDefaultsThatAreNotValidAndWritesNothing() throws Exception {
        harness.processElement(push(REPO, "main", "main", PATH), T0.toEpochMilli());

        answerBoth(actions(), "triage: {label: x}\n", "sla: {mode: sometimes}\n");

        assertThat(policies()).isEmpty();
    }

    static Stream<Arguments> pushesThatReadNothing() {
        return Stream.of(
                Arguments.of("to another branch", push(REPO, "feature", "main", PATH)),
                Arguments.of("not changing the file", push(REPO, "main", "main", "README.md")),
                Arguments.of(
                        "changing a file of the same name elsewhere",
                        push(REPO, "main", "main", "docs/.github/repostream.yml")));
    }

    @ParameterizedTest(name = "a push {0}")
    @MethodSource("pushesThatReadNothing")
    void readsNothingForAPushThatDoesNotChangeTheFileOnTheDefaultBranch(
            String why, GitHubEvent push) throws Exception {
        harness.processElement(push, T0.toEpochMilli());

        assertThat(actions()).isEmpty();
    }

    @Test
    void readsTheFilesOfEveryRepositoryInstalledOnTheirDefaultBranches() throws Exception {
        harness.processElement(
                installation("created", "repositories", "Octo/Widgets", "octo/gadgets"),
                T0.toEpochMilli());

        List<ActionRecord> reads = actions();
        assertThat(reads)
                .extracting(ActionRecord::repo)
                .containsExactly("octo/widgets", "octo/.github", "octo/gadgets", "octo/.github");
        assertThat(reads)
                .extracting(ActionRecord::typedTarget)
                .containsOnly(TypedTarget.ref("refs/heads/HEAD"));

        answerBoth(reads.subList(2, 4), "triage: {label: gadgets}\n", null);
        answerBoth(reads.subList(0, 2), "triage: {label: widgets}\n", null);

        assertThat(policies())
                .extracting(RepoPolicy::repo, p -> p.triage().label())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("octo/gadgets", "gadgets"),
                        org.assertj.core.groups.Tuple.tuple("octo/widgets", "widgets"));
        assertNothingWaitsFor(reads.toArray(ActionRecord[]::new));
    }

    @Test
    void readsAgainTheFilesOfTheOwnersRepositoriesWhenItsDefaultsChange() throws Exception {
        harness.processElement(
                installation("added", "repositories_added", "octo/widgets"), T0.toEpochMilli());
        // an installation_repositories event's action is "added"
        List<ActionRecord> first = actions();
        answerBoth(first, "triage: {label: widgets}\n", null);
        policies();

        harness.processElement(
                push("octo/.github", "main", "main", PATH), T0.plusSeconds(60).toEpochMilli());

        assertThat(actions())
                .extracting(ActionRecord::repo)
                .containsExactly("octo/widgets", "octo/.github", "octo/.github", "octo/.github");
    }

    @Test
    void checksAPullRequestThatChangesTheFileWithAnAnnotationAtEachErrorsLine() throws Exception {
        String head = "b".repeat(40);
        harness.processElement(pull(REPO, 7, head, "main"), T0.toEpochMilli());
        List<ActionRecord> reads = actions();
        assertThat(reads).hasSize(2);
        assertThat(reads.get(0).params().path("ref").asText()).isEqualTo(head);
        assertThat(reads.get(1).typedTarget()).isEqualTo(TypedTarget.ref("refs/heads/main"));

        Instant at = T0.plusSeconds(1);
        harness.processElement(
                answer(
                        reads.get(0),
                        at,
                        200,
                        "policy_version: 2\ntriage:\n  label: x\nsla:\n  mode: sometimes\n"),
                at.toEpochMilli());
        harness.processElement(answer(reads.get(1), at, 200, "triage: {}\n"), at.toEpochMilli());

        List<ActionRecord> checks = actions();
        assertThat(checks).hasSize(1);
        ActionRecord check = checks.get(0);
        assertThat(check.type()).isEqualTo(ActionType.CREATE_CHECK_RUN);
        assertThat(check.typedTarget()).isEqualTo(TypedTarget.commit(head));
        assertThat(check.params().path("name").asText()).isEqualTo("repostream/config");
        assertThat(check.params().path("conclusion").asText()).isEqualTo("failure");
        assertThat(check.params().path("pull_number").asLong()).isEqualTo(7);
        var annotation = check.params().path("annotations").get(0);
        assertThat(annotation.path("path").asText()).isEqualTo(PATH);
        assertThat(annotation.path("start_line").asInt()).isEqualTo(5);
        assertThat(annotation.path("annotation_level").asText()).isEqualTo("failure");
        assertThat(annotation.path("message").asText()).contains("mode");
        assertThat(policies()).isEmpty();
    }

    @Test
    void passesAPullRequestWithAValidFileAndSaysWhatTheCeilingsWouldCut() throws Exception {
        String head = "c".repeat(40);
        harness.processElement(pull(REPO, 8, head, "main"), T0.toEpochMilli());
        List<ActionRecord> reads = actions();

        Instant at = T0.plusSeconds(1);
        harness.processElement(
                answer(reads.get(0), at, 200, "action_budget_per_hour: 900\n"), at.toEpochMilli());
        harness.processElement(answer(reads.get(1), at, 404, null), at.toEpochMilli());

        ActionRecord check = actions().get(0);
        assertThat(check.params().path("conclusion").asText()).isEqualTo("success");
        assertThat(check.params().path("summary").asText()).contains("lowered to the ceiling 100");
        assertThat(check.params().has("annotations")).isFalse();
    }

    @Test
    void leavesAPullRequestThatDoesNotChangeTheFileUnchecked() throws Exception {
        harness.processElement(pull(REPO, 9, "d".repeat(40), "main"), T0.toEpochMilli());
        List<ActionRecord> reads = actions();

        Instant at = T0.plusSeconds(1);
        harness.processElement(answer(reads.get(0), at, 200, "triage: {}\n"), at.toEpochMilli());
        harness.processElement(answer(reads.get(1), at, 200, "triage: {}\n"), at.toEpochMilli());

        assertThat(actions()).isEmpty();
        assertNothingWaitsFor(reads.toArray(ActionRecord[]::new));
    }

    // ------------------------------------------------------------------ helpers

    static GitHubEvent pull(String repo, long number, String head, String base) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("action", "synchronize");
        ObjectNode pr = p.putObject("pull_request");
        pr.put("number", number).put("state", "open");
        pr.putObject("head").put("sha", head).put("ref", "feature");
        pr.putObject("base").put("ref", base);
        p.putObject("repository").put("full_name", repo).put("default_branch", base);
        return new GitHubEvent(
                "pull-" + number + "-" + head,
                EventSource.WEBHOOK,
                "pull_request",
                "synchronize",
                repo,
                null,
                42L,
                T0,
                T0,
                p);
    }

    private void answerBoth(List<ActionRecord> reads, String own, String defaults)
            throws Exception {
        Instant at = T0.plusSeconds(2);
        harness.processElement(answer(reads.get(0), at, 200, own), at.toEpochMilli());
        harness.processElement(
                answer(reads.get(1), at, defaults == null ? 404 : 200, defaults),
                at.toEpochMilli());
    }

    private List<ActionRecord> actions() {
        List<ActionRecord> out = new ArrayList<>(harness.extractOutputValues());
        harness.getOutput().clear();
        return out;
    }

    private List<RepoPolicy> policies() {
        List<RepoPolicy> out = new ArrayList<>();
        var records = harness.getSideOutput(RepoConfigFunction.POLICIES);
        if (records != null) {
            for (StreamRecord<RepoPolicy> r = records.poll(); r != null; r = records.poll()) {
                out.add(r.getValue());
            }
        }
        return out;
    }

    /** Answered again, the reads make nothing: nothing of them is left in state. */
    private void assertNothingWaitsFor(ActionRecord... reads) throws Exception {
        Instant later = T0.plusSeconds(3600);
        for (ActionRecord read : reads) {
            harness.processElement(
                    answer(read, later, 200, "triage: {label: again}\n"), later.toEpochMilli());
        }
        assertThat(policies()).isEmpty();
        assertThat(actions()).isEmpty();
    }

    static GitHubEvent push(String repo, String branch, String defaultBranch, String... files) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("ref", "refs/heads/" + branch);
        p.put("after", "a".repeat(40));
        p.putObject("repository").put("full_name", repo).put("default_branch", defaultBranch);
        ArrayNode modified = p.putArray("commits").addObject().putArray("modified");
        for (String f : files) {
            modified.add(f);
        }
        return new GitHubEvent(
                "push-" + repo + "-" + branch + "-" + String.join(",", files),
                EventSource.WEBHOOK,
                "push",
                null,
                repo,
                null,
                42L,
                T0,
                T0,
                p);
    }

    static GitHubEvent installation(String action, String field, String... repos) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("action", action);
        p.putObject("installation").put("id", 42).putObject("account").put("login", "Octo");
        ArrayNode list = p.putArray(field);
        for (String r : repos) {
            list.addObject().put("full_name", r).put("name", r.substring(r.indexOf('/') + 1));
        }
        return new GitHubEvent(
                "installation-" + action,
                EventSource.WEBHOOK,
                field.equals("repositories") ? "installation" : "installation_repositories",
                action,
                null,
                "octo",
                42L,
                T0,
                T0,
                p);
    }

    /** The answer to {@code read} as the executor writes it (reads/EnrichmentWriter). */
    static GitHubEvent answer(ActionRecord read, Instant at, int status, String text) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.putObject("issue").put("number", read.target());
        ObjectNode e = payload.putObject("enrichment");
        e.put("read", read.type().wireName());
        e.put("action_id", read.actionId());
        e.put("requested_by", read.producedBy());
        e.set("params", read.params());
        String outcome = status == 200 ? "read" : "failed";
        e.put("outcome", outcome);
        e.put("status", status);
        e.put("from_cache", false);
        if (status == 200) {
            ObjectNode result = e.putObject("result");
            result.put("type", "file");
            result.put("path", read.params().path("path").asText());
            result.put("encoding", "base64");
            result.put(
                    "content",
                    Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
            result.put("text", text);
            // the blob's SHA: the same text, the same blob
            result.put("sha", String.format("%040x", text.hashCode() & 0xffffffffL));
        } else {
            e.put("error", status == 404 ? "Not Found" : "Resource not accessible by integration");
        }
        return new GitHubEvent(
                "enrichment:" + read.actionId(),
                EventSource.ENRICHMENT,
                read.type().wireName(),
                outcome,
                read.repo(),
                null,
                read.installationId(),
                at,
                at,
                payload);
    }
}
