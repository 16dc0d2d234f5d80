package io.repostream.testkit.github;

import java.time.Instant;

/** A comment as the simulator holds it, for assertions. */
public record CommentView(
        long id,
        int issueNumber,
        String author,
        String body,
        Instant createdAt,
        Instant updatedAt) {}
