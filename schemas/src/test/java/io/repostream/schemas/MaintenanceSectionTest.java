package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.schemas.Maintenance.Cadence;
import io.repostream.schemas.Maintenance.FixedWindow;
import io.repostream.schemas.json.Json;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A section given as {@code maintenance: {}} learns a daily window in UTC with the design's weights
 * and enables no task (whether it is on: {@link CommandsSectionTest}); a fixed window is a local
 * time on a whole hour, with a day or not.
 */
class MaintenanceSectionTest {
    private static Maintenance read(String section) throws Exception {
        return Json.mapper()
                .readValue("{\"repo\":\"o/r\",\"maintenance\":" + section + "}", RepoPolicy.class)
                .maintenance();
    }

    @Test
    void anEmptySectionLearnsADailyWindowAndEnablesNoTask() throws Exception {
        Maintenance m = read("{}");

        assertThat(m.timeZone()).isEqualTo("UTC");
        assertThat(m.cadence()).isEqualTo(Cadence.DAILY);
        assertThat(m.fixedWindow()).isNull();
        assertThat(m.halfLife()).isEqualTo(Duration.ofDays(28));
        assertThat(m.weights().activePeople()).isEqualTo(0.4);
        assertThat(m.weights().workflowRuns()).isEqualTo(0.3);
        assertThat(m.weights().prMerges()).isEqualTo(0.2);
        assertThat(m.weights().issueActivity()).isEqualTo(0.1);
        assertThat(m.deleteMergedBranches().enabled()).isFalse();
        assertThat(m.deleteMergedBranches().after()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void aFixedWeeklyWindowNamesItsDay() throws Exception {
        Maintenance m = read("{\"cadence\":\"weekly\",\"window\":\"Sunday 03:00\"}");

        assertThat(m.fixedWindow())
                .isEqualTo(new FixedWindow(DayOfWeek.SUNDAY, LocalTime.of(3, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "unknown zone | {\"time_zone\": \"Mars/Olympus\"} | maintenance.time_zone",
                "not on a whole hour | {\"window\": \"03:30\"} | whole hour",
                "not a day | {\"cadence\": \"weekly\", \"window\": \"someday 03:00\"} | day of the"
                        + " week",
                "all weights 0 | {\"weights\": {\"active_people\": 0, \"workflow_runs\": 0,"
                        + " \"pr_merges\": 0, \"issue_activity\": 0}} | at least one weight",
                "no deletions per window | {\"delete_merged_branches\": {\"max_per_window\": 0}} |"
                        + " max_per_window",
            })
    void refusesSettingsItCannotFollow(String name, String section, String message) {
        assertThatThrownBy(() -> read(section)).hasMessageContaining(message);
    }
}
