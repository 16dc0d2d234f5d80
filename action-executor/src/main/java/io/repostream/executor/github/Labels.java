package io.repostream.executor.github;

import java.util.List;

/** An issue's labels. */
public interface Labels extends IssueReads {

    /** Adds labels and returns every label the issue has now. */
    GitHubResult<List<String>> addLabels(String repo, long number, List<String> labels);

    /** Removes a label and returns the labels the issue has left. */
    GitHubResult<List<String>> removeLabel(String repo, long number, String label);
}
