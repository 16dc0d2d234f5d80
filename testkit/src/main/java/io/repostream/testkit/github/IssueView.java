package io.repostream.testkit.github;

import java.time.Instant;
import java.util.List;

/** An issue or pull request as the simulator holds it, for assertions. Immutable. */
public record IssueView(
        String repo,
        int number,
        String title,
        String body,
        String author,
        String state,
        String stateReason,
        List<String> labels,
        List<String> assignees,
        int comments,
        boolean pullRequest,
        boolean merged,
        List<String> requestedReviewers,
        Instant createdAt,
        Instant updatedAt,
        Instant closedAt) {

    public boolean isOpen() {
        return "open".equals(state);
    }

    @Override
    public String toString() {
        return repo + "#" + number + " [" + state + "] " + title + " " + labels;
    }
}
