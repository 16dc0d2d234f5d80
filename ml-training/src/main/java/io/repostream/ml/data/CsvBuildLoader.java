package io.repostream.ml.data;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads a CSV of historical builds into a {@link BuildTable}, as {@link CsvOptions} say. */
public final class CsvBuildLoader {
    /**
     * What was read and how.
     *
     * @param table the builds, history features not yet added
     * @param numericColumns CSV columns used as numeric features
     * @param ignoredColumns CSV columns not used at all (excluded, or not numeric)
     * @param rowsRead data rows in the file
     * @param duplicateRowsMerged rows folded into an earlier row of the same build
     * @param skippedUnknownLabels rows skipped for an unknown label (only when allowed)
     */
    public record Result(
            BuildTable table,
            List<String> numericColumns,
            List<String> ignoredColumns,
            int rowsRead,
            int duplicateRowsMerged,
            int skippedUnknownLabels) {}

    private final CsvOptions options;

    public CsvBuildLoader(CsvOptions options) {
        this.options = options;
    }

    public Result load(Path path) {
        return load(CsvTable.read(path));
    }

    public Result load(CsvTable csv) {
        int label = csv.column(options.labelColumn());
        if (options.timestampColumn() == null) {
            requireNoTimeRoles();
        }
        Integer time =
                options.timestampColumn() == null ? null : csv.column(options.timestampColumn());
        Integer duration =
                options.durationColumn() == null ? null : csv.column(options.durationColumn());
        Integer dedupe = options.dedupeColumn() == null ? null : csv.column(options.dedupeColumn());
        List<List<Integer>> groupings = new ArrayList<>();
        for (List<String> columns : options.historyGroupings().values()) {
            groupings.add(columns.stream().map(csv::column).toList());
        }
        List<String> numeric = numericColumns(csv);
        List<Integer> numericIdx = numeric.stream().map(csv::column).toList();
        Map<String, List<String>> categories = categories(csv);
        List<Integer> ageIdx = options.ageColumns().stream().map(csv::column).toList();

        List<String> featureNames = new ArrayList<>(numeric);
        categories.forEach(
                (column, values) -> values.forEach(v -> featureNames.add(column + "=" + v)));
        options.ageColumns().forEach(c -> featureNames.add(c + "_log_age_hours"));

        List<LabeledBuild> builds = new ArrayList<>();
        Map<String, LabeledBuild> byId = new HashMap<>();
        int merged = 0;
        int skipped = 0;
        for (CsvTable.Row row : csv.rows()) {
            Boolean success = label(csv, row, label);
            if (success == null) {
                skipped++;
                continue;
            }
            String ref = csv.file() + " line " + row.line();
            Instant started = time == null ? null : timestamp(csv, row, time);
            Instant finished = duration == null ? null : finished(csv, row, duration, started);
            double[] f = new double[featureNames.size()];
            int k = 0;
            for (int c : numericIdx) {
                f[k++] = number(csv, row, c);
            }
            for (Map.Entry<String, List<String>> e : categories.entrySet()) {
                String value = row.cells()[csv.column(e.getKey())].strip();
                for (String v : e.getValue()) {
                    f[k++] = v.equals(value) ? 1 : 0;
                }
            }
            for (int c : ageIdx) {
                f[k++] = logAgeHours(csv, row, c, started);
            }
            List<String> groups = new ArrayList<>();
            for (List<Integer> columns : groupings) {
                StringBuilder key = new StringBuilder();
                for (int c : columns) {
                    key.append(row.cells()[c].strip()).append('\u0000');
                }
                groups.add(key.toString());
            }
            LabeledBuild build = new LabeledBuild(ref, started, finished, success, f, groups);
            if (dedupe != null) {
                String id = row.cells()[dedupe].strip();
                LabeledBuild first = byId.putIfAbsent(id, build);
                if (first != null) {
                    if (first.success() != success) {
                        throw new DataFormatException(
                                csv.file(),
                                row.line(),
                                options.dedupeColumn(),
                                "build '"
                                        + id
                                        + "' has a different "
                                        + options.labelColumn()
                                        + " than on "
                                        + first.ref());
                    }
                    merged++;
                    continue;
                }
            }
            builds.add(build);
        }
        if (builds.isEmpty()) {
            throw new DataFormatException(csv.file(), 0, null, "no labelled rows to learn from");
        }
        List<String> ignored = new ArrayList<>(csv.header());
        ignored.removeAll(numeric);
        ignored.removeAll(categories.keySet());
        ignored.removeAll(options.ageColumns());
        BuildTable table =
                new BuildTable(
                        csv.file(),
                        featureNames,
                        List.copyOf(options.historyGroupings().keySet()),
                        builds);
        return new Result(table, numeric, ignored, csv.rows().size(), merged, skipped);
    }

    /** Durations and ages are measured from each build's start, which rows without times lack. */
    private void requireNoTimeRoles() {
        if (options.durationColumn() != null) {
            throw new IllegalArgumentException(
                    "--duration-column needs --timestamp-column: a duration counts from the build's"
                            + " start");
        }
        if (!options.ageColumns().isEmpty()) {
            throw new IllegalArgumentException(
                    "--age-columns needs --timestamp-column: an age is measured at the build's"
                            + " start");
        }
    }

    /** Explicit columns, or every column that holds only numbers, true/false or blanks. */
    private List<String> numericColumns(CsvTable csv) {
        if (!options.featureColumns().isEmpty()) {
            for (String column : options.featureColumns()) {
                csv.column(column); // fail early on a missing column
                if (column.equals(options.labelColumn())
                        || column.equals(options.durationColumn())
                        || options.excludeColumns().contains(column)) {
                    throw new IllegalArgumentException(
                            column
                                    + " cannot be a feature: it is the label, the duration or an"
                                    + " excluded column");
                }
            }
            return options.featureColumns();
        }
        Set<String> roles = new LinkedHashSet<>(options.excludeColumns());
        roles.add(options.labelColumn());
        if (options.timestampColumn() != null) {
            roles.add(options.timestampColumn());
        }
        if (options.durationColumn() != null) {
            roles.add(options.durationColumn());
        }
        if (options.dedupeColumn() != null) {
            roles.add(options.dedupeColumn());
        }
        roles.addAll(options.oneHotColumns());
        roles.addAll(options.ageColumns());
        options.historyGroupings().values().forEach(roles::addAll);
        List<String> numeric = new ArrayList<>();
        for (int c = 0; c < csv.header().size(); c++) {
            String name = csv.header().get(c);
            if (!roles.contains(name) && isNumeric(csv, c)) {
                numeric.add(name);
            }
        }
        return numeric;
    }

    private static boolean isNumeric(CsvTable csv, int column) {
        boolean any = false;
        for (CsvTable.Row row : csv.rows()) {
            String v = row.cells()[column].strip();
            if (isBlank(v)) {
                continue;
            }
            any = true;
            if (parseNumber(v) == null) {
                return false;
            }
        }
        return any;
    }

    /** Every value of each one-hot column, sorted, so the encoding does not depend on row order. */
    private Map<String, List<String>> categories(CsvTable csv) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (String column : options.oneHotColumns()) {
            int c = csv.column(column);
            TreeSet<String> values = new TreeSet<>();
            for (CsvTable.Row row : csv.rows()) {
                values.add(row.cells()[c].strip());
            }
            out.put(column, List.copyOf(values));
        }
        return out;
    }

    private Boolean label(CsvTable csv, CsvTable.Row row, int column) {
        String v = row.cells()[column].strip().toLowerCase(Locale.ROOT);
        if (options.successValues().contains(v)) {
            return true;
        }
        if (options.failureValues().contains(v)) {
            return false;
        }
        if (CsvOptions.BINARY_VALUES.contains(v) && !binaryValuesGiven()) {
            // refused even with skipUnknownLabels: skipping would drop every row
            throw new DataFormatException(
                    csv.file(), row.line(), options.labelColumn(), ambiguous(v));
        }
        if (options.skipUnknownLabels()) {
            return null;
        }
        throw new DataFormatException(
                csv.file(),
                row.line(),
                options.labelColumn(),
                "label '"
                        + row.cells()[column]
                        + "' is neither a success value "
                        + new TreeSet<>(options.successValues())
                        + " nor a failure value "
                        + new TreeSet<>(options.failureValues()));
    }

    private boolean binaryValuesGiven() {
        return CsvOptions.BINARY_VALUES.stream()
                .anyMatch(
                        v ->
                                options.successValues().contains(v)
                                        || options.failureValues().contains(v));
    }

    /** Why a 0/1 (or true/false) label is refused, and the two ways to say what it means. */
    private String ambiguous(String value) {
        boolean digits = value.equals("0") || value.equals("1");
        String one = digits ? "1" : "true";
        String zero = digits ? "0" : "false";
        return "label '"
                + value
                + "' does not say whether "
                + one
                + " means passed or failed (a column such as 'failed' holds "
                + one
                + " for a failure); give --success-values "
                + one
                + " --failure-values "
                + zero
                + " if "
                + one
                + " means passed, or --success-values "
                + zero
                + " --failure-values "
                + one
                + " if "
                + one
                + " means failed";
    }

    private static double number(CsvTable csv, CsvTable.Row row, int column) {
        String v = row.cells()[column].strip();
        if (isBlank(v)) {
            return Double.NaN;
        }
        Double d = parseNumber(v);
        if (d == null) {
            throw new DataFormatException(
                    csv.file(),
                    row.line(),
                    csv.header().get(column),
                    "'" + v + "' is not a number (nor true/false)");
        }
        return d;
    }

    private static boolean isBlank(String v) {
        return v.isEmpty() || v.equalsIgnoreCase("NA") || v.equalsIgnoreCase("null");
    }

    private static Double parseNumber(String v) {
        if (v.equalsIgnoreCase("true")) {
            return 1.0;
        }
        if (v.equalsIgnoreCase("false")) {
            return 0.0;
        }
        try {
            double d = Double.parseDouble(v);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant timestamp(CsvTable csv, CsvTable.Row row, int column) {
        String v = row.cells()[column].strip();
        Instant t = parseTime(v);
        if (t == null) {
            throw new DataFormatException(
                    csv.file(),
                    row.line(),
                    csv.header().get(column),
                    "'"
                            + v
                            + "' is not a timestamp (ISO-8601 like 2016-08-25T15:17:38[Z], or"
                            + " epoch seconds)");
        }
        return t;
    }

    /**
     * ISO-8601 with or without offset (no offset means UTC), a space for the T, or epoch seconds.
     */
    static Instant parseTime(String v) {
        if (v.isEmpty()) {
            return null;
        }
        String iso = v.replace(' ', 'T');
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(v));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant finished(CsvTable csv, CsvTable.Row row, int column, Instant started) {
        String v = row.cells()[column].strip();
        if (isBlank(v)) {
            return null;
        }
        Double seconds = parseNumber(v);
        if (seconds == null || seconds < 0) {
            throw new DataFormatException(
                    csv.file(),
                    row.line(),
                    csv.header().get(column),
                    "'" + v + "' is not a duration in seconds");
        }
        return started.plus(Duration.ofMillis(Math.round(seconds * 1000)));
    }

    private static double logAgeHours(CsvTable csv, CsvTable.Row row, int column, Instant started) {
        String v = row.cells()[column].strip();
        if (isBlank(v)) {
            return Double.NaN;
        }
        Instant t = parseTime(v);
        if (t == null) {
            throw new DataFormatException(
                    csv.file(),
                    row.line(),
                    csv.header().get(column),
                    "'" + v + "' is not a timestamp");
        }
        // a timestamp after the build started is not knowable at its start
        if (t.isAfter(started)) {
            return Double.NaN;
        }
        return Math.log1p(Duration.between(t, started).toSeconds() / 3600.0);
    }
}
