package io.repostream.flink.prediction;

/**
 * Known CI outcomes of one author, workflow or repository: long-run counts and the last {@link
 * #RECENT} outcomes as bits (1 = failed, newest lowest).
 *
 * @param builds outcomes known
 * @param failures failed outcomes among them
 * @param recentBits the last outcomes, newest in bit 0
 * @param recentCount how many of {@code recentBits} are filled (at most {@link #RECENT})
 */
public record OutcomeStats(long builds, long failures, int recentBits, int recentCount) {
    /** How many outcomes the recent failure rate looks back at. */
    public static final int RECENT = 10;

    public static final OutcomeStats NONE = new OutcomeStats(0, 0, 0, 0);

    /** These outcomes plus one more. */
    public OutcomeStats plus(boolean success) {
        int bit = success ? 0 : 1;
        int mask = (1 << RECENT) - 1;
        return new OutcomeStats(
                builds + 1,
                failures + bit,
                ((recentBits << 1) | bit) & mask,
                Math.min(RECENT, recentCount + 1));
    }

    /** Share of failures among all known outcomes; NaN with none. */
    public double failureRate() {
        return builds == 0 ? Double.NaN : (double) failures / builds;
    }

    /** Share of failures among the last {@link #RECENT} outcomes; NaN with none. */
    public double recentFailureRate() {
        return recentCount == 0 ? Double.NaN : (double) Integer.bitCount(recentBits) / recentCount;
    }
}
