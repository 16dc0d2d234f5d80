package io.repostream.flink.prediction;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The online feature set of the CI success predictor. Features are computed from the trigger and
 * from history known at the trigger: the build's own outcome is never an input (triggers carry no
 * conclusion, and history only holds outcomes that arrived before). A feature that cannot be known
 * is left out of the vector (the model imputes the training mean); it is never guessed.
 *
 * <p>The names and their order are versioned by {@link #FEATURE_SET}: change a definition, bump the
 * version, and models trained on the old set stop being loaded.
 *
 * <ul>
 *   <li>{@code hour_of_day} (0–23), {@code day_of_week} (1 = Monday) of the trigger, UTC
 *   <li>{@code is_pull_request}: 1 for a pull request push, 0 for a workflow run
 *   <li>{@code run_attempt}, {@code workflow_id}: runs only
 *   <li>{@code commits}, {@code additions}, {@code deletions}, {@code changed_files}, {@code
 *       log_diff_size} = ln(1 + additions + deletions): from the pull request payload, or for a run
 *       from the last pull_request event of the PR it builds
 *   <li>{@code log_author_builds} = ln(1 + known outcomes of the triggering actor), {@code
 *       author_recent_failure_rate} (last 10), {@code author_failure_rate} (all known)
 *   <li>{@code repo_recent_failure_rate} (last 10), {@code repo_failure_rate}, {@code
 *       workflow_recent_failure_rate} (runs only)
 *   <li>{@code previous_build_failed}, {@code log_hours_since_last_build} = ln(1 + hours since the
 *       repo's latest known outcome), {@code same_committer_as_last_build}
 *   <li>{@code review_count} (reviews submitted so far), {@code hours_to_approval} (opened to first
 *       approval, when approved before the trigger)
 * </ul>
 */
public final class CiFeatures {
    /** Names the definitions below; written to every prediction and training example. */
    public static final String FEATURE_SET = "ci-online-v1";

    public static final String HOUR_OF_DAY = "hour_of_day";
    public static final String DAY_OF_WEEK = "day_of_week";
    public static final String IS_PULL_REQUEST = "is_pull_request";
    public static final String RUN_ATTEMPT = "run_attempt";
    public static final String WORKFLOW_ID = "workflow_id";
    public static final String COMMITS = "commits";
    public static final String ADDITIONS = "additions";
    public static final String DELETIONS = "deletions";
    public static final String CHANGED_FILES = "changed_files";
    public static final String LOG_DIFF_SIZE = "log_diff_size";
    public static final String LOG_AUTHOR_BUILDS = "log_author_builds";
    public static final String AUTHOR_RECENT_FAILURE_RATE = "author_recent_failure_rate";
    public static final String AUTHOR_FAILURE_RATE = "author_failure_rate";
    public static final String REPO_RECENT_FAILURE_RATE = "repo_recent_failure_rate";
    public static final String REPO_FAILURE_RATE = "repo_failure_rate";
    public static final String WORKFLOW_RECENT_FAILURE_RATE = "workflow_recent_failure_rate";
    public static final String PREVIOUS_BUILD_FAILED = "previous_build_failed";
    public static final String LOG_HOURS_SINCE_LAST_BUILD = "log_hours_since_last_build";
    public static final String SAME_COMMITTER_AS_LAST_BUILD = "same_committer_as_last_build";
    public static final String REVIEW_COUNT = "review_count";
    public static final String HOURS_TO_APPROVAL = "hours_to_approval";

    /** Every feature of {@link #FEATURE_SET}, in vector order. */
    public static final List<String> NAMES =
            List.of(
                    HOUR_OF_DAY,
                    DAY_OF_WEEK,
                    IS_PULL_REQUEST,
                    RUN_ATTEMPT,
                    WORKFLOW_ID,
                    COMMITS,
                    ADDITIONS,
                    DELETIONS,
                    CHANGED_FILES,
                    LOG_DIFF_SIZE,
                    LOG_AUTHOR_BUILDS,
                    AUTHOR_RECENT_FAILURE_RATE,
                    AUTHOR_FAILURE_RATE,
                    REPO_RECENT_FAILURE_RATE,
                    REPO_FAILURE_RATE,
                    WORKFLOW_RECENT_FAILURE_RATE,
                    PREVIOUS_BUILD_FAILED,
                    LOG_HOURS_SINCE_LAST_BUILD,
                    SAME_COMMITTER_AS_LAST_BUILD,
                    REVIEW_COUNT,
                    HOURS_TO_APPROVAL);

    private CiFeatures() {}

    /**
     * What was known when a build was triggered.
     *
     * @param repo the repository's history
     * @param author the triggering actor's outcomes in this repo
     * @param workflow the workflow's outcomes (runs only; NONE for pull requests)
     * @param pullRequest the pull request being built, when known; null otherwise
     */
    public record Known(
            RepoHistory repo,
            OutcomeStats author,
            OutcomeStats workflow,
            PullRequestInfo pullRequest) {}

    /** The vector of a trigger, in {@link #NAMES} order, leaving out what cannot be known. */
    public static Map<String, Double> of(BuildSignal trigger, Known known) {
        if (trigger.conclusion() != null) {
            throw new IllegalArgumentException(
                    trigger.ref() + ": features are computed from triggers, not outcomes");
        }
        Map<String, Double> f = new LinkedHashMap<>();
        ZonedDateTime at = trigger.at().atZone(ZoneOffset.UTC);
        put(f, HOUR_OF_DAY, at.getHour());
        put(f, DAY_OF_WEEK, at.getDayOfWeek().getValue());
        boolean isPr = trigger.kind() == BuildSignal.Kind.PR_UPDATED;
        put(f, IS_PULL_REQUEST, isPr ? 1 : 0);
        if (!isPr) {
            put(f, RUN_ATTEMPT, trigger.runAttempt());
            put(f, WORKFLOW_ID, trigger.workflowId());
        }
        PullRequestInfo pr = known.pullRequest();
        Integer commits = isPr ? trigger.commits() : pr == null ? null : pr.commits();
        Integer additions = isPr ? trigger.additions() : pr == null ? null : pr.additions();
        Integer deletions = isPr ? trigger.deletions() : pr == null ? null : pr.deletions();
        Integer files = isPr ? trigger.changedFiles() : pr == null ? null : pr.changedFiles();
        put(f, COMMITS, commits);
        put(f, ADDITIONS, additions);
        put(f, DELETIONS, deletions);
        put(f, CHANGED_FILES, files);
        if (additions != null && deletions != null) {
            put(f, LOG_DIFF_SIZE, Math.log1p(additions + deletions));
        }
        OutcomeStats author = known.author();
        put(f, LOG_AUTHOR_BUILDS, Math.log1p(author.builds()));
        put(f, AUTHOR_RECENT_FAILURE_RATE, author.recentFailureRate());
        put(f, AUTHOR_FAILURE_RATE, author.failureRate());
        RepoHistory repo = known.repo();
        put(f, REPO_RECENT_FAILURE_RATE, repo.outcomes().recentFailureRate());
        put(f, REPO_FAILURE_RATE, repo.outcomes().failureRate());
        if (!isPr) {
            put(f, WORKFLOW_RECENT_FAILURE_RATE, known.workflow().recentFailureRate());
        }
        Instant last = repo.lastCompletedAt();
        if (last != null) {
            put(f, PREVIOUS_BUILD_FAILED, repo.lastFailed() ? 1 : 0);
            double hours = Math.max(0, Duration.between(last, trigger.at()).toMillis() / 3.6e6);
            put(f, LOG_HOURS_SINCE_LAST_BUILD, Math.log1p(hours));
            if (!trigger.actor().isEmpty() && !repo.lastActor().isEmpty()) {
                put(
                        f,
                        SAME_COMMITTER_AS_LAST_BUILD,
                        trigger.actor().equals(repo.lastActor()) ? 1 : 0);
            }
        }
        if (pr != null) {
            put(f, REVIEW_COUNT, pr.reviews());
            if (pr.approvedAt() != null
                    && pr.createdAt() != null
                    && !pr.approvedAt().isAfter(trigger.at())) {
                put(
                        f,
                        HOURS_TO_APPROVAL,
                        Math.max(0, Duration.between(pr.createdAt(), pr.approvedAt()).toMillis())
                                / 3.6e6);
            }
        }
        return f;
    }

    /** The vector as a row in {@link #NAMES} order; NaN where a feature is absent. */
    public static double[] row(Map<String, Double> features, List<String> order) {
        double[] row = new double[order.size()];
        for (int i = 0; i < row.length; i++) {
            Double v = features.get(order.get(i));
            row[i] = v == null ? Double.NaN : v;
        }
        return row;
    }

    private static void put(Map<String, Double> f, String name, Number value) {
        if (value == null || Double.isNaN(value.doubleValue())) {
            return;
        }
        f.put(name, value.doubleValue());
    }
}
