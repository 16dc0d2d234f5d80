package io.repostream.ml.train;

import io.repostream.ml.data.BuildTable;
import io.repostream.ml.data.LabeledBuild;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Train, validation and test rows cut by time: every validation build started no earlier than every
 * training build, and every test build no earlier than every validation build, so no model is
 * judged on the past it learned from.
 *
 * <p>{@link #perProject} cuts each project's own history instead (its oldest builds train, its
 * newest test): then the order holds within each project, and every project appears in every part.
 */
public record TimeSplit(BuildTable train, BuildTable validation, BuildTable test) {

    /** The history grouping that names a build's project. */
    public static final String PROJECT = "project";

    public static TimeSplit of(BuildTable table, double trainFraction, double validationFraction) {
        checkFractions(trainFraction, validationFraction);
        int n = table.size();
        int trainEnd = (int) Math.round(n * trainFraction);
        int validationEnd = (int) Math.round(n * (trainFraction + validationFraction));
        if (trainEnd < 1 || validationEnd <= trainEnd || validationEnd >= n) {
            throw new IllegalArgumentException(
                    table.source() + " has too few builds (" + n + ") to split in three by time");
        }
        return new TimeSplit(
                table.slice(0, trainEnd),
                table.slice(trainEnd, validationEnd),
                table.slice(validationEnd, n));
    }

    /**
     * Each project's builds cut by time with the same fractions (rounded per project), then the
     * parts of all projects put together (in time order).
     *
     * @throws IllegalArgumentException when the builds carry no {@link #PROJECT} grouping, or a
     *     part ends up empty
     */
    public static TimeSplit perProject(
            BuildTable table, double trainFraction, double validationFraction) {
        checkFractions(trainFraction, validationFraction);
        if (!table.timed()) {
            throw new IllegalArgumentException(
                    table.source() + " has no build times: a per-project time split needs them");
        }
        int g = table.historyGroupings().indexOf(PROJECT);
        if (g < 0) {
            throw new IllegalArgumentException(
                    table.source()
                            + " has no '"
                            + PROJECT
                            + "' history grouping to split per project (groupings: "
                            + table.historyGroupings()
                            + ")");
        }
        Map<String, List<LabeledBuild>> byProject = new LinkedHashMap<>();
        for (LabeledBuild b : table.builds()) {
            byProject.computeIfAbsent(b.groups().get(g), k -> new ArrayList<>()).add(b);
        }
        List<LabeledBuild> train = new ArrayList<>();
        List<LabeledBuild> validation = new ArrayList<>();
        List<LabeledBuild> test = new ArrayList<>();
        for (List<LabeledBuild> builds : byProject.values()) {
            int n = builds.size();
            int trainEnd = (int) Math.round(n * trainFraction);
            int validationEnd = (int) Math.round(n * (trainFraction + validationFraction));
            train.addAll(builds.subList(0, trainEnd));
            validation.addAll(builds.subList(trainEnd, validationEnd));
            test.addAll(builds.subList(validationEnd, n));
        }
        if (train.isEmpty() || validation.isEmpty() || test.isEmpty()) {
            throw new IllegalArgumentException(
                    table.source()
                            + " has too few builds per project to split each in three by time");
        }
        return new TimeSplit(part(table, train), part(table, validation), part(table, test));
    }

    /** Each build's project, or null when the builds carry no {@link #PROJECT} grouping. */
    public static List<String> projects(BuildTable table) {
        int g = table.historyGroupings().indexOf(PROJECT);
        if (g < 0) {
            return null;
        }
        return table.builds().stream().map(b -> readable(b.groups().get(g))).toList();
    }

    /** A grouping key is its columns' values, each ended by NUL: shown joined by '+'. */
    private static String readable(String key) {
        String k = key.endsWith("\u0000") ? key.substring(0, key.length() - 1) : key;
        return k.replace('\u0000', '+');
    }

    private static BuildTable part(BuildTable table, List<LabeledBuild> builds) {
        return new BuildTable(
                table.source(), table.featureNames(), table.historyGroupings(), builds);
    }

    private static void checkFractions(double trainFraction, double validationFraction) {
        if (!(trainFraction > 0)
                || !(validationFraction > 0)
                || trainFraction + validationFraction >= 1) {
            throw new IllegalArgumentException(
                    "fractions must be > 0 and leave room for a test set, got train "
                            + trainFraction
                            + " and validation "
                            + validationFraction);
        }
    }
}
