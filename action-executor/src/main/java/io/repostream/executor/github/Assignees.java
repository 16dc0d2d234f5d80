package io.repostream.executor.github;

import java.util.List;

/** An issue's assignees. */
public interface Assignees extends IssueReads {

    GitHubResult<Void> addAssignees(String repo, long number, List<String> logins);

    GitHubResult<Void> removeAssignees(String repo, long number, List<String> logins);
}
