package io.repostream.ml.train;

import io.repostream.ml.data.BuildTable;

/**
 * Train, validation and test rows cut by time: every validation build started no earlier than every
 * training build, and every test build no earlier than every validation build, so no model is
 * judged on the past it learned from.
 */
public record TimeSplit(BuildTable train, BuildTable validation, BuildTable test) {

    public static TimeSplit of(BuildTable table, double trainFraction, double validationFraction) {
        if (!(trainFraction > 0)
                || !(validationFraction > 0)
                || trainFraction + validationFraction >= 1) {
            throw new IllegalArgumentException(
                    "fractions must be > 0 and leave room for a test set, got train "
                            + trainFraction
                            + " and validation "
                            + validationFraction);
        }
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
}
