package io.repostream.executor.github;

import java.util.List;

/** A pull request's requested reviewers. */
public interface Reviewers extends PullReads {

    GitHubResult<Void> requestReviewers(String repo, long number, List<String> logins);

    GitHubResult<Void> removeRequestedReviewers(String repo, long number, List<String> logins);
}
