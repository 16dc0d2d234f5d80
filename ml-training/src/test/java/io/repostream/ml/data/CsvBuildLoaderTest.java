package io.repostream.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.ml.SyntheticBuilds;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvBuildLoaderTest {
    @TempDir Path dir;

    private static CsvTable table(String text) throws IOException {
        return CsvTable.parse("builds.csv", new StringReader(text));
    }

    @Test
    void readsQuotedFieldsWithCommasQuotesAndLineBreaks() throws IOException {
        CsvTable t = table("a,b,c\r\n1,\"x, \"\"y\"\"\nz\",3\n4,,6\n");
        assertThat(t.rows()).hasSize(2);
        assertThat(t.rows().get(0).cells()).containsExactly("1", "x, \"y\"\nz", "3");
        assertThat(t.rows().get(1).line()).isEqualTo(4);
        assertThat(t.rows().get(1).cells()).containsExactly("4", "", "6");
    }

    @Test
    void namesFileLineAndColumnWhenARowHasTooFewFields() {
        assertThatThrownBy(() -> table("a,b,c\n1,2,3\n4,5\n"))
                .isInstanceOfSatisfying(
                        DataFormatException.class,
                        e -> {
                            assertThat(e.file()).isEqualTo("builds.csv");
                            assertThat(e.line()).isEqualTo(3);
                            assertThat(e.column()).isEqualTo("c");
                        })
                .hasMessageContaining("builds.csv line 3, column c")
                .hasMessageContaining("expected 3 fields");
    }

    @Test
    void reportsAQuoteThatIsNeverClosedAtTheLineWhereItOpens() {
        assertThatThrownBy(() -> table("a,b\n1,2\n3,\"oops\n4,5\n"))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("builds.csv line 3, column #2")
                .hasMessageContaining("never closed");
    }

    @Test
    void namesFileLineAndColumnOfAnUnknownLabel() throws IOException {
        String csv =
                "started,churn,status\n2020-01-01T00:00:00,1,passed\n2020-01-02T00:00:00,2,canceled\n";
        CsvBuildLoader loader = new CsvBuildLoader(CsvOptions.of("status", "started"));
        assertThatThrownBy(() -> loader.load(table(csv)))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("builds.csv line 3, column status")
                .hasMessageContaining("'canceled'");
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> binaryLabels() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("1", "0"),
                org.junit.jupiter.params.provider.Arguments.of("true", "false"),
                org.junit.jupiter.params.provider.Arguments.of("TRUE", "FALSE"));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}/{1}")
    @org.junit.jupiter.params.provider.MethodSource("binaryLabels")
    void refusesABinaryLabelUnlessTheSuccessAndFailureValuesAreGiven(String one, String zero)
            throws IOException {
        String csv =
                "started,churn,failed\n2020-01-01T00:00:00,1,"
                        + zero
                        + "\n"
                        + "2020-01-02T00:00:00,2,"
                        + one
                        + "\n";
        assertThatThrownBy(
                        () ->
                                new CsvBuildLoader(CsvOptions.of("failed", "started"))
                                        .load(table(csv)))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("builds.csv line 2, column failed")
                .hasMessageContaining(
                        "--success-values "
                                + one.toLowerCase(java.util.Locale.ROOT)
                                + " --failure-values "
                                + zero.toLowerCase(java.util.Locale.ROOT))
                .hasMessageContaining(
                        "--success-values "
                                + zero.toLowerCase(java.util.Locale.ROOT)
                                + " --failure-values "
                                + one.toLowerCase(java.util.Locale.ROOT));

        CsvBuildLoader.Result given =
                new CsvBuildLoader(
                                CsvOptions.of("failed", "started")
                                        .withLabelValues(
                                                java.util.Set.of(zero),
                                                java.util.Set.of(one),
                                                false))
                        .load(table(csv));
        assertThat(given.table().builds())
                .extracting(LabeledBuild::success)
                .containsExactly(true, false);
    }

    @Test
    void skipsAndCountsUnknownLabelsOnlyWhenAskedTo() throws IOException {
        String csv =
                "started,churn,status\n2020-01-01T00:00:00,1,passed\n2020-01-02T00:00:00,2,canceled\n";
        CsvOptions options =
                CsvOptions.of("status", "started")
                        .withLabelValues(
                                CsvOptions.DEFAULT_SUCCESS_VALUES,
                                CsvOptions.DEFAULT_FAILURE_VALUES,
                                true);
        CsvBuildLoader.Result r = new CsvBuildLoader(options).load(table(csv));
        assertThat(r.table().size()).isEqualTo(1);
        assertThat(r.skippedUnknownLabels()).isEqualTo(1);
    }

    @Test
    void namesFileLineAndColumnOfANonNumericFeature() throws IOException {
        String csv =
                "started,churn,status\n2020-01-01T00:00:00,1,passed\n2020-01-02T00:00:00,lots,failed\n";
        CsvBuildLoader loader =
                new CsvBuildLoader(
                        CsvOptions.of("status", "started").withFeatureColumns(List.of("churn")));
        assertThatThrownBy(() -> loader.load(table(csv)))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("builds.csv line 3, column churn")
                .hasMessageContaining("'lots' is not a number");
    }

    @Test
    void namesFileLineAndColumnOfABadTimestamp() throws IOException {
        String csv = "started,churn,status\n2020-01-01T00:00:00,1,passed\nyesterday,2,failed\n";
        CsvBuildLoader loader = new CsvBuildLoader(CsvOptions.of("status", "started"));
        assertThatThrownBy(() -> loader.load(table(csv)))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("builds.csv line 3, column started")
                .hasMessageContaining("'yesterday' is not a timestamp");
    }

    @Test
    void namesTheFileAndItsColumnsWhenAColumnIsMissing() throws IOException {
        String csv = "started,churn,status\n2020-01-01T00:00:00,1,passed\n";
        CsvBuildLoader loader = new CsvBuildLoader(CsvOptions.of("outcome", "started"));
        assertThatThrownBy(() -> loader.load(table(csv)))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("builds.csv line 1, column outcome")
                .hasMessageContaining("[started, churn, status]");
    }

    @Test
    void refusesTheLabelAsAFeature() throws IOException {
        String csv = "started,churn,status\n2020-01-01T00:00:00,1,passed\n";
        CsvBuildLoader loader =
                new CsvBuildLoader(
                        CsvOptions.of("status", "started")
                                .withFeatureColumns(List.of("churn", "status")));
        assertThatThrownBy(() -> loader.load(table(csv)))
                .hasMessageContaining("status cannot be a feature");
    }

    @Test
    void usesNumericAndTrueFalseColumnsAndIgnoresTextColumns() throws IOException {
        String csv =
                "started,author,is_pr,churn,status\n"
                        + "2020-01-02T00:00:00Z,ann,true,10,failed\n"
                        + "2020-01-01T00:00:00Z,bob,false,,passed\n";
        CsvBuildLoader.Result r =
                new CsvBuildLoader(CsvOptions.of("status", "started")).load(table(csv));
        assertThat(r.table().featureNames()).containsExactly("is_pr", "churn");
        assertThat(r.ignoredColumns()).containsExactly("started", "author", "status");
        // rows come out in time order, whatever the file order
        LabeledBuild first = r.table().builds().get(0);
        assertThat(first.startedAt()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        assertThat(first.success()).isTrue();
        assertThat(first.features()[0]).isEqualTo(0.0);
        assertThat(first.features()[1]).isNaN();
        assertThat(r.table().builds().get(1).features()).containsExactly(1.0, 10.0);
    }

    @Test
    void mergesTheJobRowsOfOneBuildIntoOneBuild() throws IOException {
        Path csv = dir.resolve("travis.csv");
        Files.writeString(csv, SyntheticBuilds.csv(200, 3));
        CsvBuildLoader.Result r = new CsvBuildLoader(TravisTorrent.options()).load(csv);
        assertThat(r.table().size()).isEqualTo(200);
        assertThat(r.rowsRead()).isEqualTo(200 + r.duplicateRowsMerged());
        assertThat(r.duplicateRowsMerged()).isPositive();
    }

    @Test
    void refusesJobRowsOfOneBuildWithDifferentOutcomes() throws IOException {
        String csv =
                "id,started,churn,status\n"
                        + "7,2020-01-01T00:00:00,1,passed\n"
                        + "7,2020-01-01T00:00:00,1,failed\n";
        CsvBuildLoader loader =
                new CsvBuildLoader(CsvOptions.of("status", "started").withDedupe("id"));
        assertThatThrownBy(() -> loader.load(table(csv)))
                .hasMessageContaining("builds.csv line 3, column id")
                .hasMessageContaining("builds.csv line 2");
    }

    @Test
    void oneHotEncodesCategoricalColumnsBySortedValue() throws IOException {
        String csv =
                "started,kind,status\n"
                        + "2020-01-01T00:00:00,push,passed\n"
                        + "2020-01-02T00:00:00,merge,failed\n";
        CsvBuildLoader.Result r =
                new CsvBuildLoader(
                                CsvOptions.of("status", "started")
                                        .withOneHot(List.of("kind"))
                                        .withHistory(Map.of()))
                        .load(table(csv));
        assertThat(r.table().featureNames()).containsExactly("kind=merge", "kind=push");
        assertThat(r.table().builds().get(0).features()).containsExactly(0.0, 1.0);
    }

    @Test
    void withoutATimestampColumnTakesRowsInFileOrderAndEachEarlierOutcomeAsKnown()
            throws IOException {
        String csv = "project,churn,status\na,5,passed\nb,1,failed\na,3,failed\na,2,passed\n";
        CsvOptions options =
                CsvOptions.of("status", null).withHistory(Map.of("p", List.of("project")));
        BuildTable t =
                BuildHistory.withHistoryFeatures(
                        new CsvBuildLoader(options).load(table(csv)).table());

        assertThat(t.timed()).isFalse();
        assertThat(t.builds())
                .extracting(LabeledBuild::ref)
                .containsExactly(
                        "builds.csv line 2",
                        "builds.csv line 3",
                        "builds.csv line 4",
                        "builds.csv line 5");
        assertThat(t.builds()).allSatisfy(b -> assertThat(b.startedAt()).isNull());
        // no time, so no "hours since the previous build" feature
        assertThat(t.featureNames())
                .containsExactly("churn", "p_prev_failed", "p_fail_rate_5", "p_fail_rate_20");
        int prev = t.featureIndex("p_prev_failed");
        assertThat(t.builds().get(0).feature(prev)).isNaN();
        assertThat(t.builds().get(2).feature(prev)).as("project a's line 2 passed").isZero();
        assertThat(t.builds().get(3).feature(prev)).as("project a's line 4 failed").isEqualTo(1);
        assertThat(t.builds().get(3).feature(t.featureIndex("p_fail_rate_5"))).isEqualTo(0.5);
    }

    @Test
    void refusesTimeBasedColumnsWithoutATimestampColumn() {
        String csv = "churn,created,secs,status\n5,2020-01-01T00:00:00,10,passed\n";
        assertThatThrownBy(
                        () ->
                                new CsvBuildLoader(
                                                CsvOptions.of("status", null).withDuration("secs"))
                                        .load(table(csv)))
                .hasMessageContaining("--duration-column needs --timestamp-column");
        assertThatThrownBy(
                        () ->
                                new CsvBuildLoader(
                                                CsvOptions.of("status", null)
                                                        .withAgeColumns(List.of("created")))
                                        .load(table(csv)))
                .hasMessageContaining("--age-columns needs --timestamp-column");
    }
}
