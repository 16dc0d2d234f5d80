package io.repostream.executor.github;

import io.repostream.schemas.TargetState;
import java.util.List;

/**
 * Check runs and commit statuses on a commit. Their state is a {@link TargetState} of kind {@code
 * check_run} or {@code commit_status}: the commit as {@code headSha}; for a check run its {@code
 * runStatus}, {@code runConclusion}, its title as {@code stateReason} and its id as {@code
 * commentId}; for a status its state as {@code state} and its description as {@code stateReason}.
 * Absent: {@code state} is {@code absent}.
 */
public interface Checks {
    String CHECK_RUN = "check_run";
    String COMMIT_STATUS = "commit_status";

    /**
     * What a check run says.
     *
     * @param annotations marks on lines of files ({@code output.annotations}), at most {@link
     *     #MAX_ANNOTATIONS}
     */
    record CheckRun(
            String name,
            String status,
            String conclusion,
            String title,
            String summary,
            String detailsUrl,
            List<Annotation> annotations) {
        public CheckRun {
            annotations = annotations == null ? List.of() : List.copyOf(annotations);
        }

        /** A check run without annotations. */
        public CheckRun(
                String name,
                String status,
                String conclusion,
                String title,
                String summary,
                String detailsUrl) {
            this(name, status, conclusion, title, summary, detailsUrl, List.of());
        }
    }

    /** GitHub takes at most 50 annotations a request ("a maximum of 50 per API request"). */
    int MAX_ANNOTATIONS = 50;

    /**
     * A mark on lines {@code startLine..endLine} (from 1) of the file {@code path}.
     *
     * @param level {@code notice}, {@code warning} or {@code failure}
     */
    record Annotation(String path, int startLine, int endLine, String level, String message) {}

    /**
     * Whether the client may write check runs: GitHub lets only GitHub Apps do so (a token gets 403
     * "You must authenticate via a GitHub App.").
     */
    boolean writesCheckRuns();

    /** The latest check run named {@code name} on {@code sha}. */
    GitHubResult<TargetState> checkRun(String repo, String sha, String name);

    /** The latest status of {@code context} on {@code sha}. */
    GitHubResult<TargetState> commitStatus(String repo, String sha, String context);

    GitHubResult<TargetState> createCheckRun(String repo, String sha, CheckRun run);

    GitHubResult<TargetState> createCommitStatus(
            String repo,
            String sha,
            String state,
            String context,
            String description,
            String targetUrl);
}
