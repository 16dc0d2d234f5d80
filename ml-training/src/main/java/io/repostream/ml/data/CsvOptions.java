package io.repostream.ml.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How to read a CSV of historical builds.
 *
 * @param labelColumn the outcome: a value of {@code successValues} or {@code failureValues}
 * @param timestampColumn when each build started; rows are put in this order. Null: the rows are
 *     already in time order and are taken in file order, each row's outcome counting as known to
 *     the rows after it (so no duration, age columns or hours-since-previous history feature)
 * @param durationColumn seconds until the outcome was known (null: known at start); used only to
 *     decide which earlier outcomes a later build may see, never as a feature
 * @param dedupeColumn rows with the same value here are one build (e.g. one row per job); null
 *     keeps every row
 * @param featureColumns numeric columns to use; empty means every column whose values are all
 *     numbers or true/false, minus the other roles and {@code excludeColumns}
 * @param excludeColumns columns never used as features (identifiers, outcome-derived columns)
 * @param oneHotColumns categorical columns encoded as one 0/1 feature per value seen
 * @param ageColumns timestamps before the build; each becomes {@code <col>_log_age_hours}
 * @param historyGroupings name to grouping columns for {@link BuildHistory} features (the first is
 *     also the previous-outcome baseline's grouping)
 * @param successValues label values meaning the build passed (case-insensitive); a 0/1 or
 *     true/false label column is refused unless these or {@code failureValues} name such values
 * @param failureValues label values meaning it failed (case-insensitive)
 * @param skipUnknownLabels skip (and count) rows with other label values instead of failing
 */
public record CsvOptions(
        String labelColumn,
        String timestampColumn,
        String durationColumn,
        String dedupeColumn,
        List<String> featureColumns,
        List<String> excludeColumns,
        List<String> oneHotColumns,
        List<String> ageColumns,
        Map<String, List<String>> historyGroupings,
        Set<String> successValues,
        Set<String> failureValues,
        boolean skipUnknownLabels) {

    /**
     * Words that say what they mean. 0/1 and true/false are not among them: a column {@code failed}
     * holds 1 for a failure, a column {@code passed} 1 for a success, and guessing inverts every
     * label of one of them; such a column needs the values given ({@link #BINARY_VALUES}).
     */
    public static final Set<String> DEFAULT_SUCCESS_VALUES =
            Set.of("pass", "passed", "success", "succeeded");

    public static final Set<String> DEFAULT_FAILURE_VALUES =
            Set.of("fail", "failed", "failure", "error", "errored");

    /** Label values that do not say which outcome they are. */
    public static final Set<String> BINARY_VALUES = Set.of("0", "1", "true", "false");

    public CsvOptions {
        if (labelColumn == null || labelColumn.isBlank()) {
            throw new IllegalArgumentException("a label column is required");
        }
        if (timestampColumn != null && timestampColumn.isBlank()) {
            timestampColumn = null;
        }
        featureColumns = List.copyOf(featureColumns);
        excludeColumns = List.copyOf(excludeColumns);
        oneHotColumns = List.copyOf(oneHotColumns);
        ageColumns = List.copyOf(ageColumns);
        historyGroupings =
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(historyGroupings));
        successValues = lower(successValues);
        failureValues = lower(failureValues);
        for (String v : successValues) {
            if (failureValues.contains(v)) {
                throw new IllegalArgumentException(
                        "label value '" + v + "' cannot mean both success and failure");
            }
        }
    }

    private static Set<String> lower(Set<String> values) {
        return values.stream()
                .map(v -> v.strip().toLowerCase(java.util.Locale.ROOT))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /**
     * A plain CSV: numeric columns as features, no history, default label values; {@code
     * timestampColumn} null for rows already in time order.
     */
    public static CsvOptions of(String labelColumn, String timestampColumn) {
        return new CsvOptions(
                labelColumn,
                timestampColumn,
                null,
                null,
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                Map.of(),
                DEFAULT_SUCCESS_VALUES,
                DEFAULT_FAILURE_VALUES,
                false);
    }

    public CsvOptions withHistory(Map<String, List<String>> groupings) {
        return new CsvOptions(
                labelColumn,
                timestampColumn,
                durationColumn,
                dedupeColumn,
                featureColumns,
                excludeColumns,
                oneHotColumns,
                ageColumns,
                groupings,
                successValues,
                failureValues,
                skipUnknownLabels);
    }

    public CsvOptions withFeatureColumns(List<String> columns) {
        return new CsvOptions(
                labelColumn,
                timestampColumn,
                durationColumn,
                dedupeColumn,
                columns,
                excludeColumns,
                oneHotColumns,
                ageColumns,
                historyGroupings,
                successValues,
                failureValues,
                skipUnknownLabels);
    }

    public CsvOptions withExcludeColumns(List<String> columns) {
        return new CsvOptions(
                labelColumn,
                timestampColumn,
                durationColumn,
                dedupeColumn,
                featureColumns,
                columns,
                oneHotColumns,
                ageColumns,
                historyGroupings,
                successValues,
                failureValues,
                skipUnknownLabels);
    }

    public CsvOptions withDuration(String column) {
        return new CsvOptions(
                labelColumn,
                timestampColumn,
                column,
                dedupeColumn,
                featureColumns,
                excludeColumns,
                oneHotColumns,
                ageColumns,
                historyGroupings,
                successValues,
                failureValues,
                skipUnknownLabels);
    }

    public CsvOptions withDedupe(String column) {
        return new CsvOptions(
                labelColumn,
                timestampColumn,
                durationColumn,
                column,
                featureColumns,
                excludeColumns,
                oneHotColumns,
                ageColumns,
                historyGroupings,
                successValues,
                failureValues,
                skipUnknownLabels);
    }

    public CsvOptions withOneHot(List<String> columns) {
        return new CsvOptions(
                labelColumn,
                timestampColumn,
                durationColumn,
                dedupeColumn,
                featureColumns,
                excludeColumns,
                columns,
                ageColumns,
                historyGroupings,
                successValues,
                failureValues,
                skipUnknownLabels);
    }

    public CsvOptions withAgeColumns(List<String> columns) {
        return new CsvOptions(
                labelColumn,
                timestampColumn,
                durationColumn,
                dedupeColumn,
                featureColumns,
                excludeColumns,
                oneHotColumns,
                columns,
                historyGroupings,
                successValues,
                failureValues,
                skipUnknownLabels);
    }

    public CsvOptions withLabelValues(
            Set<String> success, Set<String> failure, boolean skipOthers) {
        return new CsvOptions(
                labelColumn,
                timestampColumn,
                durationColumn,
                dedupeColumn,
                featureColumns,
                excludeColumns,
                oneHotColumns,
                ageColumns,
                historyGroupings,
                success,
                failure,
                skipOthers);
    }
}
