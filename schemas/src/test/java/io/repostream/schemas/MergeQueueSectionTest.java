package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.schemas.MergeQueue.Branch;
import io.repostream.schemas.MergeQueue.Coverage;
import io.repostream.schemas.MergeQueue.MergeMethod;
import io.repostream.schemas.RepoPolicy.Mode;
import io.repostream.schemas.json.Json;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The merge rules came after sections: {@code merge_queue:} turns them on in either form of a
 * policy and its absence leaves them off in both; each base branch's settings have the documented
 * defaults and refuse what cannot work.
 */
class MergeQueueSectionTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "no policy | | off",
                "flat policy, as before sections | {\"repo\":\"o/r\",\"triage_label\":\"t\"} | off",
                "sectioned, no merge_queue | {\"repo\":\"o/r\",\"policy_version\":2,\"ci\":{}} | off",
                "flat policy with merge_queue | {\"repo\":\"o/r\",\"merge_queue\":{}} | on",
                "sectioned with merge_queue | {\"repo\":\"o/r\",\"policy_version\":2,\"merge_queue\":{}} | on",
                "merge_queue in shadow | {\"repo\":\"o/r\",\"merge_queue\":{\"mode\":\"shadow\"}} | shadow",
                "merge_queue off | {\"repo\":\"o/r\",\"merge_queue\":{\"mode\":\"off\"}} | off",
            })
    void theMergeQueueSectionDecides(String name, String json, String mode) throws Exception {
        RepoPolicy policy =
                json == null
                        ? RepoPolicy.defaults("o/r")
                        : Json.mapper().readValue(json, RepoPolicy.class);
        assertThat(policy.mode("merge_queue")).isEqualTo(Mode.of(mode));
        RepoPolicy again =
                Json.mapper().readValue(Json.mapper().writeValueAsString(policy), RepoPolicy.class);
        assertThat(again).isEqualTo(policy);
    }

    @Test
    void aBranchLeftAtItsDefaultsNeedsOneApprovalTheAutomergeLabelAndNoHold() throws Exception {
        RepoPolicy policy =
                Json.mapper()
                        .readValue(
                                "{\"repo\":\"o/r\",\"policy_version\":2,"
                                        + "\"merge_queue\":{\"branches\":[{\"pattern\":\"main\"}]}}",
                                RepoPolicy.class);

        Branch main = policy.mergeQueue().branches().get(0);
        assertThat(main).isEqualTo(Branch.of("main"));
        assertThat(main.requiredChecks()).isEmpty();
        assertThat(main.minApprovals()).isEqualTo(1);
        assertThat(main.label()).isEqualTo("automerge");
        assertThat(main.blockingLabels()).containsExactly("do-not-merge/*", "hold");
        assertThat(main.coverage()).isNull();
        assertThat(main.maxChangedLines()).isNull();
        assertThat(main.mergeMethod()).isEqualTo(MergeMethod.MERGE);
    }

    @Test
    void everySettingOfABranchIsReadAndWrittenBack() throws Exception {
        String json =
                """
                {"repo": "o/r", "policy_version": 2, "merge_queue": {"mode": "shadow", "branches": [
                  {"pattern": "release/*", "required_checks": ["build", "lint"], "min_approvals": 2,
                   "label": "ship-it", "blocking_labels": ["wip"],
                   "coverage": {"check": "codecov/project", "threshold": 90.5},
                   "max_changed_lines": 400, "merge_method": "squash"}]}}
                """;
        RepoPolicy policy = Json.mapper().readValue(json, RepoPolicy.class);

        assertThat(policy.mergeQueue())
                .isEqualTo(
                        new MergeQueue(
                                Mode.SHADOW,
                                List.of(
                                        Branch.builder("release/*")
                                                .requiredChecks("build", "lint")
                                                .minApprovals(2)
                                                .label("ship-it")
                                                .blockingLabels("wip")
                                                .coverage(new Coverage("codecov/project", 90.5))
                                                .maxChangedLines(400)
                                                .mergeMethod(MergeMethod.SQUASH)
                                                .build())));
        assertThat(
                        Json.mapper()
                                .readValue(
                                        Json.mapper().writeValueAsString(policy), RepoPolicy.class))
                .isEqualTo(policy);
        assertThat(new Coverage("c", null).threshold()).isEqualTo(80.0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "no pattern | {\"min_approvals\":1} | pattern",
                "negative approvals | {\"pattern\":\"main\",\"min_approvals\":-1} | min_approvals",
                "blank label | {\"pattern\":\"main\",\"label\":\" \"} | label",
                "zero size limit | {\"pattern\":\"main\",\"max_changed_lines\":0} | max_changed_lines",
                "coverage without check | {\"pattern\":\"main\",\"coverage\":{\"threshold\":70}} | coverage.check",
                "coverage above 100 | {\"pattern\":\"main\",\"coverage\":{\"check\":\"c\",\"threshold\":101}} | threshold",
                "unknown merge method | {\"pattern\":\"main\",\"merge_method\":\"octopus\"} | octopus",
                "zero batch size | {\"pattern\":\"main\",\"batch_size\":0} | batch_size",
                "zero ci budget | {\"pattern\":\"main\",\"ci_budget\":0} | ci_budget",
                "zero check timeout | {\"pattern\":\"main\",\"check_timeout\":\"PT0S\"} | check_timeout",
                "unknown time zone | {\"pattern\":\"main\",\"time_zone\":\"Mars/Olympus\"} | time_zone",
                "window ending first | {\"pattern\":\"main\",\"windows\":[{\"from\":\"17:00\",\"to\":\"09:00\"}]} | windows",
                "freeze ending first | {\"pattern\":\"main\",\"freezes\":[{\"from\":\"2026-12-24T00:00:00Z\",\"until\":\"2026-12-20T00:00:00Z\"}]} | freezes",
                "blank priority label | {\"pattern\":\"main\",\"priority_label\":\" \"} | priority_label",
                "a queue without a required check | {\"pattern\":\"main\",\"queue\":true} | required check",
            })
    void aBranchThatCannotWorkIsRefusedWithTheFieldNamed(String name, String branch, String field) {
        String json = "{\"repo\":\"o/r\",\"merge_queue\":{\"branches\":[" + branch + "]}}";
        assertThatThrownBy(() -> Json.mapper().readValue(json, RepoPolicy.class))
                .hasMessageContaining(field);
    }

    @Test
    void theQueueSettingsOfABranchHaveTheirDefaultsAndAreReadAndWrittenBack() throws Exception {
        Branch defaults = Branch.of("main");
        assertThat(defaults.batchSize()).isEqualTo(8);
        assertThat(defaults.ciBudget()).isEqualTo(4);
        assertThat(defaults.checkTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.timeZone()).isEqualTo("UTC");
        assertThat(defaults.windows()).isEmpty();
        assertThat(defaults.freezes()).isEmpty();
        assertThat(defaults.priorityLabel()).isEqualTo("merge/priority");
        assertThat(defaults.flakeReruns()).isTrue();
        assertThat(defaults.queue()).isFalse();

        String json =
                """
                {"repo": "o/r", "merge_queue": {"branches": [
                  {"pattern": "main", "required_checks": ["build"], "batch_size": 5, "ci_budget": 2,
                   "check_timeout": "45m", "time_zone": "Europe/Berlin",
                   "windows": [{"days": ["MONDAY", "TUESDAY"], "from": "09:00", "to": "17:30"}],
                   "freezes": [{"from": "2026-12-20T00:00:00Z", "until": "2027-01-04T00:00:00Z",
                                "reason": "holidays"}],
                   "priority_label": "hotfix", "flake_reruns": false, "queue": true}]}}
                """;
        RepoPolicy policy = Json.mapper().readValue(json, RepoPolicy.class);

        assertThat(policy.mergeQueue().branches().get(0))
                .isEqualTo(
                        Branch.builder("main")
                                .requiredChecks("build")
                                .batchSize(5)
                                .ciBudget(2)
                                .checkTimeout(Duration.ofMinutes(45))
                                .timeZone("Europe/Berlin")
                                .windows(
                                        new MergeQueue.Window(
                                                List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY),
                                                LocalTime.of(9, 0),
                                                LocalTime.of(17, 30)))
                                .freezes(
                                        new MergeQueue.Freeze(
                                                Instant.parse("2026-12-20T00:00:00Z"),
                                                Instant.parse("2027-01-04T00:00:00Z"),
                                                "holidays"))
                                .priorityLabel("hotfix")
                                .flakeReruns(false)
                                .queue(true)
                                .build());
        assertThat(
                        Json.mapper()
                                .readValue(
                                        Json.mapper().writeValueAsString(policy), RepoPolicy.class))
                .isEqualTo(policy);
    }

    @Test
    void aPatternGivenTwiceIsRefused() {
        assertThatThrownBy(() -> MergeQueue.on(Branch.of("main"), Branch.of("main")))
                .hasMessageContaining("'main' is given twice");
    }
}
