package io.repostream.flink.prediction;

import io.repostream.schemas.RiskLevel;

/**
 * Buckets a predicted failure probability (1 − P(success)) into a {@link RiskLevel}: at least
 * {@code medium} is MEDIUM, at least {@code high} HIGH, at least {@code critical} CRITICAL.
 *
 * <p>{@code RepoPolicy} has no thresholds yet, so every repo uses {@link #DEFAULTS}: the trainer
 * balances classes, so 0.5 is its failure threshold (HIGH); 0.3 flags builds worth watching and
 * 0.75 builds that will very likely fail.
 */
public record RiskThresholds(double medium, double high, double critical)
        implements java.io.Serializable {
    public static final RiskThresholds DEFAULTS = new RiskThresholds(0.3, 0.5, 0.75);

    public RiskThresholds {
        if (!(0 < medium && medium <= high && high <= critical && critical <= 1)) {
            throw new IllegalArgumentException(
                    "risk thresholds must satisfy 0 < medium <= high <= critical <= 1, got "
                            + medium
                            + ", "
                            + high
                            + ", "
                            + critical);
        }
    }

    /** The risk of a build with this success probability; UNKNOWN without one. */
    public RiskLevel of(Double successProbability) {
        if (successProbability == null) {
            return RiskLevel.UNKNOWN;
        }
        double failure = 1 - successProbability;
        if (failure >= critical) {
            return RiskLevel.CRITICAL;
        }
        if (failure >= high) {
            return RiskLevel.HIGH;
        }
        if (failure >= medium) {
            return RiskLevel.MEDIUM;
        }
        return RiskLevel.LOW;
    }
}
