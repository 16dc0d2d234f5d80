package io.repostream.schemas;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.repostream.schemas.RepoPolicy.Mode;
import java.time.Duration;
import java.util.List;

/**
 * Section {@code completion:} of a {@link RepoPolicy} (rule {@code completion@1}): issues whose
 * linked work has landed are closed as completed when the evidence is strong enough, or labelled
 * for a person to look at when it is not. Off unless the section is present, in every form of
 * policy (it came after sections).
 *
 * <p>Confidence is the sum of the weights of the evidence present over the sum of the weights of
 * the evidence that applies (docs only apply to an issue labelled as a feature), times {@code
 * weak_link_factor} when the only links are weak ones (a branch name, {@code refs #12}).
 *
 * @param mode on (default when the section is present), shadow or off
 * @param closeAt confidence at or above which the issue is closed as completed (default 0.9)
 * @param suggestAt confidence at or above which (and below {@code close_at}) the issue gets {@code
 *     suggest_label} and a comment (default 0.6)
 * @param suggestLabel the label of an issue that is likely done ({@code status/likely-done})
 * @param branches the branches whose merges and pushes count ({@code release/*}); empty (default)
 *     counts every branch, where GitHub counts only the default branch
 * @param weakLinkFactor what a weak link (branch name, {@code refs #12}) multiplies the confidence
 *     by (default 0.6)
 * @param decideAfter how long after the last linked work landed the rule decides, so that the
 *     checks on the merge can report (default 30 minutes)
 * @param featureLabels labels that make an issue a feature, for which docs touched counts
 * @param weights the weight of each kind of evidence
 */
public record Completion(
        Mode mode,
        Double closeAt,
        Double suggestAt,
        String suggestLabel,
        List<String> branches,
        Double weakLinkFactor,
        @JsonDeserialize(using = PolicyDuration.Deserializer.class) Duration decideAfter,
        List<String> featureLabels,
        Weights weights) {

    public static final String DEFAULT_SUGGEST_LABEL = "status/likely-done";

    public Completion {
        mode = mode == null ? Mode.ON : mode;
        closeAt = fraction(closeAt, 0.9, "completion.close_at");
        suggestAt = fraction(suggestAt, 0.6, "completion.suggest_at");
        if (suggestAt > closeAt) {
            throw new IllegalArgumentException(
                    "completion.suggest_at ("
                            + suggestAt
                            + ") must not be above completion.close_at ("
                            + closeAt
                            + ")");
        }
        suggestLabel =
                Require.text(
                        suggestLabel == null ? DEFAULT_SUGGEST_LABEL : suggestLabel,
                        "completion.suggest_label");
        branches = Require.list(branches);
        weakLinkFactor = fraction(weakLinkFactor, 0.6, "completion.weak_link_factor");
        decideAfter =
                decideAfter == null
                        ? Duration.ofMinutes(30)
                        : Require.positive(decideAfter, "completion.decide_after");
        featureLabels =
                featureLabels == null
                        ? List.of("feature", "enhancement", "kind/feature", "type/feature")
                        : List.copyOf(featureLabels);
        weights = weights == null ? Weights.defaults() : weights;
    }

    static double fraction(Double given, double otherwise, String field) {
        double v = given == null ? otherwise : given;
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(field + " must be within 0..1, got " + v);
        }
        return v;
    }

    /** On, with every default. */
    public static Completion defaults() {
        return builder().build();
    }

    /** The section absent: the rule is off. */
    public static Completion off() {
        return builder().mode(Mode.OFF).build();
    }

    /** Whether an issue with {@code labels} is a feature (docs touched then counts). */
    public boolean isFeature(List<String> labels) {
        return labels.stream().anyMatch(l -> Accounts.named(featureLabels, l));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .mode(mode)
                .closeAt(closeAt)
                .suggestAt(suggestAt)
                .suggestLabel(suggestLabel)
                .branches(branches)
                .weakLinkFactor(weakLinkFactor)
                .decideAfter(decideAfter)
                .featureLabels(featureLabels)
                .weights(weights);
    }

    /**
     * {@code weights:}, each within 0..1; a weight of 0 leaves that evidence out.
     *
     * @param merged a linked pull request merged (or a linking commit pushed) on a counted branch
     * @param checksGreen every check suite, status and workflow run reported on the merge green
     * @param testsTouched the work changed test files (paths from the pushes' commit lists)
     * @param docsTouched the work changed docs (only for an issue labelled as a feature)
     * @param allLinkedMerged every pull request linked to the issue merged (none left open)
     * @param noObjection no maintainer commented "not fixed" or "still broken" after the merge
     */
    public record Weights(
            Double merged,
            Double checksGreen,
            Double testsTouched,
            Double docsTouched,
            Double allLinkedMerged,
            Double noObjection) {
        public Weights {
            merged = fraction(merged, 0.35, "completion.weights.merged");
            checksGreen = fraction(checksGreen, 0.2, "completion.weights.checks_green");
            testsTouched = fraction(testsTouched, 0.15, "completion.weights.tests_touched");
            docsTouched = fraction(docsTouched, 0.15, "completion.weights.docs_touched");
            allLinkedMerged =
                    fraction(allLinkedMerged, 0.15, "completion.weights.all_linked_merged");
            noObjection = fraction(noObjection, 0.15, "completion.weights.no_objection");
        }

        public static Weights defaults() {
            return new Weights(null, null, null, null, null, null);
        }
    }

    /** Builds a {@link Completion} section; a field not set gets its default. */
    public static final class Builder {
        private Mode mode;
        private Double closeAt;
        private Double suggestAt;
        private String suggestLabel;
        private List<String> branches;
        private Double weakLinkFactor;
        private Duration decideAfter;
        private List<String> featureLabels;
        private Weights weights;

        private Builder() {}

        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        public Builder closeAt(Double closeAt) {
            this.closeAt = closeAt;
            return this;
        }

        public Builder suggestAt(Double suggestAt) {
            this.suggestAt = suggestAt;
            return this;
        }

        public Builder suggestLabel(String suggestLabel) {
            this.suggestLabel = suggestLabel;
            return this;
        }

        public Builder branches(List<String> branches) {
            this.branches = branches;
            return this;
        }

        public Builder weakLinkFactor(Double weakLinkFactor) {
            this.weakLinkFactor = weakLinkFactor;
            return this;
        }

        public Builder decideAfter(Duration decideAfter) {
            this.decideAfter = decideAfter;
            return this;
        }

        public Builder featureLabels(List<String> featureLabels) {
            this.featureLabels = featureLabels;
            return this;
        }

        public Builder weights(Weights weights) {
            this.weights = weights;
            return this;
        }

        public Completion build() {
            return new Completion(
                    mode,
                    closeAt,
                    suggestAt,
                    suggestLabel,
                    branches,
                    weakLinkFactor,
                    decideAfter,
                    featureLabels,
                    weights);
        }
    }
}
