package io.repostream.ml.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.ml.SyntheticBuilds;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** No feature may depend on an outcome that was not known when the build started. */
class LeakageTest {
    /** Columns of the export that carry the outcome, flipped together with it. */
    private static final List<String> OUTCOME_COLUMNS =
            List.of(
                    "tr_status",
                    "tr_log_status",
                    "tr_log_bool_tests_failed",
                    "tr_log_num_tests_failed",
                    "gh_num_issue_comments");

    @Test
    void noBuildsFeaturesChangeWhenItsOwnOrAStillUnknownOutcomeFlips() throws IOException {
        CsvTable original =
                CsvTable.parse("builds.csv", new StringReader(SyntheticBuilds.csv(300, 11)));
        BuildTable before = load(original);
        int laterBuildsThatChanged = 0;
        for (int k = 0; k < before.size(); k += 23) {
            LabeledBuild flipped = before.builds().get(k);
            BuildTable after = load(flipOutcome(original, buildIdOf(original, flipped)));
            assertThat(after.size()).isEqualTo(before.size());
            for (int j = 0; j < before.size(); j++) {
                LabeledBuild b = before.builds().get(j);
                LabeledBuild a = after.builds().get(j);
                assertThat(a.ref()).isEqualTo(b.ref());
                if (!b.startedAt().isAfter(flipped.outcomeKnownAt())) {
                    // started before the flipped outcome was known, or is the flipped build
                    assertThat(a.features())
                            .as("features of %s after flipping %s", b.ref(), flipped.ref())
                            .isEqualTo(b.features());
                } else if (!Arrays.equals(a.features(), b.features())) {
                    laterBuildsThatChanged++;
                }
            }
        }
        // the history features do use earlier outcomes: otherwise this test would prove nothing
        assertThat(laterBuildsThatChanged).isPositive();
    }

    @Test
    void travisTorrentFeaturesUseNoOutcomeDerivedColumn() throws IOException {
        BuildTable table =
                load(CsvTable.parse("builds.csv", new StringReader(SyntheticBuilds.csv(50, 1))));
        for (String name : table.featureNames()) {
            assertThat(name).doesNotStartWith("tr_");
            assertThat(TravisTorrent.EXCLUDED_COLUMNS).doesNotContain(name);
        }
        assertThat(TravisTorrent.FEATURE_COLUMNS)
                .doesNotContainAnyElementsOf(TravisTorrent.EXCLUDED_COLUMNS);
        assertThat(TravisTorrent.MORE_PRE_BUILD_COLUMNS)
                .doesNotContainAnyElementsOf(TravisTorrent.EXCLUDED_COLUMNS);
    }

    @Test
    void previousOutcomeIsTheLatestOutcomeOfTheSameBranchKnownBeforeTheBuildStarted()
            throws IOException {
        String csv =
                "started,secs,project,branch,status\n"
                        + "2020-01-01T10:00:00,600,p,main,failed\n" // A: known at 10:10
                        + "2020-01-01T10:05:00,600,p,main,passed\n" // B: A still running
                        + "2020-01-01T10:06:00,60,p,dev,passed\n" // C: other branch
                        + "2020-01-01T10:20:00,600,p,main,passed\n" // D: sees A and B, B latest
                        + "2020-01-01T10:21:00,600,p,dev,failed\n"; // E: sees C
        CsvOptions options =
                CsvOptions.of("status", "started")
                        .withDuration("secs")
                        .withHistory(Map.of("branch", List.of("project", "branch")));
        BuildTable table =
                BuildHistory.withHistoryFeatures(
                        new CsvBuildLoader(options)
                                .load(CsvTable.parse("b.csv", new StringReader(csv)))
                                .table());
        int prev = table.featureIndex("branch_prev_failed");
        int rate = table.featureIndex("branch_fail_rate_5");
        int since = table.featureIndex("branch_log_hours_since_prev");
        List<Double> prevFailed = new ArrayList<>();
        for (LabeledBuild b : table.builds()) {
            prevFailed.add(b.feature(prev));
        }
        assertThat(prevFailed).containsExactly(Double.NaN, Double.NaN, Double.NaN, 0.0, 0.0);
        assertThat(table.builds().get(3).feature(rate)).isEqualTo(0.5);
        // D started 15 minutes after B, the previous build of main, whatever their outcomes
        assertThat(table.builds().get(3).feature(since)).isEqualTo(Math.log1p(0.25));
        assertThat(BuildHistory.previousFailed(table.builds(), 0))
                .containsExactly(Double.NaN, Double.NaN, Double.NaN, 0.0, 0.0);
    }

    private static BuildTable load(CsvTable csv) {
        return BuildHistory.withHistoryFeatures(
                new CsvBuildLoader(TravisTorrent.options()).load(csv).table());
    }

    private static String buildIdOf(CsvTable csv, LabeledBuild build) {
        int id = csv.column("tr_build_id");
        for (CsvTable.Row row : csv.rows()) {
            if (build.ref().equals(csv.file() + " line " + row.line())) {
                return row.cells()[id];
            }
        }
        throw new AssertionError("no row for " + build.ref());
    }

    /** The same file with one build's outcome (and every column derived from it) flipped. */
    private static CsvTable flipOutcome(CsvTable csv, String buildId) throws IOException {
        int id = csv.column("tr_build_id");
        StringBuilder out = new StringBuilder(String.join(",", csv.header())).append('\n');
        for (CsvTable.Row row : csv.rows()) {
            String[] cells = row.cells().clone();
            if (cells[id].equals(buildId)) {
                boolean failed = !cells[csv.column("tr_status")].equals("passed");
                cells[csv.column("tr_status")] = failed ? "passed" : "failed";
                cells[csv.column("tr_log_status")] = failed ? "ok" : "broken";
                cells[csv.column("tr_log_bool_tests_failed")] = Boolean.toString(!failed);
                cells[csv.column("tr_log_num_tests_failed")] = failed ? "0" : "3";
                cells[csv.column("gh_num_issue_comments")] = failed ? "0" : "4";
            }
            List<String> quoted = new ArrayList<>();
            for (String c : cells) {
                quoted.add(
                        c.contains(",") || c.contains("\"")
                                ? "\"" + c.replace("\"", "\"\"") + "\""
                                : c);
            }
            out.append(String.join(",", quoted)).append('\n');
        }
        assertThat(OUTCOME_COLUMNS).allMatch(csv::hasColumn);
        return CsvTable.parse(csv.file(), new StringReader(out.toString()));
    }
}
