package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One entry of a repository's event feed ({@code GET /repos/{owner}/{repo}/events}): the payload is
 * rendered when the event happens, as GitHub's feed shows the issue as it was then.
 */
record RepoEvent(long id, String type, String actor, ObjectNode payload, Instant createdAt) {}
