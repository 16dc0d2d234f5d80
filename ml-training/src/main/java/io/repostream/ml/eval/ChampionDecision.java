package io.repostream.ml.eval;

/**
 * Whether a challenger replaces the champion, judged on the same held-out builds.
 *
 * @param outcome {@link Outcome}
 * @param championVersion the current champion's version, or null if there is none
 * @param championRocAuc its ROC-AUC on the challenger's test builds, or null if not comparable
 * @param challengerRocAuc the challenger's ROC-AUC on them
 * @param championCalibrationError the champion's expected calibration error on them (with its own
 *     stored calibration), or null if not comparable
 * @param challengerCalibrationError the challenger's (calibrated as it would be published)
 * @param reason a sentence for people
 */
public record ChampionDecision(
        Outcome outcome,
        String championVersion,
        Double championRocAuc,
        double challengerRocAuc,
        Double championCalibrationError,
        double challengerCalibrationError,
        String reason) {

    public enum Outcome {
        /** No champion yet: the challenger becomes the first. */
        FIRST_MODEL,
        /** Beat the champion. */
        BEATS_CHAMPION,
        /**
         * Replaces a champion of the online model name that the Flink job cannot load (another
         * feature set), without comparison: that champion scores nothing.
         */
        REPLACES_UNLOADABLE,
        /** Did not beat the champion (or could not be compared): not published. */
        REFUSED,
        /** Published with {@code --force} although it did not beat the champion. */
        FORCED;

        public boolean publishes() {
            return this != REFUSED;
        }
    }
}
