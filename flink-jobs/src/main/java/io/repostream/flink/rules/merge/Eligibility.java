package io.repostream.flink.rules.merge;

import io.repostream.flink.rules.merge.CheckReports.Report;
import io.repostream.flink.rules.merge.PullRequestState.Review;
import io.repostream.schemas.MergeQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a pull request may be merged into its base, condition by condition, under the settings of
 * its base branch ({@link MergeQueue.Branch}). Pure: the rule holds the state, this judges it.
 */
final class Eligibility {
    private Eligibility() {}

    /** The first number followed by {@code %}: "Coverage: 83.4% (+0.2%)" is 83.4. */
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3}(?:\\.\\d+)?)\\s*%");

    /**
     * One condition and whether it holds.
     *
     * @param name what is checked, e.g. {@code required checks}
     * @param met whether it holds
     * @param detail why, in words a maintainer reads
     */
    record Condition(String name, boolean met, String detail) {
        String line() {
            return "- " + (met ? "✓" : "✗") + " **" + name + "**: " + detail;
        }
    }

    /**
     * The verdict on one head commit.
     *
     * @param headSha the commit judged
     * @param conditions every condition, in a fixed order
     */
    record Verdict(String headSha, List<Condition> conditions) {
        boolean eligible() {
            return conditions.stream().allMatch(Condition::met);
        }

        /** Whether the pull request carries its branch's label. */
        boolean labelled() {
            return conditions.stream().anyMatch(c -> c.name().equals("label") && c.met());
        }

        /** The conditions not met, as {@code name: detail}. */
        List<String> reasons() {
            return conditions.stream()
                    .filter(c -> !c.met())
                    .map(c -> c.name() + ": " + c.detail())
                    .toList();
        }

        /** The Markdown list of every condition. */
        String summary() {
            StringBuilder s = new StringBuilder();
            for (Condition c : conditions) {
                s.append(c.line()).append('\n');
            }
            return s.toString();
        }

        /** What a report says: two verdicts with equal keys need no new report. */
        String key() {
            return headSha + "\n" + summary();
        }
    }

    /** The base branch settings that apply to {@code base}: the first pattern that matches. */
    static MergeQueue.Branch branchOf(MergeQueue section, String base) {
        if (base == null) {
            return null;
        }
        for (MergeQueue.Branch b : section.branches()) {
            if (Glob.branch(b.pattern(), base)) {
                return b;
            }
        }
        return null;
    }

    static Verdict judge(PullRequestState pr, CheckReports checks, MergeQueue.Branch branch) {
        List<Condition> c = new ArrayList<>();
        c.add(
                new Condition(
                        "not a draft",
                        !pr.draft,
                        pr.draft ? "the pull request is a draft" : "ready for review"));
        List<String> labels = pr.labels == null ? List.of() : pr.labels;
        boolean labelled = labels.stream().anyMatch(l -> l.equalsIgnoreCase(branch.label()));
        c.add(
                new Condition(
                        "label",
                        labelled,
                        labelled
                                ? "`" + branch.label() + "` is present"
                                : pr.labels == null
                                        ? "labels not known yet"
                                        : "`" + branch.label() + "` is missing"));
        List<String> blocking = new ArrayList<>();
        for (String label : labels) {
            if (branch.blockingLabels().stream().anyMatch(g -> Glob.label(g, label))) {
                blocking.add("`" + label + "`");
            }
        }
        c.add(
                new Condition(
                        "no blocking label",
                        blocking.isEmpty(),
                        blocking.isEmpty() ? "none" : String.join(", ", blocking) + " present"));
        c.add(requiredChecks(checks, branch.requiredChecks()));
        c.addAll(reviews(pr, branch.minApprovals()));
        c.add(
                new Condition(
                        "no merge conflict",
                        Boolean.TRUE.equals(pr.mergeable),
                        pr.mergeable == null
                                ? "GitHub has not computed mergeability yet"
                                : pr.mergeable ? "mergeable" : "conflicts with the base branch"));
        if (branch.coverage() != null) {
            c.add(coverage(checks, branch.coverage()));
        }
        if (branch.maxChangedLines() != null) {
            int limit = branch.maxChangedLines();
            c.add(
                    new Condition(
                            "size",
                            pr.changedLines != null && pr.changedLines <= limit,
                            pr.changedLines == null
                                    ? "size not known yet"
                                    : pr.changedLines + " lines changed, limit " + limit));
        }
        return new Verdict(pr.headSha, List.copyOf(c));
    }

    private static Condition requiredChecks(CheckReports checks, List<String> required) {
        if (required.isEmpty()) {
            return new Condition("required checks", true, "none required");
        }
        List<String> notGreen = new ArrayList<>();
        for (String name : required) {
            List<Report> reports = reportsNamed(checks, name);
            if (reports.isEmpty()) {
                notGreen.add("`" + name + "` has not reported");
                continue;
            }
            // a check run and a status of one name are both required, as on GitHub
            for (Report r : reports) {
                if (!r.outcome().equals("success")) {
                    notGreen.add("`" + name + "` is " + r.outcome() + " (" + r.detail() + ")");
                }
            }
        }
        return new Condition(
                "required checks",
                notGreen.isEmpty(),
                notGreen.isEmpty()
                        ? required.size() + " of " + required.size() + " green"
                        : String.join("; ", notGreen));
    }

    private static List<Report> reportsNamed(CheckReports checks, String name) {
        List<Report> found = new ArrayList<>();
        if (checks == null) {
            return found;
        }
        for (Report r : checks.reports.values()) {
            if (r.name().equals(name)) {
                found.add(r);
            }
        }
        return found;
    }

    private static List<Condition> reviews(PullRequestState pr, int needed) {
        int approvals = 0;
        List<String> requesting = new ArrayList<>();
        for (Map.Entry<String, Review> e : pr.reviews.entrySet()) {
            if (e.getValue().state().equals("approved")) {
                approvals++;
            } else {
                requesting.add("@" + e.getKey());
            }
        }
        return List.of(
                new Condition(
                        "approvals", approvals >= needed, approvals + " of " + needed + " needed"),
                new Condition(
                        "no changes requested",
                        requesting.isEmpty(),
                        requesting.isEmpty()
                                ? "none outstanding"
                                : String.join(", ", requesting) + " requested changes"));
    }

    private static Condition coverage(CheckReports checks, MergeQueue.Coverage coverage) {
        String threshold = format(coverage.threshold());
        Report latest = null;
        for (Report r : reportsNamed(checks, coverage.check())) {
            if (latest == null || r.at() >= latest.at()) {
                latest = r;
            }
        }
        if (latest == null) {
            return new Condition("coverage", false, "`" + coverage.check() + "` has not reported");
        }
        OptionalDouble percent = percentIn(latest.text());
        if (percent.isEmpty()) {
            return new Condition(
                    "coverage", false, "`" + coverage.check() + "` gave no percentage");
        }
        double p = percent.getAsDouble();
        return new Condition(
                "coverage",
                p >= coverage.threshold(),
                format(p) + " %, threshold " + threshold + " %");
    }

    /** The first percentage in {@code text}. */
    static OptionalDouble percentIn(String text) {
        if (text == null) {
            return OptionalDouble.empty();
        }
        Matcher m = PERCENT.matcher(text);
        return m.find()
                ? OptionalDouble.of(Double.parseDouble(m.group(1)))
                : OptionalDouble.empty();
    }

    private static String format(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.1f", d);
    }
}
