package io.repostream.flink.rules.merge;

import java.util.Map;
import java.util.TreeMap;

/**
 * What CI said about one commit: the latest report per source and check name ({@code
 * check_run:build}, {@code status:ci/circleci}, {@code workflow_run:CI}). Kept in keyed state as
 * JSON ({@link MergeStateCodec}).
 */
public final class CheckReports {
    public Map<String, Report> reports = new TreeMap<>();

    /**
     * One check's latest report on the commit.
     *
     * @param source {@code check_run}, {@code status} or {@code workflow_run}
     * @param name the check run's name, the status's context, or the workflow's name
     * @param outcome {@code success}, {@code pending} or {@code failure} ({@link #outcome})
     * @param detail GitHub's own word (a conclusion or state), for the report
     * @param text where a coverage percentage may be: a status's description, a check run's output
     *     title and summary
     * @param suiteId the check run's suite (a re-requested suite makes its runs pending again)
     * @param at event time, epoch ms: an older report never replaces a newer one
     */
    public record Report(
            String source,
            String name,
            String outcome,
            String detail,
            String text,
            long suiteId,
            long at) {}

    /**
     * {@code success} for what GitHub's required checks accept (success, neutral, skipped), {@code
     * pending} for what is not done, {@code failure} otherwise.
     */
    static String outcome(boolean completed, String conclusionOrState) {
        if (!completed) {
            return "pending";
        }
        return switch (conclusionOrState == null ? "" : conclusionOrState) {
            case "success", "neutral", "skipped" -> "success";
            case "pending", "queued", "in_progress", "waiting", "requested" -> "pending";
            default -> "failure";
        };
    }

    /** Records {@code report} unless a newer report of the same check is there. */
    boolean record(Report report) {
        String key = report.source() + ":" + report.name();
        Report held = reports.get(key);
        if (held != null && held.at() > report.at()) {
            return false;
        }
        reports.put(key, report);
        return true;
    }

    /** Makes the check runs of suite {@code suiteId} pending again (the suite was re-requested). */
    boolean rerequested(long suiteId, long at) {
        boolean changed = false;
        for (Map.Entry<String, Report> e : reports.entrySet()) {
            Report r = e.getValue();
            if (r.source().equals("check_run") && r.suiteId() == suiteId && r.at() <= at) {
                e.setValue(
                        new Report(
                                r.source(), r.name(), "pending", "requested", null, suiteId, at));
                changed = true;
            }
        }
        return changed;
    }
}
