package io.repostream.ml.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds in time order (by start, ties kept in input order; in input order when the input has no
 * times) with named features: what the trainer learns from and evaluates on.
 *
 * @param source a description of where the builds came from
 * @param featureNames the feature order of every build
 * @param historyGroupings names of the groupings each build carries a key for (e.g. {@code
 *     project}, {@code branch})
 * @param builds in time order
 */
public record BuildTable(
        String source,
        List<String> featureNames,
        List<String> historyGroupings,
        List<LabeledBuild> builds) {

    public BuildTable {
        featureNames = List.copyOf(featureNames);
        historyGroupings = List.copyOf(historyGroupings);
        List<LabeledBuild> sorted = new ArrayList<>(builds);
        boolean timed = sorted.isEmpty() || sorted.get(0).startedAt() != null;
        for (LabeledBuild b : sorted) {
            if ((b.startedAt() != null) != timed) {
                throw new IllegalArgumentException(
                        b.ref()
                                + (timed ? " has no start time" : " has a start time")
                                + " unlike "
                                + sorted.get(0).ref()
                                + ": either every build has one or none");
            }
        }
        if (timed) {
            // stable: ties keep file order
            sorted.sort(Comparator.comparing(LabeledBuild::startedAt));
        }
        for (LabeledBuild b : sorted) {
            if (b.features().length != featureNames.size()) {
                throw new IllegalArgumentException(
                        b.ref()
                                + ": has "
                                + b.features().length
                                + " features, expected "
                                + featureNames.size());
            }
            if (b.groups().size() != historyGroupings.size()) {
                throw new IllegalArgumentException(
                        b.ref() + ": has no key for every history grouping " + historyGroupings);
            }
        }
        builds = List.copyOf(sorted);
    }

    /** False when the builds have no times and are in input order. */
    public boolean timed() {
        return builds.isEmpty() || builds.get(0).startedAt() != null;
    }

    public int size() {
        return builds.size();
    }

    public long failures() {
        return builds.stream().filter(b -> !b.success()).count();
    }

    /** The rows {@code [from, to)} in time order, as a table of their own. */
    public BuildTable slice(int from, int to) {
        return new BuildTable(source, featureNames, historyGroupings, builds.subList(from, to));
    }

    public double[][] featureMatrix() {
        double[][] x = new double[builds.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = builds.get(i).featuresView();
        }
        return x;
    }

    /** True for each failed build: the class the evaluation cares about. */
    public boolean[] failed() {
        boolean[] y = new boolean[builds.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = !builds.get(i).success();
        }
        return y;
    }

    public int featureIndex(String name) {
        int i = featureNames.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(
                    source + " has no feature '" + name + "'; features are " + featureNames);
        }
        return i;
    }
}
