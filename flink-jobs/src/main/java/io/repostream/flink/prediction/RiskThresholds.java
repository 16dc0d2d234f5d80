package io.repostream.flink.prediction;

import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RiskLevel;

/**
 * Buckets a predicted failure probability (1 − P(success)) into a {@link RiskLevel}: at least
 * {@code medium} is MEDIUM, at least {@code high} HIGH, at least {@code critical} CRITICAL.
 *
 * <p>Each repo's thresholds come from its policy ({@code ci_risk}); {@link #DEFAULTS} are the
 * policy's defaults: the trainer balances classes, so 0.5 is its failure threshold (HIGH); 0.3
 * flags builds worth watching and 0.75 builds that will very likely fail.
 */
public record RiskThresholds(double medium, double high, double critical)
        implements java.io.Serializable {
    public static final RiskThresholds DEFAULTS = of(RepoPolicy.CiRisk.defaults());

    /** The thresholds a repo policy sets. */
    public static RiskThresholds of(RepoPolicy.CiRisk risk) {
        return new RiskThresholds(risk.medium(), risk.high(), risk.critical());
    }

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
